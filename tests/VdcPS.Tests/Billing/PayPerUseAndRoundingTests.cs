using System.Globalization;
using System;
using System.Linq;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Plans;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>Pay-per-use lines (quantity x rate of the plan) and the rounding rule, with hand-computed amounts.</summary>
    public class PayPerUseAndRoundingTests
    {
        // vdc-payg rates: vcpu-hour 0.0125, ram-gb-hour 0.0055, disk-gb-hour 0.00012, volume-gb-hour 0.00015,
        // instance-hour 0.0010, floating-ip-hour 0.0060. vdc-small: volume-gb-hour 0.00014, floating-ip-hour 0.0055.
        private static readonly DateTime Nov = Utc(2026, 11, 1);
        private static readonly DateTime Dec = Utc(2026, 12, 1);

        [Fact]
        public void EveryPricedUnit_IsQuantityTimesRate_RoundedPerLine()
        {
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[]
            {
                UsageRow(t, "vcpu-hour", 744m, Nov, Dec),         // 744 x 0.0125 = 9.30
                UsageRow(t, "ram-gb-hour", 1488m, Nov, Dec),      // 1488 x 0.0055 = 8.184 -> 8.18
                UsageRow(t, "instance-hour", 372m, Nov, Dec),     // 372 x 0.0010 = 0.372 -> 0.37
                UsageRow(t, "disk-gb-hour", 14880m, Nov, Dec),    // 14880 x 0.00012 = 1.7856 -> 1.79
                UsageRow(t, "volume-gb-hour", 0m, Nov, Dec),      // nothing used: no line
            });
            Assert.Equal(new[]
            {
                ("disk-gb-hour", 14880m, "0.00012", "1.79"),
                ("instance-hour", 372m, "0.0010", "0.37"),
                ("ram-gb-hour", 1488m, "0.0055", "8.18"),
                ("vcpu-hour", 744m, "0.0125", "9.30"),
            }, r.Lines.Select(l => (l.Unit, l.Quantity, Text(l.UnitPrice), Text(l.Amount))));
            Assert.All(r.Lines, l => Assert.Equal((VdcChargeType.PayPerUse, "EUR", "vdc-payg", "vdcps"), (l.ChargeType, l.Currency, l.Plan, l.Source)));
            Assert.Equal("vcpu-hour: one vCPU of a server for one hour", r.Lines[3].Description);
            Assert.Equal(4, r.RatedRows);
        }

        [Fact]
        public void UnitsThePlanDoesNotPrice_AreIncluded_AndLeaveANote()
        {
            // vdc-small prices volume-gb-hour and floating-ip-hour only; vCPUs are part of the monthly fee.
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 10, 1), "vdc-small"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[]
            {
                UsageRow(t, "vcpu-hour", 2880m, Nov, Dec),
                UsageRow(t, "volume-gb-hour", 150000m, Nov, Dec),  // 150000 x 0.00014 = 21.00
                UsageRow(t, "floating-ip-hour", 720m, Nov, Dec),   // 720 x 0.0055 = 3.96
            });
            Assert.Equal(new[] { ("MonthlyFee", "149.00"), ("PayPerUse", "3.96"), ("PayPerUse", "21.00") },
                r.Lines.Select(l => (l.ChargeType.ToString(), Text(l.Amount))));
            Assert.Contains(r.Issues, i => i.Id == RatingEngine.UsageNotPriced && i.Severity == RatingIssueSeverity.Verbose && i.Message.Contains("vcpu-hour"));
        }

        [Fact]
        public void Midpoint_RoundsAwayFromZero_NotToEven()
        {
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[]
            {
                UsageRow(t, "vcpu-hour", 2m, Nov, Dec),      // 2 x 0.0125 = 0.025 -> 0.03 (to even would give 0.02)
                UsageRow(t, "ram-gb-hour", 10m, Nov, Dec),   // 10 x 0.0055 = 0.055 -> 0.06 (to even: 0.06)
                UsageRow(t, "instance-hour", 5m, Nov, Dec),  // 5 x 0.0010 = 0.005 -> 0.01 (to even: 0.00)
            });
            Assert.Equal(new[] { ("instance-hour", "0.01"), ("ram-gb-hour", "0.06"), ("vcpu-hour", "0.03") }, r.Lines.Select(l => (l.Unit, Text(l.Amount))));
        }

        [Fact]
        public void InvoiceTotals_AreSumsOfRoundedLines()
        {
            // Three tenants of one customer use 2 vCPU-hours each: every line is 0.025 -> 0.03, the invoice 0.09
            // (rounding the unrounded sum 0.075 would give 0.08).
            var tenants = new[] { "a", "b", "c" }.Select(n => Tenant(n, "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"))).ToList();
            RatingResult r = Rate(Nov, Dec, tenants, tenants.Select(t => UsageRow(t, "vcpu-hour", 2m, Nov, Dec)));
            VdcInvoice invoice = Assert.Single(InvoiceBuilder.Build(r.Lines));
            Assert.Equal("0.09", Text(invoice.Total));
            Assert.Equal("0.09", Text(invoice.PayPerUse));
            Assert.Equal("0.00", Text(invoice.MonthlyFees));
        }

        [Fact]
        public void MonthlyFeeMidpoint_RoundsAwayFromZero()
        {
            // A fee of 0.70 in February 2027 (28 days), active 1 day: 0.70 x 1 / 28 = 0.025 -> 0.03
            PlanCatalog catalog = Catalog(@"
api_version: vdcps/v1
currency: EUR
plans:
  tiny:
    prices: {monthly_fee: 0.70}
    quotas: {compute: {cores: 1}}
");
            TenantTimeline t = Tenant("t", "C-1", "tiny", Activated(Utc(2027, 2, 28), "tiny"));
            VdcChargeLine fee = Single(Rate(Utc(2027, 2, 1), Utc(2027, 3, 1), new[] { t }, null, catalog), VdcChargeType.MonthlyFee);
            Assert.Equal("0.03", Text(fee.Amount));
            Assert.Equal("0.025", Text(fee.UnitPrice));
        }

        [Fact]
        public void Yen_HasNoMinorUnit()
        {
            PlanCatalog catalog = Catalog(@"
api_version: vdcps/v1
currency: JPY
plans:
  jp:
    prices:
      monthly_fee: 10000
      setup_fee: 5000
      rates: {vcpu-hour: 1.5}
    quotas: {compute: {cores: 1}}
");
            // Activated 2026-11-14: 17 of 30 days. 10000 x 17 / 30 = 5666.67 -> 5667 yen.
            // 3 vCPU-hours x 1.5 = 4.5 -> 5 yen (half away from zero; to even would give 4).
            TenantTimeline t = Tenant("jp", "C-JP", "jp", Activated(Utc(2026, 11, 14, 9, 30), "jp"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "vcpu-hour", 3m, Nov, Dec) }, catalog);
            Assert.Equal(new[] { ("MonthlyFee", "5667", "333.333333"), ("SetupFee", "5000", "5000"), ("PayPerUse", "5", "1.5") },
                r.Lines.Select(l => (l.ChargeType.ToString(), Text(l.Amount), Text(l.UnitPrice))));
            Assert.All(r.Lines, l => Assert.Equal("JPY", l.Currency));
            Assert.Equal("10672", Text(Assert.Single(InvoiceBuilder.Build(r.Lines)).Total));  // 5667 + 5000 + 5
        }

        [Fact]
        public void KuwaitiDinar_HasThreeDecimals()
        {
            PlanCatalog catalog = Catalog(@"
api_version: vdcps/v1
currency: KWD
plans:
  kw:
    prices: {monthly_fee: 10.000}
    quotas: {compute: {cores: 1}}
");
            // 10.000 x 17 / 30 = 5.66666 -> 5.667
            TenantTimeline t = Tenant("kw", "C-KW", "kw", Activated(Utc(2026, 11, 14), "kw"));
            Assert.Equal("5.667", Text(Single(Rate(Nov, Dec, new[] { t }, null, catalog), VdcChargeType.MonthlyFee).Amount));
        }

        [Theory]
        [InlineData("EUR", 2)]
        [InlineData("USD", 2)]
        [InlineData("CHF", 2)]
        [InlineData("JPY", 0)]
        [InlineData("KRW", 0)]
        [InlineData("ISK", 0)]
        [InlineData("KWD", 3)]
        [InlineData("BHD", 3)]
        public void MinorUnits_FollowIso4217(string currency, int digits)
        {
            Assert.Equal(digits, Money.MinorUnits(currency));
        }

        [Fact]
        public void Amounts_AlwaysCarryTheMinorUnitsScale()
        {
            Assert.Equal("149.00", Text(Money.Round(149m, "EUR")));
            Assert.Equal("0.00", Text(Money.Round(0.004m, "EUR")));
            Assert.Equal("-0.03", Text(Money.Round(-0.025m, "EUR")));  // away from zero on both sides
            Assert.Equal("150", Text(Money.Round(149.5m, "JPY")));
        }

        [Fact]
        public void SuspendedTenants_StillPayForWhatRan()
        {
            // Suspension stops the monthly fee, not the servers: their usage is charged.
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small",
                Activated(Utc(2026, 10, 1), "vdc-small"),
                Suspended(Utc(2026, 10, 20)));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "floating-ip-hour", 720m, Nov, Dec) });
            VdcChargeLine line = Assert.Single(r.Lines);
            Assert.Equal((VdcChargeType.PayPerUse, "3.96"), (line.ChargeType, Text(line.Amount)));  // 720 x 0.0055
        }

        [Fact]
        public void UsageIsRatedAtThePlanInForceAtTheEndOfItsPeriod()
        {
            // small -> large on 2026-11-16. volume-gb-hour: small 0.00014, large 0.00012.
            TenantTimeline t = Tenant("acme", "C-1", "vdc-large",
                Activated(Utc(2026, 10, 1), "vdc-small"),
                PlanChanged(Utc(2026, 11, 16), "vdc-large"));

            // One row for the month: the large plan's rate. 100000 x 0.00012 = 12.00
            RatingResult month = Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "volume-gb-hour", 100000m, Nov, Dec) });
            Assert.Equal(("vdc-large", "12.00"), (Single(month, VdcChargeType.PayPerUse).Plan, Text(Single(month, VdcChargeType.PayPerUse).Amount)));

            // Rows split at the change: each at its own plan. 50000 x 0.00014 = 7.00; 50000 x 0.00012 = 6.00
            RatingResult split = Rate(Nov, Dec, new[] { t }, new[]
            {
                UsageRow(t, "volume-gb-hour", 50000m, Utc(2026, 11, 16), Dec),
                UsageRow(t, "volume-gb-hour", 50000m, Nov, Utc(2026, 11, 16)),
            });
            Assert.Equal(new[] { ("vdc-small", "7.00"), ("vdc-large", "6.00") },
                split.Lines.Where(l => l.ChargeType == VdcChargeType.PayPerUse).Select(l => (l.Plan, Text(l.Amount))));
            Assert.EndsWith("(2026-11-01 to 2026-11-16)", split.Lines.First(l => l.ChargeType == VdcChargeType.PayPerUse).Description);
        }

        [Fact]
        public void DetailRows_AreIgnored()
        {
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[]
            {
                UsageRow(t, "vcpu-hour", 744m, Nov, Dec),
                UsageRow(t, "vcpu-hour", 500m, Nov, Dec, detail: true),
                UsageRow(t, "vcpu-hour", 244m, Nov, Dec, detail: true),
            });
            Assert.Equal("9.30", Text(Assert.Single(r.Lines).Amount));
            Assert.Contains(r.Issues, i => i.Id == RatingEngine.UsageDetailIgnored && i.Message.StartsWith("2 ", StringComparison.Ordinal));
        }

        [Fact]
        public void DifferentTotalsForTheSameUsage_AreAnError_AndNoneIsCharged_InEitherOrder()
        {
            // 100 then 120 vCPU-hours billed 1.25, reversed 1.50: now neither order charges a guess
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            VdcUsageRecord nova = UsageRow(t, "vcpu-hour", 100m, Nov, Dec, source: "nova");
            VdcUsageRecord gnocchi = UsageRow(t, "vcpu-hour", 120m, Nov, Dec, source: "gnocchi");
            VdcUsageRecord ram = UsageRow(t, "ram-gb-hour", 10m, Nov, Dec, source: "nova");
            RatingResult forward = Rate(Nov, Dec, new[] { t }, new[] { nova, gnocchi, ram });
            RatingResult backward = Rate(Nov, Dec, new[] { t }, new[] { ram, gnocchi, nova });
            foreach (RatingResult r in new[] { forward, backward })
            {
                VdcChargeLine line = Assert.Single(r.Lines);
                Assert.Equal(("ram-gb-hour", "0.06"), (line.Unit, Text(line.Amount)));  // 10 x 0.0055 = 0.055 -> 0.06
                RatingIssue issue = Assert.Single(r.Issues, i => i.Id == RatingEngine.UsageDuplicate);
                Assert.Equal(RatingIssueSeverity.Error, issue.Severity);
                Assert.Contains("100 (nova), 120 (gnocchi)", issue.Message);
                Assert.Equal(2, r.Skipped.Count(RatingEngine.SkipDuplicate));
            }

            Assert.Equal(forward.Issues.Single(i => i.Id == RatingEngine.UsageDuplicate).Message, backward.Issues.Single(i => i.Id == RatingEngine.UsageDuplicate).Message);
        }

        [Fact]
        public void EqualTotalsForTheSameUsage_AreChargedOnce_WithTheError()
        {
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[]
            {
                UsageRow(t, "vcpu-hour", 744m, Nov, Dec, source: "nova"),
                UsageRow(t, "VCPU-HOUR", 744.0m, Nov, Dec, source: "gnocchi"),
                UsageRow(t, "vcpu-hour", 744m, Nov, Dec, source: "nova"),
            });
            VdcChargeLine line = Assert.Single(r.Lines);
            Assert.Equal(("744", "9.30"), (line.Quantity.ToString(CultureInfo.InvariantCulture), Text(line.Amount)));  // 744 x 0.0125
            RatingIssue issue = Assert.Single(r.Issues, i => i.Id == RatingEngine.UsageDuplicate);
            Assert.Contains("charged once", issue.Message);
            Assert.Equal(2, r.Skipped.Count(RatingEngine.SkipDuplicate));
        }

        [Fact]
        public void SkippedRows_AreCountedByReason()
        {
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[]
            {
                UsageRow(t, "vcpu-hour", 744m, Nov, Dec),
                UsageRow(t, "vcpu-hour", 10m, Nov, Dec, detail: true),
                UsageRow(t, "vcpu-hour", 10m, Nov, Dec, detail: true),
                UsageRow(t, "vcpu-hour", 10m, Utc(2026, 10, 1), Nov),
            });
            Assert.Single(r.Lines);
            Assert.Equal(3, r.Skipped.Total);
            Assert.Equal("3 of 4 usage rows skipped: 2 per-server rows (IsDetail), 1 outside the period (UsageOutsidePeriod).", r.Skipped.Describe(4));
        }

        [Fact]
        public void UsageOutsideThePeriod_IsNotRated()
        {
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[] { UsageRow(t, "vcpu-hour", 744m, Utc(2026, 10, 1), Nov) });
            Assert.Empty(r.Lines);
            Assert.Contains(r.Issues, i => i.Id == RatingEngine.UsageOutsidePeriod && i.Severity == RatingIssueSeverity.Warning);
        }

        [Fact]
        public void UsageOfAnUnknownTenant_IsRatedWithTheRowsPlan_WithoutFees()
        {
            TenantTimeline gone = Tenant("gone", "C-7", "vdc-payg");
            RatingResult r = Rate(Nov, Dec, Array.Empty<TenantTimeline>(), new[] { UsageRow(gone, "vcpu-hour", 744m, Nov, Dec) });
            VdcChargeLine line = Assert.Single(r.Lines);
            Assert.Equal(("C-7", "gone", "vdc-payg", "9.30"), (line.CustomerId, line.TenantName, line.Plan, Text(line.Amount)));
            Assert.Contains(r.Issues, i => i.Id == RatingEngine.UsageTenantUnknown && i.Severity == RatingIssueSeverity.Warning);
        }

        [Fact]
        public void UsageOfAProjectWithoutAnyPlan_IsNotRated_WithOneWarning()
        {
            TenantTimeline admin = Tenant("admin", string.Empty, string.Empty);
            RatingResult r = Rate(Nov, Dec, Array.Empty<TenantTimeline>(), new[]
            {
                UsageRow(admin, "vcpu-hour", 744m, Nov, Dec),
                UsageRow(admin, "ram-gb-hour", 744m, Nov, Dec),
            });
            Assert.Empty(r.Lines);
            RatingIssue issue = Assert.Single(r.Issues);
            Assert.Equal((RatingEngine.UsageTenantUnknown, RatingIssueSeverity.Warning), (issue.Id, issue.Severity));
            Assert.Contains("not a VdcPS tenant", issue.Message);
        }

        [Fact]
        public void TheTimelinesCustomerAndName_WinOverTheUsageRows()
        {
            TenantTimeline t = Tenant("dev", "C-NEW", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            VdcUsageRecord row = UsageRow(t, "vcpu-hour", 8m, Nov, Dec);
            row.CustomerId = "C-OLD";
            row.TenantName = "old-name";
            row.Plan = "vdc-small";
            VdcChargeLine line = Assert.Single(Rate(Nov, Dec, new[] { t }, new[] { row }).Lines);
            Assert.Equal(("C-NEW", "dev", "vdc-payg", "0.10"), (line.CustomerId, line.TenantName, line.Plan, Text(line.Amount)));  // 8 x 0.0125
        }
    }
}
