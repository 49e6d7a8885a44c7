using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace VdcPS.Quotas
{
    /// <summary>One quota key of one service, as the service's quota API names it.</summary>
    internal sealed class QuotaResource
    {
        public QuotaResource(string service, string key, string unit, string description, Version? removedIn = null)
        {
            Service = service;
            Key = key;
            Unit = unit;
            Description = description;
            RemovedInMicroversion = removedIn;
        }

        /// <summary>compute, block-storage or network (service-types-authority names).</summary>
        public string Service { get; }

        /// <summary>The key exactly as the quota API uses it (cores, gigabytes, floatingip, ...).</summary>
        public string Key { get; }

        /// <summary>What one unit of the limit is: count, MB, GB.</summary>
        public string Unit { get; }

        public string Description { get; }

        /// <summary>Nova microversion from which the key no longer exists (2.36, 2.57); null when current.</summary>
        public Version? RemovedInMicroversion { get; }
    }

    /// <summary>
    /// The quota keys VdcPS knows, per service, from the services' api-refs: Nova os-quota-sets
    /// (keys removed in 2.36 and 2.57 marked), Cinder os-quota-sets (plus the per-volume-type keys
    /// volumes_TYPE, gigabytes_TYPE, snapshots_TYPE), Neutron quotas.
    /// </summary>
    internal static class QuotaResources
    {
        public const string Compute = "compute";
        public const string BlockStorage = "block-storage";
        public const string Network = "network";

        public static readonly IReadOnlyList<string> Services = new[] { Compute, BlockStorage, Network };

        private static readonly Version V236 = new Version(2, 36);
        private static readonly Version V257 = new Version(2, 57);
        private static readonly Regex VolumeTypeKey = new Regex("^(volumes|gigabytes|snapshots)_(.+)$", RegexOptions.Compiled);

        public static readonly IReadOnlyList<QuotaResource> All = new[]
        {
            new QuotaResource(Compute, "cores", "count", "vCPUs"),
            new QuotaResource(Compute, "ram", "MB", "RAM in MB"),
            new QuotaResource(Compute, "instances", "count", "servers"),
            new QuotaResource(Compute, "key_pairs", "count", "key pairs per user"),
            new QuotaResource(Compute, "metadata_items", "count", "metadata items per server"),
            new QuotaResource(Compute, "server_groups", "count", "server groups"),
            new QuotaResource(Compute, "server_group_members", "count", "servers per server group"),
            new QuotaResource(Compute, "fixed_ips", "count", "fixed IPs (nova-network)", V236),
            new QuotaResource(Compute, "floating_ips", "count", "floating IPs (nova-network)", V236),
            new QuotaResource(Compute, "networks", "count", "networks (nova-network)", V236),
            new QuotaResource(Compute, "security_groups", "count", "security groups (nova-network)", V236),
            new QuotaResource(Compute, "security_group_rules", "count", "security group rules (nova-network)", V236),
            new QuotaResource(Compute, "injected_files", "count", "injected files", V257),
            new QuotaResource(Compute, "injected_file_content_bytes", "bytes", "bytes per injected file", V257),
            new QuotaResource(Compute, "injected_file_path_bytes", "bytes", "bytes per injected file path", V257),

            new QuotaResource(BlockStorage, "volumes", "count", "volumes"),
            new QuotaResource(BlockStorage, "gigabytes", "GB", "volume and snapshot storage in GB"),
            new QuotaResource(BlockStorage, "snapshots", "count", "snapshots"),
            new QuotaResource(BlockStorage, "backups", "count", "backups"),
            new QuotaResource(BlockStorage, "backup_gigabytes", "GB", "backup storage in GB"),
            new QuotaResource(BlockStorage, "groups", "count", "volume groups"),
            new QuotaResource(BlockStorage, "per_volume_gigabytes", "GB", "largest single volume in GB"),

            new QuotaResource(Network, "network", "count", "networks"),
            new QuotaResource(Network, "subnet", "count", "subnets"),
            new QuotaResource(Network, "subnetpool", "count", "subnet pools"),
            new QuotaResource(Network, "port", "count", "ports"),
            new QuotaResource(Network, "router", "count", "routers"),
            new QuotaResource(Network, "floatingip", "count", "floating IPs"),
            new QuotaResource(Network, "security_group", "count", "security groups"),
            new QuotaResource(Network, "security_group_rule", "count", "security group rules"),
            new QuotaResource(Network, "rbac_policy", "count", "RBAC policies"),
        };

        /// <summary>The resource for a service and key; per-volume-type Cinder keys are made on the fly.</summary>
        public static QuotaResource? Find(string service, string key)
        {
            QuotaResource? known = All.FirstOrDefault(r => r.Service == service && r.Key == key);
            if (known != null)
            {
                return known;
            }

            if (service == BlockStorage)
            {
                Match m = VolumeTypeKey.Match(key);
                if (m.Success && m.Groups[1].Value != "per_volume")
                {
                    string unit = m.Groups[1].Value == "gigabytes" ? "GB" : "count";
                    return new QuotaResource(service, key, unit, $"{m.Groups[1].Value} of volume type '{m.Groups[2].Value}'");
                }
            }

            return null;
        }

        /// <summary>Whether a key is a Cinder per-volume-type key (volumes_TYPE, ...).</summary>
        public static bool IsVolumeTypeKey(string key) => VolumeTypeKey.IsMatch(key) && !key.StartsWith("per_volume", StringComparison.Ordinal);

        /// <summary>Keys the cloud's compute API still has at this microversion.</summary>
        public static bool ExistsAt(QuotaResource resource, Version computeMicroversion)
            => resource.RemovedInMicroversion == null || computeMicroversion < resource.RemovedInMicroversion;

        public static string Suggest(string service)
            => string.Join(", ", All.Where(r => r.Service == service && r.RemovedInMicroversion == null).Select(r => r.Key))
               + (service == BlockStorage ? ", volumes_TYPE, gigabytes_TYPE, snapshots_TYPE" : string.Empty);
    }
}
