using VdcPS.Plans;

namespace VdcPS.Quotas
{
    /// <summary>A tenant whose quotas are read or written: id, name and (when VdcPS manages it) its plan.</summary>
    internal sealed class QuotaTenant
    {
        public QuotaTenant(string id, string name, string planName, PlanDefinition? plan)
        {
            Id = id;
            Name = name;
            PlanName = planName;
            Plan = plan;
        }

        public string Id { get; }
        public string Name { get; }

        /// <summary>The plan recorded on the project (empty when unmanaged).</summary>
        public string PlanName { get; }

        /// <summary>The plan's definition from the catalog; null when unmanaged or not in the catalog.</summary>
        public PlanDefinition? Plan { get; }

        public string Label => string.IsNullOrEmpty(Name) ? Id : Name;
    }
}
