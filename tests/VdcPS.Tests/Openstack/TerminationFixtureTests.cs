using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Image;
using VdcPS.Openstack.Network;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// The calls of graded suspension and termination: the requests sent (method, path,
    /// microversion, body) and the parsing of bodies recorded from the lab (Nova 26, Zed) and
    /// shaped like the api-ref samples.
    /// </summary>
    public class TerminationFixtureTests
    {
        [Fact]
        public async Task Servers_of_a_project_are_listed_with_paging_and_parsed()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            // page 1 is the lab's own answer (limit=1 there), with its "next" link; page 2 is empty
            cloud.On("GET", @"^/compute/v2.1/servers/detail\?all_tenants=1&project_id=p-9&limit=500$", 200, ApiFixture.Sample("compute", "lab-zed__servers-details-list-page.json"));
            cloud.On("GET", @"^/compute/v2.1/servers/detail\?all_tenants=1&project_id=p-9&limit=500&marker=08885dbe-05fd-4873-957e-62ec71e61f1a$", 200, "{\"servers\": []}");

            IReadOnlyList<ServerInfo> servers = await new ComputeApi(cloud.Session).ListServersAsync("p-9", CancellationToken.None);

            ServerInfo s = Assert.Single(servers);
            Assert.Equal("08885dbe-05fd-4873-957e-62ec71e61f1a", s.Id);
            Assert.Equal("demo-umbrella-db", s.Name);
            Assert.Equal("ACTIVE", s.Status);
            Assert.Null(s.TaskState);
            Assert.False(s.Locked);
            Assert.Null(s.LockedReason);
            Assert.Equal(2, cloud.Seen.Count);
            Assert.All(cloud.Seen, r => Assert.Equal("compute 2.93", r.Headers["OpenStack-API-Version"]));
        }

        [Fact]
        public async Task A_listing_follows_the_marker_of_the_next_link_and_stops_when_it_comes_again()
        {
            // the marker is the next link's (as in the usage and history walks), not worked out from the items
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            const string First = @"^/compute/v2.1/servers/detail\?all_tenants=1&project_id=p-9&limit=500";
            cloud.On("GET", First + "$", 200,
                "{\"servers\": [{\"id\": \"s-1\", \"name\": \"a\", \"status\": \"ACTIVE\"}], \"servers_links\": [{\"href\": \"http://nova-internal/v2.1/servers/detail?marker=m-1\", \"rel\": \"next\"}]}");
            cloud.On("GET", First + "&marker=m-1$", 200,
                "{\"servers\": [{\"id\": \"s-2\", \"name\": \"b\", \"status\": \"ACTIVE\"}], \"servers_links\": [{\"href\": \"http://nova-internal/v2.1/servers/detail?marker=m-1\", \"rel\": \"next\"}]}");
            cloud.On("GET", @"^/compute/v2.1/servers/detail\?all_tenants=1&project_id=p-bad&limit=500$", 200,
                "{\"servers\": [{\"id\": \"s-3\", \"name\": \"c\", \"status\": \"ACTIVE\"}], \"servers_links\": [{\"href\": \"http://nova-internal/v2.1/servers/detail\", \"rel\": \"next\"}]}");
            var api = new ComputeApi(cloud.Session);

            IReadOnlyList<ServerInfo> servers = await api.ListServersAsync("p-9", CancellationToken.None);
            await Assert.ThrowsAsync<System.FormatException>(() => api.ListServersAsync("p-bad", CancellationToken.None));

            Assert.Equal(new[] { "s-1", "s-2" }, servers.Select(s => s.Id));
            Assert.Equal(3, cloud.Seen.Count);
        }

        [Theory]
        [InlineData("2.93", "{\"lock\":{\"locked_reason\":\"why\"}}")] // 2.73 and later: the reason goes with the lock
        [InlineData("2.60", "{\"lock\":null}")]                          // Queens: no reason field (Nova would refuse it)
        public async Task Lock_sends_a_reason_only_where_the_cloud_has_2_73(string cloudMax, string body)
        {
            using ApiFixture cloud = await ApiFixture.StartAsync(cloudMax);
            cloud.On("POST", "^/compute/v2.1/servers/s-1/action$", 202, "");

            bool sent = await new ComputeApi(cloud.Session).ActAsync("s-1", ServerAction.Lock, "why", CancellationToken.None);

            Assert.True(sent);
            ApiFixture.AssertSameJson(body, cloud.Single("POST").Body);
        }

        [Theory]
        [InlineData("Stop", "{\"os-stop\":null}")]
        [InlineData("Start", "{\"os-start\":null}")]
        [InlineData("Unlock", "{\"unlock\":null}")]
        [InlineData("Shelve", "{\"shelve\":null}")]
        [InlineData("ShelveOffload", "{\"shelveOffload\":null}")]
        [InlineData("Unshelve", "{\"unshelve\":null}")]
        public async Task Server_actions_send_the_api_ref_bodies(string action, string body)
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("POST", "^/compute/v2.1/servers/s-1/action$", 202, "");

            Assert.True(await new ComputeApi(cloud.Session).ActAsync("s-1", (ServerAction)System.Enum.Parse(typeof(ServerAction), action), null, CancellationToken.None));
            ApiFixture.AssertSameJson(body, cloud.Single("POST").Body);
        }

        [Fact]
        public async Task An_action_Nova_refuses_for_the_state_is_false_not_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync("2.93");
            cloud.On("POST", "^/compute/v2.1/servers/s-1/action$", 409,
                "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'stop' instance s-1 while it is in vm_state stopped\"}}");

            Assert.False(await new ComputeApi(cloud.Session).ActAsync("s-1", ServerAction.Stop, null, CancellationToken.None));
        }

        [Fact]
        public async Task Neutron_resources_are_sorted_into_router_parts_ports_and_the_rest()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/network/v2.0/floatingips\?project_id=p-9$", 200, "{\"floatingips\":[{\"id\":\"f-1\",\"floating_ip_address\":\"172.24.4.10\",\"status\":\"DOWN\"}]}");
            cloud.On("GET", @"^/network/v2.0/routers\?project_id=p-9$", 200,
                "{\"routers\":[{\"id\":\"r-1\",\"name\":\"edge\",\"status\":\"ACTIVE\",\"external_gateway_info\":{\"network_id\":\"ext\",\"enable_snat\":true}},{\"id\":\"r-2\",\"name\":\"inner\",\"status\":\"ACTIVE\",\"external_gateway_info\":null}]}");
            cloud.On("GET", @"^/network/v2.0/ports\?project_id=p-9$", 200,
                "{\"ports\":[{\"id\":\"pt-1\",\"name\":\"\",\"status\":\"DOWN\",\"device_owner\":\"network:router_interface\",\"device_id\":\"r-1\"}," +
                "{\"id\":\"pt-2\",\"name\":\"app\",\"status\":\"DOWN\",\"device_owner\":\"\",\"device_id\":\"\"}," +
                "{\"id\":\"pt-3\",\"name\":\"\",\"status\":\"DOWN\",\"device_owner\":\"network:router_gateway\",\"device_id\":\"r-1\"}," +
                "{\"id\":\"pt-4\",\"name\":\"\",\"status\":\"N/A\",\"device_owner\":\"network:floatingip\",\"device_id\":\"f-1\"}]}");
            cloud.On("GET", @"^/network/v2.0/subnets\?project_id=p-9$", 200, "{\"subnets\":[{\"id\":\"sn-1\",\"name\":\"s\",\"cidr\":\"10.0.0.0/24\"}]}");
            cloud.On("GET", @"^/network/v2.0/networks\?project_id=p-9$", 200, "{\"networks\":[{\"id\":\"n-1\",\"name\":\"n\",\"status\":\"ACTIVE\"}]}");
            cloud.On("GET", @"^/network/v2.0/security_groups\?project_id=p-9$", 200, "{\"security_groups\":[{\"id\":\"sg-1\",\"name\":\"default\"},{\"id\":\"sg-2\",\"name\":\"web\"}]}");

            IReadOnlyList<ProjectResource> found = await new NetworkApi(cloud.Session).ListResourcesAsync("p-9", CancellationToken.None);

            string Kinds(ProjectResourceKind k) => string.Join(",", found.Where(r => r.Kind == k).Select(r => r.Id));
            Assert.Equal("f-1", Kinds(ProjectResourceKind.FloatingIp));
            Assert.Equal("r-1/gateway", Kinds(ProjectResourceKind.RouterGateway));
            Assert.Equal("r-1,r-2", Kinds(ProjectResourceKind.Router));
            Assert.Equal("pt-1", Kinds(ProjectResourceKind.RouterInterface));
            Assert.Equal("r-1", found.Single(r => r.Kind == ProjectResourceKind.RouterInterface).ParentId);
            Assert.Equal("pt-2", Kinds(ProjectResourceKind.Port)); // gateway and floating-IP ports go with their owners
            Assert.Equal("sn-1", Kinds(ProjectResourceKind.Subnet));
            Assert.Equal("n-1", Kinds(ProjectResourceKind.Network));
            Assert.Equal("sg-1,sg-2", Kinds(ProjectResourceKind.SecurityGroup)); // the default group too
        }

        [Fact]
        public async Task Router_parts_are_detached_with_the_api_ref_bodies_and_the_rest_deleted()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("PUT", "^/network/v2.0/routers/r-1/remove_router_interface$", 200, "{\"id\":\"r-1\",\"port_id\":\"pt-1\"}");
            cloud.On("PUT", "^/network/v2.0/routers/r-1$", 200, "{\"router\":{\"id\":\"r-1\"}}");
            cloud.On("DELETE", "^/network/v2.0/security-groups/sg-2$", 204, "");
            var api = new NetworkApi(cloud.Session);

            await api.DeleteAsync(new ProjectResource(ProjectResourceKind.RouterInterface, "pt-1", "", parentId: "r-1"), CancellationToken.None);
            await api.DeleteAsync(new ProjectResource(ProjectResourceKind.RouterGateway, "r-1/gateway", "", parentId: "r-1"), CancellationToken.None);
            await api.DeleteAsync(new ProjectResource(ProjectResourceKind.SecurityGroup, "sg-2", "web"), CancellationToken.None);

            var puts = cloud.Seen.Where(r => r.Method == "PUT").ToList();
            ApiFixture.AssertSameJson("{\"port_id\":\"pt-1\"}", puts[0].Body);
            ApiFixture.AssertSameJson("{\"router\":{\"external_gateway_info\":{}}}", puts[1].Body);
            Assert.Equal("/network/v2.0/security-groups/sg-2", cloud.Single("DELETE").Path);
        }

        [Fact]
        public async Task A_volume_stuck_in_creating_is_force_deleted_and_a_settled_one_deleted_with_its_snapshots()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("POST", "^/volume/v3/p-1/volumes/v-1/action$", 202, "");
            cloud.On("DELETE", @"^/volume/v3/p-1/volumes/v-2\?cascade=true$", 202, "");
            var api = new BlockStorageApi(cloud.Session);

            await api.DeleteVolumeAsync(new ProjectResource(ProjectResourceKind.Volume, "v-1", "stuck", "creating"), CancellationToken.None);
            await api.DeleteVolumeAsync(new ProjectResource(ProjectResourceKind.Volume, "v-2", "data", "available"), CancellationToken.None);

            ApiFixture.AssertSameJson("{\"os-force_delete\":{}}", cloud.Single("POST").Body);
            Assert.Equal("/volume/v3/p-1/volumes/v-2?cascade=true", cloud.Single("DELETE").Path);
        }

        [Fact]
        public async Task Images_the_project_owns_are_listed_following_glance_next_links()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/image/v2/images\?owner=p-9&limit=200$", 200,
                "{\"images\":[{\"id\":\"i-1\",\"name\":\"backup-of-web\",\"status\":\"active\"}],\"next\":\"/v2/images?owner=p-9&limit=200&marker=i-1\"}");
            cloud.On("GET", @"^/image/v2/images\?owner=p-9&limit=200&marker=i-1$", 200, "{\"images\":[{\"id\":\"i-2\",\"name\":null,\"status\":\"queued\"}]}");

            IReadOnlyList<ProjectResource> images = await new ImageApi(cloud.Session).ListOwnedImagesAsync("p-9", CancellationToken.None);

            Assert.Equal(new[] { "i-1", "i-2" }, images.Select(i => i.Id));
            Assert.Equal("backup-of-web", images[0].Name);
            Assert.Equal(string.Empty, images[1].Name);
        }
    }
}
