using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Billing
{
    /// <summary>Reports a rating issue; the once-key keeps repeated issues to one.</summary>
    internal delegate void ReportIssue(RatingIssueSeverity severity, string id, string target, string message, string? onceKey = null);

    /// <summary>The included amount of a usage row: the exact sum rounded to 6 decimals, and how it was made.</summary>
    internal readonly struct IncludedAllowance
    {
        public static readonly IncludedAllowance None = new IncludedAllowance(0m, string.Empty);

        public IncludedAllowance(decimal amount, string explanation)
        {
            Amount = amount;
            Explanation = explanation;
        }

        public decimal Amount { get; }

        /// <summary>"720 a month for 15 of 31 days of 2026-10 on VDC Flex; ...".</summary>
        public string Explanation { get; }
    }

    /// <summary>
    /// The capacity part of the rating (documented in about_VdcPS_Billing):
    /// <list type="bullet">
    /// <item>Allocation: per calendar month, each day that counts for the monthly fee (active at any
    /// time in it) is charged for every allocation price of the plan in force at the tenant's last
    /// active moment of that day, at the quota recorded in force at that moment: units =
    /// ceil((quota - included) / per). One line per month, plan, resource and number of units:
    /// round(price x units x days / days of the month).</item>
    /// <item>Included usage: a usage row's allowance is the sum, over the days of the row that count
    /// for the monthly fee, of the included amount of that day's plan / days of that day's month,
    /// rounded once to 6 decimals; only the usage beyond it is charged.</item>
    /// </list>
    /// </summary>
    internal static class CapacityRating
    {
        private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

        /// <summary>
        /// The days of [rowStart, rowEnd) that count for the monthly fee, each with the plan in force at the tenant's
        /// last active moment of that day (null when that plan is not in the catalog). The same for every unit of a
        /// tenant's row period: <see cref="RatingEngine"/> works it out once per tenant and period.
        /// </summary>
        public static List<(DateTime Day, PlanDefinition? Plan)> CountedDays(
            TenantTimeline tenant, DateTime rowStart, DateTime rowEnd, string target, Func<string, string, PlanDefinition?> plan)
        {
            var days = new List<(DateTime Day, PlanDefinition? Plan)>();
            for (DateTime day = RatingEngine.CeilingToDay(rowStart); day < rowEnd; day = day.Add(OneDay))
            {
                DateTime? lastActive = RatingEngine.LastActiveInstant(tenant, day, day.Add(OneDay));
                if (lastActive != null)
                {
                    days.Add((day, plan(tenant.PlanAt(lastActive.Value), target)));
                }
            }

            return days;
        }

        /// <summary>The allowance of <paramref name="unit"/> for a usage row over its <see cref="CountedDays"/>.</summary>
        public static IncludedAllowance Allowance(IReadOnlyList<(DateTime Day, PlanDefinition? Plan)> countedDays, string unit)
        {
            // (month, plan) -> counted days, in order of appearance
            var parts = new List<(DateTime Month, PlanDefinition Plan, int Days)>();
            decimal sum = 0m;
            foreach ((DateTime day, PlanDefinition? definition) in countedDays)
            {
                decimal perMonth = definition?.IncludedPerMonth(unit) ?? 0m;
                if (definition == null || perMonth == 0m)
                {
                    continue;
                }

                DateTime month = new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                sum += perMonth / DateTime.DaysInMonth(day.Year, day.Month);
                int i = parts.FindIndex(p => p.Month == month && ReferenceEquals(p.Plan, definition));
                if (i < 0)
                {
                    parts.Add((month, definition, 1));
                }
                else
                {
                    parts[i] = (month, definition, parts[i].Days + 1);
                }
            }

            if (parts.Count == 0)
            {
                return IncludedAllowance.None;
            }

            decimal amount = Math.Round(sum, 6, MidpointRounding.AwayFromZero);
            string explanation = string.Join("; ", parts.Select(p => string.Format(CultureInfo.InvariantCulture,
                "{0} a month for {1} of {2} days of {3:yyyy-MM} on {4}",
                RatingEngine.Qty(p.Plan.IncludedPerMonth(unit)), p.Days, DateTime.DaysInMonth(p.Month.Year, p.Month.Month), p.Month, p.Plan.DisplayName)));
            return new IncludedAllowance(amount, explanation);
        }

        /// <summary>One line per month, plan, priced resource and number of units.</summary>
        public static void RateAllocations(
            TenantTimeline tenant, DateTime start, DateTime end, string target,
            Func<string, string, PlanDefinition?> plan, ReportIssue report, List<(VdcChargeLine, RatingEngine.SortKey)> lines)
        {
            if (tenant.Intervals.Count == 0)
            {
                return;
            }

            DateTime firstDay = RatingEngine.CeilingToDay(start);
            for (DateTime month = new DateTime(firstDay.Year, firstDay.Month, 1, 0, 0, 0, DateTimeKind.Utc); month < end; month = month.AddMonths(1))
            {
                int daysInMonth = DateTime.DaysInMonth(month.Year, month.Month);
                DateTime monthEnd = month.AddMonths(1);
                var groups = new Dictionary<(PlanDefinition Plan, int Index, long Units), Group>();
                var order = new List<(PlanDefinition Plan, int Index, long Units)>();
                for (DateTime day = month; day < monthEnd; day = day.Add(OneDay))
                {
                    if (day < start || day >= end)
                    {
                        continue;
                    }

                    DateTime? lastActive = RatingEngine.LastActiveInstant(tenant, day, day.Add(OneDay));
                    if (lastActive == null)
                    {
                        continue;
                    }

                    string planName = tenant.PlanAt(lastActive.Value);
                    PlanDefinition? definition = plan(planName, target);
                    if (definition == null || definition.Allocations.Count == 0)
                    {
                        continue;
                    }

                    for (int i = 0; i < definition.Allocations.Count; i++)
                    {
                        PlanAllocationPrice price = definition.Allocations[i];
                        (long? recorded, QuotaRecord? entry) = tenant.QuotaAt(lastActive.Value, price.QuotaName);
                        long quota;
                        if (recorded.HasValue)
                        {
                            quota = recorded.Value;
                        }
                        else
                        {
                            quota = definition.FindQuota(price.Service, price.Resource)?.Default ?? price.Included;
                            report(RatingIssueSeverity.Warning, RatingEngine.QuotaHistoryMissing, target,
                                $"Tenant '{target}' has no recorded {price.QuotaName} quota in force on {RatingEngine.Iso(day)} (its quota history {(tenant.Quotas.Count == 0 ? "is empty" : "starts " + RatingEngine.Iso(tenant.Quotas[0].At))}): the allocation is charged at the plan's default {quota.ToString(CultureInfo.InvariantCulture)} for such days. Check the quota with Get-VdcQuota.",
                                target + "\u0001" + price.QuotaName);
                        }

                        if (quota == PlanQuota.Unlimited)
                        {
                            report(RatingIssueSeverity.Error, RatingEngine.AllocationUnlimited, target,
                                $"Tenant '{target}' has an unlimited {price.QuotaName} quota on {RatingEngine.Iso(day)} (recorded {(entry == null ? "nowhere" : RatingEngine.Iso(entry.At) + " by " + entry.Source)}), which plan '{definition.Name}' cannot price: that allocation is not charged for such days. Set the quota within the plan with Set-VdcQuota.",
                                target + "\u0001" + price.QuotaName + "\u0001unlimited");
                            continue;
                        }

                        long units = price.UnitsFor(quota);
                        if (units == 0 || price.Price == 0)
                        {
                            continue;
                        }

                        var key = (definition, i, units);
                        if (!groups.TryGetValue(key, out Group? group))
                        {
                            groups[key] = group = new Group();
                            order.Add(key);
                        }

                        group.Days.Add(day);
                        if (!group.Quotas.Contains(quota))
                        {
                            group.Quotas.Add(quota);
                        }

                        string source = entry == null ? "plan default, not recorded" : $"recorded {RatingEngine.Iso(entry.At)} by {entry.Source}";
                        if (!group.Sources.Contains(source))
                        {
                            group.Sources.Add(source);
                        }
                    }
                }

                foreach (var key in order)
                {
                    Group group = groups[key];
                    PlanAllocationPrice price = key.Plan.Allocations[key.Index];
                    string currency = key.Plan.Currency;
                    decimal amount = price.Price * key.Units * group.Days.Count / daysInMonth;
                    string description = string.Format(CultureInfo.InvariantCulture,
                        "{0}: {1} \u00d7 {2} for {3} of {4} days ({5:yyyy-MM}: {6}; quota {7})",
                        Capitalize(price.Description), key.Units, Money.Format(Money.WithScale(price.Price, Money.MinorUnits(currency))),
                        group.Days.Count, daysInMonth, month, RatingEngine.Ranges(group.Days),
                        string.Join(", ", group.Quotas.Select(q => q.ToString(CultureInfo.InvariantCulture))));
                    report(RatingIssueSeverity.Verbose, RatingEngine.AllocationUsed, target,
                        $"Tenant '{target}' {month:yyyy-MM} {price.QuotaName}: quota {string.Join(", ", group.Quotas)} ({string.Join("; ", group.Sources)}) on {RatingEngine.Ranges(group.Days)}: {key.Units} unit(s) above {price.Included}.");
                    lines.Add((new VdcChargeLine
                    {
                        CustomerId = tenant.CustomerId,
                        TenantId = tenant.TenantId,
                        TenantName = tenant.TenantName,
                        Plan = key.Plan.Name,
                        PeriodStart = start,
                        PeriodEnd = end,
                        ServicePeriodStart = RatingEngine.MonthService(month, start, end).Start,
                        ServicePeriodEnd = RatingEngine.MonthService(month, start, end).End,
                        ChargeType = VdcChargeType.Allocation,
                        Description = description,
                        Quantity = group.Days.Count,
                        Unit = RatingEngine.DayUnit,
                        UnitPrice = Money.Price(price.Price * key.Units / daysInMonth, currency),
                        Amount = Money.Round(amount, currency),
                        Currency = currency,
                        Source = "vdcps",
                    }, new RatingEngine.SortKey(group.Days[0], key.Index.ToString("D4", CultureInfo.InvariantCulture), (int)Math.Min(key.Units, int.MaxValue))));
                }
            }
        }

        private static string Capitalize(string text)
            => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private sealed class Group
        {
            public List<DateTime> Days { get; } = new List<DateTime>();

            public List<long> Quotas { get; } = new List<long>();

            public List<string> Sources { get; } = new List<string>();
        }
    }
}
