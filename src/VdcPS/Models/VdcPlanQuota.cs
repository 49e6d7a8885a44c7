namespace VdcPS.Models
{
    /// <summary>
    /// One quota resource of one plan, as Get-VdcPlan -Quota returns it: the value a new tenant
    /// gets (Default) and the range a change may use (Min..Max). -1 means unlimited, as in the
    /// Nova, Cinder and Neutron quota APIs; DefaultIsUnlimited and MaxIsUnlimited say it in words
    /// for a spreadsheet.
    /// </summary>
    public sealed class VdcPlanQuota
    {
        public string Plan { get; set; } = string.Empty;

        /// <summary>compute, block-storage or network.</summary>
        public string Service { get; set; } = string.Empty;

        /// <summary>The key exactly as the service's quota API names it (cores, ram, gigabytes, floatingip...).</summary>
        public string Resource { get; set; } = string.Empty;

        /// <summary>What one unit is: count, MB (ram) or GB (gigabytes).</summary>
        public string Unit { get; set; } = string.Empty;

        /// <summary>The quota a new tenant of the plan gets; -1 = unlimited.</summary>
        public long Default { get; set; }

        /// <summary>The lowest value the plan allows (never unlimited).</summary>
        public long Min { get; set; }

        /// <summary>The highest value the plan allows; -1 = unlimited.</summary>
        public long Max { get; set; }

        public bool DefaultIsUnlimited { get; set; }

        public bool MaxIsUnlimited { get; set; }

        public string Description { get; set; } = string.Empty;

        /// <summary>The quota included in the monthly fee when the plan prices this quota; null otherwise.</summary>
        public long? AllocationIncluded { get; set; }

        /// <summary>The size of one priced unit of quota above AllocationIncluded (1 core, 1024 MB); null when not priced.</summary>
        public long? AllocationPer { get; set; }

        /// <summary>Monthly price per AllocationPer units above AllocationIncluded, in the plan's currency; null when not priced.</summary>
        public decimal? AllocationPrice { get; set; }

        public string CatalogPath { get; set; } = string.Empty;

        public override string ToString() => $"{Plan} {Service}.{Resource}";
    }
}
