using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Models;
using VdcPS.Plans;

namespace VdcPS.Billing
{
    /// <summary>What to rate: a period, the tenants' timelines, their usage, and the plan catalog.</summary>
    internal sealed class RatingRequest
    {
        /// <summary>UTC, inclusive. A day belongs to the period when its midnight (UTC) is in [Start, End).</summary>
        public DateTime Start { get; set; }

        /// <summary>UTC, exclusive.</summary>
        public DateTime End { get; set; }

        /// <summary>Every tenant whose fees are rated (usage rows of other tenants are rated without fees).</summary>
        public IReadOnlyList<TenantTimeline> Tenants { get; set; } = Array.Empty<TenantTimeline>();

        /// <summary>Usage rows; per-server rows (IsDetail) are ignored, the tenant totals are rated.</summary>
        public IReadOnlyList<VdcUsageRecord> Usage { get; set; } = Array.Empty<VdcUsageRecord>();

        /// <summary>The plan of a name (case-insensitive), or null.</summary>
        public Func<string, PlanDefinition?> FindPlan { get; set; } = _ => null;
    }

    internal enum RatingIssueSeverity
    {
        Verbose,
        Warning,
        Error,
    }

    /// <summary>Something the rating noticed: an error (a line could not be made), a warning, or a note.</summary>
    internal sealed class RatingIssue
    {
        public RatingIssue(RatingIssueSeverity severity, string id, string target, string message)
        {
            Severity = severity;
            Id = id;
            Target = target;
            Message = message;
        }

        public RatingIssueSeverity Severity { get; }

        /// <summary>Stable id (PlanNotFound, UsageDuplicate, ...).</summary>
        public string Id { get; }

        /// <summary>The tenant (name or id) the issue is about.</summary>
        public string Target { get; }

        public string Message { get; }

        public override string ToString() => $"{Severity} {Id} {Target}: {Message}";
    }

    internal sealed class RatingResult
    {
        public RatingResult(IReadOnlyList<VdcChargeLine> lines, IReadOnlyList<RatingIssue> issues, int ratedRows, SkipCounter? skipped = null)
        {
            Lines = lines;
            Issues = issues;
            RatedRows = ratedRows;
            Skipped = skipped ?? new SkipCounter();
        }

        /// <summary>In invoice order: customer, tenant, charge type, then time.</summary>
        public IReadOnlyList<VdcChargeLine> Lines { get; }

        public IReadOnlyList<RatingIssue> Issues { get; }

        /// <summary>Usage rows that became a pay-per-use line.</summary>
        public int RatedRows { get; }

        /// <summary>Usage rows that were not rated, by reason (<see cref="RatingEngine.SkipDetail"/>, ...).</summary>
        public SkipCounter Skipped { get; }
    }

    /// <summary>
    /// Counts the input rows that were skipped, by reason, for the warning at the end of a rating
    /// ("UsageSkipped: 12 of 40 usage rows skipped: 12 per-server rows (IsDetail)").
    /// </summary>
    internal sealed class SkipCounter
    {
        /// <summary>The reasons in the order the warning lists them, with their wording.</summary>
        private static readonly (string Reason, string Text)[] Reasons =
        {
            (RatingEngine.SkipUnreadable, "unreadable (InputValueInvalid, InputValueAmbiguous, InputValueMissing)"),
            (RatingEngine.SkipTenantUnreadable, "of tenants whose record cannot be read (TenantHistoryInvalid, InputValue...)"),
            (RatingEngine.SkipDetail, "per-server rows (IsDetail)"),
            (RatingEngine.SkipOutside, "outside the period (UsageOutsidePeriod)"),
            (RatingEngine.SkipDuplicate, "duplicate totals (UsageDuplicate)"),
            (RatingEngine.SkipUnmanaged, "of projects VdcPS does not manage (UsageTenantUnknown)"),
            (RatingEngine.SkipPlan, "with a plan not in the catalog (PlanNotFound)"),
        };

