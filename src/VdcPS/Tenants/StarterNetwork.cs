using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Network;
using VdcPS.Plans;

namespace VdcPS.Tenants
{
    /// <summary>
    /// A tenant's starter network (plans.NAME.starter_network): network, subnet, router with its
    /// gateway on the external network and an interface on the subnet, and the plan's rules in the
    /// project's default security group. <see cref="EnsureAsync"/> finds each part by name and makes
    /// only what is missing (a rerun changes nothing), recording in the caller's <see cref="UndoLog"/>
    /// how to take back what it made; <see cref="InspectAsync"/> only reads and says what is missing.
    /// </summary>
    internal sealed class StarterNetwork
    {
        private readonly NetworkTopologyApi _api;

        public StarterNetwork(KeystoneSession session)
            : this(new NetworkTopologyApi(session))
        {
        }

        internal StarterNetwork(NetworkTopologyApi api)
        {
            _api = api;
        }

        /// <summary>
        /// Makes what is missing of <paramref name="spec"/> in the project. With
        /// <paramref name="provisioning"/> (New-VdcTenant) the project is being made by this run and
        /// a rollback deletes it: then the parts an interrupted earlier run left are taken back too,
        /// and so is the default security group Neutron makes for the project; otherwise (a repair)
        /// only what this call made is taken back.
        /// </summary>
        public async Task<StarterNetworkParts> EnsureAsync(PlanStarterNetwork spec, string projectId, string tenantName, UndoLog undo, bool provisioning, CancellationToken ct)
        {
            NetworkInfo? external = null;
            if (spec.HasRouter)
            {
                external = await _api.FindExternalNetworkAsync(spec.ExternalNetwork!, ct).ConfigureAwait(false)
                    ?? throw new TenantRefusedException(ErrorIds.ExternalNetworkNotFound, System.Management.Automation.ErrorCategory.ObjectNotFound,
                        $"The plan's starter network routes through the external network '{spec.ExternalNetwork}', which this cloud does not have (no network with router:external of that name or ID).",
                        "Create the external network, or fix starter_network.external_network in the plan.");
            }

            var parts = new StarterNetworkParts();
            if (provisioning)
            {
                // Runs last of the network's undo steps: Neutron makes a project's default security
                // group on its own (when the project's groups are listed, or a port is made), and the
                // project goes away in this rollback. Looking it up makes it if it is missing; it is
                // deleted right after, so nothing of the project stays in Neutron.
                undo.Add($"default security group of '{tenantName}'", async t =>
                {
                    SecurityGroupInfo? made = await _api.FindSecurityGroupAsync(projectId, "default", t).ConfigureAwait(false);
                    if (made != null)
                    {
                        await _api.DeleteSecurityGroupAsync(made.Id, t).ConfigureAwait(false);
                    }
                });
            }

            // network
            NetworkInfo? network = await _api.FindNetworkAsync(projectId, spec.NetworkName, ct).ConfigureAwait(false);
            bool made = network == null;
            network ??= await _api.CreateNetworkAsync(new NetworkCreateOptions { Name = spec.NetworkName, ProjectId = projectId }, ct).ConfigureAwait(false);
            string networkId = network.Id;
            if (made || provisioning)
            {
                undo.Add($"network '{spec.NetworkName}' of '{tenantName}'", t => _api.DeleteNetworkAsync(networkId, t));
            }

            Made(parts, made, "network", spec.NetworkName);
            parts.NetworkId = networkId;

            // subnet
            IReadOnlyList<SubnetInfo> subnets = await _api.ListSubnetsAsync(networkId, ct).ConfigureAwait(false);
            SubnetInfo? subnet = subnets.FirstOrDefault(s => s.Name == spec.SubnetName && SameCidr(s.Cidr, spec.Cidr));
            made = subnet == null;
            subnet ??= await _api.CreateSubnetAsync(new SubnetCreateOptions
            {
                Name = spec.SubnetName,
                NetworkId = networkId,
                ProjectId = projectId,
                Cidr = spec.Cidr,
                IpVersion = spec.IpVersion,
                GatewayIp = spec.Gateway,
                NoGateway = spec.NoGateway,
                DnsServers = spec.DnsServers,
            }, ct).ConfigureAwait(false);
            string subnetId = subnet.Id;
            if (made || provisioning)
            {
                undo.Add($"subnet '{spec.SubnetName}' of '{tenantName}'", t => _api.DeleteSubnetAsync(subnetId, t));
            }

            Made(parts, made, "subnet", $"{spec.SubnetName} {spec.Cidr}");
            parts.SubnetId = subnetId;

            // router: gateway on the external network, interface on the subnet
            if (external != null)
            {
                RouterInfo? router = await _api.FindRouterAsync(projectId, spec.RouterName!, ct).ConfigureAwait(false);
                made = router == null;
                router ??= await _api.CreateRouterAsync(new RouterCreateOptions { Name = spec.RouterName!, ProjectId = projectId, ExternalNetworkId = external.Id }, ct).ConfigureAwait(false);
                string routerId = router.Id;
                if (made || provisioning)
                {
                    undo.Add($"router '{spec.RouterName}' of '{tenantName}'", t => _api.DeleteRouterAsync(routerId, t));
                }

                Made(parts, made, "router", spec.RouterName!);
                if (router.GatewayNetworkId != external.Id)
                {
                    string? previous = router.GatewayNetworkId;
                    router = await _api.SetRouterGatewayAsync(routerId, external.Id, ct).ConfigureAwait(false);
                    if (!made && !provisioning)
                    {
                        undo.Add($"gateway of router '{spec.RouterName}'", t => _api.SetRouterGatewayAsync(routerId, previous, t));
                    }

                    Made(parts, true, "router gateway", spec.ExternalNetwork!);
                }

                parts.RouterId = routerId;
                parts.GatewayAddress = router.GatewayAddresses.FirstOrDefault() ?? string.Empty;

                IReadOnlyList<PortInfo> interfaces = await _api.ListRouterInterfacesAsync(routerId, ct).ConfigureAwait(false);
                if (!interfaces.Any(p => p.SubnetIds.Contains(subnetId)))
                {
                    await _api.AddRouterInterfaceAsync(routerId, subnetId, ct).ConfigureAwait(false);
                    Made(parts, true, "router interface", spec.SubnetName);
                    if (!provisioning)
                    {
                        undo.Add($"interface of router '{spec.RouterName}' on '{spec.SubnetName}'", t => _api.RemoveRouterInterfaceAsync(routerId, subnetId, t));
                    }
                }

                if (provisioning)
                {
                    // before the router's delete (undo runs newest first); whether this run or a crashed one added it
                    undo.Add($"interface of router '{spec.RouterName}' on '{spec.SubnetName}'", t => _api.RemoveRouterInterfaceAsync(routerId, subnetId, t));
                }
            }

            // rules in the default security group
            if (spec.Rules.Count > 0)
            {
                SecurityGroupInfo group = await _api.FindSecurityGroupAsync(projectId, "default", ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Neutron has no default security group for project {projectId}.");
                string groupId = group.Id;

                foreach (PlanSecurityGroupRule rule in spec.Rules)
                {
                    if (group.Rules.Any(r => Matches(r, rule)))
                    {
                        continue;
                    }

                    SecurityGroupRuleInfo? added = await _api.CreateSecurityGroupRuleAsync(ToOptions(groupId, rule), ct).ConfigureAwait(false);
                    if (added != null)
                    {
                        string ruleId = added.Id;
                        if (!provisioning)
                        {
                            undo.Add($"rule '{rule}' of the default security group", t => _api.DeleteSecurityGroupRuleAsync(ruleId, t));
                        }

                        Made(parts, true, "security group rule", rule.ToString());
                    }
                }
            }

            return parts;
        }

        /// <summary>What is missing or different of <paramref name="spec"/> in the project (read only; empty when all is there).</summary>
        public async Task<IReadOnlyList<StarterNetworkGap>> InspectAsync(PlanStarterNetwork spec, string projectId, CancellationToken ct)
        {
            var gaps = new List<StarterNetworkGap>();
            Task<SecurityGroupInfo?> groupTask = spec.Rules.Count > 0 ? _api.FindSecurityGroupAsync(projectId, "default", ct) : Task.FromResult<SecurityGroupInfo?>(null);
            Task<RouterInfo?> routerTask = spec.HasRouter ? _api.FindRouterAsync(projectId, spec.RouterName!, ct) : Task.FromResult<RouterInfo?>(null);
            Task<NetworkInfo?> externalTask = spec.HasRouter ? _api.FindExternalNetworkAsync(spec.ExternalNetwork!, ct) : Task.FromResult<NetworkInfo?>(null);
            NetworkInfo? network = await _api.FindNetworkAsync(projectId, spec.NetworkName, ct).ConfigureAwait(false);
            SubnetInfo? subnet = null;
            if (network == null)
            {
                gaps.Add(new StarterNetworkGap(StarterNetworkGap.Network, spec.NetworkName, "missing"));
            }
            else
            {
                subnet = (await _api.ListSubnetsAsync(network.Id, ct).ConfigureAwait(false)).FirstOrDefault(s => s.Name == spec.SubnetName && SameCidr(s.Cidr, spec.Cidr));
                if (subnet == null)
                {
                    gaps.Add(new StarterNetworkGap(StarterNetworkGap.Subnet, $"{spec.SubnetName} {spec.Cidr}", "missing"));
                }
            }

            if (spec.HasRouter)
            {
                RouterInfo? router = await routerTask.ConfigureAwait(false);
                NetworkInfo? external = await externalTask.ConfigureAwait(false);
                if (router == null)
                {
                    gaps.Add(new StarterNetworkGap(StarterNetworkGap.Router, spec.RouterName!, "missing"));
                }
                else
                {
                    if (external == null || router.GatewayNetworkId != external.Id)
                    {
                        gaps.Add(new StarterNetworkGap(StarterNetworkGap.RouterGateway, spec.ExternalNetwork!, router.GatewayNetworkId ?? "none"));
                    }

                    if (subnet != null)
                    {
                        IReadOnlyList<PortInfo> interfaces = await _api.ListRouterInterfacesAsync(router.Id, ct).ConfigureAwait(false);
                        if (!interfaces.Any(p => p.SubnetIds.Contains(subnet.Id)))
                        {
                            gaps.Add(new StarterNetworkGap(StarterNetworkGap.RouterInterface, spec.SubnetName, "missing"));
                        }
                    }
                    else
                    {
                        gaps.Add(new StarterNetworkGap(StarterNetworkGap.RouterInterface, spec.SubnetName, "missing"));
                    }
                }
            }

            SecurityGroupInfo? group = await groupTask.ConfigureAwait(false);
            foreach (PlanSecurityGroupRule rule in spec.Rules)
            {
                if (group == null || !group.Rules.Any(r => Matches(r, rule)))
                {
                    gaps.Add(new StarterNetworkGap(StarterNetworkGap.SecurityGroupRule, rule.ToString(), "missing"));
                }
            }

            return gaps;
        }

        internal static SecurityGroupRuleCreateOptions ToOptions(string groupId, PlanSecurityGroupRule rule) => new SecurityGroupRuleCreateOptions
        {
            SecurityGroupId = groupId,
            Direction = rule.Direction,
            EtherType = rule.EtherType,
            Protocol = rule.Protocol,
            PortMin = rule.PortMin,
            PortMax = rule.PortMax,
            RemoteIpPrefix = rule.RemoteIpPrefix,
        };

        /// <summary>Whether an existing rule is the plan's rule (same direction, IP version, protocol, ports and remote prefix; no remote group).</summary>
        internal static bool Matches(SecurityGroupRuleInfo have, PlanSecurityGroupRule want)
            => string.Equals(have.Direction, want.Direction, StringComparison.OrdinalIgnoreCase)
               && string.Equals(have.EtherType, want.EtherType, StringComparison.OrdinalIgnoreCase)
               && string.Equals(have.Protocol ?? string.Empty, want.Protocol ?? string.Empty, StringComparison.OrdinalIgnoreCase)
               && have.PortMin == want.PortMin
               && have.PortMax == (want.PortMin == null ? null : want.PortMax ?? want.PortMin)
               && have.RemoteGroupId == null
               && (have.RemoteIpPrefix ?? string.Empty) == (want.RemoteIpPrefix ?? string.Empty);

        private static bool SameCidr(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private static void Made(StarterNetworkParts parts, bool made, string what, string name)
        {
            if (made)
            {
                parts.Made.Add($"{what} {name}");
                OperationLog.Verbose($"Starter network: created {what} '{name}'.");
            }
        }
    }

    /// <summary>What <see cref="StarterNetwork.EnsureAsync"/> found or made.</summary>
    internal sealed class StarterNetworkParts
    {
        public string NetworkId { get; set; } = string.Empty;

        public string SubnetId { get; set; } = string.Empty;

        public string RouterId { get; set; } = string.Empty;

        /// <summary>The router's address on the external network (empty without router).</summary>
        public string GatewayAddress { get; set; } = string.Empty;

        /// <summary>The parts this call made ("network vdc-network", "security group rule ingress tcp 22 ...").</summary>
        public List<string> Made { get; } = new List<string>();
    }

    /// <summary>One part of the starter network that is missing or different.</summary>
    internal sealed class StarterNetworkGap
    {
        public const string Network = "network";
        public const string Subnet = "subnet";
        public const string Router = "router";
        public const string RouterGateway = "router-gateway";
        public const string RouterInterface = "router-interface";
        public const string SecurityGroupRule = "security-group-rule";

        public StarterNetworkGap(string part, string expected, string actual)
        {
            Part = part;
            Expected = expected;
            Actual = actual;
        }

        /// <summary>One of the constants above.</summary>
        public string Part { get; }

        public string Expected { get; }

        public string Actual { get; }
    }
}
