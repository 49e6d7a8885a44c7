using System;
using System.Linq;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Plans;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>volume-gb-hour priced per volume type (rates: volume-gb-hour: volume_types), with hand-computed amounts.</summary>
    public class VolumeTypeRatingTests
    {
        private static readonly DateTime Nov = Utc(2026, 11, 1);
        private static readonly DateTime Dec = Utc(2026, 12, 1);

        private const string Yaml = @"api_version: vdcps/v1
currency: EUR
plans:
  storage:
    prices:
      monthly_fee: 0
      rates:
        volume-gb-hour:
          price: 0.0002
          volume_types:
            fast-ssd: 0.0005
            capacity: 0.0001
      included_usage:
        volume-gb-hour: 1000
    quotas:
      compute:
        cores: {default: 4, min: 0, max: 8}
";

        private static VdcUsageRecord Row(TenantTimeline t, string type, decimal quantity)
        {
            VdcUsageRecord row = UsageRow(t, "volume-gb-hour", quantity, Nov, Dec, source: "gnocchi");
            row.VolumeType = type;
            return row;
        }

        [Fact]
        public void Each_volume_type_pays_its_price_the_rest_the_rate_price_and_the_allowance_is_shared_in_name_order()
        {
            PlanCatalog catalog = Catalog(Yaml.Replace("      included_usage:\n        volume-gb-hour: 1000\n", string.Empty));
            TenantTimeline t = Tenant("acme", "C-1", "storage", Activated(Utc(2026, 10, 1), "storage"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[]
            {
                Row(t, "FAST-SSD", 1000m),    // 1000 x 0.0005 = 0.50 (Cinder's names ignore case)
                Row(t, "capacity", 12000m),   // 12000 x 0.0001 = 1.20
                Row(t, "gold", 100m),         // not listed: 100 x 0.0002 = 0.02
                Row(t, string.Empty, 50m),    // no type: 50 x 0.0002 = 0.01
            }, catalog);

            Assert.Equal(new[] { "50 x 0.0002 = 0.01", "12000 x 0.0001 = 1.20", "1000 x 0.0005 = 0.50", "100 x 0.0002 = 0.02" },
                r.Lines.Select(l => $"{l.Quantity} x {Text(l.UnitPrice)} = {Text(l.Amount)}"));
            Assert.Equal("volume-gb-hour (capacity): one GB of block storage volume for one hour, volume type capacity", r.Lines[1].Description);
            Assert.DoesNotContain(r.Issues, i => i.Id == RatingEngine.UsageDuplicate);
        }

        [Fact]
        public void A_second_row_of_the_same_volume_type_is_a_duplicate_but_another_type_is_not()
        {
            PlanCatalog catalog = Catalog(Yaml.Replace("      included_usage:\n        volume-gb-hour: 1000\n", string.Empty));
            TenantTimeline t = Tenant("acme", "C-1", "storage", Activated(Utc(2026, 10, 1), "storage"));
            RatingResult r = Rate(Nov, Dec, new[] { t }, new[] { Row(t, "capacity", 10m), Row(t, "Capacity", 20m), Row(t, "fast-ssd", 10m) }, catalog);

            // two different totals for capacity: none is charged (the duplicate rule); fast-ssd is its own row
            Assert.Single(r.Issues, i => i.Id == RatingEngine.UsageDuplicate && i.Message.Contains("volume type capacity"));
            Assert.Equal("10 x 0.0005 = 0.01", r.Lines.Select(l => $"{l.Quantity:0.######} x {Text(l.UnitPrice)} = {Text(l.Amount)}").Single());
        }

        [Fact]
        public void Included_volume_gb_hours_are_shared_by_the_types_whatever_the_row_order()
        {
            PlanCatalog catalog = Catalog(Yaml);
            TenantTimeline t = Tenant("acme", "C-1", "storage", Activated(Utc(2026, 10, 1), "storage"));
            // 1000 included for the month: capacity (first by name) takes 800 of it, fast-ssd the other 200
            VdcUsageRecord[] rows = { Row(t, "fast-ssd", 1000m), Row(t, "capacity", 800m) };
            foreach (VdcUsageRecord[] order in new[] { rows, rows.Reverse().ToArray() })
            {
                RatingResult r = Rate(Nov, Dec, new[] { t }, order.Select(x => Row(t, x.VolumeType, x.Quantity)).ToArray(), catalog);
                VdcChargeLine line = r.Lines.Single(l => l.ChargeType == VdcChargeType.PayPerUse);
                Assert.Equal("800 x 0.0005 = 0.40", $"{line.Quantity:0.######} x {Text(line.UnitPrice)} = {Text(line.Amount)}");
                Assert.Contains("volume type fast-ssd", line.Description);
            }
        }
    }
}
