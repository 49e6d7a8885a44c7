using System;

namespace VdcPS.Models
{
    /// <summary>What an invoice line charges for.</summary>
    public enum VdcChargeType
    {
        MonthlyFee,
        SetupFee,
        ProfessionalService,
        PayPerUse,

        /// <summary>A monthly price for the allocated quota above the plan's included amount, prorated by day.</summary>
        Allocation,
    }

    /// <summary>
    /// One invoice line: who, what, how much. Money is decimal, rounded per line to the currency's
    /// minor unit; totals are sums of rounded lines. Flat, for Export-Csv.
    /// </summary>
    public sealed class VdcChargeLine
    {
        public string CustomerId { get; set; } = string.Empty;

        public string TenantId { get; set; } = string.Empty;

        public string TenantName { get; set; } = string.Empty;

        public string Plan { get; set; } = string.Empty;

        /// <summary>Start of the billing period the line was rated in (UTC, inclusive).</summary>
        public DateTime PeriodStart { get; set; }

        /// <summary>End of the billing period the line was rated in (UTC, exclusive).</summary>
        public DateTime PeriodEnd { get; set; }

        /// <summary>
        /// Start of the service the line charges for (UTC, inclusive): the first day of the month
        /// (within the period) of a monthly fee, the day of the activation of a setup fee or
        /// bundled service, the usage row's own period start of pay-per-use.
        /// </summary>
        public DateTime ServicePeriodStart { get; set; }

        /// <summary>End of the service the line charges for (UTC, exclusive).</summary>
        public DateTime ServicePeriodEnd { get; set; }

        public VdcChargeType ChargeType { get; set; }

        public string Description { get; set; } = string.Empty;

        public decimal Quantity { get; set; }

        public string Unit { get; set; } = string.Empty;

        public decimal UnitPrice { get; set; }

        public decimal Amount { get; set; }

        /// <summary>ISO 4217 code of the plan's currency.</summary>
        public string Currency { get; set; } = string.Empty;

        /// <summary>vdcps (rated by VdcPS from the plan) or cloudkitty (read from CloudKitty).</summary>
        public string Source { get; set; } = "vdcps";
    }
}