        private readonly Dictionary<string, int> _counts = new Dictionary<string, int>(StringComparer.Ordinal);

        public void Add(string reason, int count = 1)
        {
            if (count > 0)
            {
                _counts[reason] = Count(reason) + count;
            }
        }

        public int Count(string reason) => _counts.TryGetValue(reason, out int n) ? n : 0;

        public int Total => _counts.Values.Sum();

        /// <summary>"12 of 40 usage rows skipped: 10 per-server rows (IsDetail), 2 duplicate totals (UsageDuplicate)." or null when none was.</summary>
        public string? Describe(int rows)
        {
            if (Total == 0)
            {
                return null;
            }

            IEnumerable<string> parts = Reasons.Where(r => Count(r.Reason) > 0)
                .Select(r => string.Format(CultureInfo.InvariantCulture, "{0} {1}", Count(r.Reason), r.Text));
            return string.Format(CultureInfo.InvariantCulture, "{0} of {1} usage {2} skipped: {3}.",
                Total, rows, rows == 1 ? "row" : "rows", string.Join(", ", parts));
        }
    }

    /// <summary>
    /// Turns usage and tenant timelines into invoice lines, with no I/O. The rules (documented for
    /// users in about_VdcPS_Billing):
    /// <list type="bullet">
    /// <item>Monthly fee: per calendar month (UTC), a day counts when the tenant was active at any
    /// time in it; each counted day goes to the plan in force at the tenant's last active moment of
    /// that day; one line per plan and month: fee x counted days / days of the month.</item>
    /// <item>Setup fee and the plan's bundled professional services: once per activation, in the
    /// period that holds the activation day, at the plan of the activation.</item>
    /// <item>Pay-per-use: each usage total whose unit the plan prices, at the plan in force at the
    /// end of the usage row's period: quantity x price. Suspension does not stop it.</item>
    /// <item>Every line's amount is rounded half away from zero to the currency's minor unit;
    /// totals are sums of rounded lines. Lines of a zero amount from a zero price are not written.</item>
    /// </list>
    /// </summary>
    internal static class RatingEngine
    {
        public const string PlanNotFound = nameof(PlanNotFound);
        public const string UsageOutsidePeriod = nameof(UsageOutsidePeriod);
        public const string UsageDuplicate = nameof(UsageDuplicate);
        public const string UsageTenantUnknown = nameof(UsageTenantUnknown);
        public const string UsageNotPriced = nameof(UsageNotPriced);
        public const string UsageDetailIgnored = nameof(UsageDetailIgnored);
        public const string UsageIncluded = nameof(UsageIncluded);
        public const string QuotaHistoryMissing = nameof(QuotaHistoryMissing);
        public const string AllocationUnlimited = nameof(AllocationUnlimited);
        public const string AllocationUsed = nameof(AllocationUsed);

        /// <summary>The warning at the end of a rating that counts the skipped input rows by reason.</summary>
        public const string UsageSkipped = nameof(UsageSkipped);

        // reasons a usage row is skipped (SkipCounter)
        public const string SkipUnreadable = "unreadable";
        public const string SkipTenantUnreadable = "tenant-unreadable";
        public const string SkipDetail = "detail";
        public const string SkipOutside = "outside";
        public const string SkipDuplicate = "duplicate";
        public const string SkipUnmanaged = "unmanaged";
        public const string SkipPlan = "plan";

        public const string DayUnit = "day";
        public const string EachUnit = "each";

        private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

