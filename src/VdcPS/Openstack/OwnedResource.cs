namespace VdcPS.Openstack
{
    /// <summary>A project that still owns something (blocks removal).</summary>
    internal sealed class OwnedResource
    {
        public OwnedResource(string service, string kind, string id, string name)
        {
            Service = service;
            Kind = kind;
            Id = id;
            Name = name;
        }

        public string Service { get; }
        public string Kind { get; }
        public string Id { get; }
        public string Name { get; }

        public override string ToString() => $"{Kind} {(string.IsNullOrEmpty(Name) ? Id : $"'{Name}' ({Id})")}";
    }
}
