using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Compute;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Nova calls not covered by the quota, usage and termination fixture tests: the microversion
    /// negotiation, one server read back, server and keypair deletes, a server's instance actions, and
    /// the server history reads (resize migrations, flavors in key order).
    /// The requests sent (method, path, query, microversion headers) and the parsing of nova's
    /// doc/api_samples (Fixtures/api/compute/v2.73__server-get-resp.json,
    /// v2.58__instance-actions-list-resp.json, os-migrations v2.23__migrations-get.json,
    /// v2.80__migrations-get-with-limit.json and -with-marker.json, flavors v2.75__flavors-detail-resp.json).
    /// </summary>
    public class ComputeFixtureTests
    {
        private const string ServerId = "0e12087a-7c87-476a-8f84-7398e991cecc"; // the v2.73 sample's server

        private static int VersionDocumentReads(ApiFixture cloud)
            => cloud.Server.Requests.Count(r => r.Method == "GET" && r.Path.TrimEnd('/') == "/compute/v2.1");

        [Theory]
        [InlineData("2.60", "2.60")]   // Queens: the cloud's maximum
        [InlineData("2.93", "2.93")]   // Zed (the lab)
        [InlineData("2.104", "2.96")]  // newer than VdcPS knows: VdcPS's newest
        [InlineData("", "2.1")]        // a cloud without microversions reports empty strings
        public async Task The_microversion_is_the_highest_both_sides_know_discovered_once(string cloudMax, string expected)
        {
            using ApiFixture cloud = await ApiFixture.StartAsync(cloudMax);
            var api = new ComputeApi(cloud.Session);

            Version first = await api.MicroversionAsync(CancellationToken.None);
            Version again = await new ComputeApi(cloud.Session).MicroversionAsync(CancellationToken.None);

            Assert.Equal(Version.Parse(expected), first);
            Assert.Equal(first, again);
            Assert.Equal(1, VersionDocumentReads(cloud));
            SeenRequest discovery = cloud.Server.Requests.Single(r => r.Path.TrimEnd('/') == "/compute/v2.1");
            Assert.False(discovery.Headers.ContainsKey("OpenStack-API-Version")); // the version document is read without one
        }

        [Fact]
        public async Task A_server_is_read_with_its_lock_reason_and_a_deleted_one_is_null()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("GET", "^/compute/v2.1/servers/" + ServerId + "$", 200, ApiFixture.Sample("compute", "v2.73__server-get-resp.json"));
            cloud.On("GET", "^/compute/v2.1/servers/gone$", 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance gone could not be found.\"}}");
            var api = new ComputeApi(cloud.Session);

            ServerInfo? server = await api.GetServerAsync(ServerId, CancellationToken.None);
            ServerInfo? gone = await api.GetServerAsync("gone", CancellationToken.None);

            Assert.NotNull(server);
            Assert.Equal(ServerId, server!.Id);
            Assert.Equal("new-server-test", server.Name);
            Assert.Equal("ACTIVE", server.Status);
            Assert.Null(server.TaskState);
            Assert.True(server.Locked);
            Assert.Equal("I don't want to work", server.LockedReason);
            Assert.Equal("compute", server.Host);
            Assert.False(server.IsSettling);
            Assert.Null(gone);
            Assert.Equal(new[] { "/compute/v2.1/servers/" + ServerId, "/compute/v2.1/servers/gone" }, cloud.Seen.Select(r => r.Path));
            Assert.All(cloud.Seen, r =>
            {
                Assert.Equal("compute 2.93", r.Headers["OpenStack-API-Version"]);
                Assert.Equal("2.93", r.Headers["X-OpenStack-Nova-API-Version"]);
            });
        }

        [Theory]
        // Nova's offload saves vm_state first and clears host and node in a later save, with no task between them.
        [InlineData("SHELVED_OFFLOADED", null, "\"compute\"", true, false)]
        [InlineData("SHELVED_OFFLOADED", null, "null", false, true)]
        [InlineData("SHELVED_OFFLOADED", "\"shelving_offloading\"", "\"compute\"", true, false)]
        [InlineData("SHELVED", null, "\"compute\"", false, false)]
        [InlineData("ACTIVE", "\"powering-off\"", "\"compute\"", true, false)]
        [InlineData("ACTIVE", null, "\"compute\"", false, false)]
        public void A_server_half_way_through_an_offload_is_still_settling(string status, string? task, string host, bool settling, bool offloaded)
        {
            var body = System.Text.Json.Nodes.JsonNode.Parse(
                "{\"id\": \"s\", \"name\": \"n\", \"status\": \"" + status + "\", \"OS-EXT-STS:task_state\": " + (task ?? "null")
                + ", \"OS-EXT-SRV-ATTR:host\": " + host + "}")!;

            ServerInfo server = ComputeApi.ReadServer(body);

            Assert.Equal(settling, server.IsSettling);
            Assert.Equal(offloaded, server.IsOffloaded);
        }

        [Fact]
        public async Task Deleting_a_server_is_true_and_a_server_already_gone_is_false()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("DELETE", "^/compute/v2.1/servers/" + ServerId + "$", 204, "");
            cloud.On("DELETE", "^/compute/v2.1/servers/gone$", 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance gone could not be found.\"}}");
            var api = new ComputeApi(cloud.Session);

            Assert.True(await api.DeleteServerAsync(ServerId, CancellationToken.None));
            Assert.False(await api.DeleteServerAsync("gone", CancellationToken.None));

            Assert.Equal(new[] { "DELETE /compute/v2.1/servers/" + ServerId, "DELETE /compute/v2.1/servers/gone" }, cloud.Seen.Select(r => r.Method + " " + r.Path));
            Assert.All(cloud.Seen, r => Assert.Equal("compute 2.93", r.Headers["OpenStack-API-Version"]));
        }

        [Fact]
        public async Task A_server_delete_Nova_refuses_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("DELETE", "^/compute/v2.1/servers/", 409, "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Instance is locked\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new ComputeApi(cloud.Session).DeleteServerAsync(ServerId, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Conflict, e.StatusCode);
        }

        [Fact]
        public async Task A_users_keypairs_are_read_past_Novas_page_limit()
        {
            // 2.35 pages os-keypairs at max_limit, with "keypairs_links" rel=next and the name as marker
            // (api-ref compute keypairs: v2.35 keypairs-list-user1-resp.json / -user2-resp.json).
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("GET", @"^/compute/v2.1/os-keypairs\?user_id=9fe1d3$", 200,
                "{\"keypairs\": [{\"keypair\": {\"fingerprint\": \"7e:eb:ab:24:ba:d1:e1:88:ae:9a:fb:66:53:df:d3:bd\", \"name\": \"keypair-5d935425\", \"type\": \"ssh\", \"public_key\": \"ssh-rsa AAAA\"}}],"
                + " \"keypairs_links\": [{\"href\": \"http://openstack.example.com/v2.1/os-keypairs?limit=1&marker=keypair-5d935425&user_id=9fe1d3\", \"rel\": \"next\"}]}");
            cloud.On("GET", @"^/compute/v2.1/os-keypairs\?user_id=9fe1d3&marker=keypair-5d935425$", 200,
                "{\"keypairs\": [{\"keypair\": {\"fingerprint\": \"7e:eb:ab:24:ba:d1:e1:88:ae:9a:fb:66:53:df:d3:bd\", \"name\": \"my key\", \"type\": \"ssh\", \"public_key\": \"ssh-rsa AAAA\"}}]}");

            IReadOnlyList<VdcPS.Openstack.ProjectResource> keypairs = await new ComputeApi(cloud.Session).ListKeypairsAsync("9fe1d3", CancellationToken.None);

            Assert.Equal(new[] { "keypair-5d935425", "my key" }, keypairs.Select(k => k.Name));
            Assert.All(keypairs, k => Assert.Equal("9fe1d3", k.ParentId));
            Assert.Equal(2, cloud.Seen.Count(r => r.Path.Contains("os-keypairs")));
        }

        [Theory]
        [InlineData("2.9")]
        [InlineData("")] // a cloud without microversions speaks 2.1
        public async Task Below_2_10_another_users_keypairs_are_neither_read_nor_deleted(string cloudMax)
        {
            // Nova before 2.10 ignores ?user_id= and would answer with, and delete, the admin's own keypairs.
            using ApiFixture cloud = await ApiFixture.StartAsync(cloudMax);
            cloud.On("GET", "^/compute/v2.1/os-keypairs", 200, "{\"keypairs\": []}");
            cloud.On("DELETE", "^/compute/v2.1/os-keypairs/", 204, "");
            var api = new ComputeApi(cloud.Session);

            var list = await Assert.ThrowsAsync<NotSupportedException>(() => api.ListKeypairsAsync("9fe1d3", CancellationToken.None));
            await Assert.ThrowsAsync<NotSupportedException>(() => api.DeleteKeypairAsync("my key", "9fe1d3", CancellationToken.None));

            Assert.Contains("2.10", list.Message);
            Assert.DoesNotContain(cloud.Seen, r => r.Path.Contains("os-keypairs"));
        }

        [Fact]
        public async Task A_keypair_is_deleted_for_its_user_and_one_already_gone_is_no_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("DELETE", @"^/compute/v2.1/os-keypairs/my%20key\?user_id=9fe1d3$", 204, "");
            cloud.On("DELETE", @"^/compute/v2.1/os-keypairs/gone\?user_id=9fe1d3$", 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Keypair gone not found for user 9fe1d3\"}}");
            var api = new ComputeApi(cloud.Session);

            await api.DeleteKeypairAsync("my key", "9fe1d3", CancellationToken.None);
            await api.DeleteKeypairAsync("gone", "9fe1d3", CancellationToken.None);

            Assert.Equal(
                new[] { "DELETE /compute/v2.1/os-keypairs/my%20key?user_id=9fe1d3", "DELETE /compute/v2.1/os-keypairs/gone?user_id=9fe1d3" },
                cloud.Seen.Select(r => r.Method + " " + r.Path));
            // ?user_id= needs microversion 2.10: the header must name one at least that new
            Assert.All(cloud.Seen, r => Assert.Equal("compute 2.93", r.Headers["OpenStack-API-Version"]));
        }

        [Fact]
        public async Task A_servers_instance_actions_are_listed_and_parsed_as_utc()
        {
            const string Instance = "247cc793-7cf4-424a-a529-11bd62f960b6";
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("GET", "^/compute/v2.1/servers/" + Instance + "/os-instance-actions$", 200, ApiFixture.Sample("compute", "v2.58__instance-actions-list-resp.json"));

            List<InstanceAction> actions = await new InstanceActionApi(cloud.Session).ListAsync(Instance, CancellationToken.None);

            SeenRequest get = cloud.Single("GET");
            Assert.Equal("/compute/v2.1/servers/" + Instance + "/os-instance-actions", get.Path);
            Assert.Equal("compute 2.93", get.Headers["OpenStack-API-Version"]);
            Assert.Equal(new[] { "stop", "create" }, actions.Select(a => a.Action));
            InstanceAction stop = actions[0];
            Assert.Equal("req-1448f44f-490d-42ff-8781-c3181d103a7c", stop.RequestId);
            Assert.Equal(new DateTime(2018, 4, 25, 1, 26, 28, DateTimeKind.Utc).AddTicks(7934160), stop.StartTime);
            Assert.Equal(DateTimeKind.Utc, stop.StartTime.Kind);
            Assert.Equal(new DateTime(2018, 4, 25, 1, 26, 29, DateTimeKind.Utc).AddTicks(2926490), stop.UpdatedAt);
            Assert.Null(stop.Events); // only the detail carries events
        }

        // ------------------------------------------------------------------ server history

        [Fact]
        public async Task Resize_migrations_from_2_59_are_asked_since_the_start_and_read_past_the_next_link()
        {
            // nova doc/api_samples/os-migrations/v2.80: migrations-get-with-limit.json (one resize and a
            // next link whose marker is its uuid), then migrations-get-with-marker.json (a live migration).
            const string Query = "migration_type=resize&changes-since=2016-06-01T00%3A00%3A00&limit=1000";
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("GET", @"^/compute/v2.1/os-migrations\?" + Query + "$", 200, ApiFixture.Sample("compute", "v2.80__migrations-get-with-limit.json"));
            cloud.On("GET", @"^/compute/v2.1/os-migrations\?" + Query + "&marker=42341d4b-346a-40d0-83c6-5f4f6892b650$", 200, ApiFixture.Sample("compute", "v2.80__migrations-get-with-marker.json"));

            List<ServerMigration> resizes = await new ServerHistoryApi(cloud.Session).ListResizesAsync(new DateTime(2016, 6, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);

            Assert.Equal(
                new[] { "/compute/v2.1/os-migrations?" + Query, "/compute/v2.1/os-migrations?" + Query + "&marker=42341d4b-346a-40d0-83c6-5f4f6892b650" },
                cloud.Seen.Select(r => r.Path));
            Assert.All(cloud.Seen, r => Assert.Equal("compute 2.93", r.Headers["OpenStack-API-Version"]));
            ServerMigration m = Assert.Single(resizes); // the second page's live migration is not a resize
            Assert.Equal(4, m.Id);
            Assert.Equal("9128d044-7b61-403e-b766-7547076ff6c1", m.InstanceUuid);
            Assert.Equal((5L, 6L), (m.OldFlavorKey, m.NewFlavorKey));
            Assert.Equal(("migrating", "resize"), (m.Status, m.MigrationType));
            Assert.Equal(new DateTime(2016, 6, 23, 14, 42, 2, DateTimeKind.Utc), m.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, m.CreatedAt.Kind);
            Assert.Equal(new DateTime(2016, 6, 23, 14, 42, 2, DateTimeKind.Utc), m.UpdatedAt);
        }

        [Fact]
        public async Task Resize_migrations_before_2_59_are_one_unpaged_list_filtered_here_by_type_and_time()
        {
            // nova doc/api_samples/os-migrations/v2.23/migrations-get.json: two live migrations of 2016-01-29
            // and two resizes last changed 2016-01-22. Before 2.59 Nova takes no changes-since, limit or marker.
            using ApiFixture cloud = await ApiFixture.StartAsync("2.58");
            cloud.On("GET", @"^/compute/v2.1/os-migrations\?migration_type=resize$", 200, ApiFixture.Sample("compute", "v2.23__migrations-get.json"));
            var api = new ServerHistoryApi(cloud.Session);

            List<ServerMigration> sinceJan22 = await api.ListResizesAsync(new DateTime(2016, 1, 22, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
            List<ServerMigration> sinceJan25 = await api.ListResizesAsync(new DateTime(2016, 1, 25, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);

            Assert.Equal(new[] { "3 error 5->6", "4 migrating 5->6" }, sinceJan22.Select(m => $"{m.Id} {m.Status} {m.OldFlavorKey}->{m.NewFlavorKey}"));
            Assert.Empty(sinceJan25);
            Assert.Equal(2, cloud.Seen.Count);
            Assert.All(cloud.Seen, r =>
            {
                Assert.Equal("/compute/v2.1/os-migrations?migration_type=resize", r.Path);
                Assert.Equal("compute 2.58", r.Headers["OpenStack-API-Version"]);
            });
        }

        [Fact]
        public async Task Resize_migrations_Nova_refuses_are_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("GET", "^/compute/v2.1/os-migrations", 403, "{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow os_compute_api:os-migrations:index to be performed.\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new ServerHistoryApi(cloud.Session).ListResizesAsync(new DateTime(2016, 6, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }

        [Fact]
        public async Task Flavors_are_read_public_and_private_in_key_order_past_the_next_link()
        {
            // nova doc/api_samples/flavors/v2.75/flavors-detail-resp.json cut into two pages the way Nova
            // pages at max_limit (here 4; the client sends no limit): the first four flavors with a flavors_links next link (marker = the last
            // flavor id), then the other three without one.
            JsonNode sample = JsonNode.Parse(ApiFixture.Sample("compute", "v2.75__flavors-detail-resp.json"))!;
            JsonArray flavors = sample["flavors"]!.AsArray();
            var first = new JsonObject
            {
                ["flavors"] = new JsonArray(flavors.Take(4).Select(f => JsonNode.Parse(f!.ToJsonString())).ToArray()),
                ["flavors_links"] = new JsonArray(new JsonObject
                {
                    ["href"] = "http://openstack.example.com/v2.1/6f70656e737461636b20342065766572/flavors/detail?is_public=None&marker=4&sort_dir=asc&sort_key=id",
                    ["rel"] = "next",
                }),
            };
            var second = new JsonObject { ["flavors"] = new JsonArray(flavors.Skip(4).Select(f => JsonNode.Parse(f!.ToJsonString())).ToArray()) };
            const string Path = "/compute/v2.1/flavors/detail?is_public=None&sort_key=id&sort_dir=asc";
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("GET", "^" + System.Text.RegularExpressions.Regex.Escape(Path) + "$", 200, first.ToJsonString());
            cloud.On("GET", "^" + System.Text.RegularExpressions.Regex.Escape(Path + "&marker=4") + "$", 200, second.ToJsonString());

            List<FlavorInfo> all = await new ServerHistoryApi(cloud.Session).ListFlavorsByKeyAsync(CancellationToken.None);

            Assert.Equal(new[] { Path, Path + "&marker=4" }, cloud.Seen.Select(r => r.Path));
            Assert.All(cloud.Seen, r => Assert.Equal("2.93", r.Headers["X-OpenStack-Nova-API-Version"]));
            Assert.Equal(
                new[] { "1 m1.tiny", "2 m1.small", "3 m1.medium", "4 m1.large", "5 m1.xlarge", "6 m1.tiny.specs", "7 m1.small.description" },
                all.Select(f => $"{f.Id} {f.Name}"));
            FlavorInfo xlarge = all[4];
            Assert.Equal((8m, 16384m, 160m), (xlarge.Vcpus, xlarge.RamMb, xlarge.DiskGb));
        }

        [Fact]
        public async Task A_flavor_answer_without_a_flavors_list_is_a_format_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("GET", "^/compute/v2.1/flavors/detail", 200, "{\"flavor\": {\"id\": \"1\"}}");

            await Assert.ThrowsAsync<FormatException>(() => new ServerHistoryApi(cloud.Session).ListFlavorsByKeyAsync(CancellationToken.None));
        }
    }
}
