namespace VdcPS.Models
{
    /// <summary>
    /// One VDC plan of the plan catalog, as Get-VdcPlan returns it: flat, one value per property,
    /// so a list of plans can be saved with Export-Csv. The quotas are returned by Get-VdcPlan -Quota.
    /// </summary>
    public sealed class VdcPlan
    {
        /// <summary>The plan's key in the catalog (vdc-small): what New-VdcTenant -Plan takes.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The name customers see (VDC Small).</summary>
        public string DisplayName { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;

        /// <summary>ISO 4217 code of every price of the plan (EUR).</summary>
        public string Currency { get; set; } = string.Empty;

        /// <summary>The Keystone role a tenant's user gets on its project (member).</summary>
        public string Role { get; set; } = string.Empty;

        /// <summary>Fixed fee per month, in <see cref="Currency"/>.</summary>
        public decimal MonthlyFee { get; set; }

        /// <summary>One-off fee when the VDC is created.</summary>
        public decimal SetupFee { get; set; }

        /// <summary>The bundled professional services, one "name (hours h, amount)" per service, joined with "; ".</summary>
        public string ProfessionalServices { get; set; } = string.Empty;

        /// <summary>Total value of the bundled professional services.</summary>
        public decimal ProfessionalServicesAmount { get; set; }

        /// <summary>Total hours of the bundled professional services.</summary>
        public decimal ProfessionalServicesHours { get; set; }

        /// <summary>The pay-per-use rates, one "unit=price" per rate, joined with "; " (vcpu-hour=0.0125).</summary>
        public string Rates { get; set; } = string.Empty;

        public int RateCount { get; set; }

        /// <summary>Monthly prices for allocated quota, "compute.cores above 4: 9.00 per 1; ...".</summary>
        public string AllocationPrices { get; set; } = string.Empty;

        /// <summary>Usage included per month, "instance-hour=720; ...".</summary>
        public string IncludedUsage { get; set; } = string.Empty;

        /// <summary>The starter network a new tenant gets, "vdc-network 10.0.0.0/24 via public; ingress tcp 22 from 0.0.0.0/0", or empty for none.</summary>
        public string StarterNetwork { get; set; } = string.Empty;

        /// <summary>How many quota resources the plan sets (Get-VdcPlan -Quota lists them).</summary>
        public int QuotaCount { get; set; }

        /// <summary>The catalog file the plan comes from.</summary>
        public string CatalogPath { get; set; } = string.Empty;

        /// <summary>The line of the plan in the catalog file.</summary>
        public int Line { get; set; }

        public override string ToString() => Name;
    }
}
