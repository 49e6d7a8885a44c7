using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VdcPS.Internal.Yaml;
using VdcPS.Quotas;

namespace VdcPS.Plans
{
    /// <summary>
    /// Turns a plan catalog's YAML into a <see cref="PlanCatalog"/>, collecting every problem with
    /// file, line and column instead of stopping at the first. The format (api_version vdcps/v1,
    /// snake_case keys) is described in about_VdcPS_Plans.
    /// </summary>
    internal sealed partial class PlanCatalogParser
    {
        public const string SupportedApiVersion = "vdcps/v1";
        public const string DefaultRole = "member";

        private static readonly string[] TopKeys = { "api_version", "description", "currency", "role", "plans" };
        private static readonly string[] PlanKeys = { "display_name", "description", "currency", "role", "prices", "quotas", "starter_network" };
        private static readonly string[] PriceKeys = { "monthly_fee", "setup_fee", "professional_services", "rates", "allocation", "included_usage" };
        private static readonly string[] ServiceKeys = { "name", "amount", "hours", "description" };
        private static readonly string[] RateKeys = { "price", "description", "volume_types" };
        private static readonly string[] QuotaKeys = { "default", "min", "max" };

        private static readonly Regex PlanName = new Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);

        private static readonly Dictionary<string, string> ServiceAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["nova"] = QuotaResources.Compute,
            ["cinder"] = QuotaResources.BlockStorage,
            ["volume"] = QuotaResources.BlockStorage,
            ["volumes"] = QuotaResources.BlockStorage,
            ["volumev3"] = QuotaResources.BlockStorage,
            ["block_storage"] = QuotaResources.BlockStorage,
            ["blockstorage"] = QuotaResources.BlockStorage,
            ["storage"] = QuotaResources.BlockStorage,
            ["neutron"] = QuotaResources.Network,
            ["networking"] = QuotaResources.Network,
        };

        // nova-network quota keys the compute API dropped, and where the quota lives now.
        private static readonly Dictionary<string, string> RemovedComputeKeys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["floating_ips"] = "network: floatingip",
            ["fixed_ips"] = "network: port",
            ["networks"] = "network: network",
            ["security_groups"] = "network: security_group",
            ["security_group_rules"] = "network: security_group_rule",
        };

        private readonly string _path;
        private readonly List<PlanProblem> _problems;

        private PlanCatalogParser(string path, List<PlanProblem> problems)
        {
            _path = path;
            _problems = problems;
        }

        /// <summary>
        /// Parses and validates <paramref name="text"/> (read from <paramref name="path"/>). The
        /// catalog is null when there is any error; the problems (errors and warnings) are sorted
        /// by line and column.
        /// </summary>
        public static (PlanCatalog? Catalog, IReadOnlyList<PlanProblem> Problems) Parse(string text, string path)
        {
            var problems = new List<PlanProblem>();
            var yamlProblems = new List<YamlTreeProblem>();
            YamlTreeNode? root = YamlTreeReader.Read(text, yamlProblems);
            foreach (YamlTreeProblem y in yamlProblems)
            {
                problems.Add(PlanProblem.Error(path, y.Line, y.Column, null, null, PlanRules.YamlSyntax, y.Message));
            }

            PlanCatalog? catalog = null;
            if (!problems.Any(p => p.IsError))
            {
                catalog = new PlanCatalogParser(path, problems).ReadCatalog(root);
            }

            List<PlanProblem> sorted = problems
                .Select((p, i) => (p, i))
                .OrderBy(x => x.p.Line)
                .ThenBy(x => x.p.Column)
                .ThenBy(x => x.i)
                .Select(x => x.p)
                .ToList();
            return (sorted.Any(p => p.IsError) ? null : catalog, sorted);
        }

        // ------------------------------------------------------------------ catalog

        private PlanCatalog? ReadCatalog(YamlTreeNode? root)
        {
            if (root == null || (root is YamlTreeScalar s && s.IsNull))
            {
                Error(root?.Line ?? 0, root?.Column ?? 0, null, null, PlanRules.EmptyCatalog,
                    $"the plan catalog is empty. Start it with 'api_version: {SupportedApiVersion}' and a 'plans:' mapping (see Get-Help about_VdcPS_Plans).");
                return null;
            }

            if (!(root is YamlTreeMapping top))
            {
                Error(root.Line, root.Column, null, null, PlanRules.WrongType,
                    $"a plan catalog must be a mapping that starts with 'api_version: {SupportedApiVersion}', not {root.Kind}.");
                return null;
            }

            Dictionary<string, YamlTreeEntry> keys = Keys(top, TopKeys, null, string.Empty, "the top of the catalog");

            string apiVersion = SupportedApiVersion;
            if (!keys.TryGetValue("api_version", out YamlTreeEntry? apiEntry))
            {
                Error(top.Line, top.Column, null, "api_version", PlanRules.MissingValue,
                    $"the catalog has no 'api_version'. Add 'api_version: {SupportedApiVersion}' as its first line so that later formats can be told apart.");
            }
            else
            {
                string? given = Text(apiEntry, null, "api_version");
                if (given != null && !string.Equals(given, SupportedApiVersion, StringComparison.Ordinal))
                {
                    Error(apiEntry.Value.Line, apiEntry.Value.Column, null, "api_version", PlanRules.UnsupportedApiVersion,
                        $"api_version '{given}' is not supported by this version of VdcPS; it reads '{SupportedApiVersion}'.");
                }

                apiVersion = given ?? apiVersion;
            }

            keys.TryGetValue("description", out YamlTreeEntry? descEntry);
            if (descEntry != null)
            {
                Text(descEntry, null, "description");
            }

            bool catalogCurrencyGiven = keys.TryGetValue("currency", out YamlTreeEntry? curEntry);
            string? catalogCurrency = catalogCurrencyGiven ? Currency(curEntry!, null, "currency") : null;
            string? catalogRole = keys.TryGetValue("role", out YamlTreeEntry? roleEntry) ? Role(roleEntry, null, "role") : null;

            var plans = new List<PlanDefinition>();
            if (!keys.TryGetValue("plans", out YamlTreeEntry? plansEntry))
            {
                Error(top.Line, top.Column, null, "plans", PlanRules.NoPlans,
                    "the catalog has no 'plans:' mapping. Add one with a key per plan (plans: / vdc-small: ...).");
            }
            else if (!(plansEntry.Value is YamlTreeMapping plansMap))
            {
                Error(plansEntry.Value.Line, plansEntry.Value.Column, null, "plans",
                    plansEntry.Value is YamlTreeScalar ps && ps.IsNull ? PlanRules.NoPlans : PlanRules.WrongType,
                    $"'plans' must be a mapping with one key per plan (vdc-small:, vdc-medium: ...), not {plansEntry.Value.Kind}.");
            }
            else if (plansMap.Entries.Count == 0)
            {
                Error(plansEntry.Key.Line, plansEntry.Key.Column, null, "plans", PlanRules.NoPlans, "'plans' holds no plan.");
            }
            else
            {
                var seen = new Dictionary<string, YamlTreeEntry>(StringComparer.OrdinalIgnoreCase);
                foreach (YamlTreeEntry planEntry in plansMap.Entries)
                {
                    string name = planEntry.Key.Value;
                    if (seen.TryGetValue(name, out YamlTreeEntry? first))
                    {
                        string same = string.Equals(first.Key.Value, name, StringComparison.Ordinal)
                            ? string.Empty
                            : $" as '{first.Key.Value}' (plan names are compared without regard to case)";
                        Error(planEntry.Key.Line, planEntry.Key.Column, name, "plans." + name, PlanRules.DuplicatePlan,
                            $"the plan '{name}' is defined twice: it is already defined{same} at line {first.Key.Line}. Rename or remove one of them.");
                        continue;
                    }

                    seen.Add(name, planEntry);
                    PlanDefinition? plan = ReadPlan(planEntry, catalogCurrency, catalogCurrencyGiven, catalogRole);
                    if (plan != null)
                    {
                        plans.Add(plan);
                    }
                }
            }

            List<PlanProblem> warnings = _problems.Where(p => !p.IsError).ToList();
            return new PlanCatalog(_path, apiVersion, plans, warnings);
        }

        // ------------------------------------------------------------------ plan

        private PlanDefinition? ReadPlan(YamlTreeEntry entry, string? catalogCurrency, bool catalogCurrencyGiven, string? catalogRole)
        {
            string name = entry.Key.Value;
            string setting = "plans." + name;
            bool ok = true;
            if (!PlanName.IsMatch(name))
            {
                Error(entry.Key.Line, entry.Key.Column, name, setting, PlanRules.InvalidPlanName,
                    $"'{name}' cannot be a plan name: use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit (for example vdc-small).");
                ok = false;
            }

            if (!(entry.Value is YamlTreeMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, name, setting, PlanRules.WrongType,
                    $"plan '{name}' must be a mapping of settings (display_name, currency, prices, quotas...), not {entry.Value.Kind}.");
                return null;
            }

            string where = $"plan '{name}'";
            Dictionary<string, YamlTreeEntry> keys = Keys(map, PlanKeys, name, setting, where);

            string displayName = name;
            if (keys.TryGetValue("display_name", out YamlTreeEntry? dn))
            {
                string? text = Text(dn, name, setting + ".display_name");
                if (text != null && text.Trim().Length > 0)
                {
                    displayName = text.Trim();
                }
                else if (dn.Value is YamlTreeScalar)
                {
                    Error(dn.Value.Line, dn.Value.Column, name, setting + ".display_name", PlanRules.MissingValue,
                        $"the display_name of plan '{name}' is empty; give the name customers see, or leave the key out to use '{name}'.");
                    ok = false;
                }
            }

            string description = keys.TryGetValue("description", out YamlTreeEntry? de) ? (Text(de, name, setting + ".description") ?? string.Empty).Trim() : string.Empty;

            string? currency = null;
            if (keys.TryGetValue("currency", out YamlTreeEntry? cur))
            {
                currency = Currency(cur, name, setting + ".currency");
                ok &= currency != null;
            }
            else if (catalogCurrency != null)
            {
                currency = catalogCurrency;
            }
            else if (catalogCurrencyGiven)
            {
                ok = false; // the catalog's currency is broken: reported once, at the top
            }
            else
            {
                Error(entry.Key.Line, entry.Key.Column, name, setting + ".currency", PlanRules.MissingValue,
                    $"plan '{name}' has no currency: add 'currency: EUR' (an ISO 4217 code) to the plan, or once at the top of the catalog for every plan.");
                ok = false;
            }

            string role = catalogRole ?? DefaultRole;
            if (keys.TryGetValue("role", out YamlTreeEntry? ro))
            {
                string? r = Role(ro, name, setting + ".role");
                ok &= r != null;
                role = r ?? role;
            }

            decimal monthly = 0m, setup = 0m;
            var services = new List<PlanProfessionalService>();
            var rates = new List<PlanRate>();
            if (!keys.TryGetValue("prices", out YamlTreeEntry? prices))
            {
                Error(entry.Key.Line, entry.Key.Column, name, setting + ".prices", PlanRules.MissingValue,
                    $"plan '{name}' has no 'prices:' mapping; give at least 'monthly_fee' (0 for a pay-per-use plan).");
                ok = false;
            }
            else
            {
                ok &= ReadPrices(prices, name, setting + ".prices", ref monthly, ref setup, services, rates);
            }

            var quotas = new List<PlanQuota>();
            if (!keys.TryGetValue("quotas", out YamlTreeEntry? quotaEntry))
            {
                Error(entry.Key.Line, entry.Key.Column, name, setting + ".quotas", PlanRules.MissingValue,
                    $"plan '{name}' has no 'quotas:' mapping; give the quotas per service (compute, block-storage, network).");
                ok = false;
            }
            else
            {
                ok &= ReadQuotas(quotaEntry, name, setting + ".quotas", quotas);
            }

            var allocations = new List<PlanAllocationPrice>();
            var included = new List<PlanIncludedUsage>();
            if (prices != null)
            {
                // read after the quotas: an allocation price is checked against the plan's quota
                ok &= ReadCapacityPrices(prices, name, setting + ".prices", quotas, rates, allocations, included);
            }

            PlanStarterNetwork? starter = null;
            if (keys.TryGetValue("starter_network", out YamlTreeEntry? sn))
            {
                ok &= ReadStarterNetwork(sn, name, setting + ".starter_network", out starter);
            }

            if (ok && monthly == 0m && setup == 0m && rates.Count == 0 && allocations.Count == 0 && prices != null)
            {
                Warning(prices.Key.Line, prices.Key.Column, name, setting + ".prices", PlanRules.NothingToSell,
                    $"plan '{name}' costs nothing: no monthly fee, no setup fee and no pay-per-use rates.");
            }

            if (!ok)
            {
                return null;
            }

            return new PlanDefinition(name, displayName, description, currency!, role, monthly, setup, services, rates, quotas, _path, entry.Key.Line)
            {
                Allocations = allocations,
                IncludedUsage = included,
                StarterNetwork = starter,
            };
        }

        private bool ReadPrices(YamlTreeEntry entry, string plan, string setting, ref decimal monthly, ref decimal setup, List<PlanProfessionalService> services, List<PlanRate> rates)
        {
            if (!(entry.Value is YamlTreeMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the prices of plan '{plan}' must be a mapping (monthly_fee, setup_fee, professional_services, rates, allocation, included_usage), not {entry.Value.Kind}.");
                return false;
            }

            bool ok = true;
            Dictionary<string, YamlTreeEntry> keys = Keys(map, PriceKeys, plan, setting, $"the prices of plan '{plan}'");
            if (keys.TryGetValue("monthly_fee", out YamlTreeEntry? mf))
            {
                decimal? v = Money(mf.Value, plan, setting + ".monthly_fee", "the monthly fee");
                ok &= v != null;
                monthly = v ?? 0m;
            }
            else
            {
                Error(entry.Key.Line, entry.Key.Column, plan, setting + ".monthly_fee", PlanRules.MissingValue,
                    $"the prices of plan '{plan}' have no 'monthly_fee'; write 'monthly_fee: 0' for a pure pay-per-use plan.");
                ok = false;
            }

            if (keys.TryGetValue("setup_fee", out YamlTreeEntry? sf))
            {
                decimal? v = Money(sf.Value, plan, setting + ".setup_fee", "the setup fee");
                ok &= v != null;
                setup = v ?? 0m;
            }

            if (keys.TryGetValue("professional_services", out YamlTreeEntry? ps))
            {
                ok &= ReadServices(ps, plan, setting + ".professional_services", services);
            }

            if (keys.TryGetValue("rates", out YamlTreeEntry? re))
            {
                ok &= ReadRates(re, plan, setting + ".rates", rates);
            }

            return ok;
        }

        private bool ReadServices(YamlTreeEntry entry, string plan, string setting, List<PlanProfessionalService> services)
        {
            if (entry.Value is YamlTreeScalar empty && empty.IsNull)
            {
                return true;
            }

            if (!(entry.Value is YamlTreeSequence list))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the professional_services of plan '{plan}' must be a list ('- name: Onboarding workshop' ...), not {entry.Value.Kind}.");
                return false;
            }

            bool ok = true;
            for (int i = 0; i < list.Items.Count; i++)
            {
                YamlTreeNode item = list.Items[i];
                string s = $"{setting}[{i}]";
                if (!(item is YamlTreeMapping map))
                {
                    Error(item.Line, item.Column, plan, s, PlanRules.WrongType,
                        $"professional service {i + 1} of plan '{plan}' must be a mapping with 'name' and 'amount' (and optional 'hours', 'description'), not {item.Kind}.");
                    ok = false;
                    continue;
                }

                Dictionary<string, YamlTreeEntry> keys = Keys(map, ServiceKeys, plan, s, $"professional service {i + 1} of plan '{plan}'");
                string? name = keys.TryGetValue("name", out YamlTreeEntry? ne) ? Text(ne, plan, s + ".name")?.Trim() : null;
                if (string.IsNullOrEmpty(name))
                {
                    Error(map.Line, map.Column, plan, s + ".name", PlanRules.MissingValue,
                        $"professional service {i + 1} of plan '{plan}' has no name.");
                    ok = false;
                }

                string label = name != null && name.Length > 0 ? $"professional service '{name}'" : $"professional service {i + 1}";
                decimal? amount = null;
                if (keys.TryGetValue("amount", out YamlTreeEntry? ae))
                {
                    amount = Money(ae.Value, plan, s + ".amount", $"the amount of {label}");
                }
                else
                {
                    Error(map.Line, map.Column, plan, s + ".amount", PlanRules.MissingValue,
                        $"{label} of plan '{plan}' has no 'amount' (its value in the plan's currency; 0 when it is free).");
                }

                decimal hours = 0m;
                if (keys.TryGetValue("hours", out YamlTreeEntry? he))
                {
                    decimal? h = Number(he.Value, plan, s + ".hours", $"the hours of {label}", allowNegative: false);
                    if (h == null)
                    {
                        ok = false;
                    }

                    hours = h ?? 0m;
                }

                string description = keys.TryGetValue("description", out YamlTreeEntry? de) ? (Text(de, plan, s + ".description") ?? string.Empty).Trim() : string.Empty;
                if (amount == null || string.IsNullOrEmpty(name))
                {
                    ok = false;
                    continue;
                }

                services.Add(new PlanProfessionalService(name!, amount.Value, hours, description));
            }

            return ok;
        }

        /// <summary>
        /// The entries of an optional mapping section (<c>rates:</c>, <c>allocation:</c>, <c>included_usage:</c>): none for
        /// an empty value; null, after a WrongType error "<paramref name="what"/> must be <paramref name="shape"/>",
        /// when it is not a mapping; repeated keys are reported by <see cref="DistinctEntries"/>.
        /// </summary>
        private IEnumerable<YamlTreeEntry>? SectionEntries(YamlTreeEntry entry, string plan, string setting, string what, string shape)
        {
            if (entry.Value is YamlTreeScalar empty && empty.IsNull)
            {
                return Array.Empty<YamlTreeEntry>();
            }

            if (!(entry.Value is YamlTreeMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType, $"{what} must be {shape}, not {entry.Value.Kind}.");
                return null;
            }

            return DistinctEntries(map, plan, setting, what);
        }

        private bool ReadRates(YamlTreeEntry entry, string plan, string setting, List<PlanRate> rates)
        {
            IEnumerable<YamlTreeEntry>? items = SectionEntries(entry, plan, setting,
                $"the rates of plan '{plan}'", "a mapping of unit to price (vcpu-hour: 0.0125)");
            if (items == null)
            {
                return false;
            }

            bool ok = true;
            foreach (YamlTreeEntry rate in items)
            {
                string unit = rate.Key.Value;
                string s = setting + "." + unit;
                bool unitOk = true;
                if (PlanRateUnits.Find(unit) == null)
                {
                    string hint = Suggest(unit, PlanRateUnits.All.Select(u => u.Name));
                    Error(rate.Key.Line, rate.Key.Column, plan, s, PlanRules.UnknownRateUnit,
                        $"'{unit}' is not a rate unit. {hint}Known units: {PlanRateUnits.KnownList}.");
                    unitOk = false;
                }

                decimal? price = null;
                string description = string.Empty;
                var byType = new List<PlanVolumeTypePrice>();
                if (rate.Value is YamlTreeMapping detail)
                {
                    Dictionary<string, YamlTreeEntry> keys = Keys(detail, RateKeys, plan, s, $"rate '{unit}' of plan '{plan}'");
                    if (keys.TryGetValue("volume_types", out YamlTreeEntry? vt))
                    {
                        ok &= ReadVolumeTypePrices(vt, unit, plan, s + ".volume_types", byType);
                    }

                    if (keys.TryGetValue("price", out YamlTreeEntry? pe))
                    {
                        price = Money(pe.Value, plan, s + ".price", $"the price per {unit}");
                    }
                    else
                    {
                        Error(rate.Key.Line, rate.Key.Column, plan, s + ".price", PlanRules.MissingValue,
                            $"rate '{unit}' of plan '{plan}' has no 'price'.");
                    }

                    if (keys.TryGetValue("description", out YamlTreeEntry? de))
                    {
                        description = (Text(de, plan, s + ".description") ?? string.Empty).Trim();
                    }
                }
                else
                {
                    price = Money(rate.Value, plan, s, $"the price per {unit}");
                }

                if (price == null || !unitOk)
                {
                    ok = false;
                    continue;
                }

                if (description.Length == 0)
                {
                    description = PlanRateUnits.Find(unit)!.Description;
                }

                rates.Add(new PlanRate(unit, price.Value, description, byType, rate.Key.Line, rate.Key.Column));
            }

            return ok;
        }

        /// <summary>
        /// volume_types of a volume-gb-hour rate: volume type name → price per GB-hour, for the types
        /// priced apart from the rate's own price (which every other type pays). Names are Cinder's
        /// volume type names, matched without regard to case, as Cinder's database does.
        /// </summary>
        private bool ReadVolumeTypePrices(YamlTreeEntry entry, string unit, string plan, string setting, List<PlanVolumeTypePrice> byType)
        {
            if (unit != PlanRateUnits.VolumeGbHour)
            {
                Error(entry.Key.Line, entry.Key.Column, plan, setting, PlanRules.VolumeTypesNotAllowed,
                    $"rate '{unit}' of plan '{plan}' cannot be priced per volume type: only {PlanRateUnits.VolumeGbHour} can.");
                return false;
            }

            if (!(entry.Value is YamlTreeMapping map) || map.Entries.Count == 0)
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the volume_types of rate '{unit}' of plan '{plan}' must be a mapping of volume type name to price (fast-ssd: 0.0003), not {(entry.Value is YamlTreeMapping ? "an empty mapping" : entry.Value.Kind)}.");
                return false;
            }

            bool ok = true;
            var names = new Dictionary<string, YamlTreeEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (YamlTreeEntry t in DistinctEntries(map, plan, setting, $"the volume_types of rate '{unit}' of plan '{plan}'"))
            {
                string name = t.Key.Value.Trim();
                string ts = setting + "." + name;
                if (name.Length == 0 || name.Length > 255)
                {
                    Error(t.Key.Line, t.Key.Column, plan, ts, PlanRules.InvalidVolumeType,
                        $"'{t.Key.Value}' is not a volume type name (1 to 255 characters, as Cinder allows).");
                    ok = false;
                    continue;
                }

                if (names.TryGetValue(name, out YamlTreeEntry? first))
                {
                    Error(t.Key.Line, t.Key.Column, plan, ts, PlanRules.DuplicateKey,
                        $"volume type '{name}' of rate '{unit}' of plan '{plan}' is priced twice (also on line {first.Key.Line} as '{first.Key.Value}'); Cinder's volume type names ignore case.");
                    ok = false;
                    continue;
                }

                names[name] = t;
                decimal? price = Money(t.Value, plan, ts, $"the price per {unit} of volume type '{name}'");
                if (price == null)
                {
                    ok = false;
                    continue;
                }

                byType.Add(new PlanVolumeTypePrice(name, price.Value, t.Key.Line, t.Key.Column));
            }

            return ok;
        }
    }
}
