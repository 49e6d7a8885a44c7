using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
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
            PlanYamlNode? root = PlanYamlReader.Parse(text, path, problems);
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

        private PlanCatalog? ReadCatalog(PlanYamlNode? root)
        {
            if (root == null || (root is PlanYamlScalar s && s.IsNull))
            {
                Error(root?.Line ?? 0, root?.Column ?? 0, null, null, PlanRules.EmptyCatalog,
                    $"the plan catalog is empty. Start it with 'api_version: {SupportedApiVersion}' and a 'plans:' mapping (see Get-Help about_VdcPS_Plans).");
                return null;
            }

            if (!(root is PlanYamlMapping top))
            {
                Error(root.Line, root.Column, null, null, PlanRules.WrongType,
                    $"a plan catalog must be a mapping that starts with 'api_version: {SupportedApiVersion}', not {root.Kind}.");
                return null;
            }

            Dictionary<string, PlanYamlEntry> keys = Keys(top, TopKeys, null, string.Empty, "the top of the catalog");

            string apiVersion = SupportedApiVersion;
            if (!keys.TryGetValue("api_version", out PlanYamlEntry? apiEntry))
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

            keys.TryGetValue("description", out PlanYamlEntry? descEntry);
            if (descEntry != null)
            {
                Text(descEntry, null, "description");
            }

            bool catalogCurrencyGiven = keys.TryGetValue("currency", out PlanYamlEntry? curEntry);
            string? catalogCurrency = catalogCurrencyGiven ? Currency(curEntry!, null, "currency") : null;
            string? catalogRole = keys.TryGetValue("role", out PlanYamlEntry? roleEntry) ? Role(roleEntry, null, "role") : null;

            var plans = new List<PlanDefinition>();
            if (!keys.TryGetValue("plans", out PlanYamlEntry? plansEntry))
            {
                Error(top.Line, top.Column, null, "plans", PlanRules.NoPlans,
                    "the catalog has no 'plans:' mapping. Add one with a key per plan (plans: / vdc-small: ...).");
            }
            else if (!(plansEntry.Value is PlanYamlMapping plansMap))
            {
                Error(plansEntry.Value.Line, plansEntry.Value.Column, null, "plans",
                    plansEntry.Value is PlanYamlScalar ps && ps.IsNull ? PlanRules.NoPlans : PlanRules.WrongType,
                    $"'plans' must be a mapping with one key per plan (vdc-small:, vdc-medium: ...), not {plansEntry.Value.Kind}.");
            }
            else if (plansMap.Entries.Count == 0)
            {
                Error(plansEntry.Key.Line, plansEntry.Key.Column, null, "plans", PlanRules.NoPlans, "'plans' holds no plan.");
            }
            else
            {
                var seen = new Dictionary<string, PlanYamlEntry>(StringComparer.OrdinalIgnoreCase);
                foreach (PlanYamlEntry planEntry in plansMap.Entries)
                {
                    string name = planEntry.Key.Value;
                    if (seen.TryGetValue(name, out PlanYamlEntry? first))
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

        private PlanDefinition? ReadPlan(PlanYamlEntry entry, string? catalogCurrency, bool catalogCurrencyGiven, string? catalogRole)
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

            if (!(entry.Value is PlanYamlMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, name, setting, PlanRules.WrongType,
                    $"plan '{name}' must be a mapping of settings (display_name, currency, prices, quotas...), not {entry.Value.Kind}.");
                return null;
            }

            string where = $"plan '{name}'";
            Dictionary<string, PlanYamlEntry> keys = Keys(map, PlanKeys, name, setting, where);

            string displayName = name;
            if (keys.TryGetValue("display_name", out PlanYamlEntry? dn))
            {
                string? text = Text(dn, name, setting + ".display_name");
                if (text != null && text.Trim().Length > 0)
                {
                    displayName = text.Trim();
                }
                else if (dn.Value is PlanYamlScalar)
                {
                    Error(dn.Value.Line, dn.Value.Column, name, setting + ".display_name", PlanRules.MissingValue,
                        $"the display_name of plan '{name}' is empty; give the name customers see, or leave the key out to use '{name}'.");
                    ok = false;
                }
            }

            string description = keys.TryGetValue("description", out PlanYamlEntry? de) ? (Text(de, name, setting + ".description") ?? string.Empty).Trim() : string.Empty;

            string? currency = null;
            if (keys.TryGetValue("currency", out PlanYamlEntry? cur))
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
            if (keys.TryGetValue("role", out PlanYamlEntry? ro))
            {
                string? r = Role(ro, name, setting + ".role");
                ok &= r != null;
                role = r ?? role;
            }

            decimal monthly = 0m, setup = 0m;
            var services = new List<PlanService>();
            var rates = new List<PlanRate>();
            if (!keys.TryGetValue("prices", out PlanYamlEntry? prices))
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
            if (!keys.TryGetValue("quotas", out PlanYamlEntry? quotaEntry))
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
            if (keys.TryGetValue("starter_network", out PlanYamlEntry? sn))
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

        private bool ReadPrices(PlanYamlEntry entry, string plan, string setting, ref decimal monthly, ref decimal setup, List<PlanService> services, List<PlanRate> rates)
        {
            if (!(entry.Value is PlanYamlMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the prices of plan '{plan}' must be a mapping (monthly_fee, setup_fee, professional_services, rates, allocation, included_usage), not {entry.Value.Kind}.");
                return false;
            }

            bool ok = true;
            Dictionary<string, PlanYamlEntry> keys = Keys(map, PriceKeys, plan, setting, $"the prices of plan '{plan}'");
            if (keys.TryGetValue("monthly_fee", out PlanYamlEntry? mf))
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

            if (keys.TryGetValue("setup_fee", out PlanYamlEntry? sf))
            {
                decimal? v = Money(sf.Value, plan, setting + ".setup_fee", "the setup fee");
                ok &= v != null;
                setup = v ?? 0m;
            }

            if (keys.TryGetValue("professional_services", out PlanYamlEntry? ps))
            {
                ok &= ReadServices(ps, plan, setting + ".professional_services", services);
            }

            if (keys.TryGetValue("rates", out PlanYamlEntry? re))
            {
                ok &= ReadRates(re, plan, setting + ".rates", rates);
            }

            return ok;
        }

        private bool ReadServices(PlanYamlEntry entry, string plan, string setting, List<PlanService> services)
        {
            if (entry.Value is PlanYamlScalar empty && empty.IsNull)
            {
                return true;
            }

            if (!(entry.Value is PlanYamlSequence list))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the professional_services of plan '{plan}' must be a list ('- name: Onboarding workshop' ...), not {entry.Value.Kind}.");
                return false;
            }

            bool ok = true;
            for (int i = 0; i < list.Items.Count; i++)
            {
                PlanYamlNode item = list.Items[i];
                string s = $"{setting}[{i}]";
                if (!(item is PlanYamlMapping map))
                {
                    Error(item.Line, item.Column, plan, s, PlanRules.WrongType,
                        $"professional service {i + 1} of plan '{plan}' must be a mapping with 'name' and 'amount' (and optional 'hours', 'description'), not {item.Kind}.");
                    ok = false;
                    continue;
                }

                Dictionary<string, PlanYamlEntry> keys = Keys(map, ServiceKeys, plan, s, $"professional service {i + 1} of plan '{plan}'");
                string? name = keys.TryGetValue("name", out PlanYamlEntry? ne) ? Text(ne, plan, s + ".name")?.Trim() : null;
                if (string.IsNullOrEmpty(name))
                {
                    Error(map.Line, map.Column, plan, s + ".name", PlanRules.MissingValue,
                        $"professional service {i + 1} of plan '{plan}' has no name.");
                    ok = false;
                }

                string label = name != null && name.Length > 0 ? $"professional service '{name}'" : $"professional service {i + 1}";
                decimal? amount = null;
                if (keys.TryGetValue("amount", out PlanYamlEntry? ae))
                {
                    amount = Money(ae.Value, plan, s + ".amount", $"the amount of {label}");
                }
                else
                {
                    Error(map.Line, map.Column, plan, s + ".amount", PlanRules.MissingValue,
                        $"{label} of plan '{plan}' has no 'amount' (its value in the plan's currency; 0 when it is free).");
                }

                decimal hours = 0m;
                if (keys.TryGetValue("hours", out PlanYamlEntry? he))
                {
                    decimal? h = Number(he.Value, plan, s + ".hours", $"the hours of {label}", allowNegative: false);
                    if (h == null)
                    {
                        ok = false;
                    }

                    hours = h ?? 0m;
                }

                string description = keys.TryGetValue("description", out PlanYamlEntry? de) ? (Text(de, plan, s + ".description") ?? string.Empty).Trim() : string.Empty;
                if (amount == null || string.IsNullOrEmpty(name))
                {
                    ok = false;
                    continue;
                }

                services.Add(new PlanService(name!, amount.Value, hours, description));
            }

            return ok;
        }

        /// <summary>
        /// The entries of an optional mapping section (<c>rates:</c>, <c>allocation:</c>, <c>included_usage:</c>): none for
        /// an empty value; null, after a WrongType error "<paramref name="what"/> must be <paramref name="shape"/>",
        /// when it is not a mapping; repeated keys are reported by <see cref="DistinctEntries"/>.
        /// </summary>
        private IEnumerable<PlanYamlEntry>? SectionEntries(PlanYamlEntry entry, string plan, string setting, string what, string shape)
        {
            if (entry.Value is PlanYamlScalar empty && empty.IsNull)
            {
                return Array.Empty<PlanYamlEntry>();
            }

            if (!(entry.Value is PlanYamlMapping map))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType, $"{what} must be {shape}, not {entry.Value.Kind}.");
                return null;
            }

            return DistinctEntries(map, plan, setting, what);
        }

        private bool ReadRates(PlanYamlEntry entry, string plan, string setting, List<PlanRate> rates)
        {
            IEnumerable<PlanYamlEntry>? items = SectionEntries(entry, plan, setting,
                $"the rates of plan '{plan}'", "a mapping of unit to price (vcpu-hour: 0.0125)");
            if (items == null)
            {
                return false;
            }

            bool ok = true;
            foreach (PlanYamlEntry rate in items)
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
                if (rate.Value is PlanYamlMapping detail)
                {
                    Dictionary<string, PlanYamlEntry> keys = Keys(detail, RateKeys, plan, s, $"rate '{unit}' of plan '{plan}'");
                    if (keys.TryGetValue("volume_types", out PlanYamlEntry? vt))
                    {
                        ok &= ReadVolumeTypePrices(vt, unit, plan, s + ".volume_types", byType);
                    }

                    if (keys.TryGetValue("price", out PlanYamlEntry? pe))
                    {
                        price = Money(pe.Value, plan, s + ".price", $"the price per {unit}");
                    }
                    else
                    {
                        Error(rate.Key.Line, rate.Key.Column, plan, s + ".price", PlanRules.MissingValue,
                            $"rate '{unit}' of plan '{plan}' has no 'price'.");
                    }

                    if (keys.TryGetValue("description", out PlanYamlEntry? de))
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
        private bool ReadVolumeTypePrices(PlanYamlEntry entry, string unit, string plan, string setting, List<PlanVolumeTypePrice> byType)
        {
            if (unit != PlanRateUnits.VolumeGbHour)
            {
                Error(entry.Key.Line, entry.Key.Column, plan, setting, PlanRules.VolumeTypesNotAllowed,
                    $"rate '{unit}' of plan '{plan}' cannot be priced per volume type: only {PlanRateUnits.VolumeGbHour} can.");
                return false;
            }

            if (!(entry.Value is PlanYamlMapping map) || map.Entries.Count == 0)
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                    $"the volume_types of rate '{unit}' of plan '{plan}' must be a mapping of volume type name to price (fast-ssd: 0.0003), not {(entry.Value is PlanYamlMapping ? "an empty mapping" : entry.Value.Kind)}.");
                return false;
            }

            bool ok = true;
            var names = new Dictionary<string, PlanYamlEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (PlanYamlEntry t in DistinctEntries(map, plan, setting, $"the volume_types of rate '{unit}' of plan '{plan}'"))
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

                if (names.TryGetValue(name, out PlanYamlEntry? first))
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

        // ------------------------------------------------------------------ quotas

        private bool ReadQuotas(PlanYamlEntry entry, string plan, string setting, List<PlanQuota> quotas)
        {
            if (entry.Value is PlanYamlScalar empty && empty.IsNull)
            {
                Warning(entry.Key.Line, entry.Key.Column, plan, setting, PlanRules.NoQuotas,
                    $"plan '{plan}' sets no quota: its tenants keep the cloud's default quotas.");
                return true;
            }

            if (!(entry.Value is PlanYamlMapping map))
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
            foreach (PlanYamlEntry serviceEntry in DistinctEntries(map, plan, setting, $"the quotas of plan '{plan}'"))
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

                if (serviceEntry.Value is PlanYamlScalar none && none.IsNull)
                {
                    continue;
                }

                if (!(serviceEntry.Value is PlanYamlMapping resources))
                {
                    Error(serviceEntry.Value.Line, serviceEntry.Value.Column, plan, s, PlanRules.WrongType,
                        $"the {service} quotas of plan '{plan}' must be a mapping of quota to limits (cores: {{default: 4, min: 2, max: 8}}), not {serviceEntry.Value.Kind}.");
                    ok = false;
                    continue;
                }

                foreach (PlanYamlEntry resourceEntry in DistinctEntries(resources, plan, s, $"the {service} quotas of plan '{plan}'"))
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

        private PlanQuota? ReadQuota(string service, PlanYamlEntry entry, string plan, string setting)
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
            PlanYamlNode defNode, minNode, maxNode;
            if (entry.Value is PlanYamlMapping limits)
            {
                Dictionary<string, PlanYamlEntry> keys = Keys(limits, QuotaKeys, plan, setting, label);
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
            else if (entry.Value is PlanYamlScalar fixedValue && !fixedValue.IsNull)
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
                    PlanYamlNode at = small == def ? defNode : maxNode;
                    Warning(at.Line, at.Column, plan, setting, PlanRules.SuspiciousRam,
                        $"the {label} is counted in MB: {Show(small)} MB is less than the smallest server needs. Did you mean {Show(small * 1024)} ({Show(small)} GB)?");
                }
            }

            return new PlanQuota(service, key, resource.Unit, resource.Description, def, min, max, entry.Key.Line, entry.Key.Column);
        }

        // ------------------------------------------------------------------ values

        private string? Text(PlanYamlEntry entry, string? plan, string setting)
        {
            if (entry.Value is PlanYamlScalar s)
            {
                return s.IsNull ? null : s.Value;
            }

            Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                $"'{entry.Key.Value}' must be a single value, not {entry.Value.Kind}.");
            return null;
        }

        private string? Currency(PlanYamlEntry entry, string? plan, string setting)
        {
            string? code = Text(entry, plan, setting);
            if (code == null)
            {
                if (entry.Value is PlanYamlScalar)
                {
                    Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.MissingValue,
                        "'currency' is empty; give an ISO 4217 code such as EUR.");
                }

                return null;
            }

            if (!CurrencyCodes.IsKnown(code))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.UnknownCurrency,
                    (plan != null ? $"plan '{plan}': " : string.Empty) + CurrencyCodes.Explain(code));
                return null;
            }

            return code;
        }

        private string? Role(PlanYamlEntry entry, string? plan, string setting)
        {
            string? role = Text(entry, plan, setting);
            string who = plan != null ? $"of plan '{plan}' " : string.Empty;
            if (role == null || role.Trim().Length == 0)
            {
                if (entry.Value is PlanYamlScalar)
                {
                    Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.InvalidRole,
                        $"the role {who}is empty; give the Keystone role the tenant's user gets (usually '{DefaultRole}'), or leave the key out.");
                }

                return null;
            }

            if (role != role.Trim() || role.Length > 255)
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.InvalidRole,
                    $"the role {who}'{role}' is not a valid Keystone role name (1 to 255 characters, no leading or trailing spaces).");
                return null;
            }

            return role;
        }

        private decimal? Money(PlanYamlNode node, string plan, string setting, string what)
        {
            decimal? value = Number(node, plan, setting, what, allowNegative: true);
            if (value != null && value.Value < 0)
            {
                Error(node.Line, node.Column, plan, setting, PlanRules.NegativePrice,
                    $"{what} of plan '{plan}' is negative ({value.Value.ToString(CultureInfo.InvariantCulture)}); prices are 0 or more (give discounts on the invoice, not in the catalog).");
                return null;
            }

            return value;
        }

        private decimal? Number(PlanYamlNode node, string plan, string setting, string what, bool allowNegative)
        {
            if (!(node is PlanYamlScalar s) || s.IsNull)
            {
                Error(node.Line, node.Column, plan, setting, node is PlanYamlScalar ? PlanRules.MissingValue : PlanRules.WrongType,
                    $"{what} of plan '{plan}' must be a number such as 149.00, not {node.Kind}.");
                return null;
            }

            string text = s.Value.Trim();
            if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
            {
                if (!allowNegative && value < 0)
                {
                    Error(node.Line, node.Column, plan, setting, PlanRules.InvalidNumber,
                        $"{what} of plan '{plan}' is negative ({text}); it must be 0 or more.");
                    return null;
                }

                return value;
            }

            if (Regex.IsMatch(text, @"^[+-]?\d+(\.\d*)?$"))
            {
                // digits only, but beyond what a decimal holds (about 7.9e28)
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidNumber,
                    $"{what} of plan '{plan}' is {text}, which is too large: a price is at most {decimal.MaxValue:0} (with fewer decimals as the number grows).");
                return null;
            }

            string hint;
            if (text.IndexOf(',') >= 0 && decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            {
                hint = $" Use a dot as the decimal separator: {text.Replace(',', '.')}.";
            }
            else if (Regex.IsMatch(text, @"\d") && Regex.IsMatch(text, @"[^\d.,+\-\s]"))
            {
                hint = " Write the plain number without a currency or unit (149.00); the plan's 'currency' says what it is in.";
            }
            else
            {
                hint = " Write a plain decimal number such as 149.00 or 0.0125.";
            }

            Error(node.Line, node.Column, plan, setting, PlanRules.InvalidNumber, $"{what} of plan '{plan}' is '{s.Value}', which is not a number.{hint}");
            return null;
        }

        private long? QuotaNumber(PlanYamlNode node, string plan, string setting, string what)
        {
            if (!(node is PlanYamlScalar s) || s.IsNull)
            {
                Error(node.Line, node.Column, plan, setting, node is PlanYamlScalar ? PlanRules.MissingValue : PlanRules.WrongType,
                    $"{what} must be a whole number (or -1 / unlimited), not {node.Kind}.");
                return null;
            }

            string text = s.Value.Trim();
            if (string.Equals(text, "unlimited", StringComparison.OrdinalIgnoreCase))
            {
                return PlanQuota.Unlimited;
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                if (value < PlanQuota.Unlimited)
                {
                    Error(node.Line, node.Column, plan, setting, PlanRules.InvalidQuotaValue,
                        $"{what} is {text}; a quota is 0 or more, or -1 (unlimited).");
                    return null;
                }

                return value;
            }

            if (Regex.IsMatch(text, @"^[+-]?\d+$"))
            {
                // a whole number, but beyond a 64-bit quota
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidQuotaValue,
                    $"{what} is {text}, which is too large: a quota is at most {long.MaxValue}.");
                return null;
            }

            string hint = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? " Quotas are whole numbers."
                : Regex.IsMatch(text, @"^\d+\s*[A-Za-z]+$") ? " Write the number only: the unit is fixed by the quota (ram in MB, gigabytes in GB)." : string.Empty;
            Error(node.Line, node.Column, plan, setting, PlanRules.InvalidQuotaValue,
                $"{what} is '{s.Value}', which is not a whole number or 'unlimited'.{hint}");
            return null;
        }

        // ------------------------------------------------------------------ keys

        /// <summary>
        /// The mapping's entries by key, keeping the first of repeated keys. Unknown keys and
        /// repeated keys are reported.
        /// </summary>
        private Dictionary<string, PlanYamlEntry> Keys(PlanYamlMapping map, string[] allowed, string? plan, string setting, string where)
        {
            var result = new Dictionary<string, PlanYamlEntry>(StringComparer.Ordinal);
            foreach (PlanYamlEntry e in map.Entries)
            {
                string key = e.Key.Value;
                string s = setting.Length == 0 ? key : setting + "." + key;
                if (result.TryGetValue(key, out PlanYamlEntry? first))
                {
                    Duplicate(e, first, plan, s, where);
                    continue;
                }

                if (Array.IndexOf(allowed, key) < 0)
                {
                    Error(e.Key.Line, e.Key.Column, plan, s, PlanRules.UnknownKey,
                        $"'{key}' is not a setting of {where}. {Suggest(key, allowed)}Allowed: {string.Join(", ", allowed)}.");
                    continue;
                }

                result.Add(key, e);
            }

            return result;
        }

        /// <summary>The mapping's entries with repeated keys reported and dropped (for free-form keys: units, services, quotas).</summary>
        private IEnumerable<PlanYamlEntry> DistinctEntries(PlanYamlMapping map, string plan, string setting, string where)
        {
            var seen = new Dictionary<string, PlanYamlEntry>(StringComparer.Ordinal);
            var result = new List<PlanYamlEntry>();
            foreach (PlanYamlEntry e in map.Entries)
            {
                if (seen.TryGetValue(e.Key.Value, out PlanYamlEntry? first))
                {
                    Duplicate(e, first, plan, setting + "." + e.Key.Value, where);
                    continue;
                }

                seen.Add(e.Key.Value, e);
                result.Add(e);
            }

            return result;
        }

        private void Duplicate(PlanYamlEntry again, PlanYamlEntry first, string? plan, string setting, string where)
            => Error(again.Key.Line, again.Key.Column, plan, setting, PlanRules.DuplicateKey,
                $"'{again.Key.Value}' is given twice in {where} (first at line {first.Key.Line}); keep one of them.");

        /// <summary>"Did you mean 'x'? " for a close candidate (same letters ignoring case/-/_, or at most 2 edits), else "".</summary>
        internal static string Suggest(string given, IEnumerable<string> candidates)
        {
            string Normalize(string s) => new string(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
            string g = Normalize(given);
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string c in candidates)
            {
                int d = string.Equals(Normalize(c), g, StringComparison.Ordinal) ? 0 : Distance(given.ToLowerInvariant(), c.ToLowerInvariant());
                if (d < bestDistance)
                {
                    best = c;
                    bestDistance = d;
                }
            }

            int limit = given.Length <= 4 ? 1 : 2;
            return best != null && bestDistance <= limit ? $"Did you mean '{best}'? " : string.Empty;
        }

        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (int j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1); // transposition
                    }
                }
            }

            return d[a.Length, b.Length];
        }

        private static string Show(long v) => v.ToString(CultureInfo.InvariantCulture);

        private void Error(int line, int column, string? plan, string? setting, string rule, string message)
            => _problems.Add(PlanProblem.Error(_path, line, column, plan, setting, rule, message));

        private void Warning(int line, int column, string? plan, string? setting, string rule, string message)
            => _problems.Add(PlanProblem.Warning(_path, line, column, plan, setting, rule, message));
    }
}
