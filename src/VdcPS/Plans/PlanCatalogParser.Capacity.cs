using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Internal.Yaml;

namespace VdcPS.Plans
{
    /// <summary>
    /// The capacity prices of a plan: <c>prices.allocation</c> (a monthly price per unit of quota
    /// above an included amount) and <c>prices.included_usage</c> (an amount of a rate unit included
    /// per month). Read after the plan's quotas, because an allocation price is checked against its
    /// quota (included within min..max, a finite maximum).
    /// </summary>
    internal sealed partial class PlanCatalogParser
    {
        private static readonly string[] AllocationKeys = { "included", "per", "price", "description" };

        private bool ReadCapacityPrices(
            YamlTreeEntry prices, string plan, string setting, IReadOnlyList<PlanQuota> quotas, IReadOnlyList<PlanRate> rates,
            List<PlanAllocationPrice> allocations, List<PlanIncludedUsage> included)
        {
            if (!(prices.Value is YamlTreeMapping map))
            {
                return true; // reported by ReadPrices
            }

            bool ok = true;
            YamlTreeEntry? allocation = map.Entries.FirstOrDefault(e => e.Key.Value == "allocation");
            if (allocation != null)
            {
                ok &= ReadAllocation(allocation, plan, setting + ".allocation", quotas, allocations);
            }

            YamlTreeEntry? usage = map.Entries.FirstOrDefault(e => e.Key.Value == "included_usage");
            if (usage != null)
            {
                ok &= ReadIncludedUsage(usage, plan, setting + ".included_usage", rates, included);
            }

            return ok;
        }

        private bool ReadAllocation(YamlTreeEntry entry, string plan, string setting, IReadOnlyList<PlanQuota> quotas, List<PlanAllocationPrice> allocations)
        {
            IEnumerable<YamlTreeEntry>? items = SectionEntries(entry, plan, setting,
                $"the allocation prices of plan '{plan}'", "a mapping of quota key to price (cores: {included: 4, price: 9.00})");
            if (items == null)
            {
                return false;
            }

            bool ok = true;
            foreach (YamlTreeEntry item in items)
            {
                string key = item.Key.Value;
                string s = setting + "." + key;
                string label = $"the allocation price of '{key}' of plan '{plan}'";
                if (!(item.Value is YamlTreeMapping detail))
                {
                    Error(item.Value.Line, item.Value.Column, plan, s, PlanRules.WrongType,
                        $"{label} must be a mapping {{included: N, per: N, price: N}}, not {item.Value.Kind}.");
                    ok = false;
                    continue;
                }

                Dictionary<string, YamlTreeEntry> keys = Keys(detail, AllocationKeys, plan, s, label);
                List<PlanQuota> matches = quotas.Where(q => string.Equals(q.Resource, key, StringComparison.Ordinal)).ToList();
                PlanQuota? quota = matches.Count == 1 ? matches[0] : null;
                if (quota == null)
                {
                    Error(item.Key.Line, item.Key.Column, plan, s, PlanRules.AllocationWithoutQuota,
                        $"plan '{plan}' prices the allocation of '{key}' but sets no quota '{key}': an allocation price needs the quota in the plan's 'quotas:' (under its service), with a finite maximum. {Suggest(key, quotas.Select(q => q.Resource))}".TrimEnd());
                    ok = false;
                    continue;
                }

                if (quota.Max == PlanQuota.Unlimited)
                {
                    Error(item.Key.Line, item.Key.Column, plan, s, PlanRules.AllocationUnlimited,
                        $"plan '{plan}' prices the allocation of {quota.Service} quota '{key}', whose maximum is unlimited: an unlimited quota has no price. Give the quota a finite maximum.");
                    ok = false;
                    continue;
                }

                long? includedValue = null;
                if (keys.TryGetValue("included", out YamlTreeEntry? ie))
                {
                    includedValue = QuotaNumber(ie.Value, plan, s + ".included", $"the included amount of {label}");
                    if (includedValue == PlanQuota.Unlimited)
                    {
                        Error(ie.Value.Line, ie.Value.Column, plan, s + ".included", PlanRules.InvalidQuotaValue,
                            $"the included amount of {label} cannot be unlimited; give a number within the quota's range {quota.RangeText}.");
                        includedValue = null;
                    }
                    else if (includedValue != null && (includedValue < quota.Min || includedValue > quota.Max))
                    {
                        Error(ie.Value.Line, ie.Value.Column, plan, s + ".included", PlanRules.AllocationIncludedOutOfRange,
                            $"the included amount ({Show(includedValue.Value)}) of {label} is outside the quota's range {quota.RangeText}.");
                        includedValue = null;
                    }
                }
                else
                {
                    Error(item.Key.Line, item.Key.Column, plan, s + ".included", PlanRules.MissingValue,
                        $"{label} has no 'included' amount (the quota included in the monthly fee, in {quota.Unit}; 0 to price every unit).");
                }

                long per = 1;
                bool perOk = true;
                if (keys.TryGetValue("per", out YamlTreeEntry? pe))
                {
                    long? v = QuotaNumber(pe.Value, plan, s + ".per", $"the unit size ('per') of {label}");
                    if (v == null)
                    {
                        perOk = false;
                    }
                    else if (v.Value < 1)
                    {
                        Error(pe.Value.Line, pe.Value.Column, plan, s + ".per", PlanRules.InvalidNumber,
                            $"the unit size ('per') of {label} is {Show(v.Value)}; it is a whole number of 1 or more ({quota.Unit} per priced unit).");
                        perOk = false;
                    }
                    else
                    {
                        per = v.Value;
                    }
                }

                decimal? price = null;
                if (keys.TryGetValue("price", out YamlTreeEntry? pr))
                {
                    price = Money(pr.Value, plan, s + ".price", $"the monthly price per unit of '{key}'");
                }
                else
                {
                    Error(item.Key.Line, item.Key.Column, plan, s + ".price", PlanRules.MissingValue,
                        $"{label} has no 'price' (the monthly price per unit above the included amount).");
                }

                string description = keys.TryGetValue("description", out YamlTreeEntry? de) ? (Text(de, plan, s + ".description") ?? string.Empty).Trim() : string.Empty;
                if (includedValue == null || price == null || !perOk)
                {
                    ok = false;
                    continue;
                }

                if (description.Length == 0)
                {
                    description = PlanAllocationPrice.DefaultDescription(quota.Resource, quota.Unit, includedValue.Value, per);
                }

                allocations.Add(new PlanAllocationPrice(quota.Service, quota.Resource, quota.Unit, includedValue.Value, per, price.Value, description));
            }

            return ok;
        }

