using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Metric;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Gnocchi resource type show (GET /v1/resource_type/{name}), with the answer recorded from the
    /// lab (Gnocchi with Ceilometer Zed's resource types, Fixtures/usage/gnocchi-resource-type-volume.json,
    /// also read by UsageApiTests). Gnocchi's docs build their samples at doc-build time, so there is no
    /// static api-ref file to take instead. The fixture catalog has no metric service: an endpoint
    /// override points at the fixture server, as a clouds.yaml <c>metric_endpoint_override</c> would.
    /// Also the dynamic aggregates (POST /v1/aggregates, gnocchi doc rest.j2 "Dynamic Aggregates"):
    /// the query string and search body sent, the answer recorded from the lab grouped by project and
    /// volume_type (Fixtures/usage/gnocchi-aggregates-by-volume-type.json), and Gnocchi's refusals in the
    /// shape its API aborts with ({"code", "description", "title"}; gnocchi/rest/aggregates/api.py).
    /// </summary>
    public class MetricFixtureTests
    {
        private static async Task<ApiFixture> StartWithMetricAsync(string endpoint)
        {
            ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.Session.Options.EndpointOverrides["metric"] = new Uri(cloud.Server.BaseUrl, endpoint).AbsoluteUri;
            return cloud;
        }

        private static string LabVolumeType()
            => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "usage", "gnocchi-resource-type-volume.json"));

        [Theory]
        [InlineData("metric")]     // the catalog's usual Gnocchi root: the client adds v1/
        [InlineData("metric/v1")]  // an endpoint that already ends with /v1
        public async Task A_resource_type_is_read_with_its_attributes(string endpoint)
        {
            using ApiFixture cloud = await StartWithMetricAsync(endpoint);
            cloud.On("GET", "^/metric/v1/resource_type/volume$", 200, LabVolumeType());

            MetricResourceType? type = await new MetricApi(cloud.Session).GetResourceTypeAsync("volume", CancellationToken.None);

            SeenRequest get = cloud.Single("GET");
            Assert.Equal("/metric/v1/resource_type/volume", get.Path);
            Assert.Equal("application/json, */*", get.Headers["Accept"]);
            Assert.NotNull(type);
            Assert.Equal("volume", type!.Name);
            Assert.Equal("active", type.State);
            Assert.Equal(new[] { "display_name", "volume_type", "image_id", "instance_id" }, type.Attributes);
        }

        [Fact]
        public async Task A_resource_type_Gnocchi_does_not_have_is_null()
        {
            using ApiFixture cloud = await StartWithMetricAsync("metric");
            cloud.On("GET", "^/metric/v1/resource_type/", 404, "{\"code\": 404, \"description\": \"Resource type floatingip does not exist\", \"title\": \"Not Found\"}");

            Assert.Null(await new MetricApi(cloud.Session).GetResourceTypeAsync("floatingip", CancellationToken.None));
            Assert.Equal("/metric/v1/resource_type/floatingip", cloud.Single("GET").Path);
        }

        private const string Project = "2558efb26b684a5abd2337513f4a2a25";
        private const string Operations = "(resample sum 2678400 (aggregate sum (metric volume.size mean)))";
        private static readonly DateTime October = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime November = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

        private static string LabAggregatesByVolumeType()
            => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "usage", "gnocchi-aggregates-by-volume-type.json"));

        /// <summary>The search the client sends for [October, November): the projects (or any), alive at some time of the period.</summary>
        private static string SearchBody(string who)
            => "{\"resource_type\":\"volume\",\"operations\":\"" + Operations + "\",\"search\":{\"and\":[" + who + ","
               + "{\"or\":[{\"=\":{\"ended_at\":null}},{\">=\":{\"ended_at\":\"2026-10-01T00:00:00+00:00\"}}]},"
               + "{\"<\":{\"started_at\":\"2026-11-01T00:00:00+00:00\"}}]}}";

        [Fact]
        public async Task Sums_are_grouped_by_project_and_attribute_with_the_search_and_query_Gnocchi_takes()
        {
            using ApiFixture cloud = await StartWithMetricAsync("metric");
            cloud.On("POST", "^/metric/v1/aggregates\\?", 200, LabAggregatesByVolumeType());

            IReadOnlyList<MetricGroupSum> sums = await new MetricApi(cloud.Session).SumByGroupAsync(
                "volume", Operations, October, November, 3600, new[] { Project, "p-2" }, "volume_type", CancellationToken.None);

            SeenRequest post = cloud.Single("POST");
            Assert.Equal(
                "/metric/v1/aggregates?groupby=project_id&groupby=volume_type&start=2026-10-01T00%3A00%3A00%2B00%3A00&stop=2026-11-01T00%3A00%3A00%2B00%3A00&granularity=3600&fill=0",
                post.Path);
            Assert.Equal("application/json, */*", post.Headers["Accept"]);
            ApiFixture.AssertSameJson(SearchBody("{\"in\":{\"project_id\":[\"" + Project + "\",\"p-2\"]}}"), post.Body);
            Assert.Equal(
                new[] { "74707366-5cf3-4eda-ba90-828e969074f5:100", "fast-ssd:1000", "<null>:7" },
                sums.Select(g => $"{g.AttributeValue ?? "<null>"}:{g.Sum:0.##}"));
            Assert.All(sums, g => Assert.Equal(Project, g.ProjectId));
        }

        [Fact]
        public async Task Sums_by_project_search_every_project_and_add_up_each_projects_points()
        {
            // Shaped as Gnocchi 4.x answers groupby=project_id (the lab answer above without the
            // volume_type key): one group per project, the resampled points in measures.measures.aggregated.
            const string Body = "[{\"group\": {\"project_id\": \"" + Project + "\"}, \"measures\": {\"measures\": {\"aggregated\": "
                + "[[\"2026-09-04T00:00:00+00:00\", 2678400.0, 700.5], [\"2026-10-05T00:00:00+00:00\", 2678400.0, 43.5]]}}},"
                + " {\"group\": {\"project_id\": \"6e0428091d94447a8da25ea58ce2a935\"}, \"measures\": {\"measures\": {\"aggregated\": []}}}]";
            using ApiFixture cloud = await StartWithMetricAsync("metric/v1");
            cloud.On("POST", "^/metric/v1/aggregates\\?", 200, Body);

            IReadOnlyDictionary<string, decimal> sums = await new MetricApi(cloud.Session).SumByProjectAsync(
                "volume", Operations, October, November, 3600, null, CancellationToken.None);

            SeenRequest post = cloud.Single("POST");
            Assert.Equal(
                "/metric/v1/aggregates?groupby=project_id&start=2026-10-01T00%3A00%3A00%2B00%3A00&stop=2026-11-01T00%3A00%3A00%2B00%3A00&granularity=3600&fill=0",
                post.Path);
            ApiFixture.AssertSameJson(SearchBody("{\"!=\":{\"project_id\":null}}"), post.Body);
            Assert.Equal(2, sums.Count);
            Assert.Equal(744m, sums[Project]);
            Assert.Equal(0m, sums["6e0428091d94447a8da25ea58ce2a935"]);
        }

        [Fact]
        public async Task Sums_by_project_add_up_the_groups_of_one_project()
        {
            // the lab answer grouped by volume_type too: SumByProjectAsync asks without the attribute, but
            // whatever groups come back for one project are added up into that project's one sum
            using ApiFixture cloud = await StartWithMetricAsync("metric");
            cloud.On("POST", "^/metric/v1/aggregates\\?", 200, LabAggregatesByVolumeType());

            IReadOnlyDictionary<string, decimal> sums = await new MetricApi(cloud.Session).SumByProjectAsync(
                "volume", Operations, October, November, 3600, new[] { Project }, CancellationToken.None);

            Assert.Equal(1107m, Assert.Single(sums, kv => kv.Key == Project).Value);
            Assert.DoesNotContain("groupby=volume_type", cloud.Single("POST").Path);
        }

        [Fact]
        public async Task Metrics_Gnocchi_does_not_find_are_no_usage()
        {
            using ApiFixture cloud = await StartWithMetricAsync("metric");
            cloud.On("POST", "^/metric/v1/aggregates", 400, "{\"code\": 400, \"description\": {\"cause\": \"Metrics not found\", \"detail\": [\"volume.size\"]}, \"title\": \"Bad Request\"}");
            var api = new MetricApi(cloud.Session);

            Assert.Empty(await api.SumByGroupAsync("volume", Operations, October, November, 3600, null, "volume_type", CancellationToken.None));
            Assert.Empty(await api.SumByProjectAsync("volume", Operations, October, November, 3600, null, CancellationToken.None));
            Assert.Equal(2, cloud.Seen.Count);
        }

        [Theory]
        // gnocchi/rest/aggregates/api.py: ResourceTypeSchema aborts 400 with NoSuchResourceType's message;
        // get_measures_or_abort aborts 404 for an aggregation the archive policy lacks; the processor's
        // UnAggregableTimeseries "No granularity match" is a 400.
        [InlineData(400, "{\"code\": 400, \"description\": \"Resource type floatingip does not exist\", \"title\": \"Bad Request\"}", "no resource type 'floatingip'")]
        [InlineData(404, "{\"code\": 404, \"description\": {\"cause\": \"Metrics with unknown aggregation\", \"detail\": [[\"0b5b9e5a-4c4b-4f3c-9d43-0f4e2c3a1b2d\", \"max\"]]}, \"title\": \"Not Found\"}", "does not keep that aggregation method")]
        [InlineData(400, "{\"code\": 400, \"description\": {\"cause\": \"Metrics can't being aggregated\", \"reason\": \"No granularity match\", \"detail\": []}, \"title\": \"Bad Request\"}", "has no 3600 s granularity")]
        public async Task A_query_the_cloud_cannot_answer_is_unavailable_not_zero(int status, string body, string message)
        {
            using ApiFixture cloud = await StartWithMetricAsync("metric");
            cloud.On("POST", "^/metric/v1/aggregates", status, body);

            var e = await Assert.ThrowsAsync<MetricUnavailableException>(() => new MetricApi(cloud.Session).SumByGroupAsync(
                "floatingip", Operations, October, November, 3600, null, null, CancellationToken.None));
            Assert.Contains(message, e.Message);
        }

        [Theory]
        [InlineData(400, "{\"code\": 400, \"description\": \"Invalid input: extra keys not allowed @ data['serach']\", \"title\": \"Bad Request\"}", HttpStatusCode.BadRequest)]
        [InlineData(403, "{\"code\": 403, \"description\": \"Access was denied to this resource.\", \"title\": \"Forbidden\"}", HttpStatusCode.Forbidden)]
        public async Task Any_other_refusal_is_an_api_error(int status, string body, HttpStatusCode expected)
        {
            using ApiFixture cloud = await StartWithMetricAsync("metric");
            cloud.On("POST", "^/metric/v1/aggregates", status, body);

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new MetricApi(cloud.Session).SumByProjectAsync(
                "volume", Operations, October, November, 3600, null, CancellationToken.None));
            Assert.Equal(expected, e.StatusCode);
        }
    }
}
