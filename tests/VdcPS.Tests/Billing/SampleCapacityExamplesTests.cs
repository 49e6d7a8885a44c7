using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Tenants;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>
    /// The worked examples of about_VdcPS_Billing (allocation and included usage) with the sample
    /// catalog's vdc-flex, so that the documentation and the rating agree. Amounts by hand in the help.
    /// </summary>
    public class SampleCapacityExamplesTests
    {
        private static readonly DateTime Oct = Utc(2026, 10, 1);
        private static readonly DateTime Nov = Utc(2026, 11, 1);
        private static readonly DateTime Dec = Utc(2026, 12, 1);

        private static QuotaRecord Q(DateTime at, string source, params (string Key, long Value)[] values)
            => QuotaHistory.Entry(at, source, values.Select(v => new KeyValuePair<string, long>(v.Key, v.Value)));

        private static TenantTimeline Flex(TenantEvent[] events, params QuotaRecord[] quotas)
            => new("id-flex", "flex", "C-9", "vdc-flex", events, quotas);

        private static string[] Amounts(RatingResult r, VdcChargeType type)
            => r.Lines.Where(l => l.ChargeType == type).Select(l => Text(l.Amount)).ToArray();

        [Fact]
        public void Allocation_Examples()
        {
            TenantEvent[] active = { Activated(Utc(2026, 9, 1), "vdc-flex") };
            Assert.Equal(new[] { "10.80", "14.40" }, Amounts(Rate(Nov, Dec, new[]
            {
                Flex(active, Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 6)), Q(Utc(2026, 11, 19, 10), QuotaHistory.SetQuota, ("compute.cores", 8))),
            }), VdcChargeType.Allocation));
            Assert.Equal(new[] { "9.29", "5.68" }, Amounts(Rate(Oct, Nov, new[]
            {
                Flex(active, Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.ram", 16384)), Q(Utc(2026, 10, 10, 15, 30), QuotaHistory.SetQuota, ("compute.ram", 10240))),
            }), VdcChargeType.Allocation));
            Assert.Equal(new[] { "4.33" }, Amounts(Rate(Nov, Dec, new[]
            {
                Flex(active, Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("block-storage.gigabytes", 200)),
                    Q(Utc(2026, 11, 5, 9), QuotaHistory.SetQuota, ("block-storage.gigabytes", 450)),
                    Q(Utc(2026, 11, 5, 17), QuotaHistory.SetQuota, ("block-storage.gigabytes", 250))),
            }), VdcChargeType.Allocation));

            RatingResult suspended = Rate(Nov, Dec, new[]
            {
                Flex(new[] { Activated(Utc(2026, 9, 1), "vdc-flex"), Suspended(Utc(2026, 11, 10, 12)), Resumed(Utc(2026, 11, 20, 8)) },
                    Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 8)), Q(Utc(2026, 11, 10, 14), QuotaHistory.SetQuota, ("compute.cores", 12))),
            });
            Assert.Equal(new[] { "12.00", "26.40" }, Amounts(suspended, VdcChargeType.Allocation));
            Assert.Equal(new[] { "69.30" }, Amounts(suspended, VdcChargeType.MonthlyFee));

            Assert.Equal(new[] { "12.41" }, Amounts(Rate(Utc(2028, 2, 1), Utc(2028, 3, 1), new[]
            {
                Flex(new[] { Activated(Utc(2028, 2, 10), "vdc-flex") }, Q(Utc(2028, 2, 10), QuotaHistory.NewTenant, ("compute.cores", 6))),
            }), VdcChargeType.Allocation));

            RatingResult apart = Rate(Nov, Dec, new[]
            {
                Flex(active, Q(Utc(2026, 9, 1), QuotaHistory.NewTenant, ("compute.cores", 6)),
                    Q(Utc(2026, 11, 10), QuotaHistory.SetQuota, ("compute.cores", 10)), Q(Utc(2026, 11, 20), QuotaHistory.SetQuota, ("compute.cores", 6))),
            });
            Assert.Equal(new[] { "12.00", "18.00" }, Amounts(apart, VdcChargeType.Allocation));
            Assert.Contains("days (2026-11: 2026-11-01 to 2026-11-09, 2026-11-20 to 2026-11-30; quota 6)", apart.Lines.First(l => l.ChargeType == VdcChargeType.Allocation).Description);
        }

        [Fact]
        public void IncludedUsage_Examples()
        {
            TenantTimeline all = Flex(new[] { Activated(Utc(2026, 9, 1), "vdc-flex") });
            Assert.Empty(Amounts(Rate(Nov, Dec, new[] { all }, new[] { UsageRow(all, "instance-hour", 500m, Nov, Dec) }), VdcChargeType.PayPerUse));
            Assert.Equal(new[] { "2.80" }, Amounts(Rate(Nov, Dec, new[] { all }, new[] { UsageRow(all, "instance-hour", 1000m, Nov, Dec) }), VdcChargeType.PayPerUse));

            TenantTimeline late = Flex(new[] { Activated(Utc(2026, 10, 17, 12), "vdc-flex") });
            Assert.Equal(new[] { "1.52" }, Amounts(Rate(Oct, Nov, new[] { late }, new[] { UsageRow(late, "instance-hour", 500m, Oct, Nov) }), VdcChargeType.PayPerUse));

            TenantTimeline paused = Flex(new[] { Activated(Utc(2026, 9, 1), "vdc-flex"), Suspended(Utc(2026, 11, 10, 12)), Resumed(Utc(2026, 11, 20, 8)) });
            Assert.Equal(new[] { "0.96" }, Amounts(Rate(Nov, Dec, new[] { paused }, new[] { UsageRow(paused, "instance-hour", 600m, Nov, Dec) }), VdcChargeType.PayPerUse));

            TenantTimeline moved = Flex(new[] { Activated(Utc(2026, 9, 1), "vdc-flex"), PlanChanged(Utc(2026, 11, 16, 10), "vdc-payg") });
            VdcChargeLine one = Single(Rate(Nov, Dec, new[] { moved }, new[] { UsageRow(moved, "instance-hour", 1500m, Nov, Dec) }), VdcChargeType.PayPerUse);
            Assert.Equal(("1.14", 1140m, "vdc-payg"), (Text(one.Amount), one.Quantity, one.Plan));
            DateTime mid = Utc(2026, 11, 16);
            RatingResult split = Rate(Nov, Dec, new[] { moved }, new[] { UsageRow(moved, "instance-hour", 700m, Nov, mid), UsageRow(moved, "instance-hour", 800m, mid, Dec) });
            Assert.Equal(new[] { "3.40", "0.80" }, Amounts(split, VdcChargeType.PayPerUse));
        }
    }
}
