using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>
    /// Allocation prices (a monthly price per unit of quota above an included amount, prorated by
    /// day at the quota in force at the tenant's last active moment of each day) and included usage
    /// (an amount per month, prorated by counted days, charged only beyond it). Every expected
    /// amount is worked out by hand in the comment next to it.
    /// </summary>
    public class AllocationTests
    {
        private static readonly DateTime Oct = Utc(2026, 10, 1);
        private static readonly DateTime Nov = Utc(2026, 11, 1);
        private static readonly DateTime Dec = Utc(2026, 12, 1);

        // flex:      99.00 a month; cores above 4 at 9.00 each; RAM per 1024 MB above 8192 MB at 4.00;
        //            block storage per 100 GB above 200 GB at 5.00; 720 instance-hours included, then 0.01.
        // flex-plus: 199.00 a month; cores above 8 at 7.50; 1440 instance-hours included, then 0.008.
        private static readonly PlanCatalog Flex = Catalog(@"
api_version: vdcps/v1
currency: EUR
plans:
  flex:
    display_name: VDC Flex
    prices:
      monthly_fee: 99.00
      rates: {instance-hour: 0.01}
      included_usage: {instance-hour: 720}
      allocation:
        cores:     {included: 4, price: 9.00, description: Cores above 4}
        ram:       {included: 8192, per: 1024, price: 4.00, description: RAM per GB above 8 GB}
        gigabytes: {included: 200, per: 100, price: 5.00}
    quotas:
      compute:
        cores:     {default: 4, min: 2, max: 32}
        ram:       {default: 8192, min: 4096, max: 65536}
        instances: {default: 10, min: 1, max: 20}
      block-storage:
        gigabytes: {default: 200, min: 100, max: 2000}
  flex-plus:
    display_name: VDC Flex Plus
    prices:
      monthly_fee: 199.00
      rates: {instance-hour: 0.008}
      included_usage: {instance-hour: 1440}
      allocation:
        cores: {included: 8, price: 7.50, description: Cores above 8}
    quotas:
      compute:
        cores: {default: 8, min: 4, max: 64}
");

        private static QuotaRecord Q(DateTime at, string source, params (string Key, long Value)[] values)
            => QuotaHistory.Entry(at, source, values.Select(v => new KeyValuePair<string, long>(v.Key, v.Value)));

        private static TenantTimeline FlexTenant(TenantEvent[] events, params QuotaRecord[] quotas)
            => new("id-acme", "acme", "C-1", events.Last(e => !string.IsNullOrEmpty(e.Plan)).Plan, events, quotas);

        private static List<VdcChargeLine> Allocation(RatingResult r) => r.Lines.Where(l => l.ChargeType == VdcChargeType.Allocation).ToList();

        private static string Show(IEnumerable<VdcChargeLine> lines) => string.Join(" | ", lines.Select(Describe));

        [Fact]
        public void CoresUpgradedOnThe19th_TwoLines()
        {
            // Cores 6 (2 above 4) until 2026-11-19 10:00, then 8 (4 above 4). November has 30 days.
            // Days 1..18: 9.00 x 2 x 18 / 30 = 324 / 30 = 10.80. Days 19..30: 9.00 x 4 x 12 / 30 = 432 / 30 = 14.40.
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1, 8), "flex") },
                Q(Utc(2026, 9, 1, 8), QuotaHistory.NewTenant, ("compute.cores", 6), ("compute.ram", 8192), ("block-storage.gigabytes", 200)),
                Q(Utc(2026, 11, 19, 10), QuotaHistory.SetQuota, ("compute.cores", 8)));
            RatingResult r = Rate(Nov, Dec, new[] { t }, null, Flex);

            List<VdcChargeLine> lines = Allocation(r);
            Assert.Equal(new[]
            {
                ("10.80", 18m, "0.60", "Cores above 4: 2 \u00d7 9.00 for 18 of 30 days (2026-11: 2026-11-01 to 2026-11-18; quota 6)"),
                ("14.40", 12m, "1.20", "Cores above 4: 4 \u00d7 9.00 for 12 of 30 days (2026-11: 2026-11-19 to 2026-11-30; quota 8)"),
            }, lines.Select(l => (Text(l.Amount), l.Quantity, Text(l.UnitPrice), l.Description)));
            Assert.All(lines, l => Assert.Equal(("day", "flex", "EUR", "vdcps"), (l.Unit, l.Plan, l.Currency, l.Source)));

            // RAM and storage at the included amount: no line. Invoice order: monthly fee, then allocation.
            Assert.Equal(new[] { VdcChargeType.MonthlyFee, VdcChargeType.Allocation, VdcChargeType.Allocation }, r.Lines.Select(l => l.ChargeType));
            Assert.Equal("99.00", Text(Single(r, VdcChargeType.MonthlyFee).Amount));
            Assert.DoesNotContain(r.Issues, i => i.Severity != RatingIssueSeverity.Verbose);

            VdcInvoice invoice = Assert.Single(InvoiceBuilder.Build(r.Lines));
            Assert.Equal(("99.00", "25.20", "124.20"), (Text(invoice.MonthlyFees), Text(invoice.Allocations), Text(invoice.Total)));   // 10.80 + 14.40
            Assert.Contains("Subtotal Allocation", InvoiceDocument.Html(invoice));
            Assert.Contains("\"124.20\",\"vdcps\"", InvoiceDocument.SummaryCsv(invoice));
            Assert.Contains("\"99.00\",\"25.20\",\"0.00\"", InvoiceDocument.SummaryCsv(invoice));   // MonthlyFees, Allocations, SetupFees

            // allocation lines cover their month, like the monthly fee
            Assert.All(lines, l => Assert.Equal((Nov, Dec), (l.ServicePeriodStart, l.ServicePeriodEnd)));
        }

        [Fact]
        public void RamDowngradedOnThe10th_TheDayOfTheChangeIsChargedAtTheLowerAllocation()
        {
            // RAM 16384 MB (8 GB above 8 GB = 8 units of 1024 MB) until 2026-10-10 15:30, then 10240 (2 units).
            // October has 31 days. Day 10's last active moment is after the downgrade.
            // Days 1..9:   4.00 x 8 x 9 / 31  = 288 / 31 = 9.2903... -> 9.29
            // Days 10..31: 4.00 x 2 x 22 / 31 = 176 / 31 = 5.6774... -> 5.68
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex") },
                Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 4), ("compute.ram", 16384)),
                Q(Utc(2026, 10, 10, 15, 30), QuotaHistory.SetQuota, ("compute.ram", 10240)));
            List<VdcChargeLine> lines = Allocation(Rate(Oct, Nov, new[] { t }, null, Flex));
            Assert.Equal(new[]
            {
                ("9.29", "RAM per GB above 8 GB: 8 \u00d7 4.00 for 9 of 31 days (2026-10: 2026-10-01 to 2026-10-09; quota 16384)"),
                ("5.68", "RAM per GB above 8 GB: 2 \u00d7 4.00 for 22 of 31 days (2026-10: 2026-10-10 to 2026-10-31; quota 10240)"),
            }, lines.Select(l => (Text(l.Amount), l.Description)));
        }

        [Fact]
        public void TwoChangesTheSameDay_TheLaterOneCountsForThatDay_AndAPartStepIsAWholeUnit()
        {
            // Storage 200 GB (0 above) until 2026-11-05 09:00, 450 GB (ceil(250 / 100) = 3 units) until 17:00,
            // then 250 GB (ceil(50 / 100) = 1 unit). Day 5 is charged at 250 GB. Days 5..30 = 26 days:
            // 5.00 x 1 x 26 / 30 = 130 / 30 = 4.3333 -> 4.33. The 450 GB of 8 hours are never charged.
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex") },
                Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 4), ("block-storage.gigabytes", 200)),
                Q(Utc(2026, 11, 5, 9), QuotaHistory.SetQuota, ("block-storage.gigabytes", 450)),
                Q(Utc(2026, 11, 5, 17), QuotaHistory.SetQuota, ("block-storage.gigabytes", 250)));
            VdcChargeLine line = Assert.Single(Allocation(Rate(Nov, Dec, new[] { t }, null, Flex)));
            Assert.Equal("4.33", Text(line.Amount));
            Assert.Equal("Gigabytes above 200 GB per 100 GB: 1 \u00d7 5.00 for 26 of 30 days (2026-11: 2026-11-05 to 2026-11-30; quota 250)", line.Description);
            Assert.Equal(26m, line.Quantity);
            Assert.Equal("0.166667", Text(line.UnitPrice));   // 5.00 x 1 / 30
        }

        [Fact]
        public void SuspensionInTheMiddle_SuspendedDaysAreNotCharged_AndAChangeAfterTheSuspensionCountsFromTheResumption()
        {
            // Cores 8 (4 above 4). Suspended 2026-11-10 12:00, cores raised to 12 at 14:00 (while suspended),
            // resumed 2026-11-20 08:00. Counted days: 1..10 and 20..30 (21 days, as for the monthly fee).
            // Day 10's last active moment is 11:59:59, before the change: 4 units.
            // Days 1..10:  9.00 x 4 x 10 / 30 = 360 / 30 = 12.00
            // Days 20..30: 9.00 x 8 x 11 / 30 = 792 / 30 = 26.40
            // Monthly fee: 99.00 x 21 / 30 = 69.30
            TenantTimeline t = FlexTenant(new[]
                {
                    Activated(Utc(2026, 9, 1), "flex"),
                    Suspended(Utc(2026, 11, 10, 12), "flex"),
                    Resumed(Utc(2026, 11, 20, 8), "flex"),
                },
                Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 8)),
                Q(Utc(2026, 11, 10, 14), QuotaHistory.SetQuota, ("compute.cores", 12)));
            RatingResult r = Rate(Nov, Dec, new[] { t }, null, Flex);
            Assert.Equal(new[] { ("12.00", 10m), ("26.40", 11m) }, Allocation(r).Select(l => (Text(l.Amount), l.Quantity)));
            Assert.EndsWith("(2026-11: 2026-11-20 to 2026-11-30; quota 12)", Allocation(r)[1].Description);
            Assert.Equal("69.30", Text(Single(r, VdcChargeType.MonthlyFee).Amount));
        }

        [Fact]
        public void SameUnitsOnDaysApart_AreOneLine_WithTheDayRanges()
        {
            // Cores 6 (2 units) on days 1..9, 10 (6 units) on days 10..19, 6 again on days 20..30.
            // 2 units: 9 + 11 = 20 days: 9.00 x 2 x 20 / 30 = 360 / 30 = 12.00. 6 units: 10 days: 9.00 x 6 x 10 / 30 = 18.00.
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex") },
                Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 6)),
                Q(Utc(2026, 11, 10), QuotaHistory.SetQuota, ("compute.cores", 10)),
                Q(Utc(2026, 11, 20), QuotaHistory.SetQuota, ("compute.cores", 6)));
            Assert.Equal(new[]
            {
                ("12.00", "Cores above 4: 2 \u00d7 9.00 for 20 of 30 days (2026-11: 2026-11-01 to 2026-11-09, 2026-11-20 to 2026-11-30; quota 6)"),
                ("18.00", "Cores above 4: 6 \u00d7 9.00 for 10 of 30 days (2026-11: 2026-11-10 to 2026-11-19; quota 10)"),
            }, Allocation(Rate(Nov, Dec, new[] { t }, null, Flex)).Select(l => (Text(l.Amount), l.Description)));
        }

        [Fact]
        public void LeapFebruary_Has29Days()
        {
            // Activated 2028-02-10 08:00 with 6 cores (2 units): days 10..29 = 20 of 29.
            // 9.00 x 2 x 20 / 29 = 360 / 29 = 12.4137... -> 12.41; daily price 18 / 29 = 0.6206896... -> 0.62069 (6 decimals, no trailing zero).
            // Monthly fee 99.00 x 20 / 29 = 1980 / 29 = 68.2758... -> 68.28.
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2028, 2, 10, 8), "flex") },
                Q(Utc(2028, 2, 10, 8), QuotaHistory.NewTenant, ("compute.cores", 6)));
            RatingResult r = Rate(Utc(2028, 2, 1), Utc(2028, 3, 1), new[] { t }, null, Flex);
            VdcChargeLine line = Assert.Single(Allocation(r));
            Assert.Equal(("12.41", 20m, "0.62069"), (Text(line.Amount), line.Quantity, Text(line.UnitPrice)));
            Assert.Equal("Cores above 4: 2 \u00d7 9.00 for 20 of 29 days (2028-02: 2028-02-10 to 2028-02-29; quota 6)", line.Description);
            Assert.Equal("68.28", Text(Single(r, VdcChargeType.MonthlyFee).Amount));
        }

        [Fact]
        public void Yen_RoundsPerLineToWholeYen_HalfAwayFromZero()
        {
            PlanCatalog catalog = Catalog(@"
api_version: vdcps/v1
currency: JPY
plans:
  jp:
    prices:
      monthly_fee: 10000
      allocation: {cores: {included: 4, price: 999}}
    quotas: {compute: {cores: {default: 4, min: 1, max: 16}}}
");
            // Activated 2026-11-26 with 5 cores (1 unit): days 26..30 = 5 of 30.
            // 999 x 1 x 5 / 30 = 4995 / 30 = 166.5 -> 167 (half away from zero).
            TenantTimeline t = new("id-jp", "jp", "C-JP", "jp", new[] { Activated(Utc(2026, 11, 26), "jp") },
                new[] { Q(Utc(2026, 11, 26), QuotaHistory.NewTenant, ("compute.cores", 5)) });
            VdcChargeLine line = Assert.Single(Allocation(Rate(Nov, Dec, new[] { t }, null, catalog)));
            Assert.Equal(("167", "33.3", "JPY"), (Text(line.Amount), Text(line.UnitPrice), line.Currency));
            Assert.Equal("Cores above 4: 1 \u00d7 999 for 5 of 30 days (2026-11: 2026-11-26 to 2026-11-30; quota 5)", line.Description);
        }

        [Fact]
        public void KuwaitiDinar_RoundsPerLineToThreeDecimals()
        {
            PlanCatalog catalog = Catalog(@"
api_version: vdcps/v1
currency: KWD
plans:
  kw:
    prices:
      monthly_fee: 10.000
      allocation: {cores: {included: 4, price: 1.001}}
    quotas: {compute: {cores: {default: 4, min: 1, max: 16}}}
");
            // Activated 2026-11-16 with 5 cores (1 unit): days 16..30 = 15 of 30.
            // 1.001 x 1 x 15 / 30 = 15.015 / 30 = 0.5005 -> 0.501 (half away from zero).
            TenantTimeline t = new("id-kw", "kw", "C-KW", "kw", new[] { Activated(Utc(2026, 11, 16), "kw") },
                new[] { Q(Utc(2026, 11, 16), QuotaHistory.NewTenant, ("compute.cores", 5)) });
            VdcChargeLine line = Assert.Single(Allocation(Rate(Nov, Dec, new[] { t }, null, catalog)));
            Assert.Equal(("0.501", "0.033367"), (Text(line.Amount), Text(line.UnitPrice)));   // 1.001 / 30 = 0.0333666...
            Assert.Equal("Cores above 4: 1 \u00d7 1.001 for 15 of 30 days (2026-11: 2026-11-16 to 2026-11-30; quota 5)", line.Description);
        }

        [Fact]
        public void NoRecordedQuota_IsChargedAtThePlanDefault_WithAWarning()
        {
            // A tenant made before quotas were recorded: the plan default (4 cores, 0 units) is used and said.
            PlanCatalog catalog = Catalog(@"
api_version: vdcps/v1
currency: EUR
plans:
  p:
    prices:
      monthly_fee: 10.00
      allocation: {cores: {included: 2, price: 3.00}}
    quotas: {compute: {cores: {default: 4, min: 1, max: 16}}}
");
            // default 4 = 2 units above 2: 3.00 x 2 x 30 / 30 = 6.00
            TenantTimeline t = new("id-old", "old", "C-1", "p", new[] { Activated(Utc(2026, 1, 1), "p") });
            RatingResult r = Rate(Nov, Dec, new[] { t }, null, catalog);
            Assert.Equal("6.00", Text(Assert.Single(Allocation(r)).Amount));
            RatingIssue issue = Assert.Single(r.Issues, i => i.Id == RatingEngine.QuotaHistoryMissing);
            Assert.Equal(RatingIssueSeverity.Warning, issue.Severity);
            Assert.Contains("compute.cores", issue.Message);
        }

        [Fact]
        public void TheRatingSaysWhichAllocationItUsed()
        {
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex") },
                Q(Utc(2026, 11, 19, 10), QuotaHistory.SetQuota, ("compute.cores", 8)),
                Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 6)));
            RatingResult r = Rate(Nov, Dec, new[] { t }, null, Flex);
            Assert.Contains(r.Issues, i => i.Id == RatingEngine.AllocationUsed && i.Message.Contains("quota 8 (recorded 2026-11-19T10:00:00Z by set-quota)"));
            Assert.Contains(r.Issues, i => i.Id == RatingEngine.AllocationUsed && i.Message.Contains("quota 6 (recorded 2026-09-01 by new-tenant)"));
        }

        // ------------------------------------------------------------------ included usage

        [Fact]
        public void IncludedUsage_PartlyUsed_ChargesNothing()
        {
            // 500 instance-hours of 720 included (whole November active): no line, a verbose note.
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex") });
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "instance-hour", 500m, Nov, Dec) }, Flex);
            Assert.DoesNotContain(r.Lines, l => l.ChargeType == VdcChargeType.PayPerUse);
            Assert.Contains(r.Issues, i => i.Id == RatingEngine.UsageIncluded && i.Message.Contains("within the 720 included"));
        }

        [Fact]
        public void IncludedUsage_FullyUsed_ChargesWhatIsBeyond()
        {
            // 1000 instance-hours, 720 included: 280 x 0.01 = 2.80
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex") });
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "instance-hour", 1000m, Nov, Dec) }, Flex);
            VdcChargeLine line = Single(r, VdcChargeType.PayPerUse);
            Assert.Equal(("2.80", 280m, "0.01"), (Text(line.Amount), line.Quantity, Text(line.UnitPrice)));
            Assert.Equal("instance-hour: one server (of any size) for one hour: 1000 used, 720 included (720 a month for 30 of 30 days of 2026-11 on VDC Flex), 280 charged", line.Description);
        }

        [Fact]
        public void IncludedUsage_PartialMonth_IsProratedByCountedDays()
        {
            // Activated 2026-10-17 12:00: days 17..31 = 15 of 31. Included 720 x 15 / 31 = 348.387096... -> 348.387097.
            // 500 used: 500 - 348.387097 = 151.612903 x 0.01 = 1.51612903 -> 1.52
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 10, 17, 12), "flex") });
            RatingResult r = Rate(Oct, Nov, new[] { t }, new[] { UsageRow(t, "instance-hour", 500m, Oct, Nov) }, Flex);
            VdcChargeLine line = Single(r, VdcChargeType.PayPerUse);
            Assert.Equal(("1.52", "151.612903"), (Text(line.Amount), Text(line.Quantity)));
            Assert.EndsWith("500 used, 348.387097 included (720 a month for 15 of 31 days of 2026-10 on VDC Flex), 151.612903 charged", line.Description);
        }

        [Fact]
        public void IncludedUsage_SuspendedDaysIncludeNothing_ButUsageStillCounts()
        {
            // Suspended 2026-11-10 12:00, resumed 2026-11-20 08:00: 21 counted days. Included 720 x 21 / 30 = 504.
            // 600 used (some while suspended): 96 x 0.01 = 0.96
            TenantTimeline t = FlexTenant(new[]
            {
                Activated(Utc(2026, 9, 1), "flex"), Suspended(Utc(2026, 11, 10, 12), "flex"), Resumed(Utc(2026, 11, 20, 8), "flex"),
            });
            VdcChargeLine line = Single(Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "instance-hour", 600m, Nov, Dec) }, Flex), VdcChargeType.PayPerUse);
            Assert.Equal(("0.96", 96m), (Text(line.Amount), line.Quantity));
        }

        [Fact]
        public void PlanChangeThatChangesTheIncludedAmount_EachDayIncludesItsPlansShare()
        {
            // flex (720 included) until 2026-11-16 10:00, then flex-plus (1440 included, 0.008 an hour).
            // Days 1..15 on flex, days 16..30 on flex-plus: 720 x 15 / 30 + 1440 x 15 / 30 = 360 + 720 = 1080.
            // 1500 used over the month: 420 beyond, at the rate of the plan at the row's end (flex-plus):
            // 420 x 0.008 = 3.36.
            // Allocation: 8 cores recorded; flex prices 4 above 4 for days 1..15: 9.00 x 4 x 15 / 30 = 18.00;
            // flex-plus includes 8 cores: no line for days 16..30.
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex"), PlanChanged(Utc(2026, 11, 16, 10), "flex-plus") },
                Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 8)),
                Q(Utc(2026, 11, 16, 10), QuotaHistory.SetTenant, ("compute.cores", 8)));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "instance-hour", 1500m, Nov, Dec) }, Flex);
            VdcChargeLine line = Single(r, VdcChargeType.PayPerUse);
            Assert.Equal(("3.36", 420m, "flex-plus"), (Text(line.Amount), line.Quantity, line.Plan));
            Assert.EndsWith("1500 used, 1080 included (720 a month for 15 of 30 days of 2026-11 on VDC Flex; 1440 a month for 15 of 30 days of 2026-11 on VDC Flex Plus), 420 charged", line.Description);

            VdcChargeLine allocation = Assert.Single(Allocation(r));
            Assert.Equal(("18.00", "flex"), (Text(allocation.Amount), allocation.Plan));

            // monthly fees: 99.00 x 15 / 30 = 49.50 and 199.00 x 15 / 30 = 99.50
            Assert.Equal(new[] { "49.50", "99.50" }, r.Lines.Where(l => l.ChargeType == VdcChargeType.MonthlyFee).Select(l => Text(l.Amount)));
        }

        [Fact]
        public void IncludedUsage_RowsSplitAtThePlanChange_EachGetsItsOwnDays()
        {
            // The same change, usage collected in two rows: [11-01, 11-16) 700 h and [11-16, 12-01) 800 h.
            // Row 1: days 1..15 on flex: 720 x 15 / 30 = 360; 340 beyond x 0.01 = 3.40 (flex, the plan at the row's end).
            // Row 2: days 16..30 on flex-plus: 1440 x 15 / 30 = 720; 80 beyond x 0.008 = 0.64.
            TenantTimeline t = FlexTenant(new[] { Activated(Utc(2026, 9, 1), "flex"), PlanChanged(Utc(2026, 11, 16, 10), "flex-plus") });
            DateTime mid = Utc(2026, 11, 16);
            RatingResult r = Rate(Nov, Dec, new[] { t },
                new[] { UsageRow(t, "instance-hour", 700m, Nov, mid), UsageRow(t, "instance-hour", 800m, mid, Dec) }, Flex);
            Assert.Equal(new[] { ("flex", "3.40", 340m), ("flex-plus", "0.64", 80m) },
                r.Lines.Where(l => l.ChargeType == VdcChargeType.PayPerUse).Select(l => (l.Plan, Text(l.Amount), l.Quantity)));
        }

        // ------------------------------------------------------------------ offline and catalog

        [Fact]
        public void OfflineTenantObject_CarriesTheQuotaHistory()
        {
            var tenant = new VdcTenant
            {
                Id = "id-acme", Name = "acme", CustomerId = "C-1", Plan = "flex", State = VdcTenantState.Active,
                ActivatedAt = Utc(2026, 9, 1, 8),
                History = "2026-09-01T08:00:00Z activated flex",
                QuotaHistory = "2026-09-01T08:00:00Z new-tenant compute.cores=6 compute.ram=8192; 2026-11-19T10:00:00Z set-quota compute.cores=8",
            };
            RatingResult r = Rate(Nov, Dec, new[] { TenantTimeline.FromTenant(tenant) }, null, Flex);
            Assert.Equal(new[] { "10.80", "14.40" }, Allocation(r).Select(l => Text(l.Amount)));

            Assert.Throws<FormatException>(() => TenantTimeline.FromTenant(new VdcTenant { Id = "x", Plan = "flex", QuotaHistory = "2026-09-01T08:00:00Z set-quota cores=many" }));
        }

        [Fact]
        public void Catalog_ShowsTheNewPrices()
        {
            PlanDefinition flex = Flex.Find("flex")!;
            VdcPlan model = flex.ToModel();
            Assert.Equal("compute.cores above 4: 9.00 per 1; compute.ram above 8192: 4.00 per 1024 MB; block-storage.gigabytes above 200: 5.00 per 100 GB", model.AllocationPrices);
            Assert.Equal("instance-hour=720", model.IncludedUsage);
            VdcPlanQuota ram = flex.ToQuotaModels().Single(q => q.Resource == "ram");
            Assert.Equal((8192L, 1024L, 4.00m), (ram.AllocationIncluded!.Value, ram.AllocationPer!.Value, ram.AllocationPrice!.Value));
            Assert.Null(flex.ToQuotaModels().Single(q => q.Resource == "instances").AllocationPrice);
        }

        [Theory]
        [InlineData("allocation: {cores: {included: 40, price: 9.00}}", "AllocationIncludedOutOfRange", "plans.p.prices.allocation.cores.included")]
        [InlineData("allocation: {cores: {included: 1, price: 9.00}}", "AllocationIncludedOutOfRange", "plans.p.prices.allocation.cores.included")]
        [InlineData("allocation: {cores: {included: 4, price: -1.00}}", "NegativePrice", "plans.p.prices.allocation.cores.price")]
        [InlineData("allocation: {cores: {included: 4, per: 0, price: 1.00}}", "InvalidNumber", "plans.p.prices.allocation.cores.per")]
        [InlineData("allocation: {cores: {included: 4}}", "MissingValue", "plans.p.prices.allocation.cores.price")]
        [InlineData("allocation: {cores: {included: 4, price: 1, step: 2}}", "UnknownKey", "plans.p.prices.allocation.cores.step")]
        [InlineData("allocation: {gigabytes: {included: 4, price: 1.00}}", "AllocationWithoutQuota", "plans.p.prices.allocation.gigabytes")]
        [InlineData("allocation: {instances: {included: 4, price: 1.00}}", "AllocationUnlimited", "plans.p.prices.allocation.instances")]
        [InlineData("included_usage: {instance-hours: 720}", "UnknownRateUnit", "plans.p.prices.included_usage.instance-hours")]
        [InlineData("included_usage: {instance-hour: -1}", "InvalidNumber", "plans.p.prices.included_usage.instance-hour")]
        public void CatalogCheck_RefusesBadCapacityPrices(string price, string rule, string setting)
        {
            string yaml = @"
api_version: vdcps/v1
currency: EUR
plans:
  p:
    prices:
      monthly_fee: 10.00
      rates: {instance-hour: 0.01}
      " + price + @"
    quotas:
      compute:
        cores: {default: 4, min: 2, max: 32}
        instances: {default: 4, min: 2, max: unlimited}
";
            var (catalog, problems) = PlanCatalogLoader.Parse(yaml, "bad.yaml");
            Assert.Null(catalog);
            PlanProblem problem = Assert.Single(problems, p => p.IsError);
            Assert.Equal((rule, setting), (problem.Rule, problem.Setting));
        }

        [Fact]
        public void CatalogCheck_WarnsAboutIncludedUsageWithoutARate()
        {
            var (catalog, problems) = PlanCatalogLoader.Parse(@"
api_version: vdcps/v1
currency: EUR
plans:
  p:
    prices: {monthly_fee: 10.00, included_usage: {vcpu-hour: 100}}
    quotas: {compute: {cores: 4}}
", "warn.yaml");
            Assert.NotNull(catalog);
            Assert.Equal("IncludedUsageNotPriced", Assert.Single(problems).Rule);
        }
    }
}
