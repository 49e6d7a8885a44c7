using System.Collections.Generic;
using System.Linq;
using VdcPS.Plans;
using Xunit;

namespace VdcPS.Tests.Plans
{
    /// <summary>plans.NAME.starter_network: what is read, and every rule the catalog check applies to it.</summary>
    public class StarterNetworkParserTests
    {
        private const string File = "/catalogs/plans.yaml";

        private const string Head =
            "api_version: vdcps/v1\n" +
            "currency: EUR\n" +
            "plans:\n" +
            "  small:\n" +
            "    prices: {monthly_fee: 100}\n" +
            "    quotas:\n" +
            "      compute: {cores: {default: 4, min: 2, max: 8}}\n" +
            "    starter_network:\n";                               // line 8

        private static string Yaml(params string[] lines) => Head + string.Join("\n", lines.Select(l => "      " + l)) + "\n";

        private static PlanStarterNetwork? Starter(string yaml)
        {
            (PlanCatalog? catalog, IReadOnlyList<PlanProblem> problems) = PlanCatalogLoader.Parse(yaml, File);
            Assert.True(catalog != null, "expected no errors, got: " + string.Join(" | ", problems));
            return catalog!.Plans[0].StarterNetwork;
        }

        private static PlanProblem One(string yaml, string rule)
        {
            IReadOnlyList<PlanProblem> all = PlanCatalogLoader.Parse(yaml, File).Problems;
            List<PlanProblem> matching = all.Where(p => p.Rule == rule).ToList();
            Assert.True(matching.Count == 1, $"expected one {rule}, got: " + string.Join(" | ", all));
            Assert.Null(PlanCatalogLoader.Parse(yaml, File).Catalog);
            return matching[0];
        }

        [Fact]
        public void A_full_starter_network_is_read()
        {
            PlanStarterNetwork s = Starter(Yaml(
                "network_name: customer-net",
                "cidr: 10.20.0.0/24",
                "gateway: 10.20.0.254",
                "dns_servers: [9.9.9.9, 2620:fe::fe]",
                "external_network: public",
                "security_group_rules:",
                "  - {protocol: tcp, ports: 22, remote_ip_prefix: 0.0.0.0/0}",
                "  - {protocol: TCP, ports: 8000-8080}",
                "  - {protocol: icmp}",
                "  - {protocol: ipv6-icmp}"))!;
            Assert.Equal("customer-net", s.NetworkName);
            Assert.Equal(PlanStarterNetwork.DefaultSubnetName, s.SubnetName);
            Assert.Equal(PlanStarterNetwork.DefaultRouterName, s.RouterName);
            Assert.Equal("10.20.0.0/24", s.Cidr);
            Assert.Equal(4, s.IpVersion);
            Assert.Equal("10.20.0.254", s.Gateway);
            Assert.False(s.NoGateway);
            Assert.Equal(new[] { "9.9.9.9", "2620:fe::fe" }, s.DnsServers);
            Assert.Equal("public", s.ExternalNetwork);
            Assert.True(s.HasRouter);
            Assert.Equal(4, s.Rules.Count);
            Assert.Equal(("tcp", 22, 22, "0.0.0.0/0", "IPv4"), (s.Rules[0].Protocol, s.Rules[0].PortMin, s.Rules[0].PortMax, s.Rules[0].RemoteIpPrefix, s.Rules[0].EtherType));
            Assert.Equal(("tcp", 8000, 8080), (s.Rules[1].Protocol, s.Rules[1].PortMin, s.Rules[1].PortMax));
            Assert.Equal(("icmp", (int?)null, "IPv4", "ingress"), (s.Rules[2].Protocol, s.Rules[2].PortMin, s.Rules[2].EtherType, s.Rules[2].Direction));
            Assert.Equal("IPv6", s.Rules[3].EtherType);
            Assert.Equal("customer-net 10.20.0.0/24 via public; ingress tcp 22 from 0.0.0.0/0, ingress tcp 8000-8080, ingress icmp, ingress ipv6-icmp", s.ToString());
        }

        [Fact]
        public void Without_external_network_there_is_no_router_and_defaults_apply()
        {
            PlanStarterNetwork s = Starter(Yaml("cidr: fd00:10::/64"))!;
            Assert.False(s.HasRouter);
            Assert.Null(s.RouterName);
            Assert.Equal(6, s.IpVersion);
            Assert.Null(s.Gateway);
            Assert.Equal(PlanStarterNetwork.DefaultNetworkName, s.NetworkName);
            Assert.Empty(s.Rules);
        }

        [Fact]
        public void A_valid_starter_network_has_no_problem()
        {
            // New-VdcTenant creates it (issue 18): no StarterNetworkNotCreated warning any more.
            IReadOnlyList<PlanProblem> all = PlanCatalogLoader.Parse(Yaml("cidr: 10.0.0.0/24", "external_network: public"), File).Problems;
            Assert.Empty(all);
        }

        [Fact]
        public void A_plan_without_starter_network_has_none()
        {
            (PlanCatalog? c, _) = PlanCatalogLoader.Parse(Head.Replace("    starter_network:\n", string.Empty), File);
            Assert.Null(c!.Plans[0].StarterNetwork);
            Assert.Equal(string.Empty, c.Plans[0].ToModel().StarterNetwork);
        }

