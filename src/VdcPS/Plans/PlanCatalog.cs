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
        public PlanRate(string unit, decimal price, string description, IReadOnlyList<PlanVolumeTypePrice>? volumeTypePrices = null, int line = 0, int column = 0)
        {
            Unit = unit;
            Price = price;
            Description = description;
            VolumeTypePrices = volumeTypePrices ?? Array.Empty<PlanVolumeTypePrice>();
            Line = line;
            Column = column;
        }

        /// <summary>volume-gb-hour only: the volume types priced apart from <see cref="Price"/>, in catalog order.</summary>
        public IReadOnlyList<PlanVolumeTypePrice> VolumeTypePrices { get; }

        /// <summary>Where the rate's unit is written in the catalog (0 when not read from a file).</summary>
        public int Line { get; }

        public int Column { get; }

        /// <summary>
        /// The price of a usage row: the price of its volume type when the rate prices that type
        /// (names compared without regard to case, as Cinder does), else <see cref="Price"/>.
        /// </summary>
        public decimal PriceFor(string? volumeType)
        {
            if (!string.IsNullOrEmpty(volumeType))
            {
                foreach (PlanVolumeTypePrice t in VolumeTypePrices)
                {
                    if (string.Equals(t.Name, volumeType, StringComparison.OrdinalIgnoreCase))
                    {
                        return t.Price;
                    }
                }
            }

            return Price;
        }

        /// <summary>One of <see cref="PlanRateUnits.All"/> (vcpu-hour, ram-gb-hour, volume-gb-hour...).</summary>
        public string Unit { get; }

        public decimal Price { get; }

        public string Description { get; }

        public override string ToString()
            => $"{Unit}={Price.ToString(CultureInfo.InvariantCulture)}"
               + (VolumeTypePrices.Count == 0 ? string.Empty
                   : " (" + string.Join(", ", VolumeTypePrices.Select(t => t.Name + "=" + t.Price.ToString(CultureInfo.InvariantCulture))) + ")");
    }

    /// <summary>The price per GB-hour of one volume type (by Cinder's name) in a volume-gb-hour rate.</summary>
    internal sealed class PlanVolumeTypePrice
    {
        public PlanVolumeTypePrice(string name, decimal price, int line, int column)
        {
            Name = name;
            Price = price;
            Line = line;
            Column = column;
        }

        public string Name { get; }

        public decimal Price { get; }

        public int Line { get; }

        public int Column { get; }
    }

    /// <summary>
    /// A monthly price for the allocated quota of one resource: <see cref="Price"/> per
    /// <see cref="Per"/> units of quota above <see cref="Included"/>. A tenant with a quota Q pays
    /// ceil((Q - Included) / Per) units (0 when Q is at or below Included), prorated by day like the
    /// monthly fee (about_VdcPS_Billing).
    /// </summary>
    internal sealed class PlanAllocationPrice
    {
        public PlanAllocationPrice(string service, string resource, string quotaUnit, long included, long per, decimal price, string description)
        {
            Service = service;
            Resource = resource;
            QuotaUnit = quotaUnit;
            Included = included;
            Per = per;
            Price = price;
            Description = description;
        }

        /// <summary>compute, block-storage or network: the service of the plan's quota.</summary>
        public string Service { get; }

        /// <summary>The quota key (cores, ram, gigabytes).</summary>
        public string Resource { get; }

        /// <summary>count, MB, GB: the unit of the quota (and of Included and Per).</summary>
        public string QuotaUnit { get; }

        /// <summary>The quota included in the monthly fee (in the quota's unit).</summary>
        public long Included { get; }

        /// <summary>The size of one priced unit, in the quota's unit (1 core, 1024 MB, 100 GB).</summary>
        public long Per { get; }

        /// <summary>Monthly price of one unit in the plan's currency.</summary>
        public decimal Price { get; }

        /// <summary>What the customer reads on the invoice ("Cores above 4").</summary>
        public string Description { get; }

        /// <summary>"compute.cores".</summary>
        public string QuotaName => Service + "." + Resource;

        /// <summary>The priced units of a quota value: ceil((quota - Included) / Per), 0 at or below Included.</summary>
        public long UnitsFor(long quota) => quota <= Included ? 0 : ((quota - Included) + Per - 1) / Per;

        /// <summary>"cores above 4", "ram above 8192 MB per 1024 MB", "gigabytes above 200 GB per 100 GB".</summary>
        public static string DefaultDescription(string resource, string quotaUnit, long included, long per)
        {
            string unit = quotaUnit == "count" ? string.Empty : " " + quotaUnit;
            string step = per == 1 ? string.Empty : $" per {per.ToString(CultureInfo.InvariantCulture)}{unit}";
            return $"{resource} above {included.ToString(CultureInfo.InvariantCulture)}{unit}{step}";
        }

        public override string ToString()
            => $"{QuotaName} above {Included.ToString(CultureInfo.InvariantCulture)}: {Price.ToString(CultureInfo.InvariantCulture)} per {Per.ToString(CultureInfo.InvariantCulture)}{(QuotaUnit == "count" ? string.Empty : " " + QuotaUnit)}";
    }

    /// <summary>An amount of a rate unit included per month (720 instance-hours): pay-per-use is charged only beyond it.</summary>
    internal sealed class PlanIncludedUsage
    {
        public PlanIncludedUsage(string unit, decimal amount)
        {
            Unit = unit;
            Amount = amount;
        }

        /// <summary>A rate unit (instance-hour).</summary>
        public string Unit { get; }

        /// <summary>Included per calendar month, prorated by counted days.</summary>
        public decimal Amount { get; }

        public override string ToString() => $"{Unit}={Amount.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A professional service bundled with a plan (onboarding workshop, architecture review...).</summary>
    internal sealed class PlanProfessionalService
    {
        public PlanProfessionalService(string name, decimal amount, decimal hours, string description)
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
            IReadOnlyList<PlanProfessionalService> professionalServices,
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

        public IReadOnlyList<PlanProfessionalService> ProfessionalServices { get; }

        public IReadOnlyList<PlanRate> Rates { get; }

        /// <summary>In catalog order: compute, then block-storage, then network as written.</summary>
        public IReadOnlyList<PlanQuota> Quotas { get; }

        /// <summary>Monthly prices for allocated quota above an included amount, in catalog order.</summary>
        public IReadOnlyList<PlanAllocationPrice> Allocations { get; internal set; } = Array.Empty<PlanAllocationPrice>();

        /// <summary>Usage included per month, per rate unit, in catalog order.</summary>
        public IReadOnlyList<PlanIncludedUsage> IncludedUsage { get; internal set; } = Array.Empty<PlanIncludedUsage>();

        /// <summary>The network, router and default-group rules a new tenant gets; null for none.</summary>
        public PlanStarterNetwork? StarterNetwork { get; internal set; }

        public string SourceFile { get; }

        public int Line { get; }

        public PlanQuota? FindQuota(string service, string resource)
            => Quotas.FirstOrDefault(q => string.Equals(q.Service, service, StringComparison.OrdinalIgnoreCase)
                                          && string.Equals(q.Resource, resource, StringComparison.OrdinalIgnoreCase));

        public PlanRate? FindRate(string unit)
            => Rates.FirstOrDefault(r => string.Equals(r.Unit, unit, StringComparison.OrdinalIgnoreCase));

        public PlanAllocationPrice? FindAllocation(string service, string resource)
            => Allocations.FirstOrDefault(a => string.Equals(a.Service, service, StringComparison.OrdinalIgnoreCase)
                                               && string.Equals(a.Resource, resource, StringComparison.OrdinalIgnoreCase));

        /// <summary>The amount of <paramref name="unit"/> included per month (0 when none).</summary>
        public decimal IncludedPerMonth(string unit)
            => IncludedUsage.FirstOrDefault(u => string.Equals(u.Unit, unit, StringComparison.OrdinalIgnoreCase))?.Amount ?? 0m;

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
            AllocationPrices = string.Join("; ", Allocations.Select(a => a.ToString())),
            IncludedUsage = string.Join("; ", IncludedUsage.Select(u => u.ToString())),
            StarterNetwork = StarterNetwork?.ToString() ?? string.Empty,
            QuotaCount = Quotas.Count,
            CatalogPath = SourceFile,
            Line = Line,
        };

        internal IEnumerable<VdcPlanQuota> ToQuotaModels() => Quotas.Select(q => (Quota: q, Price: FindAllocation(q.Service, q.Resource))).Select(x => new VdcPlanQuota
        {
            Plan = Name,
            Service = x.Quota.Service,
            Resource = x.Quota.Resource,
            Unit = x.Quota.Unit,
            Default = x.Quota.Default,
            Min = x.Quota.Min,
            Max = x.Quota.Max,
            DefaultIsUnlimited = x.Quota.Default == PlanQuota.Unlimited,
            MaxIsUnlimited = x.Quota.Max == PlanQuota.Unlimited,
            Description = x.Quota.Description,
            AllocationIncluded = x.Price?.Included,
            AllocationPer = x.Price?.Per,
            AllocationPrice = x.Price?.Price,
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
