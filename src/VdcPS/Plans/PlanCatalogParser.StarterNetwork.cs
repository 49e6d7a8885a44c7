using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using VdcPS.Internal.Yaml;

namespace VdcPS.Plans
{
    /// <summary>
    /// plans.NAME.starter_network: the network, subnet, router and default-group rules a new tenant
    /// gets (about_VdcPS_Plans). Every address, CIDR, port range and protocol is checked here, so
    /// that New-VdcTenant never meets a Neutron 400 half-way through a tenant.
    /// </summary>
    internal sealed partial class PlanCatalogParser
    {
        private static readonly string[] StarterKeys =
            { "network_name", "subnet_name", "cidr", "gateway", "dns_servers", "router_name", "external_network", "security_group_rules" };

        private static readonly string[] RuleKeys = { "protocol", "ports", "remote_ip_prefix", "direction" };

        // The protocol names Neutron's security-group API accepts (neutron_lib constants), plus 'any'.
        private static readonly string[] ProtocolNames =
        {
            "ah", "dccp", "egp", "esp", "gre", "icmp", "icmpv6", "igmp", "ipip", "ipv6-encap", "ipv6-frag", "ipv6-icmp",
            "ipv6-nonxt", "ipv6-opts", "ipv6-route", "ospf", "pgm", "rsvp", "sctp", "tcp", "udp", "udplite", "vrrp", "any",
        };

        // Protocols whose rules may carry a port range in Neutron.
        private static readonly string[] PortProtocols = { "tcp", "udp", "sctp", "udplite", "dccp" };

        // neutron's default max_dns_nameservers
        private const int MaxDnsServers = 5;

        private static readonly Regex Ipv4Text = new Regex(@"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$", RegexOptions.CultureInvariant);
        private static readonly Regex PortRangeText = new Regex(@"^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$", RegexOptions.CultureInvariant);
        private static readonly Regex ResourceName = new Regex(@"^[^\s/][^/]{0,254}$", RegexOptions.CultureInvariant);

        private bool ReadStarterNetwork(YamlTreeEntry entry, string plan, string setting, out PlanStarterNetwork? starter)
        {
            starter = null;
            if (entry.Value is YamlTreeScalar empty && empty.IsNull)
            {
                return true;
            }

            string where = $"the starter_network of plan '{plan}'";
            if (!(entry.Value is YamlTreeMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"{where} must be a mapping (cidr, dns_servers, external_network, security_group_rules...), not {entry.Value.Kind}.");
                return false;
            }

            Dictionary<string, YamlTreeEntry> keys = Keys(map, StarterKeys, plan, setting, where);
            bool ok = true;

            string networkName = StarterName(keys, "network_name", PlanStarterNetwork.DefaultNetworkName, plan, setting, ref ok);
            string subnetName = StarterName(keys, "subnet_name", PlanStarterNetwork.DefaultSubnetName, plan, setting, ref ok);
            string routerName = StarterName(keys, "router_name", PlanStarterNetwork.DefaultRouterName, plan, setting, ref ok);

            (byte[] Bytes, int Prefix)? cidr = null;
            string canonical = string.Empty;
            if (!keys.TryGetValue("cidr", out YamlTreeEntry? ce))
            {
                Error(entry.Key.Line, entry.Key.Column, plan, setting + ".cidr", PlanRules.MissingValue,
                    $"{where} has no 'cidr': give the subnet's address range, for example 'cidr: 10.0.0.0/24'.");
                ok = false;
            }
            else
            {
                string? text = Text(ce, plan, setting + ".cidr");
                cidr = text == null ? null : ParseCidr(ce.Value, text, plan, setting + ".cidr", $"the cidr of {where}", subnet: true);
                if (cidr == null)
                {
                    if (text == null && ce.Value is YamlTreeScalar)
                    {
                        Error(ce.Value.Line, ce.Value.Column, plan, setting + ".cidr", PlanRules.MissingValue, $"the cidr of {where} is empty; give a range such as 10.0.0.0/24.");
                    }

                    ok = false;
                }
                else
                {
                    canonical = FormatCidr(cidr.Value.Bytes, cidr.Value.Prefix);
                }
            }

            int ipVersion = cidr != null && cidr.Value.Bytes.Length == 16 ? 6 : 4;
            string? gateway = null;
            bool noGateway = false;
            if (keys.TryGetValue("gateway", out YamlTreeEntry? ge))
            {
                string? text = Text(ge, plan, setting + ".gateway");
                if (text == null)
                {
                    if (ge.Value is YamlTreeScalar)
                    {
                        Error(ge.Value.Line, ge.Value.Column, plan, setting + ".gateway", PlanRules.MissingValue,
                            $"the gateway of {where} is empty; give an address in the subnet, 'none' for no gateway, or leave the key out for the subnet's first address.");
                    }

                    ok = false;
                }
                else if (string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase))
                {
                    noGateway = true;
                }
                else
                {
                    byte[]? address = ParseAddress(ge.Value, text.Trim(), plan, setting + ".gateway", $"the gateway of {where}");
                    if (address == null)
                    {
                        ok = false;
                    }
                    else if (cidr != null)
                    {
                        string problem = GatewayProblem(address, cidr.Value.Bytes, cidr.Value.Prefix);
                        if (problem.Length > 0)
                        {
                            Error(ge.Value.Line, ge.Value.Column, plan, setting + ".gateway", PlanRules.InvalidAddress,
                                $"the gateway {text.Trim()} of {where} {problem} {canonical}.");
                            ok = false;
                        }
                        else
                        {
                            gateway = new IPAddress(address).ToString();
                        }
                    }
                }
            }

