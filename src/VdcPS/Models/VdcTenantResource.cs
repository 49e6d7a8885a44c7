namespace VdcPS.Models
{
    /// <summary>
    /// One resource a tenant's project (or the tenant's user) owns, as termination would delete it.
    /// Flat: one value per property, the same set on every object, so it exports to CSV as it is.
    /// </summary>
    public sealed class VdcTenantResource
    {
        /// <summary>The tenant's name (its original name when it is terminated).</summary>
        public string TenantName { get; set; } = string.Empty;

        /// <summary>The tenant's Keystone project id.</summary>
        public string TenantId { get; set; } = string.Empty;

        /// <summary>compute, block-storage, network, image or identity.</summary>
        public string Service { get; set; } = string.Empty;

        /// <summary>Server, FloatingIp, Image, VolumeBackup, Keypair, ApplicationCredential, RouterInterface, RouterGateway, VolumeSnapshot, Volume, Router, Port, Subnet, Network, SecurityGroup.</summary>
        public string Type { get; set; } = string.Empty;

        /// <summary>The service's id of the resource (for a keypair, its name; for a router interface, the port id).</summary>
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        /// <summary>The service's status (ACTIVE, available, DOWN, ...) where it has one; empty otherwise.</summary>
        public string Status { get; set; } = string.Empty;

        /// <summary>The dependency level: termination deletes level 0 first, and starts a level when the one before is gone.</summary>
        public int Level { get; set; }

        /// <summary>The router of an interface or gateway; the user of a keypair or application credential; empty otherwise.</summary>
        public string ParentId { get; set; } = string.Empty;

        /// <summary>The context (cloud connection) the resource was read from.</summary>
        public string Cloud { get; set; } = string.Empty;

        public override string ToString() => $"{Type} {(string.IsNullOrEmpty(Name) ? Id : Name)}";
    }
}
