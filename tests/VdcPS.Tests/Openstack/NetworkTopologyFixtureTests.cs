using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Network;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// The Neutron calls of the starter network (issue 18): the exact requests sent and the parsing of
    /// the neutron-lib api-ref sample bodies (api-ref/source/v2/samples/{networks,subnets,routers,security-groups}).
    /// </summary>
    public class NetworkTopologyFixtureTests
    {
        private static string Sample(string name) => ApiFixture.Sample("network", name);

        [Fact]
        public async Task A_network_is_created_for_the_project_and_the_answer_parsed()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("POST", "^/network/v2.0/networks$", 201, Sample("network-create-response.json"));

            NetworkInfo n = await new NetworkTopologyApi(cloud.Session).CreateNetworkAsync(new NetworkCreateOptions { Name = "net1", ProjectId = "p-1" }, CancellationToken.None);

            ApiFixture.AssertSameJson("{\"network\":{\"name\":\"net1\",\"project_id\":\"p-1\",\"admin_state_up\":true}}", cloud.Single("POST").Body);
            Assert.Equal("4e8e5957-649f-477b-9e5b-f1f75b21c03c", n.Id);
            Assert.Equal("net1", n.Name);
            Assert.Equal("9bacb3c5d39d41a79512987f338cf177", n.ProjectId);
            Assert.Equal("ACTIVE", n.Status);
            Assert.False(n.External);
            Assert.Empty(n.SubnetIds);
        }

        [Fact]
        public async Task A_network_is_found_by_project_and_name()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/network/v2.0/networks\?project_id=p-1&name=private-network$", 200, Sample("networks-list-response.json"));

            NetworkInfo? n = await new NetworkTopologyApi(cloud.Session).FindNetworkAsync("p-1", "private-network", CancellationToken.None);

            Assert.NotNull(n);
            Assert.Equal("d32019d3-bc6e-4319-9c1d-6722fc136a22", n!.Id);
            Assert.Equal(new[] { "54d6f61d-db07-451c-9ab3-b9609b6b6f0b" }, n.SubnetIds);
            Assert.True(n.External);
            Assert.True(n.Shared);
        }

        [Fact]
        public async Task An_external_network_is_found_by_name_then_by_id_and_an_internal_one_is_not_external()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/network/v2.0/networks\?router:external=true&name=private$", 200, Sample("networks-list-response.json"));
            cloud.On("GET", @"^/network/v2.0/networks\?router:external=true&name=", 200, "{\"networks\":[]}");
            cloud.On("GET", "^/network/v2.0/networks/4e8e5957-649f-477b-9e5b-f1f75b21c03c$", 200, Sample("network-create-response.json"));
            var api = new NetworkTopologyApi(cloud.Session);

            Assert.Equal("d32019d3-bc6e-4319-9c1d-6722fc136a22", (await api.FindExternalNetworkAsync("private", CancellationToken.None))!.Id);
            // found by ID, but router:external is false in the sample: not an external network
            Assert.Null(await api.FindExternalNetworkAsync("4e8e5957-649f-477b-9e5b-f1f75b21c03c", CancellationToken.None));
            // neither a name nor an ID (the GET by ID is a 404)
            Assert.Null(await api.FindExternalNetworkAsync("nowhere", CancellationToken.None));
        }

        [Fact]
        public async Task A_networks_subnets_are_listed_with_cidr_gateway_and_dns()
        {
            // neutron-lib api-ref subnets-list-response.json, cut to the subnets of network d32019d3...
            // as Neutron's network_id filter answers; the older shape without project_id (tenant_id only) too.
            const string Network = "d32019d3-bc6e-4319-9c1d-6722fc136a22";
            JsonNode doc = JsonNode.Parse(Sample("subnets-list-response.json"))!;
            JsonArray subnets = doc["subnets"]!.AsArray();
            foreach (JsonNode? other in subnets.Where(n => n!["network_id"]!.GetValue<string>() != Network).ToList())
            {
                subnets.Remove(other);
            }

            JsonNode old = JsonNode.Parse(doc.ToJsonString())!;
            old["subnets"]![0]!.AsObject().Remove("project_id");
            old["subnets"]![0]!["gateway_ip"] = null;
            old["subnets"]![0]!["dns_nameservers"] = new JsonArray("9.9.9.9", "1.1.1.1");
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/network/v2.0/subnets\?network_id=" + Network + "$", 200, doc.ToJsonString());
            cloud.On("GET", @"^/network/v2.0/subnets\?network_id=old$", 200, old.ToJsonString());
            cloud.On("GET", @"^/network/v2.0/subnets\?network_id=empty$", 200, "{\"subnets\": []}");
            var api = new NetworkTopologyApi(cloud.Session);

            IReadOnlyList<SubnetInfo> found = await api.ListSubnetsAsync(Network, CancellationToken.None);
            IReadOnlyList<SubnetInfo> older = await api.ListSubnetsAsync("old", CancellationToken.None);
            IReadOnlyList<SubnetInfo> none = await api.ListSubnetsAsync("empty", CancellationToken.None);

            Assert.Equal(
                new[] { "/network/v2.0/subnets?network_id=" + Network, "/network/v2.0/subnets?network_id=old", "/network/v2.0/subnets?network_id=empty" },
                cloud.Seen.Select(r => r.Path));
            SubnetInfo s = Assert.Single(found);
            Assert.Equal("54d6f61d-db07-451c-9ab3-b9609b6b6f0b", s.Id);
            Assert.Equal("my_subnet", s.Name);
            Assert.Equal(Network, s.NetworkId);
            Assert.Equal("4fd44f30292945e481c7b8a0c8908869", s.ProjectId);
            Assert.Equal("192.0.0.0/8", s.Cidr);
            Assert.Equal(4, s.IpVersion);
            Assert.Equal("192.0.0.1", s.GatewayIp);
            Assert.Empty(s.DnsServers);
            SubnetInfo o = Assert.Single(older);
            Assert.Equal("4fd44f30292945e481c7b8a0c8908869", o.ProjectId); // from tenant_id
            Assert.Null(o.GatewayIp);
            Assert.Equal(new[] { "9.9.9.9", "1.1.1.1" }, o.DnsServers);
            Assert.Empty(none);
        }

        [Fact]
        public async Task Subnets_Neutron_refuses_to_list_are_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/network/v2.0/subnets", 403, "{\"NeutronError\": {\"type\": \"PolicyNotAuthorized\", \"message\": \"rule:get_subnet is disallowed by policy\", \"detail\": \"\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new NetworkTopologyApi(cloud.Session).ListSubnetsAsync("n&1", CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
            Assert.Equal("/network/v2.0/subnets?network_id=n%261", cloud.Single("GET").Path);
        }

        [Fact]
        public async Task A_subnet_is_created_with_cidr_gateway_and_dns_and_the_answer_parsed()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("POST", "^/network/v2.0/subnets$", 201, Sample("subnet-create-response.json"));

            SubnetInfo s = await new NetworkTopologyApi(cloud.Session).CreateSubnetAsync(new SubnetCreateOptions
            {
                Name = "vdc-subnet", NetworkId = "n-1", ProjectId = "p-1", Cidr = "192.168.199.0/24", IpVersion = 4,
                GatewayIp = "192.168.199.1", DnsServers = new[] { "9.9.9.9", "1.1.1.1" },
            }, CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"subnet\":{\"name\":\"vdc-subnet\",\"network_id\":\"n-1\",\"project_id\":\"p-1\",\"cidr\":\"192.168.199.0/24\",\"ip_version\":4,\"enable_dhcp\":true,\"gateway_ip\":\"192.168.199.1\",\"dns_nameservers\":[\"9.9.9.9\",\"1.1.1.1\"]}}",
                cloud.Single("POST").Body);
            Assert.Equal("3b80198d-4f7b-4f77-9ef5-774d54e17126", s.Id);
            Assert.Equal("d32019d3-bc6e-4319-9c1d-6722fc136a22", s.NetworkId);
            Assert.Equal("192.168.199.0/24", s.Cidr);
            Assert.Equal("192.168.199.1", s.GatewayIp);
            Assert.Equal(4, s.IpVersion);
            Assert.Empty(s.DnsServers);
        }

        [Fact]
        public void A_subnet_without_gateway_sends_null_and_a_default_gateway_sends_nothing()
        {
            string none = new SubnetCreateOptions { Name = "s", NetworkId = "n", ProjectId = "p", Cidr = "10.0.0.0/24", NoGateway = true }.ToBody().ToJsonString();
            string dflt = new SubnetCreateOptions { Name = "s", NetworkId = "n", ProjectId = "p", Cidr = "10.0.0.0/24" }.ToBody().ToJsonString();

            Assert.Contains("\"gateway_ip\":null", none);
            Assert.DoesNotContain("gateway_ip", dflt);
            Assert.DoesNotContain("dns_nameservers", dflt);
        }

        [Fact]
        public async Task A_router_is_created_with_its_gateway_and_the_gateway_address_parsed()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("POST", "^/network/v2.0/routers$", 201, Sample("router-create-response.json"));

            RouterInfo r = await new NetworkTopologyApi(cloud.Session).CreateRouterAsync(
                new RouterCreateOptions { Name = "router1", ProjectId = "p-1", ExternalNetworkId = "ae34051f-aa6c-4c75-abf5-50dc9ac99ef3" }, CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"router\":{\"name\":\"router1\",\"project_id\":\"p-1\",\"admin_state_up\":true,\"external_gateway_info\":{\"network_id\":\"ae34051f-aa6c-4c75-abf5-50dc9ac99ef3\"}}}",
                cloud.Single("POST").Body);
            Assert.Equal("f8a44de0-fc8e-45df-93c7-f79bf3b01c95", r.Id);
            Assert.Equal("ae34051f-aa6c-4c75-abf5-50dc9ac99ef3", r.GatewayNetworkId);
            Assert.Equal(new[] { "172.24.4.6" }, r.GatewayAddresses);
            Assert.Equal("0bd18306d801447bb457a46252d82d13", r.ProjectId);
        }

        [Fact]
        public async Task A_router_found_without_gateway_gets_one_set()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/network/v2.0/routers\?project_id=p-1&name=vdc-router$", 200, "{\"routers\":[{\"id\":\"r-1\",\"name\":\"vdc-router\",\"external_gateway_info\":null}]}");
            cloud.On("PUT", "^/network/v2.0/routers/r-1$", 200, Sample("router-create-response.json"));
            var api = new NetworkTopologyApi(cloud.Session);

            RouterInfo? found = await api.FindRouterAsync("p-1", "vdc-router", CancellationToken.None);
            RouterInfo set = await api.SetRouterGatewayAsync("r-1", "ext-1", CancellationToken.None);

            Assert.Null(found!.GatewayNetworkId);
            ApiFixture.AssertSameJson("{\"router\":{\"external_gateway_info\":{\"network_id\":\"ext-1\"}}}", cloud.Single("PUT").Body);
            Assert.Equal("172.24.4.6", set.GatewayAddresses.Single());
        }

        [Fact]
        public async Task An_interface_is_added_by_subnet_removed_by_subnet_and_listed_from_the_router_ports()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("PUT", "^/network/v2.0/routers/r-1/add_router_interface$", 200, Sample("router-add-interface-response.json"));
            cloud.On("PUT", "^/network/v2.0/routers/r-1/remove_router_interface$", 404, "{\"NeutronError\":{\"type\":\"RouterNotFound\",\"message\":\"Router r-1 could not be found\",\"detail\":\"\"}}");
            cloud.On("GET", @"^/network/v2.0/ports\?device_id=r-1$", 200,
                "{\"ports\":[{\"id\":\"pt-1\",\"network_id\":\"n-1\",\"device_id\":\"r-1\",\"device_owner\":\"network:router_interface\",\"fixed_ips\":[{\"subnet_id\":\"sn-1\",\"ip_address\":\"10.0.0.1\"}]}," +
                "{\"id\":\"pt-2\",\"network_id\":\"ext\",\"device_id\":\"r-1\",\"device_owner\":\"network:router_gateway\",\"fixed_ips\":[{\"subnet_id\":\"ext-sn\",\"ip_address\":\"203.0.113.9\"}]}]}");
            var api = new NetworkTopologyApi(cloud.Session);

            RouterInterfaceInfo added = await api.AddRouterInterfaceAsync("r-1", "a2f1f29d-571b-4533-907f-5803ab96ead1", CancellationToken.None);
            await api.RemoveRouterInterfaceAsync("r-1", "sn-1", CancellationToken.None); // 404: gone already is fine
            PortInfo only = Assert.Single(await api.ListRouterInterfacesAsync("r-1", CancellationToken.None));

            var puts = cloud.Seen.Where(r => r.Method == "PUT").ToList();
            ApiFixture.AssertSameJson("{\"subnet_id\":\"a2f1f29d-571b-4533-907f-5803ab96ead1\"}", puts[0].Body);
            ApiFixture.AssertSameJson("{\"subnet_id\":\"sn-1\"}", puts[1].Body);
            Assert.Equal("915a14a6-867b-4af7-83d1-70efceb146f9", added.RouterId);
            Assert.Equal("2dc46bcc-d1f2-4077-b99e-91ee28afaff0", added.PortId);
            Assert.Equal("a2f1f29d-571b-4533-907f-5803ab96ead1", added.SubnetId);
            Assert.Equal("pt-1", only.Id);
            Assert.Equal(new[] { "sn-1" }, only.SubnetIds);
        }

        [Fact]
        public async Task The_default_group_is_read_with_its_rules()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/network/v2.0/security-groups\?project_id=p-1&name=default$", 200, Sample("security-groups-list-response.json"));

            SecurityGroupInfo g = (await new NetworkTopologyApi(cloud.Session).FindSecurityGroupAsync("p-1", "default", CancellationToken.None))!;

            Assert.Equal("85cc3048-abc3-43cc-89b3-377341426ac5", g.Id);
            Assert.Equal(4, g.Rules.Count);
            SecurityGroupRuleInfo ingress4 = g.Rules.Single(r => r.Direction == "ingress" && r.EtherType == "IPv4");
            Assert.Equal("85cc3048-abc3-43cc-89b3-377341426ac5", ingress4.RemoteGroupId);
            Assert.Null(ingress4.Protocol);
            Assert.Null(ingress4.PortMin);
            Assert.Null(ingress4.RemoteIpPrefix);
        }

        [Fact]
        public async Task A_rule_is_created_with_the_api_ref_body_and_a_duplicate_409_is_null()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("POST", "^/network/v2.0/security-group-rules$", 201, Sample("security-group-rule-create-response.json"));
            var api = new NetworkTopologyApi(cloud.Session);

            SecurityGroupRuleInfo? r = await api.CreateSecurityGroupRuleAsync(new SecurityGroupRuleCreateOptions
            {
                SecurityGroupId = "a7734e61-b545-452d-a3cd-0189cbd9747a", Direction = "ingress", EtherType = "IPv4", Protocol = "tcp", PortMin = 80, PortMax = 80,
            }, CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"security_group_rule\":{\"security_group_id\":\"a7734e61-b545-452d-a3cd-0189cbd9747a\",\"direction\":\"ingress\",\"ethertype\":\"IPv4\",\"protocol\":\"tcp\",\"port_range_min\":80,\"port_range_max\":80}}",
                cloud.Single("POST").Body);
            Assert.Equal("2bc0accf-312e-429a-956e-e4407625eb62", r!.Id);
            Assert.Equal(80, r.PortMin);
            Assert.Equal("tcp", r.Protocol);

            using ApiFixture dup = await ApiFixture.StartAsync();
            dup.On("POST", "^/network/v2.0/security-group-rules$", 409,
                "{\"NeutronError\":{\"type\":\"SecurityGroupRuleExists\",\"message\":\"Security group rule already exists. Rule id is 2bc0accf-312e-429a-956e-e4407625eb62.\",\"detail\":\"\"}}");
            Assert.Null(await new NetworkTopologyApi(dup.Session).CreateSecurityGroupRuleAsync(new SecurityGroupRuleCreateOptions { SecurityGroupId = "g", Protocol = "icmp" }, CancellationToken.None));
            ApiFixture.AssertSameJson("{\"security_group_rule\":{\"security_group_id\":\"g\",\"direction\":\"ingress\",\"ethertype\":\"IPv4\",\"protocol\":\"icmp\"}}", dup.Single("POST").Body);
        }

        [Fact]
        public async Task Deletes_send_the_resource_path_and_treat_404_as_done()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            var api = new NetworkTopologyApi(cloud.Session);

            // no routes: every DELETE is a 404, which is "already gone"
            await api.DeleteNetworkAsync("n-1", CancellationToken.None);
            await api.DeleteSubnetAsync("sn-1", CancellationToken.None);
            await api.DeleteRouterAsync("r-1", CancellationToken.None);
            await api.DeleteSecurityGroupRuleAsync("ru-1", CancellationToken.None);
            await api.DeleteSecurityGroupAsync("sg-1", CancellationToken.None);

            Assert.Equal(
                new[] { "/network/v2.0/networks/n-1", "/network/v2.0/subnets/sn-1", "/network/v2.0/routers/r-1", "/network/v2.0/security-group-rules/ru-1", "/network/v2.0/security-groups/sg-1" },
                cloud.Seen.Select(r => r.Path));
        }
    }
}
