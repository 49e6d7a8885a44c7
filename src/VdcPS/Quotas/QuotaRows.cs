using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;

namespace VdcPS.Quotas
{
    /// <summary>Turns what the services and Keystone report into <see cref="VdcQuota"/> rows, with the plan's bounds.</summary>
    internal static class QuotaRows
    {
        public const string SourceService = "service";
        public const string SourceKeystone = "keystone-unified-limits";

        /// <summary>
        /// Rows of one service's quota answer, in a stable order: the known keys in api-ref order,
        /// then per-volume-type keys, then keys VdcPS does not know (a newer service's), by name.
        /// Keys the negotiated compute microversion no longer has are dropped even if a cloud sends them.
        /// </summary>
        public static IEnumerable<VdcQuota> FromService(
            QuotaTenant tenant, string service, IReadOnlyDictionary<string, QuotaValue> values, Version? computeMicroversion, string cloud)
        {
            foreach (KeyValuePair<string, QuotaValue> entry in values.OrderBy(v => Order(service, v.Key)).ThenBy(v => v.Key, StringComparer.Ordinal))
            {
                QuotaResource? known = QuotaResources.Find(service, entry.Key);
                if (known != null && computeMicroversion != null && service == QuotaResources.Compute && !QuotaResources.ExistsAt(known, computeMicroversion))
                {
                    continue;
                }

                yield return Row(tenant, service, entry.Key, known?.Unit ?? "count", entry.Value.Limit, entry.Value.InUse, entry.Value.Reserved,
                    tenant.Plan?.FindQuota(service, entry.Key), SourceService, cloud);
            }
        }

        /// <summary>
        /// Rows of a service's Keystone unified limits: one per registered limit, with the project's own
        /// limit when it has one (else the registered default). Usage comes from the service's quota
        /// API under the legacy key (class:VCPU ← cores); resources the service does not count there
        /// (class:DISK_GB) show 0. The plan's bounds are those of the legacy key.
        /// </summary>
        public static IEnumerable<VdcQuota> FromKeystone(
            QuotaTenant tenant, ServiceUnifiedLimits limits, IEnumerable<ProjectLimitDto> projectLimits, IReadOnlyDictionary<string, QuotaValue>? serviceValues, string cloud)
        {
            List<ProjectLimitDto> own = projectLimits.ToList();
            foreach (RegisteredLimitDto registered in limits.Registered)
            {
                ProjectLimitDto? mine = ServiceUnifiedLimits.ProjectLimitFor(registered, own);
                string? legacy = UnifiedLimitNames.LegacyFor(limits.Service, registered.ResourceName);
                QuotaValue usage = legacy != null && serviceValues != null && serviceValues.TryGetValue(legacy, out QuotaValue v) ? v : default;
                PlanQuota? bounds = legacy != null ? tenant.Plan?.FindQuota(limits.Service, legacy) : tenant.Plan?.FindQuota(limits.Service, registered.ResourceName);
                yield return Row(tenant, limits.Service, registered.ResourceName, UnifiedLimitNames.UnitOf(registered.ResourceName),
                    mine?.ResourceLimit ?? registered.DefaultLimit, usage.InUse, usage.Reserved, bounds, SourceKeystone, cloud);
            }
        }

        internal static VdcQuota Row(
            QuotaTenant tenant, string service, string resource, string unit, long limit, long inUse, long reserved, PlanQuota? bounds, string source, string cloud)
        {
            return new VdcQuota
            {
                TenantId = tenant.Id,
                TenantName = tenant.Name,
                Plan = tenant.PlanName,
                Service = service,
                Resource = resource,
                Unit = unit,
                Limit = limit,
                IsUnlimited = limit == PlanQuota.Unlimited,
                LimitText = LimitText(limit),
                InUse = inUse,
                Reserved = reserved,
                PlanMin = bounds?.Min,
                PlanMax = bounds?.Max,
                PlanRange = bounds?.RangeText ?? string.Empty,
                OutOfPlan = bounds != null && !bounds.Allows(limit),
                Source = source,
                Cloud = cloud,
            };
        }

        /// <summary>"unlimited" for -1 (and any negative value a service might send), else the number.</summary>
        public static string LimitText(long limit)
            => limit < 0 ? "unlimited" : limit.ToString(CultureInfo.InvariantCulture);

        /// <summary>Sort key of a service's quota key: api-ref order, then volume-type keys, then the rest.</summary>
        public static int Order(string service, string key)
        {
            int i = 0;
            foreach (QuotaResource r in QuotaResources.All)
            {
                if (r.Service == service)
                {
                    if (r.Key == key)
                    {
                        return i;
                    }

                    i++;
                }
            }

            return QuotaResources.IsVolumeTypeKey(key) && service == QuotaResources.BlockStorage ? 1000 : 2000;
        }
    }
}