        private bool ReadIncludedUsage(YamlTreeEntry entry, string plan, string setting, IReadOnlyList<PlanRate> rates, List<PlanIncludedUsage> included)
        {
            IEnumerable<YamlTreeEntry>? items = SectionEntries(entry, plan, setting,
                $"the included usage of plan '{plan}'", "a mapping of rate unit to amount per month (instance-hour: 720)");
            if (items == null)
            {
                return false;
            }

            bool ok = true;
            foreach (YamlTreeEntry item in items)
            {
                string unit = item.Key.Value;
                string s = setting + "." + unit;
                bool unitOk = true;
                if (PlanRateUnits.Find(unit) == null)
                {
                    Error(item.Key.Line, item.Key.Column, plan, s, PlanRules.UnknownRateUnit,
                        $"'{unit}' is not a rate unit. {Suggest(unit, PlanRateUnits.All.Select(u => u.Name))}Known units: {PlanRateUnits.KnownList}.");
                    unitOk = false;
                }

                decimal? amount = Number(item.Value, plan, s, $"the included {unit} per month", allowNegative: false);
                if (amount == null || !unitOk)
                {
                    ok = false;
                    continue;
                }

                if (!rates.Any(r => string.Equals(r.Unit, unit, StringComparison.Ordinal)))
                {
                    Warning(item.Key.Line, item.Key.Column, plan, s, PlanRules.IncludedUsageNotPriced,
                        $"plan '{plan}' includes {amount.Value.ToString(CultureInfo.InvariantCulture)} {unit} a month but has no rate for {unit}: all of it is included anyway, so the amount has no effect.");
                }

                included.Add(new PlanIncludedUsage(unit, amount.Value));
            }

            return ok;
        }
    }
}