        public static RatingResult Rate(RatingRequest request)
        {
            DateTime start = TenantTimeline.Utc(request.Start);
            DateTime end = TenantTimeline.Utc(request.End);
            if (end <= start)
            {
                throw new ArgumentException($"The period end ({Iso(end)}) must be after its start ({Iso(start)}).");
            }

            var issues = new List<RatingIssue>();
            var reported = new HashSet<string>(StringComparer.Ordinal);
            void Report(RatingIssueSeverity severity, string id, string target, string message, string? onceKey = null)
            {
                if (onceKey == null || reported.Add(id + "\u0001" + onceKey))
                {
                    issues.Add(new RatingIssue(severity, id, target, message));
                }
            }

            PlanDefinition? Plan(string name, string target)
            {
                PlanDefinition? plan = string.IsNullOrEmpty(name) ? null : request.FindPlan(name);
                if (plan == null)
                {
                    Report(RatingIssueSeverity.Error, PlanNotFound, target,
                        string.IsNullOrEmpty(name)
                            ? $"Tenant '{target}' has no plan: its charges cannot be rated."
                            : $"The plan '{name}' of tenant '{target}' is not in the plan catalog: its charges for that plan are not rated.",
                        target + "\u0001" + name);
                }

                return plan;
            }

            var lines = new List<(VdcChargeLine Line, SortKey Key)>();
            var byId = new Dictionary<string, TenantTimeline>(StringComparer.OrdinalIgnoreCase);
            foreach (TenantTimeline tenant in request.Tenants)
            {
                if (!byId.ContainsKey(tenant.TenantId))
                {
                    byId[tenant.TenantId] = tenant;
                }
            }

            // ---- fees: monthly (prorated by days), setup and bundled services (at activation)
            foreach (TenantTimeline tenant in byId.Values)
            {
                string target = Label(tenant.TenantName, tenant.TenantId);
                RateMonthlyFees(tenant, start, end, target, Plan, lines);
                RateActivations(tenant, start, end, target, Plan, lines);
                CapacityRating.RateAllocations(tenant, start, end, target, Plan, Report, lines);
            }

            // ---- pay-per-use
            // the counted days of a tenant's row period, with their plans: the same for each of its units
            var countedDays = new Dictionary<(TenantTimeline, DateTime, DateTime), List<(DateTime Day, PlanDefinition? Plan)>>();
            List<(DateTime Day, PlanDefinition? Plan)> CountedDays(TenantTimeline tenant, DateTime rowStart, DateTime rowEnd, string target)
            {
                if (!countedDays.TryGetValue((tenant, rowStart, rowEnd), out List<(DateTime Day, PlanDefinition? Plan)>? days))
                {
                    countedDays[(tenant, rowStart, rowEnd)] = days = CapacityRating.CountedDays(tenant, rowStart, rowEnd, target, Plan);
                }

                return days;
            }

            int rated = 0;
            var skipped = new SkipCounter();
            var candidates = new List<(VdcUsageRecord Row, DateTime Start, DateTime End, TenantTimeline? Tenant, string Target)>();
            foreach (VdcUsageRecord row in request.Usage)
            {
                if (row == null)
                {
                    continue;
                }

                if (row.IsDetail)
                {
                    skipped.Add(SkipDetail);
                    continue;
                }

                DateTime rowStart = TenantTimeline.Utc(row.PeriodStart);
                DateTime rowEnd = TenantTimeline.Utc(row.PeriodEnd);
                byId.TryGetValue(row.TenantId ?? string.Empty, out TenantTimeline? tenant);
                string target = Label(tenant?.TenantName ?? row.TenantName, row.TenantId ?? string.Empty);
                if (rowStart < start || rowEnd > end || rowEnd <= rowStart)
                {
                    Report(RatingIssueSeverity.Warning, UsageOutsidePeriod, target,
                        $"Usage of tenant '{target}' for {row.Resource} from {Iso(rowStart)} to {Iso(rowEnd)} is not inside the period {Iso(start)} to {Iso(end)}: it is not rated.");
                    skipped.Add(SkipOutside);
                    continue;
                }

                candidates.Add((row, rowStart, rowEnd, tenant, target));
            }

            // Two or more totals for the same tenant, resource and period: the result must not depend
            // on their order. Equal quantities are one measurement seen twice: charged once. Different
            // quantities cannot both be right, and picking one would be a guess: none is charged.
            // volume-gb-hour comes as one row per volume type: the type is part of the key.
            var groups = new Dictionary<(string, string, string, DateTime, DateTime), List<int>>();
            var groupOrder = new List<(string, string, string, DateTime, DateTime)>();
            for (int i = 0; i < candidates.Count; i++)
            {
                var c = candidates[i];
                var key = ((c.Row.TenantId ?? string.Empty).ToLowerInvariant(), (c.Row.Resource ?? string.Empty).ToLowerInvariant(), VolumeTypeKey(c.Row), c.Start, c.End);
                if (!groups.TryGetValue(key, out List<int>? members))
                {
                    groups[key] = members = new List<int>();
                    groupOrder.Add(key);
                }

                members.Add(i);
            }

            var chosen = new List<int>();
            foreach (var key in groupOrder)
            {
                List<int> members = groups[key];
                if (members.Count == 1)
                {
                    chosen.Add(members[0]);
                    continue;
                }

                // a deterministic order of the rows of the group, whatever the input order
                List<int> sorted = members
                    .OrderBy(i => candidates[i].Row.Quantity)
                    .ThenBy(i => candidates[i].Row.Quantity.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal)
                    .ThenBy(i => candidates[i].Row.Source ?? string.Empty, StringComparer.Ordinal)
                    .ThenBy(i => candidates[i].Row.Plan ?? string.Empty, StringComparer.Ordinal)
                    .ThenBy(i => candidates[i].Row.CustomerId ?? string.Empty, StringComparer.Ordinal)
                    .ThenBy(i => candidates[i].Row.TenantName ?? string.Empty, StringComparer.Ordinal)
                    .ThenBy(i => candidates[i].Row.Resource ?? string.Empty, StringComparer.Ordinal)
                    .ThenBy(i => candidates[i].Row.TenantId ?? string.Empty, StringComparer.Ordinal)
                    .ToList();
                var first = candidates[sorted[0]];
                string figures = string.Join(", ", sorted.Select(i => $"{candidates[i].Row.Quantity.ToString(CultureInfo.InvariantCulture)} ({(string.IsNullOrEmpty(candidates[i].Row.Source) ? "no source" : candidates[i].Row.Source)})"));
                bool equal = sorted.All(i => candidates[i].Row.Quantity == first.Row.Quantity);
                if (equal)
                {
                    chosen.Add(sorted[0]);
                    skipped.Add(SkipDuplicate, members.Count - 1);
                    Report(RatingIssueSeverity.Error, UsageDuplicate, first.Target,
                        $"Tenant '{first.Target}' has {members.Count} usage totals for {first.Row.Resource}{TypeLabel(first.Row)} from {Iso(first.Start)} to {Iso(first.End)}: {figures}. They are equal: charged once, so nothing is charged twice. Rate one source.");
                }
                else
                {
                    skipped.Add(SkipDuplicate, members.Count);
                    Report(RatingIssueSeverity.Error, UsageDuplicate, first.Target,
                        $"Tenant '{first.Target}' has {members.Count} different usage totals for {first.Row.Resource}{TypeLabel(first.Row)} from {Iso(first.Start)} to {Iso(first.End)}: {figures}. None is charged: rate one source (Get-VdcUsage -Source Nova or Gnocchi), or remove the wrong rows.");
                }
            }

            chosen.Sort();

            // The quantity of each volume type per tenant, resource and row period, of the rows rated:
            // an included amount is shared by the types in name order (ordinal, lower case).
            var byType = new Dictionary<(string, string, DateTime, DateTime), SortedDictionary<string, decimal>>();
            foreach (int index in chosen)
            {
                var c = candidates[index];
                var key = ((c.Row.TenantId ?? string.Empty).ToLowerInvariant(), (c.Row.Resource ?? string.Empty).ToLowerInvariant(), c.Start, c.End);
                if (!byType.TryGetValue(key, out SortedDictionary<string, decimal>? types))
                {
                    byType[key] = types = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
                }

                types[VolumeTypeKey(c.Row)] = c.Row.Quantity;
            }

            foreach (int index in chosen)
            {
                var (row, rowStart, rowEnd, tenant, target) = candidates[index];
                string volumeType = (row.VolumeType ?? string.Empty).Trim();
                if (row.Quantity == 0)
                {
                    continue;
                }

                string planName;
                if (tenant != null)
                {
                    planName = tenant.PlanAt(rowEnd.AddTicks(-1));
                }
                else if (string.IsNullOrEmpty(row.Plan))
                {
                    // a project VdcPS does not manage (no plan anywhere): nothing to rate it with
                    Report(RatingIssueSeverity.Warning, UsageTenantUnknown, target,
                        $"Project '{target}' is not a VdcPS tenant and its usage rows name no plan: its usage is not rated (Get-VdcUsage -ManagedOnly leaves such projects out).",
                        (row.TenantId ?? string.Empty).ToLowerInvariant());
                    skipped.Add(SkipUnmanaged);
                    continue;
                }
                else
                {
                    planName = row.Plan!;
                    Report(RatingIssueSeverity.Warning, UsageTenantUnknown, target,
                        $"Tenant '{target}' is not among the tenants rated (removed, not managed by VdcPS, or not given with -Tenant): its usage is rated with plan '{planName}' from the usage rows, and no fee is charged.",
                        (row.TenantId ?? string.Empty).ToLowerInvariant());
                }

                PlanDefinition? plan = Plan(planName, target);
                if (plan == null)
                {
                    skipped.Add(SkipPlan);
                    continue;
                }

                PlanRate? rate = plan.FindRate(row.Resource ?? string.Empty);
                if (rate == null)
                {
                    Report(RatingIssueSeverity.Verbose, UsageNotPriced, target,
                        $"Plan '{plan.Name}' has no pay-per-use rate for {row.Resource}: the usage of tenant '{target}' is included in the plan.",
                        target + "\u0001" + plan.Name + "\u0001" + row.Resource);
                    continue;
                }

                // included usage: the allowance of the row's counted days (0 without a known tenant)
                IncludedAllowance allowance = tenant == null
                    ? IncludedAllowance.None
                    : CapacityRating.Allowance(CountedDays(tenant, rowStart, rowEnd, target), rate.Unit);
                if (allowance.Amount > 0 && byType.TryGetValue(((row.TenantId ?? string.Empty).ToLowerInvariant(), (row.Resource ?? string.Empty).ToLowerInvariant(), rowStart, rowEnd), out SortedDictionary<string, decimal>? shared) && shared.Count > 1)
                {
                    decimal before = shared.Where(t => string.CompareOrdinal(t.Key, VolumeTypeKey(row)) < 0).Sum(t => t.Value);
                    decimal included = Math.Max(0m, Math.Min(row.Quantity, allowance.Amount - before));
                    allowance = new IncludedAllowance(included, allowance.Explanation + (included < allowance.Amount ? ", shared by the volume types" : string.Empty));
                }

                decimal charged = row.Quantity - allowance.Amount;
                if (allowance.Amount > 0 && charged <= 0)
                {
                    Report(RatingIssueSeverity.Verbose, UsageIncluded, target,
                        $"Tenant '{target}' used {Qty(row.Quantity)} {rate.Unit} from {Iso(rowStart)} to {Iso(rowEnd)}, within the {Qty(allowance.Amount)} included ({allowance.Explanation}): nothing is charged.");
                    continue;
                }

                string description = string.IsNullOrWhiteSpace(rate.Description)
                    ? (PlanRateUnits.Find(rate.Unit)?.Description ?? rate.Unit)
                    : rate.Description;
                description = volumeType.Length > 0
                    ? $"{rate.Unit} ({volumeType}): {description}, volume type {volumeType}"
                    : $"{rate.Unit}: {description}";
                decimal price = rate.PriceFor(volumeType);
                if (rowStart != start || rowEnd != end)
                {
                    description += $" ({Iso(rowStart)} to {Iso(rowEnd)})";
                }

                if (allowance.Amount > 0)
                {
                    description += $": {Qty(row.Quantity)} used, {Qty(allowance.Amount)} included ({allowance.Explanation}), {Qty(charged)} charged";
                }

                lines.Add((new VdcChargeLine
                {
                    CustomerId = tenant?.CustomerId ?? row.CustomerId ?? string.Empty,
                    TenantId = row.TenantId ?? string.Empty,
                    TenantName = tenant?.TenantName ?? row.TenantName ?? string.Empty,
                    Plan = plan.Name,
                    PeriodStart = start,
                    PeriodEnd = end,
                    ServicePeriodStart = rowStart,
                    ServicePeriodEnd = rowEnd,
                    ChargeType = VdcChargeType.PayPerUse,
                    Description = description,
                    Quantity = charged,
                    Unit = rate.Unit,
                    UnitPrice = price,
                    Amount = Money.Round(charged * price, plan.Currency),
                    Currency = plan.Currency,
                    Source = "vdcps",
                }, new SortKey(rowStart, rate.Unit + "\u0001" + volumeType.ToLowerInvariant(), 0)));
                rated++;
            }

            if (skipped.Count(SkipDetail) > 0)
            {
                Report(RatingIssueSeverity.Verbose, UsageDetailIgnored, string.Empty,
                    $"{skipped.Count(SkipDetail)} per-server usage rows (IsDetail) were ignored: the tenant totals are rated.");
            }

            List<VdcChargeLine> ordered = lines
                .OrderBy(l => l.Line.CustomerId, StringComparer.Ordinal)
                .ThenBy(l => l.Line.TenantName, StringComparer.Ordinal)
                .ThenBy(l => l.Line.TenantId, StringComparer.Ordinal)
                .ThenBy(l => l.Line.PeriodStart)
                .ThenBy(l => TypeRank(l.Line.ChargeType))
                .ThenBy(l => l.Key.At)
                .ThenBy(l => l.Key.Text, StringComparer.Ordinal)
                .ThenBy(l => l.Key.Index)
                .ThenBy(l => l.Line.Description, StringComparer.Ordinal)
                .ThenBy(l => l.Line.Quantity)
                .ThenBy(l => l.Line.Amount)
                .Select(l => l.Line)
                .ToList();
            return new RatingResult(ordered, issues, rated, skipped);
        }

