using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Identity;
using VdcPS.Quotas;

namespace VdcPS.Openstack.Network
{
    /// <summary>Neutron v2.0: quotas (with details) and the resources a project owns.</summary>
    internal sealed class NetworkApi : QuotaServiceApi
    {
        public NetworkApi(KeystoneSession session)
            : base(session, "network", QuotaResources.Network, QuotaRoutes.Network, version: "v2.0")
        {
        }

        /// <summary>
        /// Every network resource of the project: floating IPs, routers (with their interfaces and
        /// gateway as entries of their own, removed before the router), ports that are not a
        /// router's, subnets, networks and security groups (the default one too: an admin may
        /// delete it, and a terminated tenant keeps nothing).
        /// </summary>
        public async Task<IReadOnlyList<ProjectResource>> ListResourcesAsync(string projectId, CancellationToken ct)
        {
            string filter = $"project_id={Escape(projectId)}";
            Task<JsonNode> fips = GetJsonAsync($"floatingips?{filter}", ct);
            Task<JsonNode> routers = GetJsonAsync($"routers?{filter}", ct);
            Task<JsonNode> ports = GetJsonAsync($"ports?{filter}", ct);
            Task<JsonNode> subnets = GetJsonAsync($"subnets?{filter}", ct);
            Task<JsonNode> networks = GetJsonAsync($"networks?{filter}", ct);
            Task<JsonNode> groups = GetJsonAsync($"security_groups?{filter}", ct);
            await Task.WhenAll(fips, routers, ports, subnets, networks, groups).ConfigureAwait(false);

            var found = new List<ProjectResource>();
            found.AddRange(Each(fips.Result, "floatingips").Select(f => new ProjectResource(ProjectResourceKind.FloatingIp, Text(f, "id"), Text(f, "floating_ip_address"), Text(f, "status"))));
            foreach (JsonNode r in Each(routers.Result, "routers"))
            {
                if (r["external_gateway_info"] is JsonObject gateway && gateway.Count > 0)
                {
                    found.Add(new ProjectResource(ProjectResourceKind.RouterGateway, Text(r, "id") + "/gateway", Text(r, "name"), Text(gateway, "network_id"), Text(r, "id")));
                }

                found.Add(new ProjectResource(ProjectResourceKind.Router, Text(r, "id"), Text(r, "name"), Text(r, "status")));
            }

            foreach (JsonNode p in Each(ports.Result, "ports"))
            {
                string owner = Text(p, "device_owner");
                if (owner.StartsWith("network:router_interface", StringComparison.Ordinal) || owner == "network:ha_router_replicated_interface")
                {
                    found.Add(new ProjectResource(ProjectResourceKind.RouterInterface, Text(p, "id"), Text(p, "name"), Text(p, "status"), Text(p, "device_id")));
                }
                else if (!owner.StartsWith("network:router_gateway", StringComparison.Ordinal) && !owner.StartsWith("network:floatingip", StringComparison.Ordinal))
                {
                    // Gateway and floating-IP ports belong to their router or floating IP and go with it.
                    found.Add(new ProjectResource(ProjectResourceKind.Port, Text(p, "id"), Text(p, "name"), Text(p, "status"), owner));
                }
            }

            found.AddRange(Each(subnets.Result, "subnets").Select(n => new ProjectResource(ProjectResourceKind.Subnet, Text(n, "id"), Text(n, "name"), Text(n, "cidr"))));
            found.AddRange(Each(networks.Result, "networks").Select(n => new ProjectResource(ProjectResourceKind.Network, Text(n, "id"), Text(n, "name"), Text(n, "status"))));
            found.AddRange(Each(groups.Result, "security_groups").Select(g => new ProjectResource(ProjectResourceKind.SecurityGroup, Text(g, "id"), Text(g, "name"))));
            return found;
        }

        /// <summary>Deletes one network resource, or detaches a router's interface or gateway; gone already is fine.</summary>
        public Task DeleteAsync(ProjectResource resource, CancellationToken ct)
        {
            switch (resource.Kind)
            {
                case ProjectResourceKind.RouterInterface:
                    return SendAsync(HttpMethod.Put, $"routers/{Escape(resource.ParentId)}/remove_router_interface", new JsonObject { ["port_id"] = resource.Id }, ct, NotFound, idempotent: true);
                case ProjectResourceKind.RouterGateway:
                    return SendAsync(HttpMethod.Put, $"routers/{Escape(resource.ParentId)}", new JsonObject { ["router"] = new JsonObject { ["external_gateway_info"] = new JsonObject() } }, ct, NotFound);
                default:
                    return SendAsync(HttpMethod.Delete, $"{CollectionOf(resource.Kind)}/{Escape(resource.Id)}", null, ct, NotFound);
            }
        }

        private static string CollectionOf(ProjectResourceKind kind) => kind switch
        {
            ProjectResourceKind.FloatingIp => "floatingips",
            ProjectResourceKind.Router => "routers",
            ProjectResourceKind.Port => "ports",
            ProjectResourceKind.Subnet => "subnets",
            ProjectResourceKind.Network => "networks",
            ProjectResourceKind.SecurityGroup => "security-groups",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a Neutron resource"),
        };

        private static IEnumerable<JsonNode> Each(JsonNode doc, string collection)
            => ((doc[collection] as JsonArray) ?? new JsonArray()).Where(n => n != null).Select(n => n!);

        private static string Text(JsonNode node, string key)
            => node[key] is JsonValue v && v.TryGetValue(out string? text) ? text ?? string.Empty : string.Empty;

        public override async Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct)
        {
            string filter = $"project_id={Escape(projectId)}&fields=id&fields=name";
            var kinds = new (string Collection, string Kind)[]
            {
                ("networks", "network"), ("subnets", "subnet"), ("ports", "port"), ("routers", "router"),
                ("floatingips", "floating IP"), ("security_groups", "security group"),
            };
            JsonNode[] docs = await Task.WhenAll(kinds.Select(k => GetJsonAsync($"{k.Collection}?{filter}", ct))).ConfigureAwait(false);
            var owned = new List<OwnedResource>();
            for (int i = 0; i < kinds.Length; i++)
            {
                foreach (JsonNode? item in (docs[i][kinds[i].Collection] as JsonArray) ?? new JsonArray())
                {
                    string name = item?["name"]?.GetValue<string>() ?? string.Empty;
                    // Neutron makes a "default" security group in every project it sees: not the customer's.
                    if (item == null || (kinds[i].Collection == "security_groups" && name == "default"))
                    {
                        continue;
                    }

                    owned.Add(new OwnedResource(Service, kinds[i].Kind, item["id"]?.GetValue<string>() ?? string.Empty, name));
                }
            }

            return owned;
        }
    }
}
