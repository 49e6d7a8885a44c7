using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace VdcPS.Openstack.Network
{
    /// <summary>POST /v2.0/networks for another project (admin): name and owner only.</summary>
    internal sealed class NetworkCreateOptions
    {
        public string Name { get; set; } = string.Empty;

        public string ProjectId { get; set; } = string.Empty;

        internal JsonObject ToBody() => new JsonObject
        {
            ["network"] = new JsonObject { ["name"] = Name, ["project_id"] = ProjectId, ["admin_state_up"] = true },
        };
    }

    /// <summary>A network as Neutron answers it (the fields VdcPS reads).</summary>
    internal sealed class NetworkInfo
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string ProjectId { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public bool External { get; set; }

        public bool Shared { get; set; }

        public IReadOnlyList<string> SubnetIds { get; set; } = Array.Empty<string>();

        internal static NetworkInfo From(JsonNode n) => new NetworkInfo
        {
            Id = NeutronJson.Text(n, "id"),
            Name = NeutronJson.Text(n, "name"),
            ProjectId = NeutronJson.Text(n, "project_id", "tenant_id"),
            Status = NeutronJson.Text(n, "status"),
            External = NeutronJson.Bool(n, "router:external"),
            Shared = NeutronJson.Bool(n, "shared"),
            SubnetIds = NeutronJson.Texts(n["subnets"]),
        };
    }

    /// <summary>POST /v2.0/subnets: a subnet with its CIDR, gateway (or none) and DNS servers.</summary>
    internal sealed class SubnetCreateOptions
    {
        public string Name { get; set; } = string.Empty;

        public string NetworkId { get; set; } = string.Empty;

        public string ProjectId { get; set; } = string.Empty;

        public string Cidr { get; set; } = string.Empty;

        public int IpVersion { get; set; } = 4;

        /// <summary>Null = Neutron's default (the first address), unless <see cref="NoGateway"/>.</summary>
        public string? GatewayIp { get; set; }

        /// <summary>Sends "gateway_ip": null (a subnet without a gateway).</summary>
        public bool NoGateway { get; set; }

        public IReadOnlyList<string> DnsServers { get; set; } = Array.Empty<string>();

        internal JsonObject ToBody()
        {
            var subnet = new JsonObject
            {
                ["name"] = Name,
                ["network_id"] = NetworkId,
                ["project_id"] = ProjectId,
                ["cidr"] = Cidr,
                ["ip_version"] = IpVersion,
                ["enable_dhcp"] = true,
            };
            if (NoGateway)
            {
                subnet["gateway_ip"] = null;
            }
            else if (GatewayIp != null)
            {
                subnet["gateway_ip"] = GatewayIp;
            }

            if (DnsServers.Count > 0)
            {
                subnet["dns_nameservers"] = new JsonArray(DnsServers.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
            }

            return new JsonObject { ["subnet"] = subnet };
        }
    }

    internal sealed class SubnetInfo
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string NetworkId { get; set; } = string.Empty;

        public string ProjectId { get; set; } = string.Empty;

        public string Cidr { get; set; } = string.Empty;

        public int IpVersion { get; set; }

        /// <summary>Null for a subnet without gateway.</summary>
        public string? GatewayIp { get; set; }

        public IReadOnlyList<string> DnsServers { get; set; } = Array.Empty<string>();

        internal static SubnetInfo From(JsonNode n) => new SubnetInfo
        {
            Id = NeutronJson.Text(n, "id"),
            Name = NeutronJson.Text(n, "name"),
            NetworkId = NeutronJson.Text(n, "network_id"),
            ProjectId = NeutronJson.Text(n, "project_id", "tenant_id"),
            Cidr = NeutronJson.Text(n, "cidr"),
            IpVersion = (int)NeutronJson.Long(n, "ip_version"),
            GatewayIp = NeutronJson.TextOrNull(n, "gateway_ip"),
            DnsServers = NeutronJson.Texts(n["dns_nameservers"]),
        };
    }

    /// <summary>POST /v2.0/routers: a router of a project with its gateway on an external network.</summary>
    internal sealed class RouterCreateOptions
    {
        public string Name { get; set; } = string.Empty;

        public string ProjectId { get; set; } = string.Empty;

        /// <summary>The external network of the gateway; null for a router without gateway.</summary>
        public string? ExternalNetworkId { get; set; }

        internal JsonObject ToBody()
        {
            var router = new JsonObject { ["name"] = Name, ["project_id"] = ProjectId, ["admin_state_up"] = true };
            if (ExternalNetworkId != null)
            {
                router["external_gateway_info"] = new JsonObject { ["network_id"] = ExternalNetworkId };
            }

            return new JsonObject { ["router"] = router };
        }
    }

    internal sealed class RouterInfo
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string ProjectId { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        /// <summary>The network of the router's gateway; null when it has none.</summary>
        public string? GatewayNetworkId { get; set; }

        /// <summary>The gateway's addresses on the external network ("203.0.113.7").</summary>
        public IReadOnlyList<string> GatewayAddresses { get; set; } = Array.Empty<string>();

        internal static RouterInfo From(JsonNode n)
        {
            var gateway = n["external_gateway_info"] as JsonObject;
            return new RouterInfo
            {
                Id = NeutronJson.Text(n, "id"),
                Name = NeutronJson.Text(n, "name"),
                ProjectId = NeutronJson.Text(n, "project_id", "tenant_id"),
                Status = NeutronJson.Text(n, "status"),
                GatewayNetworkId = gateway == null ? null : NeutronJson.TextOrNull(gateway, "network_id"),
                GatewayAddresses = ((gateway?["external_fixed_ips"] as JsonArray) ?? new JsonArray())
                    .Where(ip => ip != null).Select(ip => NeutronJson.Text(ip!, "ip_address")).ToList(),
            };
        }
    }

    /// <summary>The answer of PUT /v2.0/routers/{id}/add_router_interface.</summary>
    internal sealed class RouterInterfaceInfo
    {
        public string RouterId { get; set; } = string.Empty;

        public string PortId { get; set; } = string.Empty;

        public string SubnetId { get; set; } = string.Empty;

        public string NetworkId { get; set; } = string.Empty;

        internal static RouterInterfaceInfo From(JsonNode n) => new RouterInterfaceInfo
        {
            RouterId = NeutronJson.Text(n, "id"),
            PortId = NeutronJson.Text(n, "port_id"),
            SubnetId = NeutronJson.Text(n, "subnet_id"),
            NetworkId = NeutronJson.Text(n, "network_id"),
        };
    }

    /// <summary>A port as far as the starter network needs it (a router's interface on a subnet).</summary>
    internal sealed class PortInfo
    {
        public string Id { get; set; } = string.Empty;

        public string NetworkId { get; set; } = string.Empty;

        public string DeviceId { get; set; } = string.Empty;

        public string DeviceOwner { get; set; } = string.Empty;

        public IReadOnlyList<string> SubnetIds { get; set; } = Array.Empty<string>();

        internal static PortInfo From(JsonNode n) => new PortInfo
        {
            Id = NeutronJson.Text(n, "id"),
            NetworkId = NeutronJson.Text(n, "network_id"),
            DeviceId = NeutronJson.Text(n, "device_id"),
            DeviceOwner = NeutronJson.Text(n, "device_owner"),
            SubnetIds = ((n["fixed_ips"] as JsonArray) ?? new JsonArray()).Where(f => f != null).Select(f => NeutronJson.Text(f!, "subnet_id")).ToList(),
        };
    }

    /// <summary>A security group with its rules.</summary>
    internal sealed class SecurityGroupInfo
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string ProjectId { get; set; } = string.Empty;

        public IReadOnlyList<SecurityGroupRuleInfo> Rules { get; set; } = Array.Empty<SecurityGroupRuleInfo>();

        internal static SecurityGroupInfo From(JsonNode n) => new SecurityGroupInfo
        {
            Id = NeutronJson.Text(n, "id"),
            Name = NeutronJson.Text(n, "name"),
            ProjectId = NeutronJson.Text(n, "project_id", "tenant_id"),
            Rules = ((n["security_group_rules"] as JsonArray) ?? new JsonArray()).Where(r => r != null).Select(r => SecurityGroupRuleInfo.From(r!)).ToList(),
        };
    }

    /// <summary>POST /v2.0/security-group-rules: one rule of a group (null fields are left out: any).</summary>
    internal sealed class SecurityGroupRuleCreateOptions
    {
        public string SecurityGroupId { get; set; } = string.Empty;

        /// <summary>ingress or egress.</summary>
        public string Direction { get; set; } = "ingress";

        /// <summary>IPv4 or IPv6.</summary>
        public string EtherType { get; set; } = "IPv4";

        public string? Protocol { get; set; }

        public int? PortMin { get; set; }

        public int? PortMax { get; set; }

        public string? RemoteIpPrefix { get; set; }

        internal JsonObject ToBody()
        {
            var rule = new JsonObject
            {
                ["security_group_id"] = SecurityGroupId,
                ["direction"] = Direction,
                ["ethertype"] = EtherType,
            };
            if (Protocol != null)
            {
                rule["protocol"] = Protocol;
            }

            if (PortMin != null)
            {
                rule["port_range_min"] = PortMin.Value;
                rule["port_range_max"] = PortMax ?? PortMin.Value;
            }

            if (RemoteIpPrefix != null)
            {
                rule["remote_ip_prefix"] = RemoteIpPrefix;
            }

            return new JsonObject { ["security_group_rule"] = rule };
        }
    }

    internal sealed class SecurityGroupRuleInfo
    {
        public string Id { get; set; } = string.Empty;

        public string SecurityGroupId { get; set; } = string.Empty;

        public string Direction { get; set; } = string.Empty;

        public string EtherType { get; set; } = string.Empty;

        public string? Protocol { get; set; }

        public int? PortMin { get; set; }

        public int? PortMax { get; set; }

        public string? RemoteIpPrefix { get; set; }

        public string? RemoteGroupId { get; set; }

        internal static SecurityGroupRuleInfo From(JsonNode n) => new SecurityGroupRuleInfo
        {
            Id = NeutronJson.Text(n, "id"),
            SecurityGroupId = NeutronJson.Text(n, "security_group_id"),
            Direction = NeutronJson.Text(n, "direction"),
            EtherType = NeutronJson.Text(n, "ethertype"),
            Protocol = NeutronJson.TextOrNull(n, "protocol"),
            PortMin = NeutronJson.IntOrNull(n, "port_range_min"),
            PortMax = NeutronJson.IntOrNull(n, "port_range_max"),
            RemoteIpPrefix = NeutronJson.TextOrNull(n, "remote_ip_prefix"),
            RemoteGroupId = NeutronJson.TextOrNull(n, "remote_group_id"),
        };
    }

    /// <summary>Reading Neutron's JSON fields leniently (absent or null = empty).</summary>
    internal static class NeutronJson
    {
        internal static string Text(JsonNode node, string key, string? fallbackKey = null)
        {
            string? text = TextOrNull(node, key);
            if (string.IsNullOrEmpty(text) && fallbackKey != null)
            {
                text = TextOrNull(node, fallbackKey);
            }

            return text ?? string.Empty;
        }

        internal static string? TextOrNull(JsonNode node, string key)
            => node[key] is JsonValue v && v.TryGetValue(out string? text) ? text : null;

        internal static bool Bool(JsonNode node, string key)
            => node[key] is JsonValue v && v.TryGetValue(out bool b) && b;

        internal static long Long(JsonNode node, string key)
            => node[key] is JsonValue v && v.TryGetValue(out long n) ? n : 0;

        internal static int? IntOrNull(JsonNode node, string key)
            => node[key] is JsonValue v && v.TryGetValue(out int n) ? n : (int?)null;

        internal static IReadOnlyList<string> Texts(JsonNode? array)
            => ((array as JsonArray) ?? new JsonArray())
                .Select(x => x is JsonValue v && v.TryGetValue(out string? s) ? s : null)
                .Where(s => s != null).Select(s => s!).ToList();
    }
}
