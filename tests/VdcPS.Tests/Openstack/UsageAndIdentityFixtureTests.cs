using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Nova simple-tenant-usage before and after 2.40 (paging), Keystone projects (api-ref response
    /// bodies) and Keystone limits (Rocky's POST/PATCH API): the request sent and the parsing of the
    /// api-ref sample answers.
    /// </summary>
    public class UsageAndIdentityFixtureTests
    {
        private static readonly DateTime Start = new DateTime(2012, 10, 8, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime End = new DateTime(2012, 10, 9, 0, 0, 0, DateTimeKind.Utc);

        [Fact]
        public async Task Tenant_usage_before_2_40_has_no_paging_and_one_page()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.38");
            cloud.On("GET", "^/compute/v2.1/os-simple-tenant-usage/6f70", 200, ApiFixture.Sample("compute", "simple-tenant-usage-get-specific.json"));

            NovaUsagePage page = await new UsageApi(cloud.Session).GetAsync("6f70656e737461636b20342065766572", Start, End, null, null, keepServers: true, CancellationToken.None);

            SeenRequest get = cloud.Single("GET");
            Assert.Equal("/compute/v2.1/os-simple-tenant-usage/6f70656e737461636b20342065766572?start=2012-10-08T00%3A00%3A00&end=2012-10-09T00%3A00%3A00", get.Path);
            Assert.Equal("compute 2.38", get.Headers["OpenStack-API-Version"]);
            NovaTenantUsage usage = Assert.Single(page.Tenants);
            Assert.Equal(1.0m, usage.TotalHours);
            Assert.Equal(512.0m, usage.TotalMemoryMbUsage);
            Assert.Equal("m1.tiny", Assert.Single(usage.Servers!).Flavor);
            Assert.False(page.HasNext);
        }

        [Fact]
        public async Task Tenant_usage_from_2_40_is_paged_with_limit_and_the_next_links_marker()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.104");
            cloud.On("GET", "^/compute/v2.1/os-simple-tenant-usage/6f70", 200, ApiFixture.Sample("compute", "v2.40__simple-tenant-usage-get-specific.json"));

            NovaUsagePage page = await new UsageApi(cloud.Session).GetAsync("6f70656e737461636b20342065766572", Start, End, 1, null, keepServers: true, CancellationToken.None);

            SeenRequest get = cloud.Single("GET");
            Assert.EndsWith("&limit=1", get.Path);
            Assert.Equal("compute 2.96", get.Headers["OpenStack-API-Version"]);
            Assert.Equal("instance-2", Assert.Single(Assert.Single(page.Tenants).Servers!).Name);
            Assert.True(page.HasNext);
            Assert.Equal("1f1deceb-17b5-4c04-84c7-e0d4499c8fe0", page.NextMarker);
        }

        [Fact]
        public async Task Projects_list_reads_the_api_ref_answer_with_null_descriptions()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/v3/projects\?domain_id=default$", 200, ApiFixture.Sample("identity", "projects-list-response.json"));

            IReadOnlyList<ProjectDto> projects = await new IdentityApi(cloud.Session).ListProjectsAsync("default", null, null, CancellationToken.None);

            Assert.Contains(projects, p => p.Name == "admin" && p.Description == string.Empty);
            Assert.All(projects, p => Assert.False(string.IsNullOrEmpty(p.Id)));
        }

        public static IEnumerable<object[]> LimitShapes() => new[]
        {
            // Rocky and later (api-ref sample): description, domain_id
            new object[] { ApiFixture.Sample("identity", "limits-list-response.json") },
            // Queens (experimental unified limits): no description and no domain_id yet
            new object[] { QueensLimits() },
        };

        [Theory]
        [MemberData(nameof(LimitShapes))]
        public async Task Project_limits_are_read_in_the_shape_of_every_release(string body)
        {
            using ApiFixture cloud = await ApiFixture.StartAsync(system: true);
            cloud.On("GET", @"^/v3/limits\?project_id=3a70", 200, body);

            IReadOnlyList<ProjectLimitDto> limits = await new LimitsApi(cloud.Session).ListLimitsAsync("3a705b9f56bb439381b43c4fe59dccce", null, CancellationToken.None);

            ProjectLimitDto snapshot = Assert.Single(limits, l => l.ResourceName == "snapshot");
            Assert.Equal(5, snapshot.ResourceLimit);
            Assert.Equal("RegionOne", snapshot.RegionId);
            Assert.Equal("3a705b9f56bb439381b43c4fe59dccce", snapshot.ProjectId);
            Assert.Equal(11, Assert.Single(limits, l => l.ResourceName == "volume").ResourceLimit);
        }

        [Fact]
        public async Task Project_limits_are_created_with_POST_and_changed_with_Rockys_PATCH()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync(system: true);
            cloud.On("POST", "^/v3/limits$", 201, ApiFixture.Sample("identity", "limits-create-response.json"));
            cloud.On("PATCH", "^/v3/limits/3229b3849f584faea483d6851f7aab05$", 200, ApiFixture.Sample("identity", "limits-update-response.json"));
            var api = new LimitsApi(cloud.Session);

            IReadOnlyList<ProjectLimitDto> created = await api.CreateLimitsAsync(new[]
            {
                new NewProjectLimit("3a705b9f56bb439381b43c4fe59dccce", "9408080f1970482aa0e38bc2d4ea34b7", "RegionOne", "snapshot", 5),
            }, CancellationToken.None);
            ProjectLimitDto changed = await api.UpdateLimitAsync("3229b3849f584faea483d6851f7aab05", 5, CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"limits\":[{\"project_id\":\"3a705b9f56bb439381b43c4fe59dccce\",\"service_id\":\"9408080f1970482aa0e38bc2d4ea34b7\",\"resource_name\":\"snapshot\",\"resource_limit\":5,\"region_id\":\"RegionOne\"}]}",
                cloud.Single("POST").Body);
            ApiFixture.AssertSameJson("{\"limit\":{\"resource_limit\":5}}", cloud.Single("PATCH").Body);
            Assert.NotEmpty(created);
            Assert.Equal(5, changed.ResourceLimit);
            Assert.DoesNotContain(cloud.Seen, r => r.Method == "PUT"); // Queens' batch PUT /v3/limits is never sent
        }

        private static string QueensLimits()
        {
            JsonNode doc = JsonNode.Parse(ApiFixture.Sample("identity", "limits-list-response.json"))!;
            foreach (JsonNode? limit in doc["limits"]!.AsArray())
            {
                limit!.AsObject().Remove("description");
                limit.AsObject().Remove("domain_id");
            }

            return doc.ToJsonString();
        }
    }
}
