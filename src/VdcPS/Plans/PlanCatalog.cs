using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Models;

namespace VdcPS.Plans
{
    /// <summary>
    /// One quota resource of a plan: the value a new tenant gets and the range a change may use.
    /// <see cref="Unlimited"/> (-1) means unlimited, as in the Nova, Cinder and Neutron quota APIs;
    /// it is allowed for <see cref="Max"/> and <see cref="Default"/> (a default of -1 needs a max of
    /// -1), never for <see cref="Min"/>. Use <see cref="Allows"/> to check a requested value.
    /// </summary>
    internal sealed class PlanQuota
    {
        public const long Unlimited = -1;

        public PlanQuota(string service, string resource, string unit, string description, long @default, long min, long max, int line, int column)
        {
            Service = service;
            Resource = resource;
            Unit = unit;
            Description = description;
            Default = @default;
            Min = min;
            Max = max;
            Line = line;
            Column = column;
        }

        /// <summary>compute, block-storage or network.</summary>
        public string Service { get; }

        /// <summary>The quota key exactly as the service's API names it (cores, ram, gigabytes_ssd, floatingip...).</summary>
        public string Resource { get; }

        /// <summary>count, MB, GB, bytes.</summary>
        public string Unit { get; }

        public string Description { get; }

        public long Default { get; }

        public long Min { get; }

        public long Max { get; }

        public bool IsUnlimited => Max == Unlimited;

        /// <summary>Line of the resource's key in the catalog.</summary>
        public int Line { get; }

        public int Column { get; }

        /// <summary>
        /// Whether the plan allows <paramref name="value"/>: -1 (unlimited) only when Max is -1;
        /// otherwise Min &lt;= value &lt;= Max (no upper bound when Max is -1).
        /// </summary>
        public bool Allows(long value)
        {
            if (value == Unlimited)
            {
                return Max == Unlimited;
            }

            return value >= Min && (Max == Unlimited || value <= Max);
        }

        /// <summary>"2..8", "0..unlimited".</summary>
        public string RangeText => $"{Min.ToString(CultureInfo.InvariantCulture)}..{(Max == Unlimited ? "unlimited" : Max.ToString(CultureInfo.InvariantCulture))}";

        public override string ToString() => $"{Service}.{Resource} = {(Default == Unlimited ? "unlimited" : Default.ToString(CultureInfo.InvariantCulture))} ({RangeText})";
    }

    /// <summary>A pay-per-use price: <see cref="Price"/> in the plan's currency per <see cref="Unit"/>.</summary>
    internal sealed class PlanRate
    {
        public PlanRate(string unit, decimal price, string description)
        {
            Unit = unit;
            Price = price;
            Description = description;
        }

        /// <summary>One of <see cref="PlanRateUnits.All"/> (vcpu-hour, ram-gb-hour, volume-gb-hour...).</summary>
        public string Unit { get; }

        public decimal Price { get; }

        public string Description { get; }

        public override string ToString() => $"{Unit}={Price.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A professional service bundled with a plan (onboarding workshop, architecture review...).</summary>
    internal sealed class PlanService
    {
        public PlanService(string name, decimal amount, decimal hours, string description)
        {
            Name = name;
            Amount = amount;
            Hours = hours;
            Description = description;
        }

        public string Name { get; }

        /// <summary>The value of the service in the plan's currency (what it would cost on its own).</summary>
        public decimal Amount { get; }

        /// <summary>The hours included (0 when the service is not counted in hours).</summary>
        public decimal Hours { get; }

        public string Description { get; }

        public override string ToString()
            => Hours > 0
                ? $"{Name} ({Hours.ToString(CultureInfo.InvariantCulture)} h, {Amount.ToString(CultureInfo.InvariantCulture)})"
                : $"{Name} ({Amount.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>One VDC plan of the catalog.</summary>
    internal sealed class PlanDefinition
    {
        public PlanDefinition(
            string name,
            string displayName,
            string description,
            string currency,
            string role,
            decimal monthlyFee,
            decimal setupFee,
            IReadOnlyList<PlanService> professionalServices,
            IReadOnlyList<PlanRate> rates,
            IReadOnlyList<PlanQuota> quotas,
            string sourceFile,
            int line)
        {
            Name = name;
            DisplayName = displayName;
            Description = description;
            Currency = currency;
            Role = role;
            MonthlyFee = monthlyFee;
            SetupFee = setupFee;
            ProfessionalServices = professionalServices;
            Rates = rates;
            Quotas = quotas;
            SourceFile = sourceFile;
            Line = line;
        }