        /// <summary>Invoice order of the charge types: monthly fee, allocation, setup fee, services, pay-per-use.</summary>
        internal static int TypeRank(VdcChargeType type) => type switch
        {
            VdcChargeType.MonthlyFee => 0,
            VdcChargeType.Allocation => 1,
            VdcChargeType.SetupFee => 2,
            VdcChargeType.ProfessionalService => 3,
            VdcChargeType.PayPerUse => 4,
            _ => 5,
        };

        /// <summary>A quantity as text: invariant, without trailing zeros (1068.387097, 720).</summary>
        internal static string Qty(decimal value) => Money.Normalize(value).ToString(CultureInfo.InvariantCulture);

        /// <summary>The volume type of a usage row as the rules compare it (trimmed, lower case; '' for none).</summary>
        private static string VolumeTypeKey(VdcUsageRecord row) => (row.VolumeType ?? string.Empty).Trim().ToLowerInvariant();

        /// <summary>" (volume type fast-ssd)" for a row with a volume type, else nothing.</summary>
        private static string TypeLabel(VdcUsageRecord row)
            => string.IsNullOrWhiteSpace(row.VolumeType) ? string.Empty : $" (volume type {row.VolumeType!.Trim()})";

        /// <summary>Orders the lines of one charge type of one tenant: by time, then unit or plan, then catalog order.</summary>
        internal readonly struct SortKey
        {
            public SortKey(DateTime at, string text, int index)
            {
                At = at;
                Text = text;
                Index = index;
            }

            public DateTime At { get; }

            public string Text { get; }

            public int Index { get; }
        }

