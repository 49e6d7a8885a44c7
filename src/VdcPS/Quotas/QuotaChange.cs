using VdcPS.Openstack.Identity;

namespace VdcPS.Quotas
{
    /// <summary>One quota that Set-VdcQuota will change: the service's value, and Keystone's when it has a registered limit.</summary>
    internal sealed class QuotaChange
    {
        public QuotaChange(string service, string key, long before, long after, long inUse, long reserved)
        {
            Service = service;
            Key = key;
            Before = before;
            After = after;
            InUse = inUse;
            Reserved = reserved;
        }

        public string Service { get; }
        public string Key { get; }

        /// <summary>The service's limit now.</summary>
        public long Before { get; }
        public long After { get; }
        public long InUse { get; }
        public long Reserved { get; }

        /// <summary>Whether the service's own quota API must be written (its value differs).</summary>
        public bool ServiceChanges => Before != After;

        /// <summary>The Keystone registered limit of the key's unified-limits resource (class:VCPU for cores); null when none.</summary>
        public RegisteredLimitDto? Registered { get; set; }

        /// <summary>The project's own Keystone limit now (null: the registered default applies).</summary>
        public ProjectLimitDto? ProjectLimit { get; set; }

        /// <summary>Keystone's effective value now (the project's limit or the registered default).</summary>
        public long? UnifiedBefore => Registered == null ? (long?)null : ProjectLimit?.ResourceLimit ?? Registered.DefaultLimit;

        /// <summary>Whether a Keystone project limit must be written (there is a registered limit and a system-scoped connection).</summary>
        public bool UnifiedChanges => Registered != null && UnifiedWritable && (ProjectLimit == null || ProjectLimit.ResourceLimit != After);

        /// <summary>False when Keystone has a registered limit for the resource but there is no system-scoped connection to write it.</summary>
        public bool UnifiedWritable { get; set; }

        public bool Changes => ServiceChanges || UnifiedChanges;

        public string Name => $"{Service}.{Key}";

        /// <summary>"compute.cores: 4 -> 8" (plus the Keystone resource when it is written too).</summary>
        public string Describe()
        {
            string text = $"{Name}: {QuotaRows.LimitText(Before)} -> {QuotaRows.LimitText(After)}";
            if (Registered != null && UnifiedWritable && UnifiedChanges)
            {
                text += $" (Keystone {Registered.ResourceName}: {QuotaRows.LimitText(UnifiedBefore!.Value)} -> {QuotaRows.LimitText(After)})";
            }

            return text;
        }
    }
}