        /// <summary>The plan's key in the catalog (vdc-small).</summary>
        public string Name { get; }

        public string DisplayName { get; }

        public string Description { get; }

        /// <summary>ISO 4217 code of every price of the plan.</summary>
        public string Currency { get; }

        /// <summary>The Keystone role the tenant's user gets on its project.</summary>
        public string Role { get; }

        public decimal MonthlyFee { get; }

        public decimal SetupFee { get; }

        public IReadOnlyList<PlanService> ProfessionalServices { get; }

        public IReadOnlyList<PlanRate> Rates { get; }

        /// <summary>In catalog order: compute, then block-storage, then network as written.</summary>
        public IReadOnlyList<PlanQuota> Quotas { get; }

        public string SourceFile { get; }

        public int Line { get; }

        public PlanQuota? FindQuota(string service, string resource)
            => Quotas.FirstOrDefault(q => string.Equals(q.Service, service, StringComparison.OrdinalIgnoreCase)
                                          && string.Equals(q.Resource, resource, StringComparison.OrdinalIgnoreCase));

        public PlanRate? FindRate(string unit)
            => Rates.FirstOrDefault(r => string.Equals(r.Unit, unit, StringComparison.OrdinalIgnoreCase));

        public IEnumerable<PlanQuota> QuotasOf(string service)
            => Quotas.Where(q => string.Equals(q.Service, service, StringComparison.OrdinalIgnoreCase));

        public override string ToString() => Name;

        internal VdcPlan ToModel() => new VdcPlan
        {
            Name = Name,
            DisplayName = DisplayName,
            Description = Description,
            Currency = Currency,
            Role = Role,
            MonthlyFee = MonthlyFee,
            SetupFee = SetupFee,
            ProfessionalServices = string.Join("; ", ProfessionalServices.Select(s => s.ToString())),
            ProfessionalServicesAmount = ProfessionalServices.Sum(s => s.Amount),
            ProfessionalServicesHours = ProfessionalServices.Sum(s => s.Hours),
            Rates = string.Join("; ", Rates.Select(r => r.ToString())),
            RateCount = Rates.Count,
            QuotaCount = Quotas.Count,
            CatalogPath = SourceFile,
            Line = Line,
        };

        internal IEnumerable<VdcPlanQuota> ToQuotaModels() => Quotas.Select(q => new VdcPlanQuota
        {
            Plan = Name,
            Service = q.Service,
            Resource = q.Resource,
            Unit = q.Unit,
            Default = q.Default,
            Min = q.Min,
            Max = q.Max,
            DefaultIsUnlimited = q.Default == PlanQuota.Unlimited,
            MaxIsUnlimited = q.Max == PlanQuota.Unlimited,
            Description = q.Description,
            CatalogPath = SourceFile,
        });
    }

    /// <summary>A loaded, error-free plan catalog.</summary>
    internal sealed class PlanCatalog
    {
        public PlanCatalog(string path, string apiVersion, IReadOnlyList<PlanDefinition> plans, IReadOnlyList<PlanProblem> warnings)
        {
            Path = path;
            ApiVersion = apiVersion;
            Plans = plans;
            Warnings = warnings;
        }

        /// <summary>Full path of the catalog file.</summary>
        public string Path { get; }

        public string ApiVersion { get; }

        /// <summary>In file order.</summary>
        public IReadOnlyList<PlanDefinition> Plans { get; }

        /// <summary>Problems that do not stop the catalog from being used.</summary>
        public IReadOnlyList<PlanProblem> Warnings { get; }

        /// <summary>The plan with this name (case-insensitive), or null.</summary>
        public PlanDefinition? Find(string name)
            => Plans.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }
}