        private static void RateMonthlyFees(
            TenantTimeline tenant, DateTime start, DateTime end, string target,
            Func<string, string, PlanDefinition?> plan, List<(VdcChargeLine, SortKey)> lines)
        {
            if (tenant.Intervals.Count == 0)
            {
                return;
            }

            // Every calendar month that has a day (midnight UTC) in [start, end).
            DateTime firstDay = CeilingToDay(start);
            for (DateTime month = new DateTime(firstDay.Year, firstDay.Month, 1, 0, 0, 0, DateTimeKind.Utc); month < end; month = month.AddMonths(1))
            {
                int daysInMonth = DateTime.DaysInMonth(month.Year, month.Month);
                DateTime monthEnd = month.AddMonths(1);

                // plan name (as recorded) -> counted days, in the order the plans first appear
                var days = new Dictionary<string, List<DateTime>>(StringComparer.OrdinalIgnoreCase);
                var order = new List<string>();
                for (DateTime day = month; day < monthEnd; day = day.Add(OneDay))
                {
                    if (day < start || day >= end)
                    {
                        continue;
                    }

                    DateTime? lastActive = LastActiveInstant(tenant, day, day.Add(OneDay));
                    if (lastActive == null)
                    {
                        continue;
                    }

                    string planName = tenant.PlanAt(lastActive.Value);
                    if (!days.TryGetValue(planName, out List<DateTime>? list))
                    {
                        days[planName] = list = new List<DateTime>();
                        order.Add(planName);
                    }

                    list.Add(day);
                }

                foreach (string planName in order)
                {
                    PlanDefinition? definition = plan(planName, target);
                    if (definition == null || definition.MonthlyFee == 0)
                    {
                        continue;
                    }

                    List<DateTime> counted = days[planName];
                    decimal amount = definition.MonthlyFee * counted.Count / daysInMonth;
                    string description = string.Format(CultureInfo.InvariantCulture,
                        "{0} monthly fee {1:yyyy-MM}: {2} ({3} of {4} days)",
                        definition.DisplayName, month, Ranges(counted), counted.Count, daysInMonth);
                    lines.Add((new VdcChargeLine
                    {
                        CustomerId = tenant.CustomerId,
                        TenantId = tenant.TenantId,
                        TenantName = tenant.TenantName,
                        Plan = definition.Name,
                        PeriodStart = start,
                        PeriodEnd = end,
                        ServicePeriodStart = MonthService(month, start, end).Start,
                        ServicePeriodEnd = MonthService(month, start, end).End,
                        ChargeType = VdcChargeType.MonthlyFee,
                        Description = description,
                        Quantity = counted.Count,
                        Unit = DayUnit,
                        UnitPrice = Money.Price(definition.MonthlyFee / daysInMonth, definition.Currency),
                        Amount = Money.Round(amount, definition.Currency),
                        Currency = definition.Currency,
                        Source = "vdcps",
                    }, new SortKey(counted[0], string.Empty, 0)));
                }
            }
        }

