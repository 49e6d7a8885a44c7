using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Models;
using VdcPS.Openstack.Rating;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Billing
{
    /// <summary>Turns CloudKitty's rated totals into charge lines of the same shape as the rating's (no I/O).</summary>
    internal static class CloudKittyCharges
    {
        /// <summary>CloudKitty metric types (the usual metrics.yml names) and the plan catalog's rate unit for each.</summary>
        public static readonly IReadOnlyDictionary<string, string> DefaultUnits = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["instance"] = "instance-hour",
            ["cpu"] = "instance-hour",
            ["vcpus"] = "vcpu-hour",
            ["memory"] = "ram-gb-hour",
            ["volume.size"] = "volume-gb-hour",
            ["image.size"] = "image-gb-hour",
            ["ip.floating"] = "floating-ip-hour",
            ["network.outgoing.bytes"] = "network-egress-gb",
        };

        public const string CurrencyUnknown = nameof(CurrencyUnknown);

        /// <summary>Significant digits kept of CloudKitty's floating-point numbers.</summary>
        public const int SignificantDigits = 12;

        /// <summary>
        /// A CloudKitty number without its binary floating-point noise: rounded to 12 significant
        /// digits. CloudKitty adds up prices as doubles, so 18 hours x 0.0125 comes back as
        /// 0.22499999999999998 and would round to 0.22 instead of 0.23; the noise of such sums is
        /// far below the 12th digit, and no real price or quantity needs more digits.
        /// </summary>
        public static decimal Denoise(decimal value)
        {
            if (value == 0)
            {
                return 0m;
            }

            double magnitude = Math.Floor(Math.Log10((double)Math.Abs(value)));
            int decimals = SignificantDigits - 1 - (int)magnitude;
            return Math.Round(value, Math.Max(0, Math.Min(28, decimals)), MidpointRounding.AwayFromZero);
        }

        /// <summary>
        /// One PayPerUse line per project and type: Quantity = CloudKitty's quantity (1 when the API
        /// gives none), Amount = CloudKitty's price (without float noise, see <see cref="Denoise"/>)
        /// rounded half away from zero to the currency's minor unit, UnitPrice = price / quantity
        /// (8 decimals, for information).
        /// </summary>
        public static (List<VdcChargeLine> Lines, List<RatingIssue> Issues) ToLines(
            IEnumerable<RatedTotal> totals,
            DateTime start,
            DateTime end,
            Func<string, TenantLabel?> project,
            string? currency,
            Func<string, PlanDefinition?> findPlan,
            IReadOnlyDictionary<string, string> units)
        {
            var lines = new List<VdcChargeLine>();
            var issues = new List<RatingIssue>();
            var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (RatedTotal total in totals)
            {
                TenantLabel? info = project(total.ProjectId);
                string target = string.IsNullOrEmpty(info?.Name) ? total.ProjectId : info!.Name;
                PlanDefinition? plan = string.IsNullOrEmpty(info?.Plan) ? null : findPlan(info!.Plan);
                string? code = currency ?? plan?.Currency;
                if (code == null)
                {
                    if (reported.Add(total.ProjectId))
                    {
                        issues.Add(new RatingIssue(RatingIssueSeverity.Error, CurrencyUnknown, target,
                            $"The currency of project '{target}' is unknown (it is not a VdcPS tenant whose plan is in the catalog): its CloudKitty charges are not returned. Give -Currency."));
                    }

                    continue;
                }

                decimal quantity = total.Quantity.HasValue ? Money.Normalize(Denoise(total.Quantity.Value)) : 1m;
                decimal price = Denoise(total.Price);
                decimal unitPrice = quantity == 0 ? 0m : Money.Normalize(Math.Round(price / quantity, 8, MidpointRounding.AwayFromZero));
                string unit = units.TryGetValue(total.Type, out string? mapped) ? mapped : total.Type;
                lines.Add(new VdcChargeLine
                {
                    CustomerId = info?.CustomerId ?? string.Empty,
                    TenantId = total.ProjectId,
                    TenantName = info?.Name ?? string.Empty,
                    Plan = plan?.Name ?? info?.Plan ?? string.Empty,
                    PeriodStart = start,
                    PeriodEnd = end,
                    ServicePeriodStart = start,
                    ServicePeriodEnd = end,
                    ChargeType = VdcChargeType.PayPerUse,
                    Description = $"{unit}: CloudKitty rating of '{total.Type}'" + (total.Quantity.HasValue ? string.Empty : " (total only: CloudKitty's v1 API gives no quantity)"),
                    Quantity = quantity,
                    Unit = unit,
                    UnitPrice = unitPrice,
                    Amount = Money.Round(price, code),
                    Currency = code,
                    Source = "cloudkitty",
                });
            }

            List<VdcChargeLine> ordered = lines
                .OrderBy(l => l.CustomerId, StringComparer.Ordinal)
                .ThenBy(l => l.TenantName, StringComparer.Ordinal)
                .ThenBy(l => l.TenantId, StringComparer.Ordinal)
                .ThenBy(l => l.Unit, StringComparer.Ordinal)
                .ThenBy(l => l.Description, StringComparer.Ordinal)
                .ToList();
            return (ordered, issues);
        }
    }
}
