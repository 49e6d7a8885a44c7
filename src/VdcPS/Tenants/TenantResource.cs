namespace VdcPS.Tenants
{
    /// <summary>Something a tenant owns in a service (a server, a volume, a network, ...), as termination lists it.</summary>
    internal sealed class TenantResource
    {
        public TenantResource(string kind, string description)
        {
            Kind = kind;
            Description = description;
        }

        /// <summary>Server, Volume, Network, ... (termination's order of kinds).</summary>
        public string Kind { get; }

        /// <summary>Kind, name and id, e.g. "Server 'web-1' (4f1c...)".</summary>
        public string Description { get; }

        public override string ToString() => Description;
    }
}