        private static void RateActivations(
            TenantTimeline tenant, DateTime start, DateTime end, string target,
            Func<string, string, PlanDefinition?> plan, List<(VdcChargeLine, SortKey)> lines)
        {
            foreach (Tenants.TenantEvent activation in tenant.Activations)
            {
                DateTime day = activation.At.Date;
                if (day < start || day >= end)
                {
                    continue;
                }

                PlanDefinition? definition = plan(string.IsNullOrEmpty(activation.Plan) ? tenant.PlanAt(activation.At) : activation.Plan, target);
                if (definition == null)
                {
                    continue;
                }

                VdcChargeLine Line(VdcChargeType type, string description, decimal price) => new VdcChargeLine
                {
                    CustomerId = tenant.CustomerId,
                    TenantId = tenant.TenantId,
                    TenantName = tenant.TenantName,
                    Plan = definition.Name,
                    PeriodStart = start,
                    PeriodEnd = end,
                    ServicePeriodStart = day,
                    ServicePeriodEnd = day.Add(OneDay),
                    ChargeType = type,
                    Description = description,
                    Quantity = 1,
                    Unit = EachUnit,
                    UnitPrice = price,
                    Amount = Money.Round(price, definition.Currency),
                    Currency = definition.Currency,
                    Source = "vdcps",
                };

                string activated = activation.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (definition.SetupFee != 0)
                {
                    lines.Add((Line(VdcChargeType.SetupFee, $"{definition.DisplayName} setup fee (activated {activated})", definition.SetupFee),
                        new SortKey(activation.At, string.Empty, 0)));
                }

                for (int i = 0; i < definition.ProfessionalServices.Count; i++)
                {
                    PlanProfessionalService service = definition.ProfessionalServices[i];
                    if (service.Amount == 0)
                    {
                        continue;
                    }

                    string hours = service.Hours > 0 ? service.Hours.ToString(CultureInfo.InvariantCulture) + " h, " : string.Empty;
                    lines.Add((Line(VdcChargeType.ProfessionalService, $"{service.Name} ({hours}bundled with {definition.DisplayName}, activated {activated})", service.Amount),
                        new SortKey(activation.At, string.Empty, i)));
                }
            }
        }

