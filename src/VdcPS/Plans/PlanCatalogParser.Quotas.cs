using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Quotas;
using VdcPS.Internal.Yaml;

namespace VdcPS.Plans
{
    // PlanCatalogParser, part: the quotas: section of a plan (services, resources, default/min/max) (the class is described in PlanCatalogParser.cs).
    internal sealed partial class PlanCatalogParser
    {
        // ------------------------------------------------------------------ quotas

        private bool ReadQuotas(YamlTreeEntry entry, string plan, string setting, List<PlanQuota> quotas)
        {
            if (entry.Value is YamlTreeScalar empty && empty.IsNull)
            {
                Warning(entry.Key.Line, entry.Key.Column, plan, setting, PlanRules.NoQuotas,
                    $"plan '{plan}' sets no quota: its tenants keep the cloud's default quotas.");
                return true;
            }

            if (!(entry.Value is YamlTreeMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the quotas of plan '{plan}' must be a mapping by service (compute:, block-storage:, network:), not {entry.Value.Kind}.");
                return false;
            }

            if (map.Entries.Count == 0)
            {
                Warning(entry.Key.Line, entry.Key.Column, plan, setting, PlanRules.NoQuotas,
                    $"plan '{plan}' sets no quota: its tenants keep the cloud's default quotas.");
                return true;
            }

            bool ok = true;
            foreach (YamlTreeEntry serviceEntry in DistinctEntries(map, plan, setting, $"the quotas of plan '{plan}'"))
            {
                string service = serviceEntry.Key.Value;
                string s = setting + "." + service;
                if (!QuotaResources.Services.Contains(service))
                {
                    string hint = ServiceAliases.TryGetValue(service, out string? canonical)
                        ? $"Write '{canonical}'. "
                        : Suggest(service, QuotaResources.Services);
                    Error(serviceEntry.Key.Line, serviceEntry.Key.Column, plan, s, PlanRules.UnknownService,
                        $"'{service}' is not a service VdcPS sets quotas on. {hint}Services: {string.Join(", ", QuotaResources.Services)}.");
                    ok = false;
                    continue;
                }

                if (serviceEntry.Value is YamlTreeScalar none && none.IsNull)
                {
                    continue;
                }

                if (!(serviceEntry.Value is YamlTreeMapping resources))
                {
                    Error(serviceEntry.Value.Line, serviceEntry.Value.Column, plan, s, PlanRules.WrongType,
                        $"the {service} quotas of plan '{plan}' must be a mapping of quota to limits (cores: {{default: 4, min: 2, max: 8}}), not {serviceEntry.Value.Kind}.");
                    ok = false;
                    continue;
                }

                foreach (YamlTreeEntry resourceEntry in DistinctEntries(resources, plan, s, $"the {service} quotas of plan '{plan}'"))
                {
                    PlanQuota? quota = ReadQuota(service, resourceEntry, plan, s + "." + resourceEntry.Key.Value);
                    if (quota == null)
                    {
                        ok = false;
                    }
                    else
                    {
                        quotas.Add(quota);
                    }
                }
            }

            return ok;
        }

        private PlanQuota? ReadQuota(string service, YamlTreeEntry entry, string plan, string setting)
        {
            string key = entry.Key.Value;
            string label = $"{service} quota '{key}' of plan '{plan}'";
            QuotaResource? resource = QuotaResources.Find(service, key);
            if (resource == null)
            {
                string? elsewhere = QuotaResources.Services.FirstOrDefault(other => other != service && QuotaResources.Find(other, key) != null && !QuotaResources.IsVolumeTypeKey(key));
                string hint = elsewhere != null
                    ? $"'{key}' is a {elsewhere} quota: move it under '{elsewhere}:'. "
                    : Suggest(key, QuotaResources.All.Where(r => r.Service == service && r.RemovedInMicroversion == null).Select(r => r.Key));
                Error(entry.Key.Line, entry.Key.Column, plan, setting, PlanRules.UnknownResource,
                    $"'{key}' is not a {service} quota. {hint}Known {service} quotas: {QuotaResources.Suggest(service)}.");
                return null;
            }

            if (resource.RemovedInMicroversion != null)
            {
                string instead = RemovedComputeKeys.TryGetValue(key, out string? moved) ? $" Set it as '{moved}' instead." : string.Empty;
                Warning(entry.Key.Line, entry.Key.Column, plan, setting, PlanRules.RemovedResource,
                    $"'{key}' is no longer a compute quota: the compute API removed it in microversion {resource.RemovedInMicroversion}, and current clouds ignore or reject it.{instead}");
            }

            long def, min, max;
            YamlTreeNode defNode, minNode, maxNode;
            if (entry.Value is YamlTreeMapping limits)
            {
                Dictionary<string, YamlTreeEntry> keys = Keys(limits, QuotaKeys, plan, setting, label);
                bool complete = true;
                foreach (string k in QuotaKeys)
                {
                    if (!keys.ContainsKey(k))
                    {
                        Error(entry.Key.Line, entry.Key.Column, plan, setting + "." + k, PlanRules.MissingValue,
                            $"the {label} has no '{k}'. Give default, min and max ({key}: {{default: 10, min: 0, max: 20}}), or one number for a fixed quota.");
                        complete = false;
                    }
                }

                if (!complete)
                {
                    return null;
                }

                long? d = QuotaNumber(keys["default"].Value, plan, setting + ".default", $"the default of the {label}");
                long? mn = QuotaNumber(keys["min"].Value, plan, setting + ".min", $"the minimum of the {label}");
                long? mx = QuotaNumber(keys["max"].Value, plan, setting + ".max", $"the maximum of the {label}");
                if (d == null || mn == null || mx == null)
                {
                    return null;
                }

                def = d.Value;
                min = mn.Value;
                max = mx.Value;
                defNode = keys["default"].Value;
                minNode = keys["min"].Value;
                maxNode = keys["max"].Value;
                if (min == PlanQuota.Unlimited)
                {
                    Error(minNode.Line, minNode.Column, plan, setting + ".min", PlanRules.InvalidQuotaValue,
                        $"the minimum of the {label} cannot be unlimited (-1); write 0 for no lower limit.");
                    return null;
                }

                if (max != PlanQuota.Unlimited && min > max)
                {
                    Error(minNode.Line, minNode.Column, plan, setting + ".min", PlanRules.MinGreaterThanMax,
                        $"the minimum ({Show(min)}) of the {label} is greater than its maximum ({Show(max)}).");
                    return null;
                }
            }
            else if (entry.Value is YamlTreeScalar fixedValue && !fixedValue.IsNull)
            {
                // One number: a fixed quota (default = min = max); "unlimited" is unlimited with no lower limit.
                long? v = QuotaNumber(fixedValue, plan, setting, $"the {label}");
                if (v == null)
                {
                    return null;
                }

                def = max = v.Value;
                min = v.Value == PlanQuota.Unlimited ? 0 : v.Value;
                defNode = minNode = maxNode = fixedValue;
            }
            else
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the {label} must be {{default: N, min: N, max: N}} or one number (a fixed quota), not {entry.Value.Kind}.");
                return null;
            }

            if (def == PlanQuota.Unlimited && max != PlanQuota.Unlimited)
            {
                Error(defNode.Line, defNode.Column, plan, setting + ".default", PlanRules.DefaultOutOfRange,
                    $"the default of the {label} is unlimited (-1) but its maximum is {Show(max)}; make the maximum unlimited too, or give a number.");
                return null;
            }

            if (def != PlanQuota.Unlimited && (def < min || (max != PlanQuota.Unlimited && def > max)))
            {
                string range = $"{Show(min)}..{(max == PlanQuota.Unlimited ? "unlimited" : Show(max))}";
                Error(defNode.Line, defNode.Column, plan, setting + ".default", PlanRules.DefaultOutOfRange,
                    $"the default ({Show(def)}) of the {label} is outside its range {range}.");
                return null;
            }

            if (service == QuotaResources.Compute && key == "ram")
            {
                long small = new[] { def, max }.FirstOrDefault(v => v > 0 && v < 512);
                if (small > 0)
                {
                    YamlTreeNode at = small == def ? defNode : maxNode;
                    Warning(at.Line, at.Column, plan, setting, PlanRules.SuspiciousRam,
                        $"the {label} is counted in MB: {Show(small)} MB is less than the smallest server needs. Did you mean {Show(small * 1024)} ({Show(small)} GB)?");
                }
            }

            return new PlanQuota(service, key, resource.Unit, resource.Description, def, min, max, entry.Key.Line, entry.Key.Column);
        }
    }
}
