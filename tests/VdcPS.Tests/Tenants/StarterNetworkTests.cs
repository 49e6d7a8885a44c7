using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Network;
using VdcPS.Plans;
using VdcPS.Tenants;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Tenants
{
    /// <summary>The starter network feature service: what it makes, in which order, what a rollback takes back, and that a rerun makes nothing.</summary>
    public class StarterNetworkTests
    {
        private static PlanStarterNetwork Spec() => new PlanStarterNetwork(
            "vdc-network", "vdc-subnet", "10.0.0.0/24", 4, "10.0.0.1", false, new[] { "9.9.9.9" }, "vdc-router", "public",
            new[]
            {
                new PlanSecurityGroupRule("ingress", "tcp", 22, 22, "0.0.0.0/0", "IPv4", 1, 1),
                new PlanSecurityGroupRule("ingress", "icmp", null, null, null, "IPv4", 2, 1),
            }, 1, 1);

        private const string Group =
            "{\"security_groups\":[{\"id\":\"sg-1\",\"name\":\"default\",\"security_group_rules\":[" +
            "{\"id\":\"e-1\",\"direction\":\"egress\",\"ethertype\":\"IPv4\",\"protocol\":null,\"port_range_min\":null,\"port_range_max\":null,\"remote_ip_prefix\":null,\"remote_group_id\":null}" +
            "%RULES%]}]}";

        private static void External(ApiFixture cloud)
            => cloud.On("GET", @"^/network/v2.0/networks\?router:external=true&name=public$", 200, "{\"networks\":[{\"id\":\"ext-1\",\"name\":\"public\",\"router:external\":true}]}");

        [Fact]
        public async Task An_empty_project_gets_every_part_in_order_and_a_rollback_takes_all_back()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            External(cloud);
            cloud.On("GET", @"^/network/v2.0/networks\?project_id=p-1&name=vdc-network$", 200, "{\"networks\":[]}");
            cloud.On("POST", "^/network/v2.0/networks$", 201, "{\"network\":{\"id\":\"n-1\",\"name\":\"vdc-network\"}}");
            cloud.On("GET", @"^/network/v2.0/subnets\?network_id=n-1$", 200, "{\"subnets\":[]}");
            cloud.On("POST", "^/network/v2.0/subnets$", 201, "{\"subnet\":{\"id\":\"sn-1\",\"name\":\"vdc-subnet\",\"cidr\":\"10.0.0.0/24\"}}");
            cloud.On("GET", @"^/network/v2.0/routers\?project_id=p-1&name=vdc-router$", 200, "{\"routers\":[]}");
            cloud.On("POST", "^/network/v2.0/routers$", 201,
                "{\"router\":{\"id\":\"r-1\",\"name\":\"vdc-router\",\"external_gateway_info\":{\"network_id\":\"ext-1\",\"external_fixed_ips\":[{\"ip_address\":\"203.0.113.5\"}]}}}");
            cloud.On("GET", @"^/network/v2.0/ports\?device_id=r-1$", 200, "{\"ports\":[]}");
            cloud.On("PUT", "^/network/v2.0/routers/r-1/add_router_interface$", 200, "{\"id\":\"r-1\",\"port_id\":\"pt-1\",\"subnet_id\":\"sn-1\"}");
            cloud.On("GET", @"^/network/v2.0/security-groups\?project_id=p-1&name=default$", 200, Group.Replace("%RULES%", string.Empty));
            cloud.On("POST", "^/network/v2.0/security-group-rules$", 201, "{\"security_group_rule\":{\"id\":\"ru-new\"}}");
            cloud.On("PUT", "^/network/v2.0/routers/r-1/remove_router_interface$", 200, "{}");
            cloud.On("DELETE", "^/network/v2.0/", 204, "");
            var undo = new UndoLog();

            StarterNetworkParts parts = await new StarterNetwork(new NetworkTopologyApi(cloud.Session)).EnsureAsync(Spec(), "p-1", "acme", undo, provisioning: true, CancellationToken.None);

            Assert.Equal(("n-1", "sn-1", "r-1", "203.0.113.5"), (parts.NetworkId, parts.SubnetId, parts.RouterId, parts.GatewayAddress));
            Assert.Equal(
                new[] { "networks", "subnets", "routers", "security-group-rules", "security-group-rules" },
                cloud.Seen.Where(r => r.Method == "POST").Select(r => r.Path.Split('/').Last()));
            ApiFixture.AssertSameJson(
                "{\"security_group_rule\":{\"security_group_id\":\"sg-1\",\"direction\":\"ingress\",\"ethertype\":\"IPv4\",\"protocol\":\"tcp\",\"port_range_min\":22,\"port_range_max\":22,\"remote_ip_prefix\":\"0.0.0.0/0\"}}",
                cloud.Seen.First(r => r.Path.EndsWith("security-group-rules")).Body);
            Assert.Equal(6, parts.Made.Count);

            int before = cloud.Seen.Count;
            RollbackReport report = await undo.RollbackAsync();

            Assert.True(report.Complete, report.ToString());
            var undone = cloud.Seen.Skip(before).Select(r => r.Method + " " + r.Path).ToList();
            Assert.Equal(new[]
            {
                "PUT /network/v2.0/routers/r-1/remove_router_interface",
                "DELETE /network/v2.0/routers/r-1",
                "DELETE /network/v2.0/subnets/sn-1",
                "DELETE /network/v2.0/networks/n-1",
                "GET /network/v2.0/security-groups?project_id=p-1&name=default", // the project's default group goes with the project, last
                "DELETE /network/v2.0/security-groups/sg-1",
            }, undone);
        }

        [Fact]
        public async Task A_complete_starter_network_makes_a_rerun_send_no_change()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            External(cloud);
            cloud.On("GET", @"^/network/v2.0/networks\?project_id=p-1&name=vdc-network$", 200, "{\"networks\":[{\"id\":\"n-1\",\"name\":\"vdc-network\"}]}");
            cloud.On("GET", @"^/network/v2.0/subnets\?network_id=n-1$", 200, "{\"subnets\":[{\"id\":\"sn-1\",\"name\":\"vdc-subnet\",\"cidr\":\"10.0.0.0/24\"}]}");
            cloud.On("GET", @"^/network/v2.0/routers\?project_id=p-1&name=vdc-router$", 200,
                "{\"routers\":[{\"id\":\"r-1\",\"name\":\"vdc-router\",\"external_gateway_info\":{\"network_id\":\"ext-1\"}}]}");
            cloud.On("GET", @"^/network/v2.0/ports\?device_id=r-1$", 200,
                "{\"ports\":[{\"id\":\"pt-1\",\"device_owner\":\"network:router_interface\",\"fixed_ips\":[{\"subnet_id\":\"sn-1\"}]}]}");
            cloud.On("GET", @"^/network/v2.0/security-groups\?project_id=p-1&name=default$", 200, Group.Replace("%RULES%",
                ",{\"id\":\"a\",\"direction\":\"ingress\",\"ethertype\":\"IPv4\",\"protocol\":\"tcp\",\"port_range_min\":22,\"port_range_max\":22,\"remote_ip_prefix\":\"0.0.0.0/0\",\"remote_group_id\":null}" +
                ",{\"id\":\"b\",\"direction\":\"ingress\",\"ethertype\":\"IPv4\",\"protocol\":\"icmp\",\"port_range_min\":null,\"port_range_max\":null,\"remote_ip_prefix\":null,\"remote_group_id\":null}"));
            var starter = new StarterNetwork(new NetworkTopologyApi(cloud.Session));
            var undo = new UndoLog();

            StarterNetworkParts parts = await starter.EnsureAsync(Spec(), "p-1", "acme", undo, provisioning: false, CancellationToken.None);
            var gaps = await starter.InspectAsync(Spec(), "p-1", CancellationToken.None);

            Assert.Empty(parts.Made);
            Assert.Equal(0, undo.Count); // a repair takes back only what it made: nothing
            Assert.All(cloud.Seen, r => Assert.Equal("GET", r.Method));
            Assert.Empty(gaps);
        }

        [Fact]
        public async Task Inspect_names_each_missing_part_and_a_gateway_elsewhere()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            External(cloud);
            cloud.On("GET", @"^/network/v2.0/networks\?project_id=p-1&name=vdc-network$", 200, "{\"networks\":[{\"id\":\"n-1\",\"name\":\"vdc-network\"}]}");
            cloud.On("GET", @"^/network/v2.0/subnets\?network_id=n-1$", 200, "{\"subnets\":[{\"id\":\"sn-1\",\"name\":\"vdc-subnet\",\"cidr\":\"10.0.0.0/24\"}]}");
            cloud.On("GET", @"^/network/v2.0/routers\?project_id=p-1&name=vdc-router$", 200, "{\"routers\":[{\"id\":\"r-1\",\"name\":\"vdc-router\",\"external_gateway_info\":null}]}");
            cloud.On("GET", @"^/network/v2.0/ports\?device_id=r-1$", 200, "{\"ports\":[]}");
            cloud.On("GET", @"^/network/v2.0/security-groups\?project_id=p-1&name=default$", 200, Group.Replace("%RULES%", string.Empty));

            var gaps = await new StarterNetwork(new NetworkTopologyApi(cloud.Session)).InspectAsync(Spec(), "p-1", CancellationToken.None);

            Assert.Equal(
                new[] { "router-gateway public none", "router-interface vdc-subnet missing", "security-group-rule ingress tcp 22 from 0.0.0.0/0 missing", "security-group-rule ingress icmp missing" },
                gaps.Select(g => $"{g.Part} {g.Expected} {g.Actual}"));
        }

        [Fact]
        public void An_existing_rule_matches_the_plan_only_when_every_field_does()
        {
            var ssh = new PlanSecurityGroupRule("ingress", "tcp", 22, 22, "0.0.0.0/0", "IPv4", 1, 1);
            var have = new SecurityGroupRuleInfo { Direction = "ingress", EtherType = "IPv4", Protocol = "tcp", PortMin = 22, PortMax = 22, RemoteIpPrefix = "0.0.0.0/0" };

            Assert.True(StarterNetwork.Matches(have, ssh));
            Assert.False(StarterNetwork.Matches(new SecurityGroupRuleInfo { Direction = "ingress", EtherType = "IPv4", Protocol = "tcp", PortMin = 22, PortMax = 23, RemoteIpPrefix = "0.0.0.0/0" }, ssh));
            Assert.False(StarterNetwork.Matches(new SecurityGroupRuleInfo { Direction = "ingress", EtherType = "IPv4", Protocol = "tcp", PortMin = 22, PortMax = 22 }, ssh));
            Assert.False(StarterNetwork.Matches(new SecurityGroupRuleInfo { Direction = "ingress", EtherType = "IPv4", Protocol = "tcp", PortMin = 22, PortMax = 22, RemoteIpPrefix = "0.0.0.0/0", RemoteGroupId = "g" }, ssh));
        }
    }
}