            var dns = new List<string>();
            if (keys.TryGetValue("dns_servers", out YamlTreeEntry? de))
            {
                List<YamlTreeNode> items = de.Value is YamlTreeSequence seq ? seq.Items
                    : de.Value is YamlTreeScalar ds && !ds.IsNull ? new List<YamlTreeNode> { ds }
                    : de.Value is YamlTreeScalar ? new List<YamlTreeNode>()
                    : null!;
                if (items == null)
                {
                    Error(de.Value.Line, de.Value.Column, plan, setting + ".dns_servers", PlanRules.WrongType,
                        $"the dns_servers of {where} must be a list of IP addresses ([9.9.9.9, 1.1.1.1]), not {de.Value.Kind}.");
                    ok = false;
                }
                else
                {
                    foreach (YamlTreeNode item in items)
                    {
                        if (!(item is YamlTreeScalar s) || s.IsNull)
                        {
                            Error(item.Line, item.Column, plan, setting + ".dns_servers", PlanRules.InvalidAddress,
                                $"each of the dns_servers of {where} must be an IP address, not {item.Kind}.");
                            ok = false;
                            continue;
                        }

                        byte[]? address = ParseAddress(item, s.Value.Trim(), plan, setting + ".dns_servers", $"the DNS server of {where}");
                        if (address == null)
                        {
                            ok = false;
                            continue;
                        }

                        string text = new IPAddress(address).ToString();
                        if (dns.Contains(text))
                        {
                            Error(item.Line, item.Column, plan, setting + ".dns_servers", PlanRules.InvalidAddress,
                                $"the DNS server {text} is listed twice in {where}; Neutron refuses a repeated name server.");
                            ok = false;
                            continue;
                        }

                        dns.Add(text);
                    }

                    if (dns.Count > MaxDnsServers)
                    {
                        Error(de.Value.Line, de.Value.Column, plan, setting + ".dns_servers", PlanRules.InvalidAddress,
                            $"{where} lists {dns.Count} DNS servers; Neutron accepts at most {MaxDnsServers} per subnet (max_dns_nameservers).");
                        ok = false;
                    }
                }
            }

