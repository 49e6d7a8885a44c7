using System.Collections.Generic;
using VdcPS.Quotas;

namespace VdcPS.Tenants
{
    /// <summary>The quotas of a tenant on another plan (see <see cref="TenantService.QuotasForPlanAsync"/>).</summary>
    internal sealed class PlanQuotaMove
    {
        public List<QuotaTarget> Targets { get; } = new List<QuotaTarget>();

        /// <summary>Usage above the new plan's maximum (refuses the move).</summary>
        public List<string> Problems { get; } = new List<string>();

        /// <summary>Quotas set to the maximum below usage (-Force).</summary>
        public List<string> Warnings { get; } = new List<string>();
    }
}
