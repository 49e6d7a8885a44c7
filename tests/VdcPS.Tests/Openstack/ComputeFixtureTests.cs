using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Compute;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Nova calls not covered by the quota, usage and termination fixture tests: the microversion
    /// negotiation, one server read back, server and keypair deletes and a server's instance actions.
    /// The requests sent (method, path, query, microversion headers) and the parsing of nova's
    /// doc/api_samples (Fixtures/api/compute/v2.73__server-get-resp.json,
    /// v2.58__instance-actions-list-resp.json).
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
    }
}
