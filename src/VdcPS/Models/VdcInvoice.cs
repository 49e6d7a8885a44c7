using System;

namespace VdcPS.Models
{
    /// <summary>The document formats of Export-VdcInvoice.</summary>
    public enum VdcInvoiceFormat
    {
        /// <summary>Two CSV files (comma, invariant numbers, ISO 8601 dates with the zone, UTF-8 with BOM): the lines, and a summary with the subtotals and the total.</summary>
        Csv,

        /// <summary>A self-contained HTML page: header, lines, subtotals and total, ready to print.</summary>
        Html,
    }

    /// <summary>
    /// The charges of one customer for one period in one currency: the lines and their sums.
    /// Every sum is the sum of the lines' rounded amounts, so the invoice adds up to the cent.
    /// </summary>
    public sealed class VdcInvoice
    {
        public string CustomerId { get; set; } = string.Empty;

        /// <summary>Start of the invoiced period (UTC, inclusive).</summary>
        public DateTime PeriodStart { get; set; }

        /// <summary>End of the invoiced period (UTC, exclusive).</summary>
        public DateTime PeriodEnd { get; set; }

        /// <summary>ISO 4217 code of every amount of the invoice.</summary>
        public string Currency { get; set; } = string.Empty;

        /// <summary>The customer's tenants on the invoice, by name, joined with "; ".</summary>
        public string Tenants { get; set; } = string.Empty;

        public int LineCount { get; set; }

        /// <summary>Sum of the MonthlyFee lines.</summary>
        public decimal MonthlyFees { get; set; }

        /// <summary>Sum of the Allocation lines (prices of the allocated quota above the plan's included amount).</summary>
        public decimal Allocations { get; set; }

        /// <summary>Sum of the SetupFee lines.</summary>
        public decimal SetupFees { get; set; }

        /// <summary>Sum of the ProfessionalService lines.</summary>
        public decimal ProfessionalServices { get; set; }

        /// <summary>Sum of the PayPerUse lines.</summary>
        public decimal PayPerUse { get; set; }

        /// <summary>Sum of all lines (net, before tax).</summary>
        public decimal Total { get; set; }

        /// <summary>vdcps, cloudkitty, or both joined with "; ": where the lines came from.</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>The invoice lines, in invoice order.</summary>
        public VdcChargeLine[] Lines { get; set; } = Array.Empty<VdcChargeLine>();
    }
}
