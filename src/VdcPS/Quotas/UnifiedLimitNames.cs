using System;
using System.Linq;

namespace VdcPS.Quotas
{
    /// <summary>
    /// The names Nova uses with Keystone unified limits (nova doc user/unified-limits.rst) for its
    /// legacy os-quota-sets keys. Keystone knows resources only by these names; VdcPS maps them so
    /// that a plan's compute.cores bounds and Set-VdcQuota -Cores apply to class:VCPU as well.
    /// </summary>
    internal static class UnifiedLimitNames
    {
        private static readonly (string Service, string Key, string Unified)[] Map =
        {
            (QuotaResources.Compute, "cores", "class:VCPU"),
            (QuotaResources.Compute, "ram", "class:MEMORY_MB"),
            (QuotaResources.Compute, "instances", "servers"),
            (QuotaResources.Compute, "key_pairs", "server_key_pairs"),
            (QuotaResources.Compute, "metadata_items", "server_metadata_items"),
            (QuotaResources.Compute, "server_groups", "server_groups"),
            (QuotaResources.Compute, "server_group_members", "server_group_members"),
        };

        /// <summary>The unified-limits resource name of a service's quota key (cores → class:VCPU); null when there is none.</summary>
        public static string? UnifiedFor(string service, string key)
            => Map.Where(m => m.Service == service && m.Key == key).Select(m => m.Unified).FirstOrDefault();

        /// <summary>The service's quota key of a unified-limits resource (class:VCPU → cores); null when there is none.</summary>
        public static string? LegacyFor(string service, string unified)
            => Map.Where(m => m.Service == service && string.Equals(m.Unified, unified, StringComparison.Ordinal)).Select(m => m.Key).FirstOrDefault();

        /// <summary>count, MB or GB for a unified-limits resource name.</summary>
        public static string UnitOf(string unified)
        {
            if (unified.EndsWith("_MB", StringComparison.Ordinal))
            {
                return "MB";
            }

            return unified.EndsWith("_GB", StringComparison.Ordinal) ? "GB" : "count";
        }
    }
}
