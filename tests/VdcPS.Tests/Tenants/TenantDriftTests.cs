using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Tenants;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Tenants
{
    /// <summary>What a tenant's quotas should be (plan defaults, then the quota history, newest last), and the typed enabled PATCHes of the repair.</summary>
    public class TenantDriftTests
    {
        private const string Catalog =
            "api_version: vdcps/v1\n" +
            "currency: EUR\n" +
            "plans:\n" +
            "  small:\n" +
            "    prices: {monthly_fee: 100}\n" +
            "    quotas:\n" +
            "      compute: {cores: {default: 4, min: 2, max: 8}, ram: {default: 8192, min: 4096, max: 16384}}\n" +
            "      network: {router: {default: 1, min: 1, max: 2}}\n";

        private static PlanDefinition Plan()
        {
            (PlanCatalog? c, var problems) = PlanCatalogLoader.Parse(Catalog, "/plans.yaml");
            Assert.True(c != null, string.Join(" | ", problems));
            return c!.Plans[0];
        }

        private static ProjectDto Project(params QuotaRecord[] history)
        {
            var project = new ProjectDto { Id = "p-1", Name = "acme" };
            foreach (QuotaRecord r in history)
            {
                project.Extra[QuotaHistory.Key] = new JsonArray(QuotaHistory.With(project, r).Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
            }

            return project;
        }

        private static QuotaRecord Entry(int day, string source, params (string Key, long Value)[] values)
            => QuotaHistory.Entry(new DateTime(2026, 11, day, 0, 0, 0, DateTimeKind.Utc), source, values.Select(v => new KeyValuePair<string, long>(v.Key, v.Value)));

        [Fact]
        public void Without_history_the_plan_defaults_are_expected()
        {
            Dictionary<string, long> e = TenantDrift.ExpectedQuotas(Project(), Plan());
            Assert.Equal(4, e["compute.cores"]);
            Assert.Equal(8192, e["compute.ram"]);
            Assert.Equal(1, e["network.router"]);
            Assert.Equal(3, e.Count);
        }

        [Fact]
        public void The_newest_recorded_value_of_each_key_wins_and_keys_beyond_the_plan_count_too()
        {
            ProjectDto p = Project(
                Entry(1, QuotaHistory.NewTenant, ("compute.cores", 6), ("compute.ram", 8192), ("network.router", 1)),
                Entry(5, QuotaHistory.SetQuota, ("compute.cores", 8), ("block-storage.volumes", 3)),
                Entry(9, QuotaHistory.Repair, ("compute.cores", 7)));

            Dictionary<string, long> e = TenantDrift.ExpectedQuotas(p, Plan());

            Assert.Equal(7, e["compute.cores"]);
            Assert.Equal(3, e["block-storage.volumes"]);
            Assert.Equal(8192, e["compute.ram"]);
        }

        [Fact]
        public void A_tenant_whose_plan_is_gone_is_held_to_its_history_alone()
        {
            Dictionary<string, long> e = TenantDrift.ExpectedQuotas(Project(Entry(1, QuotaHistory.NewTenant, ("compute.cores", 6))), null);
            Assert.Equal(new[] { "compute.cores" }, e.Keys);
        }

        [Fact]
        public async Task Enabled_flags_are_patched_with_the_keystone_api_ref_bodies()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("PATCH", "^/v3/projects/p-1$", 200, "{\"project\":{\"id\":\"p-1\",\"name\":\"acme\",\"domain_id\":\"default\",\"enabled\":true}}");
            cloud.On("PATCH", "^/v3/users/u-1$", 200, "{\"user\":{\"id\":\"u-1\",\"name\":\"acme\",\"domain_id\":\"default\",\"enabled\":false}}");
            var identity = new IdentityApi(cloud.Session);

            ProjectDto p = await identity.SetProjectEnabledAsync("p-1", true, CancellationToken.None);
            UserDto u = await identity.SetUserEnabledAsync("u-1", false, CancellationToken.None);

            var patches = cloud.Seen.Where(r => r.Method == "PATCH").ToList();
            ApiFixture.AssertSameJson("{\"project\":{\"enabled\":true}}", patches[0].Body);
            ApiFixture.AssertSameJson("{\"user\":{\"enabled\":false}}", patches[1].Body);
            Assert.True(p.Enabled);
            Assert.False(u.Enabled);
        }
    }
}
