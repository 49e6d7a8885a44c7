using System;

namespace VdcPS.Models
{
    /// <summary>
    /// Usage of one resource by one tenant over one period (or, with Get-VdcUsage -Detailed, by one
    /// server). Flat: it exports to CSV as it is and feeds Measure-VdcCharge.
    /// </summary>
    public sealed class VdcUsageRecord
    {
        public string TenantId { get; set; } = string.Empty;

        public string TenantName { get; set; } = string.Empty;

        public string CustomerId { get; set; } = string.Empty;

        public string Plan { get; set; } = string.Empty;

        /// <summary>Start of the period (UTC, inclusive).</summary>
        public DateTime PeriodStart { get; set; }

        /// <summary>End of the period (UTC, exclusive).</summary>
        public DateTime PeriodEnd { get; set; }

        /// <summary>What was used, named as the plan catalog's rate units: vcpu-hour, ram-gb-hour, disk-gb-hour, instance-hour, volume-gb-hour, floating-ip-hour, ...</summary>
        public string Resource { get; set; } = string.Empty;

        /// <summary>
        /// The volume type of volume-gb-hour rows (Cinder's name; empty for volumes without a type and
        /// for every other resource): one row per type, so a plan can price each type on its own.
        /// </summary>
        public string VolumeType { get; set; } = string.Empty;

        public decimal Quantity { get; set; }

        /// <summary>The unit of Quantity in words (vCPU-hours, GB-hours, hours).</summary>
        public string Unit { get; set; } = string.Empty;

        /// <summary>nova (os-simple-tenant-usage) or gnocchi (aggregates).</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>True on per-server rows (Get-VdcUsage -Detailed); false on the tenant totals.</summary>
        public bool IsDetail { get; set; }

        public string ServerId { get; set; } = string.Empty;

        public string ServerName { get; set; } = string.Empty;

        public string Flavor { get; set; } = string.Empty;

        public string Cloud { get; set; } = string.Empty;
    }
}