            string? external = null;
            if (keys.TryGetValue("external_network", out YamlTreeEntry? ee))
            {
                string? text = Text(ee, plan, setting + ".external_network");
                if (text == null || text.Trim().Length == 0 || !ResourceName.IsMatch(text.Trim()))
                {
                    if (ee.Value is YamlTreeScalar)
                    {
                        Error(ee.Value.Line, ee.Value.Column, plan, setting + ".external_network", PlanRules.MissingValue,
                            $"the external_network of {where} is empty or not a network name; give the name or ID of the external network the router's gateway goes on, or leave the key out for no router.");
                    }

                    ok = false;
                }
                else
                {
                    external = text.Trim();
                    if (noGateway)
                    {
                        Error(ee.Key.Line, ee.Key.Column, plan, setting + ".external_network", PlanRules.InvalidAddress,
                            $"{where} has a router (external_network: {external}) but its subnet has no gateway (gateway: none); the router's interface on the subnet takes the gateway address. Give a gateway or leave external_network out.");
                        ok = false;
                    }
                }
            }
            else if (keys.ContainsKey("router_name"))
            {
                Warning(keys["router_name"].Key.Line, keys["router_name"].Key.Column, plan, setting + ".router_name", PlanRules.UnknownKey,
                    $"{where} names a router but gives no external_network, so no router is created; add 'external_network: NAME' or remove router_name.");
            }

            var rules = new List<PlanSecurityGroupRule>();
            if (keys.TryGetValue("security_group_rules", out YamlTreeEntry? re))
            {
                ok &= ReadSecurityGroupRules(re, plan, setting + ".security_group_rules", where, ipVersion, rules);
            }

            if (!ok)
            {
                return false;
            }

            starter = new PlanStarterNetwork(networkName, subnetName, canonical, ipVersion, gateway, noGateway, dns,
                external == null ? null : routerName, external, rules, entry.Key.Line, entry.Key.Column);
            return true;
        }

        private string StarterName(Dictionary<string, YamlTreeEntry> keys, string key, string fallback, string plan, string setting, ref bool ok)
        {
            if (!keys.TryGetValue(key, out YamlTreeEntry? e))
            {
                return fallback;
            }

            string? text = Text(e, plan, setting + "." + key);
            if (text != null && ResourceName.IsMatch(text.Trim()))
            {
                return text.Trim();
            }

            if (e.Value is YamlTreeScalar)
            {
                Error(e.Value.Line, e.Value.Column, plan, setting + "." + key, PlanRules.MissingValue,
                    $"the {key} of the starter_network of plan '{plan}' must be 1 to 255 characters without '/', or leave the key out for '{fallback}'.");
            }

            ok = false;
            return fallback;
        }

        private bool ReadSecurityGroupRules(YamlTreeEntry entry, string plan, string setting, string where, int ipVersion, List<PlanSecurityGroupRule> rules)
        {
            if (entry.Value is YamlTreeScalar empty && empty.IsNull)
            {
                return true;
            }

            if (!(entry.Value is YamlTreeSequence seq))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the security_group_rules of {where} must be a list of rules (- {{protocol: tcp, ports: 22}}), not {entry.Value.Kind}.");
                return false;
            }

