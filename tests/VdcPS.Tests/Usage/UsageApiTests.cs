using System;
using System.IO;
using System.Linq;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Metric;
using Xunit;

namespace VdcPS.Tests.Usage
{
    /// <summary>Parsing os-simple-tenant-usage and Gnocchi aggregates answers (fixtures in the api-ref shape).</summary>
    public class UsageApiTests
    {
        internal static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "usage", name));

        [Fact]
        public void A_paged_answer_gives_tenants_server_count_and_the_next_marker()
        {
            NovaUsagePage page = UsageApi.ParsePage(Fixture("list-v240-page1.json"), keepServers: false, single: false);

            Assert.Equal(new[] { "0aa1b2c3d4e5f60718293a4b5c6d7e8f", "1bb1b2c3d4e5f60718293a4b5c6d7e8f" }, page.Tenants.Select(t => t.TenantId));
            Assert.Equal(3, page.ServerCount);
            Assert.True(page.HasNext);
            Assert.Equal("00000000-0000-4000-8000-00000000b001", page.NextMarker);
            Assert.All(page.Tenants, t => Assert.Null(t.Servers));
        }

        [Fact]
        public void A_summary_page_detailed_0_has_the_totals_and_the_next_marker_but_no_server_count()
        {
            // Nova's v2.40 simple-tenant-usage-get sample shape: totals per tenant, no server_usages
            NovaUsagePage page = UsageApi.ParsePage(Fixture("list-v240-summary-page1.json"), keepServers: false, single: false);

            Assert.Equal(new[] { "0aa1b2c3d4e5f60718293a4b5c6d7e8f", "1bb1b2c3d4e5f60718293a4b5c6d7e8f" }, page.Tenants.Select(t => t.TenantId));
            Assert.Equal(744.1m, page.Tenants[0].TotalHours);
            Assert.Equal(3047423.9999999995m, page.Tenants[1].TotalMemoryMbUsage);
            Assert.Null(page.ServerCount);
            Assert.All(page.Tenants, t => Assert.Null(t.ServerCount));
            Assert.All(page.Tenants, t => Assert.Null(t.Servers));
            Assert.True(page.HasNext);
            Assert.Equal("00000000-0000-4000-8000-00000000b001", page.NextMarker);

            NovaUsagePage last = UsageApi.ParsePage(Fixture("list-v240-summary-page2.json"), keepServers: true, single: false);
            Assert.False(last.HasNext);
            Assert.Equal(0.000015m, last.Tenants[1].TotalHours);

            // the summary and the detailed answer carry the same totals, digit for digit
            NovaUsagePage detailed = UsageApi.ParsePage(Fixture("list-v240-page1.json"), keepServers: false, single: false);
            Assert.Equal(detailed.Tenants.Select(t => (t.TenantId, t.TotalHours, t.TotalVcpusUsage, t.TotalMemoryMbUsage, t.TotalLocalGbUsage)),
                page.Tenants.Select(t => (t.TenantId, t.TotalHours, t.TotalVcpusUsage, t.TotalMemoryMbUsage, t.TotalLocalGbUsage)));
        }

        [Fact]
        public void An_empty_summary_page_counts_zero_servers()
        {
            NovaUsagePage page = UsageApi.ParsePage("{\"tenant_usages\": []}", keepServers: false, single: false);
            Assert.Equal(0, page.ServerCount);
            Assert.False(page.HasNext);
        }

        [Theory]
        [InlineData(false, true, false)]
        [InlineData(true, true, true)]
        [InlineData(false, false, true)]
        [InlineData(true, false, true)]
        public void Server_lines_are_asked_for_only_when_needed_or_when_nova_cannot_page(bool needed, bool paged, bool asks)
            => Assert.Equal(asks, VdcPS.Usage.NovaUsageReader.AsksServerLines(needed, paged));

        [Fact]
        public void Numbers_keep_every_digit_nova_wrote()
        {
            NovaUsagePage one = UsageApi.ParsePage(Fixture("list-v240-page1.json"), keepServers: true, single: false);
            NovaUsagePage two = UsageApi.ParsePage(Fixture("list-v240-page2.json"), keepServers: true, single: false);

            NovaTenantUsage b = one.Tenants[1];
            Assert.Equal(743.9999999999999m, b.TotalHours);
            Assert.Equal(3047423.9999999995m, b.TotalMemoryMbUsage);
            Assert.Equal(1524531.2m, one.Tenants[0].TotalMemoryMbUsage);

            // 1.5e-05 (Python's float repr) is read exactly, not through double
            NovaTenantUsage c = two.Tenants[1];
            Assert.Equal(0.000015m, c.TotalHours);
            Assert.Equal(0.000015m, c.Servers!.Single().Hours);
            Assert.Equal(0.24576m, c.TotalMemoryMbUsage);
            Assert.False(two.HasNext);

            // the same sum in double is not the decimal sum of the texts
            Assert.Equal(744.1999999999999m, b.TotalHours + two.Tenants[0].TotalHours);
        }

        [Fact]
        public void One_tenant_pages_and_an_empty_tenant()
        {
            NovaUsagePage first = UsageApi.ParsePage(Fixture("show-v240-page1.json"), keepServers: true, single: true);
            Assert.Single(first.Tenants);
            Assert.Equal(1, first.ServerCount);
            Assert.Equal("00000000-0000-4000-8000-00000000b001", first.NextMarker);

            NovaUsagePage second = UsageApi.ParsePage(Fixture("show-v240-page2.json"), keepServers: true, single: true);
            Assert.Equal("00000000-0000-4000-8000-00000000b002", second.NextMarker);
            Assert.Equal("b-2", second.Tenants[0].Servers![0].Name);

            NovaUsagePage empty = UsageApi.ParsePage(Fixture("show-v240-empty.json"), keepServers: false, single: true);
            Assert.Empty(empty.Tenants);
            Assert.False(empty.HasNext);
            Assert.Equal(0, empty.ServerCount);
        }

        [Fact]
        public void The_truncated_v21_answer_has_exactly_max_limit_servers_and_no_link()
        {
            NovaUsagePage page = UsageApi.ParsePage(Fixture("list-v21-truncated.json"), keepServers: false, single: false);
            Assert.Equal(1000, page.ServerCount);
            Assert.Equal(40, page.Tenants.Count);
            Assert.False(page.HasNext);
        }

        [Theory]
        [InlineData("http://x/v2.1/os-simple-tenant-usage?detailed=1&limit=3&marker=abc-1&start=2026", "abc-1")]
        [InlineData("http://x/v2.1/os-simple-tenant-usage/p?marker=a%2Db&end=2", "a-b")]
        [InlineData("http://x/v2.1/os-simple-tenant-usage?limit=3", null)]
        [InlineData("http://x/v2.1/os-simple-tenant-usage", null)]
        [InlineData("http://x/v2.1/os-simple-tenant-usage?marker=", null)]
        public void Marker_comes_from_the_next_link_query(string href, string? marker)
            => Assert.Equal(marker, UsageApi.MarkerOf(href));

        [Fact]
        public void Query_uses_nova_time_format_and_paging_only_when_asked()
        {
            var start = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
            Assert.Equal("start=2026-10-01T00%3A00%3A00&end=2026-11-01T00%3A00%3A00&detailed=1",
                UsageApi.Query(start, start.AddMonths(1), null, null, detailed: true));
            Assert.Equal("start=2026-10-01T00%3A00%3A00.500000&end=2026-11-01T00%3A00%3A00&limit=1000&marker=m",
                UsageApi.Query(start.AddMilliseconds(500), start.AddMonths(1), 1000, "m", detailed: false));
            Assert.Equal("start=2026-10-01T00%3A00%3A00&end=2026-11-01T00%3A00%3A00&detailed=1&limit=1000",
                UsageApi.Query(start, start.AddMonths(1), 1000, null, detailed: true));
        }

        [Fact]
        public void Gnocchi_groups_are_summed_per_project()
        {
            const string body = "[{\"group\": {\"project_id\": \"p1\"}, \"measures\": {\"measures\": {\"aggregated\": "
                + "[[\"2026-09-04T00:00:00+00:00\", 2592000.0, 700.5], [\"2026-10-04T00:00:00+00:00\", 2592000.0, 43.5]]}}},"
                + "{\"group\": {\"project_id\": \"p2\"}, \"measures\": {\"measures\": {\"aggregated\": []}}}]";
            var sums = MetricApi.ParseGroups(body);
            Assert.Equal(744m, sums["p1"]);
            Assert.Equal(0m, sums["p2"]);
        }

        [Fact]
        public void Gnocchi_groups_by_volume_type_keep_the_attribute_value_and_null()
        {
            // the lab's answer to groupby=project_id&groupby=volume_type (Gnocchi 4.4): an id, a name and null
            var groups = MetricApi.ParseGroups(Fixture("gnocchi-aggregates-by-volume-type.json"), "volume_type");

            Assert.Equal(new[] { "74707366-5cf3-4eda-ba90-828e969074f5:100", "fast-ssd:1000", "<null>:7" },
                groups.Select(g => $"{g.AttributeValue ?? "<null>"}:{g.Sum:0.##}"));
            Assert.All(groups, g => Assert.Equal("2558efb26b684a5abd2337513f4a2a25", g.ProjectId));
            Assert.Equal(1107m, MetricApi.ParseGroups(Fixture("gnocchi-aggregates-by-volume-type.json"))["2558efb26b684a5abd2337513f4a2a25"]);
        }

        [Fact]
        public void Gnocchi_resource_type_lists_its_attributes()
        {
            // GET /v1/resource_type/volume on the lab, with Ceilometer Zed's attributes
            MetricResourceType type = MetricApi.ParseResourceType(Fixture("gnocchi-resource-type-volume.json"));

            Assert.Equal("volume", type.Name);
            Assert.Equal("active", type.State);
            Assert.Equal(new[] { "display_name", "volume_type", "image_id", "instance_id" }, type.Attributes);
            Assert.Throws<FormatException>(() => MetricApi.ParseResourceType("{\"attributes\": {}}"));
        }

        [Fact]
        public void Cinder_volume_types_give_id_name_and_visibility()
        {
            // api-ref block-storage v3 volume-types-list-response.json (second type made private, ids distinct)
            var types = VdcPS.Openstack.BlockStorage.BlockStorageApi.ParseVolumeTypes(System.Text.Json.Nodes.JsonNode.Parse(Fixture("cinder-volume-types.json"))!);

            Assert.Equal(new[] { "6685584b-1eac-4da6-b5c3-555430cf68ff=vol-type-001 public", "8c7ad9a2-3c5d-4b8e-9f0a-1b2c3d4e5f60=vol-type-002 private" },
                types.Select(t => $"{t.Id}={t.Name} {(t.IsPublic ? "public" : "private")}"));
            Assert.Throws<FormatException>(() => VdcPS.Openstack.BlockStorage.BlockStorageApi.ParseVolumeTypes(System.Text.Json.Nodes.JsonNode.Parse("{\"types\": []}")!));
        }

        [Fact]
        public void Gnocchi_search_selects_the_projects_and_the_period()
        {
            var start = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
            // System.Text.Json escapes ">", "<" and "+" (\u003E...) by default: the same JSON for Gnocchi, shown plain here
            var plain = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            string json = MetricApi.Search(new[] { "p1", "p2" }, start, start.AddMonths(1)).ToJsonString(plain);
            Assert.Equal("{\"and\":[{\"in\":{\"project_id\":[\"p1\",\"p2\"]}},{\"or\":[{\"=\":{\"ended_at\":null}},{\">=\":{\"ended_at\":\"2026-10-01T00:00:00+00:00\"}}]},"
                + "{\"<\":{\"started_at\":\"2026-11-01T00:00:00+00:00\"}}]}", json);
            Assert.Contains("{\"!=\":{\"project_id\":null}}", MetricApi.Search(null, start, start.AddMonths(1)).ToJsonString(plain));
        }
    }
}
