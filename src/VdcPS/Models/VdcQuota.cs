namespace VdcPS.Models
{
    /// <summary>
    /// One quota of one tenant in one service: Get-VdcQuota writes one row per tenant × service ×
    /// resource, Set-VdcQuota -PassThru the rows it changed. Flat, same properties on every row, so
    /// <c>Export-Csv</c> writes one header and the same columns for every line. -1 means unlimited,
    /// as in the OpenStack APIs; <see cref="IsUnlimited"/> and <see cref="LimitText"/> say it in words.
    /// </summary>
    public sealed class VdcQuota
    {
        /// <summary>The Keystone project id of the tenant.</summary>
        public string TenantId { get; set; } = string.Empty;

        public string TenantName { get; set; } = string.Empty;

        /// <summary>The tenant's plan (empty for a project VdcPS did not create).</summary>
        public string Plan { get; set; } = string.Empty;

        /// <summary>compute, block-storage or network.</summary>
        public string Service { get; set; } = string.Empty;

        /// <summary>
        /// The quota key as the service names it (cores, gigabytes, volumes___DEFAULT__, floatingip),
        /// or the Keystone resource name (class:VCPU, servers) for rows from Keystone unified limits.
        /// </summary>
        public string Resource { get; set; } = string.Empty;

        /// <summary>count, MB, GB or bytes.</summary>
        public string Unit { get; set; } = string.Empty;

        /// <summary>The limit; -1 means unlimited.</summary>
        public long Limit { get; set; }

        public bool IsUnlimited { get; set; }

        /// <summary>"unlimited", or the limit as a number.</summary>
        public string LimitText { get; set; } = string.Empty;

        /// <summary>What the tenant uses now, as the service counts it.</summary>
        public long InUse { get; set; }

        /// <summary>Reserved by operations in progress.</summary>
        public long Reserved { get; set; }

        /// <summary>The plan's minimum for this resource; empty when the plan does not list it.</summary>
        public long? PlanMin { get; set; }

        /// <summary>The plan's maximum (-1 = unlimited); empty when the plan does not list it.</summary>
        public long? PlanMax { get; set; }

        /// <summary>The plan's range in words ("2..8", "0..unlimited"); empty when the plan does not list it.</summary>
        public string PlanRange { get; set; } = string.Empty;

        /// <summary>True when the plan lists this resource and the limit is outside its range.</summary>
        public bool OutOfPlan { get; set; }

        /// <summary>"service" (the service's quota API) or "keystone-unified-limits".</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>The context (cloud connection) the quota was read from.</summary>
        public string Cloud { get; set; } = string.Empty;

        public override string ToString() => $"{TenantName} {Service}.{Resource}={LimitText}";
    }
}