        /// <summary>The end of the tenant's last active moment within [dayStart, dayEnd), or null when it was not active in it.</summary>
        internal static DateTime? LastActiveInstant(TenantTimeline tenant, DateTime dayStart, DateTime dayEnd)
        {
            DateTime? last = null;
            foreach (ActiveInterval interval in tenant.Intervals)
            {
                DateTime from = interval.Start > dayStart ? interval.Start : dayStart;
                DateTime to = interval.End < dayEnd ? interval.End : dayEnd;
                DateTime? instant = null;
                if (to > from)
                {
                    // the last instant of the overlap: one tick before its (exclusive) end
                    instant = to.AddTicks(-1);
                }
                else if (interval.Start == interval.End && interval.Start >= dayStart && interval.Start < dayEnd)
                {
                    // activated (or resumed) and suspended in the same recorded second: one active moment
                    instant = interval.Start;
                }

                if (instant.HasValue && (last == null || instant.Value > last.Value))
                {
                    last = instant;
                }
            }

            return last;
        }

        /// <summary>"2026-11-01 to 2026-11-14, 2026-11-20 to 2026-11-30" (inclusive dates) for sorted days.</summary>
        internal static string Ranges(IReadOnlyList<DateTime> days)
        {
            var parts = new List<string>();
            int i = 0;
            while (i < days.Count)
            {
                int j = i;
                while (j + 1 < days.Count && days[j + 1] == days[j].Add(OneDay))
                {
                    j++;
                }

                parts.Add(i == j
                    ? days[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : days[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " to " + days[j].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                i = j + 1;
            }

            return string.Join(", ", parts);
        }

        /// <summary>
        /// The service period of a line for a calendar month (monthly fee, allocation): the month cut to
        /// the days of the period, from its first day to the day after its last day (a day belongs to
        /// the period that holds its midnight).
        /// </summary>
        internal static (DateTime Start, DateTime End) MonthService(DateTime month, DateTime start, DateTime end)
        {
            DateTime firstDay = CeilingToDay(start);
            DateTime lastDayEnd = CeilingToDay(end);
            DateTime monthEnd = month.AddMonths(1);
            return (month > firstDay ? month : firstDay, monthEnd < lastDayEnd ? monthEnd : lastDayEnd);
        }

        /// <summary>The first midnight (UTC) at or after <paramref name="t"/>.</summary>
        internal static DateTime CeilingToDay(DateTime t) => t == t.Date ? t : t.Date.Add(OneDay);

        internal static string Iso(DateTime utc)
            => utc.TimeOfDay == TimeSpan.Zero
                ? utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static string Label(string? name, string id) => string.IsNullOrEmpty(name) ? id : name!;
    }
}
