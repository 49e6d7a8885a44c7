using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Network
{
    /// <summary>
    /// Neutron v2.0 networks, subnets, routers (gateway and interfaces), ports and security-group
    /// rules, read and made for a project by an admin: what a tenant's starter network consists of.
    /// Deletes treat "already gone" (404) as done, so an undo or a repair can run twice.
    /// </summary>
    internal sealed class NetworkTopologyApi : ServiceApi
    {
        public NetworkTopologyApi(KeystoneSession session)
            : base(session, "network", version: "v2.0")
        {
        }

        // ------------------------------------------------------------ networks
        public async Task<NetworkInfo?> FindNetworkAsync(string projectId, string name, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"networks?project_id={Escape(projectId)}&name={Escape(name)}", ct).ConfigureAwait(false);
            return Each(doc, "networks").Select(NetworkInfo.From).FirstOrDefault();
        }

        /// <summary>An external network (router:external) by name, or by ID; null when there is none.</summary>
        public async Task<NetworkInfo?> FindExternalNetworkAsync(string nameOrId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"networks?router:external=true&name={Escape(nameOrId)}", ct).ConfigureAwait(false);
            NetworkInfo? byName = Each(doc, "networks").Select(NetworkInfo.From).FirstOrDefault();
            if (byName != null)
            {
                return byName;
            }

            JsonNode? one = await GetJsonOrNullAsync($"networks/{Escape(nameOrId)}", ct).ConfigureAwait(false);
            NetworkInfo? byId = one?["network"] is JsonObject n ? NetworkInfo.From(n) : null;
            return byId != null && byId.External ? byId : null;
        }

        public async Task<NetworkInfo> CreateNetworkAsync(NetworkCreateOptions options, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "networks", options.ToBody(), ct).ConfigureAwait(false);
            return NetworkInfo.From(One(response, "network"));
        }

        public Task DeleteNetworkAsync(string networkId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"networks/{Escape(networkId)}", null, ct, NotFound);

        // ------------------------------------------------------------ subnets
        public async Task<IReadOnlyList<SubnetInfo>> ListSubnetsAsync(string networkId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"subnets?network_id={Escape(networkId)}", ct).ConfigureAwait(false);
            return Each(doc, "subnets").Select(SubnetInfo.From).ToList();
        }

        public async Task<SubnetInfo> CreateSubnetAsync(SubnetCreateOptions options, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "subnets", options.ToBody(), ct).ConfigureAwait(false);
            return SubnetInfo.From(One(response, "subnet"));
        }

        public Task DeleteSubnetAsync(string subnetId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"subnets/{Escape(subnetId)}", null, ct, NotFound);

        // ------------------------------------------------------------ routers
        public async Task<RouterInfo?> FindRouterAsync(string projectId, string name, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"routers?project_id={Escape(projectId)}&name={Escape(name)}", ct).ConfigureAwait(false);
            return Each(doc, "routers").Select(RouterInfo.From).FirstOrDefault();
        }

        public async Task<RouterInfo> CreateRouterAsync(RouterCreateOptions options, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "routers", options.ToBody(), ct).ConfigureAwait(false);
            return RouterInfo.From(One(response, "router"));
        }

        /// <summary>Sets (or, with null, clears) the router's gateway.</summary>
        public async Task<RouterInfo> SetRouterGatewayAsync(string routerId, string? externalNetworkId, CancellationToken ct)
        {
            JsonObject gateway = externalNetworkId == null ? new JsonObject() : new JsonObject { ["network_id"] = externalNetworkId };
            ApiResponse response = await SendAsync(HttpMethod.Put, $"routers/{Escape(routerId)}",
                new JsonObject { ["router"] = new JsonObject { ["external_gateway_info"] = gateway } }, ct).ConfigureAwait(false);
            return RouterInfo.From(One(response, "router"));
        }

        public Task DeleteRouterAsync(string routerId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"routers/{Escape(routerId)}", null, ct, NotFound);

        public async Task<RouterInterfaceInfo> AddRouterInterfaceAsync(string routerId, string subnetId, CancellationToken ct)
        {
            // PUT, but not idempotent: a second add of the same subnet is refused (400), so it is never resent blindly.
            ApiResponse response = await SendAsync(HttpMethod.Put, $"routers/{Escape(routerId)}/add_router_interface",
                new JsonObject { ["subnet_id"] = subnetId }, ct, idempotent: false).ConfigureAwait(false);
            return RouterInterfaceInfo.From(Parse(response));
        }

        /// <summary>Removes the router's interface on the subnet; a router or interface already gone is fine.</summary>
        public Task RemoveRouterInterfaceAsync(string routerId, string subnetId, CancellationToken ct)
            => SendAsync(HttpMethod.Put, $"routers/{Escape(routerId)}/remove_router_interface",
                new JsonObject { ["subnet_id"] = subnetId }, ct, NotFound, idempotent: true);

        /// <summary>The router's interface ports (device_owner network:router_interface*).</summary>
        public async Task<IReadOnlyList<PortInfo>> ListRouterInterfacesAsync(string routerId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"ports?device_id={Escape(routerId)}", ct).ConfigureAwait(false);
            return Each(doc, "ports").Select(PortInfo.From)
                .Where(p => p.DeviceOwner.StartsWith("network:router_interface", StringComparison.Ordinal) || p.DeviceOwner == "network:ha_router_replicated_interface")
                .ToList();
        }

        // ------------------------------------------------------------ security groups
        /// <summary>
        /// The project's security group of that name ("default") with its rules. Neutron makes a
        /// project's default group when the project's groups are listed, so asking for it also creates it.
        /// </summary>
        public async Task<SecurityGroupInfo?> FindSecurityGroupAsync(string projectId, string name, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"security-groups?project_id={Escape(projectId)}&name={Escape(name)}", ct).ConfigureAwait(false);
            return Each(doc, "security_groups").Select(SecurityGroupInfo.From).FirstOrDefault();
        }

        public Task DeleteSecurityGroupAsync(string groupId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"security-groups/{Escape(groupId)}", null, ct, NotFound);

        /// <summary>Adds a rule; null when the group has this rule already (Neutron answers 409).</summary>
        public async Task<SecurityGroupRuleInfo?> CreateSecurityGroupRuleAsync(SecurityGroupRuleCreateOptions options, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "security-group-rules", options.ToBody(), ct, Conflict).ConfigureAwait(false);
            return response.StatusCode == (int)HttpStatusCode.Conflict ? null : SecurityGroupRuleInfo.From(One(response, "security_group_rule"));
        }

        public Task DeleteSecurityGroupRuleAsync(string ruleId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"security-group-rules/{Escape(ruleId)}", null, ct, NotFound);

        private static readonly ISet<int> Conflict = new HashSet<int> { 409 };

        private static JsonNode One(ApiResponse response, string wrapper)
            => Parse(response)[wrapper] ?? throw new InvalidOperationException($"Neutron answered without '{wrapper}'.");

        private static IEnumerable<JsonNode> Each(JsonNode doc, string collection)
            => ((doc[collection] as JsonArray) ?? new JsonArray()).Where(n => n != null).Select(n => n!);
    }
}
