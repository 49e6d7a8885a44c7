using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace VdcPS.Plans
{
    /// <summary>
    /// The network a plan gives every new tenant so that it can start at once (plans.NAME.starter_network):
    /// a network with one subnet, optionally a router with its gateway on a named external network and
    /// an interface on the subnet, and rules added to the project's default security group.
    /// </summary>
    internal sealed class PlanStarterNetwork
    {
        public PlanStarterNetwork(
            string networkName,
            string subnetName,
            string cidr,
            int ipVersion,
            string? gateway,
            bool noGateway,
            IReadOnlyList<string> dnsServers,
            string? routerName,
            string? externalNetwork,
            IReadOnlyList<PlanSecurityGroupRule> rules,
            int line,
            int column)
        {
            NetworkName = networkName;
            SubnetName = subnetName;
            Cidr = cidr;
            IpVersion = ipVersion;
            Gateway = gateway;
            NoGateway = noGateway;
            DnsServers = dnsServers;
            RouterName = routerName;
            ExternalNetwork = externalNetwork;
            Rules = rules;
            Line = line;
            Column = column;
        }

        public const string DefaultNetworkName = "vdc-network";
        public const string DefaultSubnetName = "vdc-subnet";
        public const string DefaultRouterName = "vdc-router";

        public string NetworkName { get; }

        public string SubnetName { get; }

        /// <summary>The subnet's CIDR in canonical form (10.0.0.0/24, fd00::/64).</summary>
        public string Cidr { get; }

        /// <summary>4 or 6, from <see cref="Cidr"/>.</summary>
        public int IpVersion { get; }

        /// <summary>The gateway address given in the catalog; null means Neutron's default (the first address) unless <see cref="NoGateway"/>.</summary>
        public string? Gateway { get; }

        /// <summary>gateway: none: the subnet has no gateway (and then no router can be attached).</summary>
        public bool NoGateway { get; }

        public IReadOnlyList<string> DnsServers { get; }

        /// <summary>Null when the plan declares no router (no external_network).</summary>
        public string? RouterName { get; }

        /// <summary>The name (or ID) of the external network the router's gateway is on; null for no router.</summary>
        public string? ExternalNetwork { get; }

        public bool HasRouter => ExternalNetwork != null;

        /// <summary>Rules added to the project's default security group, in catalog order.</summary>
        public IReadOnlyList<PlanSecurityGroupRule> Rules { get; }

        public int Line { get; }

        public int Column { get; }

        /// <summary>"vdc-network 10.0.0.0/24 via public; 2 rules".</summary>
        public override string ToString()
            => $"{NetworkName} {Cidr}"
               + (HasRouter ? $" via {ExternalNetwork}" : string.Empty)
               + (Rules.Count == 0 ? string.Empty : "; " + string.Join(", ", Rules.Select(r => r.ToString())));
    }

    /// <summary>One rule a plan adds to the default security group (ingress unless said otherwise).</summary>
    internal sealed class PlanSecurityGroupRule
    {
        public PlanSecurityGroupRule(string direction, string? protocol, int? portMin, int? portMax, string? remoteIpPrefix, string etherType, int line, int column)
        {
            Direction = direction;
            Protocol = protocol;
            PortMin = portMin;
            PortMax = portMax;
            RemoteIpPrefix = remoteIpPrefix;
            EtherType = etherType;
            Line = line;
            Column = column;
        }

        /// <summary>ingress or egress.</summary>
        public string Direction { get; }

        /// <summary>tcp, udp, icmp, ipv6-icmp, sctp... or a protocol number as text; null for any protocol.</summary>
        public string? Protocol { get; }

        public int? PortMin { get; }

        public int? PortMax { get; }

        /// <summary>Canonical CIDR, or null for any address of <see cref="EtherType"/>.</summary>
        public string? RemoteIpPrefix { get; }

        /// <summary>IPv4 or IPv6.</summary>
        public string EtherType { get; }

        public int Line { get; }

        public int Column { get; }

        /// <summary>"ingress tcp 22 from 0.0.0.0/0", "ingress icmp".</summary>
        public override string ToString()
        {
            string ports = PortMin == null ? string.Empty
                : PortMin == PortMax ? " " + PortMin.Value.ToString(CultureInfo.InvariantCulture)
                : $" {PortMin.Value.ToString(CultureInfo.InvariantCulture)}-{PortMax!.Value.ToString(CultureInfo.InvariantCulture)}";
            return $"{Direction} {Protocol ?? "any"}{ports}" + (RemoteIpPrefix == null ? string.Empty : " from " + RemoteIpPrefix);
        }
    }
}
