using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Network;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// The quota calls of Nova, Cinder and Neutron (one shape: IQuotaApi get/set/reset) against the
    /// services' published api-ref sample bodies: the request sent (method, path, microversion, body)
    /// and the parsing of the answer, for the shapes of every release the README claims.
    /// </summary>
    public class QuotaSetsFixtureTests
    {
        public static IEnumerable<object[]> NovaShapes() => new[]
        {
            // cloud's max microversion, sample, microversion sent, a key that shape has, a key it no longer has
            new object[] { "2.1", "quotas-show-detail-get-resp.json", "2.1", "floating_ips", "id" }, // a cloud that offers 2.1 only: nova-network keys
            new object[] { "2.53", "v2.36__quotas-show-detail-get-resp.json", "2.53", "injected_files", "floating_ips" }, // Pike: 2.36 dropped the network keys
            new object[] { "2.60", "v2.57__quotas-show-detail-get-resp.json", "2.60", "server_groups", "injected_files" }, // Queens: 2.57 dropped injected files
            new object[] { "2.104", "v2.57__quotas-show-detail-get-resp.json", "2.96", "server_groups", "injected_files" }, // today: the newest VdcPS knows
        };

        [Theory]
        [MemberData(nameof(NovaShapes))]
        public async Task Nova_quota_detail_is_read_at_the_negotiated_microversion(string cloudMax, string sample, string sent, string present, string absent)
        {
            using ApiFixture cloud = await ApiFixture.StartAsync(cloudMax);
            cloud.On("GET", "^/compute/v2.1/os-quota-sets/p-9/detail$", 200, ApiFixture.Sample("compute", sample));

            IReadOnlyDictionary<string, QuotaValue> quotas = await new ComputeApi(cloud.Session).GetAsync("p-9", CancellationToken.None);

            SeenRequest request = cloud.Single("GET");
            Assert.Equal("compute " + sent, request.Headers["OpenStack-API-Version"]);
            Assert.Equal(sent, request.Headers["X-OpenStack-Nova-API-Version"]);
            Assert.Equal("fixture-token", request.Headers["X-Auth-Token"]);
            Assert.Equal(20, quotas["cores"].Limit);
            Assert.Equal(0, quotas["cores"].InUse);
            Assert.Equal(51200, quotas["ram"].Limit);
            Assert.True(quotas.ContainsKey(present));
            Assert.False(quotas.ContainsKey(absent));
            Assert.False(quotas.ContainsKey("id"));
        }

        [Fact]
        public async Task Nova_quota_update_sends_the_limits_and_reads_the_answer()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.104");
            cloud.On("PUT", "^/compute/v2.1/os-quota-sets/p-9$", 200, ApiFixture.Sample("compute", "v2.57__quotas-update-post-resp.json"));

            IReadOnlyDictionary<string, long> answered = await new ComputeApi(cloud.Session)
                .SetAsync("p-9", new Dictionary<string, long> { ["cores"] = 20, ["ram"] = 51200 }, CancellationToken.None);

            SeenRequest put = cloud.Single("PUT");
            ApiFixture.AssertSameJson("{\"quota_set\":{\"cores\":20,\"ram\":51200}}", put.Body);
            Assert.Equal("compute 2.96", put.Headers["OpenStack-API-Version"]);
            Assert.Equal(20, answered["cores"]);
            Assert.Equal(100, answered["key_pairs"]);
        }

        [Fact]
        public async Task Nova_forced_update_adds_force_and_reset_deletes_the_quota_set()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.1");
            cloud.On("PUT", "^/compute/v2.1/os-quota-sets/p-9$", 200, ApiFixture.Sample("compute", "quotas-update-post-resp.json"));
            cloud.On("DELETE", "^/compute/v2.1/os-quota-sets/p-9$", 202, string.Empty);
            var api = new ComputeApi(cloud.Session);

            await api.SetForcedAsync("p-9", new Dictionary<string, long> { ["cores"] = 2 }, CancellationToken.None);
            await api.ResetAsync("p-9", CancellationToken.None);

            ApiFixture.AssertSameJson("{\"quota_set\":{\"force\":true,\"cores\":2}}", cloud.Single("PUT").Body);
            Assert.Equal("compute 2.1", cloud.Single("DELETE").Headers["OpenStack-API-Version"]);
        }

        [Fact]
        public async Task Cinder_v3_quota_set_with_usage_is_read_and_written()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/volume/v3/p-1/os-quota-sets/p-9\?usage=true$", 200, ApiFixture.Sample("block-storage", "quotas-show-usage-response.json"));
            cloud.On("PUT", "^/volume/v3/p-1/os-quota-sets/p-9$", 200, ApiFixture.Sample("block-storage", "quotas-update-response.json"));
            cloud.On("DELETE", "^/volume/v3/p-1/os-quota-sets/p-9$", 200, string.Empty);
            var api = new BlockStorageApi(cloud.Session);

            IReadOnlyDictionary<string, QuotaValue> quotas = await api.GetAsync("p-9", CancellationToken.None);
            IReadOnlyDictionary<string, long> answered = await api.SetAsync("p-9", new Dictionary<string, long> { ["volumes"] = 10 }, CancellationToken.None);
            await api.ResetAsync("p-9", CancellationToken.None);

            Assert.Equal(1000, quotas["gigabytes"].Limit);
            Assert.Equal(-1, quotas["gigabytes___DEFAULT__"].Limit);
            Assert.Equal(10, quotas["backups"].Limit);
            Assert.False(quotas.ContainsKey("id"));
            ApiFixture.AssertSameJson("{\"quota_set\":{\"volumes\":10}}", cloud.Single("PUT").Body);
            Assert.Equal(5, answered["volumes"]); // the sample's answer
            Assert.Equal(-1, answered["volumes___DEFAULT__"]);
            Assert.Single(cloud.Seen, r => r.Method == "DELETE");
        }

        [Fact]
        public async Task Neutron_quota_details_are_read_and_the_quota_written()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/network/v2.0/quotas/p-9/details.json$", 200, ApiFixture.Sample("network", "quota-details-show-for-project-response.json"));
            cloud.On("PUT", "^/network/v2.0/quotas/p-9$", 200, ApiFixture.Sample("network", "quotas-update-response.json"));
            cloud.On("DELETE", "^/network/v2.0/quotas/p-9$", 204, string.Empty);
            var api = new NetworkApi(cloud.Session);

            IReadOnlyDictionary<string, QuotaValue> quotas = await api.GetAsync("p-9", CancellationToken.None);
            IReadOnlyDictionary<string, long> answered = await api.SetAsync("p-9", new Dictionary<string, long> { ["network"] = 15 }, CancellationToken.None);
            await api.ResetAsync("p-9", CancellationToken.None);

            Assert.Equal(10, quotas["security_group"].Limit);
            Assert.Equal(3, quotas["security_group"].InUse);
            Assert.Equal(1, quotas["security_group_rule"].Reserved);
            Assert.Equal(-1, quotas["subnetpool"].Limit);
            ApiFixture.AssertSameJson("{\"quota\":{\"network\":15}}", cloud.Single("PUT").Body);
            Assert.Equal(15, answered["network"]);
            Assert.Single(cloud.Seen, r => r.Method == "DELETE");
        }
    }
}
