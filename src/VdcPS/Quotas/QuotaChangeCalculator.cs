using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Internal;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;

namespace VdcPS.Quotas
{
    /// <summary>
    /// Checks requested quota values against the tenant's plan, the keys the cloud offers (at its
    /// compute microversion, and Cinder's volume types) and current usage — all before anything is
    /// sent — and works out the changes, including the Keystone project limits of services with
    /// unified limits.
    /// </summary>
    internal static class QuotaChangeCalculator
    {
        private static readonly Dictionary<string, string> ReplacedBy = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["networks"] = "network.network",
            ["floating_ips"] = "network.floatingip",
            ["security_groups"] = "network.security_group",
            ["security_group_rules"] = "network.security_group_rule",
            ["fixed_ips"] = "network.port",
        };

        /// <summary>
        /// Returns the changes (only those that change something) or, in <paramref name="problems"/>,
        /// one problem per refused value. <paramref name="current"/> holds each targeted service's
        /// answer (limit, in use, reserved per key).
        /// </summary>
        public static List<QuotaChange> Calculate(
            PlanDefinition plan,
            IReadOnlyList<QuotaTarget> targets,
            IReadOnlyDictionary<string, IReadOnlyDictionary<string, QuotaValue>> current,
            Version? computeMicroversion,
            bool force,
            UnifiedLimitsState unified,
            IReadOnlyDictionary<string, IReadOnlyList<ProjectLimitDto>> projectLimits,
            List<QuotaProblem> problems)
        {
            var changes = new List<QuotaChange>();
            foreach (QuotaTarget t in targets)
            {
                string name = $"{t.Service}.{t.Key}";
                QuotaResource? known = QuotaResources.Find(t.Service, t.Key);
                if (t.Service == QuotaResources.Compute && known?.RemovedInMicroversion != null && computeMicroversion != null
                    && !QuotaResources.ExistsAt(known, computeMicroversion))
                {
                    problems.Add(new QuotaProblem(ErrorIds.QuotaResourceNotSupported,
                        $"Quota {name} was removed from the compute API in microversion {known.RemovedInMicroversion} and this cloud speaks {computeMicroversion}"
                        + (ReplacedBy.TryGetValue(t.Key, out string? instead) ? $": set {instead} (Neutron) instead." : ": it no longer exists.")));
                    continue;
                }

                PlanQuota? bounds = plan.FindQuota(t.Service, t.Key);
                if (bounds == null)
                {
                    problems.Add(new QuotaProblem(ErrorIds.QuotaOutOfPlan,
                        $"Quota {name} is not part of plan '{plan.Name}': only the plan's quotas can be set ({string.Join(", ", plan.Quotas.Select(q => $"{q.Service}.{q.Resource}"))})."));
                    continue;
                }

                string? outOfBounds = QuotaTargetCalculator.CheckBounds(bounds, t.Value, plan.Name);
                if (outOfBounds != null)
                {
                    problems.Add(new QuotaProblem(ErrorIds.QuotaOutOfPlan, outOfBounds));
                    continue;
                }

                if (!current.TryGetValue(t.Service, out IReadOnlyDictionary<string, QuotaValue>? values) || !values.TryGetValue(t.Key, out QuotaValue now))
                {
                    string offered = current.TryGetValue(t.Service, out values) ? string.Join(", ", values.Keys.OrderBy(k => QuotaRows.Order(t.Service, k)).ThenBy(k => k, StringComparer.Ordinal)) : "nothing";
                    problems.Add(new QuotaProblem(ErrorIds.QuotaResourceNotSupported,
                        $"The {t.Service} service of this cloud has no quota '{t.Key}' for the tenant"
                        + (QuotaResources.IsVolumeTypeKey(t.Key) && t.Service == QuotaResources.BlockStorage ? " (is there such a volume type?)" : string.Empty)
                        + $". It offers: {offered}."));
                    continue;
                }

                long used = now.InUse + now.Reserved;
                if (t.Value != PlanQuota.Unlimited && t.Value < used && t.Key != "per_volume_gigabytes")
                {
                    string usage = $"{now.InUse.ToString(CultureInfo.InvariantCulture)} in use, {now.Reserved.ToString(CultureInfo.InvariantCulture)} reserved";
                    if (!force)
                    {
                        problems.Add(new QuotaProblem(ErrorIds.QuotaBelowUsage,
                            $"Quota {name} = {t.Value.ToString(CultureInfo.InvariantCulture)} is below what the tenant uses ({usage}). Use -Force to set it anyway (the tenant then cannot create more until it frees some)."));
                        continue;
                    }

                    if (t.Service == QuotaResources.BlockStorage)
                    {
                        problems.Add(new QuotaProblem(ErrorIds.QuotaBelowUsage,
                            $"Quota {name} = {t.Value.ToString(CultureInfo.InvariantCulture)} is below what the tenant uses ({usage}), and Cinder never accepts a limit below usage, not even with -Force."));
                        continue;
                    }
                }

                var change = new QuotaChange(t.Service, t.Key, now.Limit, t.Value, now.InUse, now.Reserved);
                ServiceUnifiedLimits? service = unified.For(t.Service);
                string? resource = UnifiedLimitNames.UnifiedFor(t.Service, t.Key);
                RegisteredLimitDto? registered = resource == null ? null : service?.Find(resource);
                if (registered != null)
                {
                    change.Registered = registered;
                    change.UnifiedWritable = unified.ProjectLimits != null;
                    change.ProjectLimit = projectLimits.TryGetValue(t.Service, out IReadOnlyList<ProjectLimitDto>? own)
                        ? ServiceUnifiedLimits.ProjectLimitFor(registered, own)
                        : null;
                }

                if (change.Changes)
                {
                    changes.Add(change);
                }
            }

            return changes;
        }

        /// <summary>
        /// Joins typed parameters and the -Quota hashtable into one list; a key given twice with
        /// different values is a problem.
        /// </summary>
        public static List<QuotaTarget> Merge(IEnumerable<QuotaTarget> typed, IEnumerable<QuotaTarget> table, List<string> problems)
        {
            var result = new List<QuotaTarget>();
            foreach (QuotaTarget t in typed.Concat(table))
            {
                QuotaTarget? same = result.FirstOrDefault(r => r.Service == t.Service && r.Key == t.Key);
                if (same == null)
                {
                    result.Add(t);
                }
                else if (same.Value != t.Value)
                {
                    problems.Add($"Quota {t.Service}.{t.Key} is given twice, as {same.Value.ToString(CultureInfo.InvariantCulture)} and {t.Value.ToString(CultureInfo.InvariantCulture)}.");
                }
            }

            return result;
        }
    }
}
