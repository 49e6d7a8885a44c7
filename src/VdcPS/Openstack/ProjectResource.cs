namespace VdcPS.Openstack
{
    /// <summary>The kinds of resource a project can own that termination deletes, in the services' own terms.</summary>
    internal enum ProjectResourceKind
    {
        Server,
        FloatingIp,
        Image,
        VolumeBackup,
        Keypair,
        ApplicationCredential,
        RouterInterface,
        RouterGateway,
        VolumeSnapshot,
        Volume,
        Router,
        Port,
        Subnet,
        Network,
        SecurityGroup,
    }

    /// <summary>One resource a project owns (or a router's interface or gateway, which go before the router).</summary>
    internal sealed class ProjectResource
    {
        public ProjectResource(ProjectResourceKind kind, string id, string name, string status = "", string parentId = "")
        {
            Kind = kind;
            Id = id;
            Name = name;
            Status = status;
            ParentId = parentId;
        }

        public ProjectResourceKind Kind { get; }

        public string Id { get; }

        public string Name { get; }

        /// <summary>The service's status (ACTIVE, available, ...) where it has one.</summary>
        public string Status { get; }

        /// <summary>The router of an interface or gateway; the user of a keypair or application credential.</summary>
        public string ParentId { get; }

        public override string ToString() => $"{Kind} {(string.IsNullOrEmpty(Name) ? Id : $"'{Name}' ({Id})")}";
    }
}
