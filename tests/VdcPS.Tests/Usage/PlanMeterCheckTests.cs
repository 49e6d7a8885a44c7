using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Models;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Usage;
using Xunit;

namespace VdcPS.Tests.Usage
{
    /// <summary>Test-VdcPlan -Context: the catalog's rates against what a (fake) cloud can measure.</summary>
    public class PlanMeterCheckTests : IDisposable
    {
        private const string Catalog = @"api_version: vdcps/v1
currency: EUR
plans:
  payg:
    prices:
      monthly_fee: 0
      rates:
        vcpu-hour: 0.0125
        volume-gb-hour:
          price: 0.0002
          volume_types:
            fast-ssd: 0.0004
            platinum: 0.0009
        snapshot-gb-hour: 0.0001
        floating-ip-hour: 0.005
        router-hour: 0.002
    quotas:
      compute:
        cores: {default: 4, min: 0, max: 8}
";

        private readonly FakeUsageCloud _cloud = new();
        private readonly string _path = Path.Combine(Path.GetTempPath(), "vdcps-metercheck-" + Guid.NewGuid().ToString("N") + ".yaml");
        private KeystoneSession? _session;

        public void Dispose()
        {
            _session?.Dispose();
            _cloud.Dispose();
            File.Delete(_path);
        }

        private async Task<PlanProblem[]> CheckAsync(string catalog = Catalog)
        {
            File.WriteAllText(_path, catalog);
            _session ??= await _cloud.ConnectAsync();
            var problems = await new PlanMeterCheck(_session, new RecordingOutput()).CheckAsync(_path, "fake", CancellationToken.None);
            return problems.Where(p => p.Severity == VdcPlanProblemSeverity.Unmeasured).ToArray();
        }

        [Fact]
        public async Task Every_rate_the_cloud_cannot_measure_is_listed_with_its_line()
        {
            // no 'network' resource type (the lab before issue 13), Cinder without 'platinum'
            _cloud.VolumeTypes = new() { ("6685584b-1eac-4da6-b5c3-555430cf68ff", "fast-ssd"), ("8c7ad9a2-3c5d-4b8e-9f0a-1b2c3d4e5f60", "capacity") };

            PlanProblem[] unmeasured = await CheckAsync();

            Assert.Equal(new[] { "13:13 UnknownVolumeType", "15:9 RateNotMeasured", "16:9 RateNotMeasured" },
                unmeasured.Select(p => $"{p.Line}:{p.Column} {p.Rule}"));
            Assert.Contains("platinum", unmeasured[0].Message);
            Assert.Contains("capacity, fast-ssd", unmeasured[0].Message);
            Assert.Equal("plans.payg.prices.rates.volume-gb-hour.volume_types.platinum", unmeasured[0].Setting);
            Assert.Contains("no resource type 'network'", unmeasured[1].Message);
            Assert.Contains("floating-ip-hour", unmeasured[1].Message);
            Assert.Contains("VdcPS reads no meter for router-hour", unmeasured[2].Message);
            Assert.Contains(_cloud.Log, l => l == "GET /metric/v1/resource_type/network");
            Assert.Contains(_cloud.Log, l => l == "GET /metric/v1/resource_type/volume");
        }

        [Fact]
        public async Task A_cloud_in_ceilometers_shape_measures_every_mapped_rate()
        {
            _cloud.ResourceTypes.Add("network");
            _cloud.VolumeTypes = new() { ("6685584b-1eac-4da6-b5c3-555430cf68ff", "fast-ssd"), ("1", "PLATINUM") };

            PlanProblem[] unmeasured = await CheckAsync();

            // only the unit VdcPS has no meter for; volume type names match without regard to case, as in Cinder
            Assert.Equal("router-hour", unmeasured.Single().Setting.Split('.').Last());
        }

        [Fact]
        public async Task No_volume_type_attribute_means_the_type_prices_cannot_apply()
        {
            _cloud.ResourceTypes.Add("network");
            _cloud.ResourceTypeAttributes["volume"] = new[] { "display_name" };
            _cloud.VolumeTypes = new() { ("6685584b-1eac-4da6-b5c3-555430cf68ff", "fast-ssd") };

            PlanProblem[] unmeasured = await CheckAsync();

            Assert.Equal(new[] { "fast-ssd", "platinum", "router-hour" }, unmeasured.Select(p => p.Setting.Split('.').Last()));
            Assert.Contains("no attribute 'volume_type'", unmeasured[0].Message);
        }

        [Fact]
        public async Task Without_gnocchi_every_gnocchi_rate_is_unmeasured_but_nova_units_are_fine()
        {
            _cloud.WithMetric = false;

            PlanProblem[] unmeasured = await CheckAsync();

            Assert.Equal(new[] { "volume-gb-hour", "snapshot-gb-hour", "floating-ip-hour", "router-hour" }, unmeasured.Select(p => p.Setting.Split('.').Last()));
            Assert.Contains("no metric (Gnocchi) service", unmeasured[0].Message);
        }

        [Fact]
        public async Task A_catalog_with_errors_is_not_checked_against_the_cloud()
        {
            File.WriteAllText(_path, Catalog.Replace("vcpu-hour: 0.0125", "vcpu-hour: -1"));
            _session ??= await _cloud.ConnectAsync();
            var problems = await new PlanMeterCheck(_session, new RecordingOutput()).CheckAsync(_path, "fake", CancellationToken.None);

            Assert.Contains(problems, p => p.Rule == PlanRules.NegativePrice);
            Assert.DoesNotContain(problems, p => p.Severity == VdcPlanProblemSeverity.Unmeasured);
            Assert.DoesNotContain(_cloud.Log, l => l.Contains("resource_type", StringComparison.Ordinal));
        }
    }
}
