namespace VdcPS.Tenants
{
    /// <summary>What a usage row or a CloudKitty charge line says about its tenant.</summary>
    internal sealed class TenantLabel
    {
        public TenantLabel(string id, string name, string customerId, string plan, bool managed, bool known)
        {
            Id = id;
            Name = name;
            CustomerId = customerId;
            Plan = plan;
            Managed = managed;
            Known = known;
        }

        public string Id { get; }

        /// <summary>The Keystone project name; empty for a project Keystone no longer has.</summary>
        public string Name { get; }

        public string CustomerId { get; }

        public string Plan { get; }

        /// <summary>Created by VdcPS (has a vdcps_plan).</summary>
        public bool Managed { get; }

        /// <summary>Keystone has the project.</summary>
        public bool Known { get; }
    }
}
