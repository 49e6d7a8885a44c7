using System;
using System.Collections;
using System.Linq;
using VdcPS.Usage;
using Xunit;

namespace VdcPS.Tests.Usage
{
    /// <summary>The Gnocchi mapping (-GnocchiMetric), the period rules and units.</summary>
    public class UsageMappingTests
    {
        [Fact]
        public void Defaults_follow_ceilometer_names()
        {
            var map = GnocchiMetricMap.Build(null).ToDictionary(m => m.Resource);
            Assert.Equal("(resample sum 2678400 (aggregate sum (metric vcpus mean)))", map["vcpu-hour"].Operations(2678400));
            Assert.Equal("(resample sum 3600 (aggregate sum (clip_max (ceil (clip_min (metric cpu mean) 0)) 1)))", map["instance-hour"].Operations(3600));
            Assert.Equal(1m / 1024m, map["ram-gb-hour"].Scale);
            Assert.Equal(("volume", "volume.size"), (map["volume-gb-hour"].ResourceType, map["volume-gb-hour"].Metric));
            Assert.Equal(("network", "ip.floating", "max", true), (map["floating-ip-hour"].ResourceType, map["floating-ip-hour"].Metric, map["floating-ip-hour"].Aggregation, map["floating-ip-hour"].Count));
        }

        [Fact]
        public void Overrides_replace_add_and_remove_resources()
        {
            var map = GnocchiMetricMap.Build(new Hashtable
            {
                ["volume-gb-hour"] = "volume/volume.provisioned",
                ["floating-ip-hour"] = null,
                ["snapshot-gb-hour"] = new Hashtable { ["ResourceType"] = "volume_snapshot", ["Metric"] = "snapshot.size", ["Aggregation"] = "max", ["Scale"] = 2, ["Count"] = false },
                ["vcpu-hour"] = new Hashtable { ["aggregation"] = "max" },
            }).ToDictionary(m => m.Resource);

            Assert.False(map.ContainsKey("floating-ip-hour"));
            Assert.Equal("volume.provisioned", map["volume-gb-hour"].Metric);
            Assert.Equal(("volume_snapshot", "snapshot.size", "max", 2m), (map["snapshot-gb-hour"].ResourceType, map["snapshot-gb-hour"].Metric, map["snapshot-gb-hour"].Aggregation, map["snapshot-gb-hour"].Scale));
            Assert.Equal(("instance", "vcpus", "max"), (map["vcpu-hour"].ResourceType, map["vcpu-hour"].Metric, map["vcpu-hour"].Aggregation));
        }

        [Theory]
        [InlineData("gpu-hour", "volume/x", "not a resource name")]
        [InlineData("volume-gb-hour", "volume.size", "resource_type/metric")]
        [InlineData("volume-gb-hour", 42, "must be")]
        public void Bad_overrides_are_refused(string resource, object value, string message)
        {
            var e = Assert.Throws<ArgumentException>(() => GnocchiMetricMap.Build(new Hashtable { [resource] = value }));
            Assert.Contains(message, e.Message);
        }

        [Fact]
        public void Bad_table_keys_and_scales_are_refused()
        {
            Assert.Contains("unknown key", Assert.Throws<ArgumentException>(() => GnocchiMetricMap.Build(new Hashtable { ["vcpu-hour"] = new Hashtable { ["Metrc"] = "x" } })).Message);
            Assert.Contains("above zero", Assert.Throws<ArgumentException>(() => GnocchiMetricMap.Build(new Hashtable { ["vcpu-hour"] = new Hashtable { ["Scale"] = 0 } })).Message);
            Assert.Contains("needs ResourceType", Assert.Throws<ArgumentException>(() => GnocchiMetricMap.Build(new Hashtable { ["backup-gb-hour"] = new Hashtable { ["Metric"] = "x" } })).Message);
            Assert.Contains("volume-gb-hour only", Assert.Throws<ArgumentException>(() => GnocchiMetricMap.Build(new Hashtable { ["snapshot-gb-hour"] = new Hashtable { ["VolumeTypeAttribute"] = "volume_type" } })).Message);
        }

        [Fact]
        public void Default_period_is_the_previous_calendar_month_in_utc()
        {
            var (start, end) = UsagePeriod.Resolve(null, null, new DateTime(2026, 1, 15, 3, 0, 0, DateTimeKind.Utc));
            Assert.Equal(new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc), start);
            Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), end);
            Assert.Equal(DateTimeKind.Utc, start.Kind);
        }

        [Fact]
        public void Start_alone_is_one_month_and_unspecified_times_are_utc()
        {
            var now = new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);
            var (start, end) = UsagePeriod.Resolve(new DateTime(2026, 2, 1), null, now);
            Assert.Equal(new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc), start);
            Assert.Equal(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), end);
        }

        [Fact]
        public void Empty_future_and_end_only_periods_are_refused()
        {
            var now = new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);
            Assert.Throws<ArgumentException>(() => UsagePeriod.Resolve(new DateTime(2026, 10, 2), new DateTime(2026, 10, 1), now));
            Assert.Throws<ArgumentException>(() => UsagePeriod.Resolve(new DateTime(2026, 12, 1), null, now));
            Assert.Throws<ArgumentException>(() => UsagePeriod.Resolve(null, new DateTime(2026, 10, 1), now));
        }

        [Theory]
        [InlineData("vcpu-hour", "vCPU-hours")]
        [InlineData("ram-gb-hour", "GB-hours")]
        [InlineData("volume-gb-hour", "GB-hours")]
        [InlineData("instance-hour", "hours")]
        [InlineData("floating-ip-hour", "IP-hours")]
        public void Units_in_words(string resource, string unit) => Assert.Equal(unit, UsageResources.UnitOf(resource));

        [Fact]
        public void Quantities_lose_trailing_zeros_only()
        {
            Assert.Equal("1680", UsageCollector.Normalize(1720320.0m * (1m / 1024m)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("0.000015", UsageCollector.Normalize(0.0000150m).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("744.1999999999999", UsageCollector.Normalize(744.1999999999999m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void Resample_covers_the_period_in_whole_hours()
        {
            var s = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
            Assert.Equal(744 * 3600, UsagePeriod.ResampleSeconds(s, s.AddMonths(1)));
            Assert.Equal(3600, UsagePeriod.ResampleSeconds(s, s.AddMinutes(10)));
            Assert.Equal(2 * 3600, UsagePeriod.ResampleSeconds(s, s.AddMinutes(61)));
        }
    }
}