        [Theory]
        [InlineData("10.0.0.0", "not a CIDR")]
        [InlineData("10.0.0.0/33", "not a CIDR")]
        [InlineData("10.0.0/24", "not a CIDR")]
        [InlineData("256.0.0.0/8", "not a CIDR")]
        [InlineData("10.0.0.5/24", "host bits set; the range it names is 10.0.0.0/24")]
        [InlineData("10.0.0.0/31", "too small")]
        [InlineData("fd00::1/64", "the range it names is fd00::/64")]
        public void A_bad_cidr_is_reported_where_it_is_written(string cidr, string message)
        {
            PlanProblem p = One(Yaml("cidr: " + cidr), PlanRules.InvalidCidr);
            Assert.Equal(9, p.Line);
            Assert.Equal(13, p.Column);
            Assert.Equal("plans.small.starter_network.cidr", p.Setting);
            Assert.Contains(message, p.Message);
        }

        [Fact]
        public void A_missing_cidr_is_reported()
            => Assert.Equal("plans.small.starter_network.cidr", One(Yaml("network_name: n"), PlanRules.MissingValue).Setting);

        [Theory]
        [InlineData("10.1.0.1", "is not in the subnet 10.0.0.0/24")]
        [InlineData("10.0.0.0", "is the network address")]
        [InlineData("10.0.0.255", "is the broadcast address")]
        [InlineData("10.0.0", "not an IP address")]
        [InlineData("fd00::1", "is not in the subnet")]
        public void A_bad_gateway_is_reported(string gateway, string message)
        {
            PlanProblem p = One(Yaml("cidr: 10.0.0.0/24", "gateway: " + gateway), PlanRules.InvalidAddress);
            Assert.Equal(10, p.Line);
            Assert.Contains(message, p.Message);
        }

        [Fact]
        public void Gateway_none_cannot_have_a_router()
        {
            Assert.True(Starter(Yaml("cidr: 10.0.0.0/24", "gateway: none"))!.NoGateway);
            PlanProblem p = One(Yaml("cidr: 10.0.0.0/24", "gateway: none", "external_network: public"), PlanRules.InvalidAddress);
            Assert.Contains("no gateway", p.Message);
        }

        [Theory]
        [InlineData("[9.9.9]", "not an IP address")]
        [InlineData("[1]", "not an IP address")]
        [InlineData("[dns.example.com]", "not an IP address")]
        [InlineData("[9.9.9.9, 9.9.9.9]", "listed twice")]
        [InlineData("[1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4, 1.1.1.5, 1.1.1.6]", "at most 5")]
        public void Bad_dns_servers_are_reported(string list, string message)
            => Assert.Contains(message, One(Yaml("cidr: 10.0.0.0/24", "dns_servers: " + list), PlanRules.InvalidAddress).Message);

        [Theory]
        [InlineData("{protocol: tcp, ports: 0}", PlanRules.InvalidPortRange, "1 to 65535")]
        [InlineData("{protocol: tcp, ports: 65536}", PlanRules.InvalidPortRange, "1 to 65535")]
        [InlineData("{protocol: tcp, ports: 90-80}", PlanRules.InvalidPortRange, "not above the last")]
        [InlineData("{protocol: tcp, ports: ssh}", PlanRules.InvalidPortRange, "one port (22) or a range")]
        [InlineData("{protocol: icmp, ports: 22}", PlanRules.InvalidPortRange, "ports apply to tcp")]
        [InlineData("{ports: 22}", PlanRules.InvalidPortRange, "protocol 'any'")]
        [InlineData("{protocol: tpc, ports: 22}", PlanRules.UnknownProtocol, "Did you mean 'tcp'?")]
        [InlineData("{protocol: 256}", PlanRules.UnknownProtocol, "not one Neutron knows")]
        [InlineData("{protocol: icmp, remote_ip_prefix: '::/0'}", PlanRules.UnknownProtocol, "'ipv6-icmp'")]
        [InlineData("{protocol: tcp, remote_ip_prefix: 0.0.0.0}", PlanRules.InvalidCidr, "not a CIDR")]
        [InlineData("{protocol: tcp, direction: inbound}", PlanRules.WrongType, "'ingress'")]
        [InlineData("{protocol: tcp, port: 22}", PlanRules.UnknownKey, "Did you mean 'ports'?")]
        public void Bad_security_group_rules_are_reported(string rule, string ruleId, string message)
        {
            PlanProblem p = One(Yaml("cidr: 10.0.0.0/24", "security_group_rules:", "  - {protocol: tcp, ports: 22}", "  - " + rule), ruleId);
            Assert.Equal(12, p.Line);
            Assert.StartsWith("plans.small.starter_network.security_group_rules[2]", p.Setting);
            Assert.Contains(message, p.Message);
        }

        [Fact]
        public void A_protocol_number_is_allowed()
            => Assert.Equal("47", Starter(Yaml("cidr: 10.0.0.0/24", "security_group_rules: [{protocol: 47}]"))!.Rules[0].Protocol);
    }
}
