using System;
using System.IO;
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
    }
}
