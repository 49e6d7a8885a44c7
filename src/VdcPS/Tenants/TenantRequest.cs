using System;
using System.Collections.Generic;
using System.Security;
using VdcPS.Plans;
using VdcPS.Quotas;

namespace VdcPS.Tenants
{
    /// <summary>What New-VdcTenant was asked to make.</summary>
    internal sealed class TenantRequest
    {
        public string Name { get; set; } = string.Empty;
        public PlanDefinition Plan { get; set; } = null!;
        public string CustomerId { get; set; } = string.Empty;
        public string UserName { get; set; } = string.Empty;
        public string? Email { get; set; }
        public SecureString? Password { get; set; }
        public string DomainId { get; set; } = "default";
        public string Description { get; set; } = string.Empty;
        public IReadOnlyList<QuotaTarget> Quotas { get; set; } = Array.Empty<QuotaTarget>();
        /// <summary>When the contract started (UTC); null = now. For customers moved into VdcPS whose contract began earlier.</summary>
        public DateTime? ActivatedAt { get; set; }

        /// <summary>Take over a tenant another run is provisioning right now (its lease not yet expired).</summary>
        public bool TakeOver { get; set; }
    }
}