            bool ok = true;
            int index = 0;
            foreach (YamlTreeNode node in seq.Items)
            {
                index++;
                string s = $"{setting}[{index.ToString(CultureInfo.InvariantCulture)}]";
                string label = $"security group rule {index.ToString(CultureInfo.InvariantCulture)} of {where}";
                if (!(node is YamlTreeMapping rm))
                {
                    Error(node.Line, node.Column, plan, s, PlanRules.WrongType, $"{label} must be a mapping {{protocol: tcp, ports: 22}}, not {node.Kind}.");
                    ok = false;
                    continue;
                }

                Dictionary<string, YamlTreeEntry> keys = Keys(rm, RuleKeys, plan, s, label);
                bool ruleOk = true;

                string direction = "ingress";
                if (keys.TryGetValue("direction", out YamlTreeEntry? dir))
                {
                    string? d = Text(dir, plan, s + ".direction")?.Trim().ToLowerInvariant();
                    if (d != "ingress" && d != "egress")
                    {
                        if (dir.Value is YamlTreeScalar)
                        {
                            Error(dir.Value.Line, dir.Value.Column, plan, s + ".direction", PlanRules.WrongType,
                                $"the direction of {label} must be 'ingress' (the default) or 'egress'.");
                        }

                        ruleOk = false;
                    }
                    else
                    {
                        direction = d;
                    }
                }

                string? protocol = null;
                if (keys.TryGetValue("protocol", out YamlTreeEntry? pe))
                {
                    string? p = Text(pe, plan, s + ".protocol")?.Trim().ToLowerInvariant();
                    if (p != null && Array.IndexOf(ProtocolNames, p) >= 0)
                    {
                        protocol = p == "any" ? null : p;
                    }
                    else if (p != null && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 0 && number <= 255)
                    {
                        protocol = number.ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        if (pe.Value is YamlTreeScalar)
                        {
                            Error(pe.Value.Line, pe.Value.Column, plan, s + ".protocol", PlanRules.UnknownProtocol,
                                $"the protocol '{p}' of {label} is not one Neutron knows. {Suggest(p ?? string.Empty, ProtocolNames)}Use tcp, udp, icmp, ipv6-icmp, another IANA name Neutron accepts, a number 0 to 255, or 'any'.");
                        }

                        ruleOk = false;
                    }
                }

                string? remote = null;
                int? remoteVersion = null;
                if (keys.TryGetValue("remote_ip_prefix", out YamlTreeEntry? rp))
                {
                    string? text = Text(rp, plan, s + ".remote_ip_prefix");
                    (byte[] Bytes, int Prefix)? r = text == null ? null : ParseCidr(rp.Value, text, plan, s + ".remote_ip_prefix", $"the remote_ip_prefix of {label}", subnet: false);
                    if (r == null)
                    {
                        if (text == null && rp.Value is YamlTreeScalar)
                        {
                            Error(rp.Value.Line, rp.Value.Column, plan, s + ".remote_ip_prefix", PlanRules.InvalidCidr,
                                $"the remote_ip_prefix of {label} is empty; give a range such as 0.0.0.0/0, or leave the key out for any address.");
                        }

                        ruleOk = false;
                    }
                    else
                    {
                        remote = FormatCidr(r.Value.Bytes, r.Value.Prefix);
                        remoteVersion = r.Value.Bytes.Length == 16 ? 6 : 4;
                    }
                }

                int version = remoteVersion ?? (protocol == "ipv6-icmp" || protocol == "icmpv6" ? 6 : 4);
                if (ruleOk && version == 6 && protocol == "icmp")
                {
                    Error(pe!.Value.Line, pe.Value.Column, plan, s + ".protocol", PlanRules.UnknownProtocol,
                        $"{label} allows 'icmp' from an IPv6 range; ICMP for IPv6 is 'ipv6-icmp'.");
                    ruleOk = false;
                }
                else if (ruleOk && version == 4 && (protocol == "ipv6-icmp" || protocol == "icmpv6"))
                {
                    Error(pe!.Value.Line, pe.Value.Column, plan, s + ".protocol", PlanRules.UnknownProtocol,
                        $"{label} allows '{protocol}' from an IPv4 range; ICMP for IPv4 is 'icmp'.");
                    ruleOk = false;
                }

                int? min = null, max = null;
                if (keys.TryGetValue("ports", out YamlTreeEntry? po))
                {
                    string? text = po.Value is YamlTreeScalar ps && !ps.IsNull ? ps.Value : null;
                    Match m = text == null ? Match.Empty : PortRangeText.Match(text);
                    if (!m.Success)
                    {
                        Error(po.Value.Line, po.Value.Column, plan, s + ".ports", PlanRules.InvalidPortRange,
                            $"the ports of {label} must be one port (22) or a range (8000-8080), not {(text == null ? po.Value.Kind : "'" + text + "'")}.");
                        ruleOk = false;
                    }
                    else
                    {
                        int a = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                        int b = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : a;
                        if (a < 1 || b > 65535 || a > b)
                        {
                            Error(po.Value.Line, po.Value.Column, plan, s + ".ports", PlanRules.InvalidPortRange,
                                $"the ports '{text!.Trim()}' of {label} are not a range of 1 to 65535 with the first port not above the last.");
                            ruleOk = false;
                        }
                        else if (protocol == null || Array.IndexOf(PortProtocols, protocol) < 0)
                        {
                            Error(po.Value.Line, po.Value.Column, plan, s + ".ports", PlanRules.InvalidPortRange,
                                $"{label} gives ports for protocol '{protocol ?? "any"}'; ports apply to {string.Join(", ", PortProtocols)} only (give 'protocol: tcp', or leave the ports out).");
                            ruleOk = false;
                        }
                        else
                        {
                            min = a;
                            max = b;
                        }
                    }
                }

                if (ruleOk)
                {
                    rules.Add(new PlanSecurityGroupRule(direction, protocol, min, max, remote, version == 6 ? "IPv6" : "IPv4", node.Line, node.Column));
                }

                ok &= ruleOk;
            }

            return ok;
        }

        // ------------------------------------------------------------------ addresses

        /// <summary>A strict IP address: a dotted quad or an IPv6 address (no zone, no short IPv4 forms).</summary>
        private byte[]? ParseAddress(YamlTreeNode node, string text, string plan, string setting, string what)
        {
            byte[]? bytes = StrictAddress(text);
            if (bytes == null)
            {
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidAddress,
                    $"{what} is '{text}', which is not an IP address (such as 10.0.0.1 or fd00::1).");
            }

            return bytes;
        }

        internal static byte[]? StrictAddress(string text)
        {
            Match m = Ipv4Text.Match(text);
            if (m.Success)
            {
                var b = new byte[4];
                for (int i = 0; i < 4; i++)
                {
                    int v = int.Parse(m.Groups[i + 1].Value, CultureInfo.InvariantCulture);
                    if (v > 255)
                    {
                        return null;
                    }

                    b[i] = (byte)v;
                }

                return b;
            }

            if (text.IndexOf(':') >= 0 && text.IndexOf('%') < 0
                && IPAddress.TryParse(text, out IPAddress? a) && a.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return a.GetAddressBytes();
            }

            return null;
        }

        /// <summary>ADDRESS/PREFIX with the host bits zero; a subnet must also leave room for a gateway and a host.</summary>
        private (byte[] Bytes, int Prefix)? ParseCidr(YamlTreeNode node, string text, string plan, string setting, string what, bool subnet)
        {
            string t = text.Trim();
            int slash = t.IndexOf('/');
            byte[]? bytes = slash > 0 ? StrictAddress(t.Substring(0, slash)) : null;
            string prefixText = slash > 0 ? t.Substring(slash + 1) : string.Empty;
            if (bytes == null || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > bytes.Length * 8)
            {
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidCidr,
                    $"{what} is '{t}', which is not a CIDR: write ADDRESS/PREFIX such as 10.0.0.0/24 (prefix 0 to 32) or fd00::/64 (0 to 128).");
                return null;
            }

            byte[] network = Mask(bytes, prefix);
            if (!network.SequenceEqual(bytes))
            {
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidCidr,
                    $"{what} '{t}' has host bits set; the range it names is {FormatCidr(network, prefix)}.");
                return null;
            }

            int maxPrefix = bytes.Length == 4 ? 30 : 126;
            if (subnet && prefix > maxPrefix)
            {
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidCidr,
                    $"{what} '{t}' is too small for a subnet: it leaves no room for a gateway and a server (use a prefix of at most /{maxPrefix.ToString(CultureInfo.InvariantCulture)}).");
                return null;
            }

            return (bytes, prefix);
        }

        private static byte[] Mask(byte[] bytes, int prefix)
        {
            var result = new byte[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                int bits = Math.Max(0, Math.Min(8, prefix - (i * 8)));
                result[i] = (byte)(bytes[i] & (0xFF << (8 - bits)));
            }

            return result;
        }

        internal static string FormatCidr(byte[] bytes, int prefix) => new IPAddress(bytes).ToString() + "/" + prefix.ToString(CultureInfo.InvariantCulture);

        /// <summary>Empty when <paramref name="address"/> can be the gateway of the subnet, else why not ("is not in").</summary>
        private static string GatewayProblem(byte[] address, byte[] network, int prefix)
        {
            if (address.Length != network.Length || !Mask(address, prefix).SequenceEqual(network))
            {
                return "is not in the subnet";
            }

            if (address.SequenceEqual(network))
            {
                return "is the network address of the subnet";
            }

            if (address.Length == 4)
            {
                byte[] broadcast = (byte[])network.Clone();
                for (int i = 0; i < 4; i++)
                {
                    int bits = Math.Max(0, Math.Min(8, prefix - (i * 8)));
                    broadcast[i] |= (byte)~(0xFF << (8 - bits));
                }

                if (address.SequenceEqual(broadcast))
                {
                    return "is the broadcast address of the subnet";
                }
            }

            return string.Empty;
        }
    }
}
