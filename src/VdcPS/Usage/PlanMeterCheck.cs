using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Metric;
using VdcPS.Plans;

namespace VdcPS.Usage
{
    /// <summary>
    /// Test-VdcPlan -Context: checks every pay-per-use rate of a catalog against a connected cloud and
    /// reports each one the cloud cannot measure (severity Unmeasured), because such a price would
    /// silently bill nothing. What Get-VdcUsage reads is the reference: Nova for the server units,
    /// Gnocchi (with the default mapping, Ceilometer's resource types and metric names) for the rest.
    /// The check is structural (endpoint, Gnocchi resource type and attribute, Cinder volume type);
    /// whether Ceilometer really writes measures is not something a catalog check can see.
    /// </summary>
    internal sealed class PlanMeterCheck
    {
        private readonly KeystoneSession _session;
        private readonly ICmdletOutput _output;
        private readonly IReadOnlyList<GnocchiMetric> _metrics;

        /// <summary>The check over a connection: it builds the Gnocchi and Cinder clients it needs.</summary>
        public PlanMeterCheck(VdcPS.Models.VdcContext context, ICmdletOutput output)
            : this(context.Session, output)
        {
        }

        public PlanMeterCheck(KeystoneSession session, ICmdletOutput output, IReadOnlyList<GnocchiMetric>? metrics = null)
        {
            _session = session;
            _output = output;
            _metrics = metrics ?? GnocchiMetricMap.Defaults;
        }

        /// <summary>
        /// The problems of the catalog at <paramref name="path"/> (as Test-VdcPlan without -Context),
        /// followed, when it has no errors, by the rates this cloud cannot measure.
        /// </summary>
        public async Task<IReadOnlyList<PlanProblem>> CheckAsync(string path, string cloud, CancellationToken ct)
        {
            (PlanCatalog? catalog, IReadOnlyList<PlanProblem> problems) = PlanCatalogLoader.Check(path);
            if (catalog == null)
            {
                _output.Verbose($"'{path}' has errors: the rates are not checked against cloud '{cloud}'.");
                return problems;
            }

            var result = problems.ToList();
            result.AddRange(await CheckRatesAsync(catalog, cloud, ct).ConfigureAwait(false));
            return result;
        }

        private async Task<IReadOnlyList<PlanProblem>> CheckRatesAsync(PlanCatalog catalog, string cloud, CancellationToken ct)
        {
            var rates = catalog.Plans.SelectMany(p => p.Rates.Select(r => (Plan: p, Rate: r))).ToList();
            var units = new HashSet<string>(rates.Select(x => x.Rate.Unit), StringComparer.Ordinal);

            // ---- what each unit needs, asked once per unit
            var why = new Dictionary<string, string?>(StringComparer.Ordinal);
            bool compute = _session.TryGetEndpoint("compute") != null;
            bool metric = MetricApi.IsAvailable(_session);
            var typesNeeded = new Dictionary<string, Task<MetricResourceType?>>(StringComparer.Ordinal);
            MetricApi? api = metric ? new MetricApi(_session) : null;
            foreach (string unit in units)
            {
                GnocchiMetric? m = _metrics.FirstOrDefault(x => x.Resource == unit);
                if (UsageResources.IsNova(unit))
                {
                    why[unit] = compute ? null : $"cloud '{cloud}' has no compute service, from whose usage API VdcPS reads {unit}.";
                }
                else if (m == null)
                {
                    why[unit] = $"VdcPS reads no meter for {unit} (Get-VdcUsage reports it only when -GnocchiMetric maps it to a Gnocchi metric), so this price bills nothing.";
                }
                else if (api == null)
                {
                    why[unit] = $"cloud '{cloud}' has no metric (Gnocchi) service, from which VdcPS reads {unit} ({m}).";
                }
                else if (!typesNeeded.ContainsKey(m.ResourceType))
                {
                    typesNeeded[m.ResourceType] = api.GetResourceTypeAsync(m.ResourceType, ct);
                }
            }

            await Task.WhenAll(typesNeeded.Values).ConfigureAwait(false);
            foreach (string unit in units.Where(u => !why.ContainsKey(u)))
            {
                GnocchiMetric m = _metrics.First(x => x.Resource == unit);
                MetricResourceType? type = typesNeeded[m.ResourceType].Result;
                why[unit] = type == null
                    ? $"Gnocchi on cloud '{cloud}' has no resource type '{m.ResourceType}', on which Ceilometer writes {m.Metric} and from which VdcPS reads {unit}: nothing measures it, so this price bills nothing."
                    : null;
                _output.Verbose($"{unit}: {m} on '{cloud}': {(type == null ? "no such resource type" : "resource type found")}.");
            }

            // ---- volume types: the catalog's names against Cinder's, and the attribute that carries them
            bool anyTypes = rates.Any(x => x.Rate.VolumeTypePrices.Count > 0);
            HashSet<string>? cloudTypes = null;
            string? typeProblem = null;
            if (anyTypes && why.TryGetValue(PlanRateUnits.VolumeGbHour, out string? volumeWhy) && volumeWhy == null)
            {
                GnocchiMetric m = _metrics.First(x => x.Resource == PlanRateUnits.VolumeGbHour);
                MetricResourceType type = typesNeeded[m.ResourceType].Result!;
                if (m.VolumeTypeAttribute == null || !type.Attributes.Contains(m.VolumeTypeAttribute, StringComparer.Ordinal))
                {
                    typeProblem = $"Gnocchi's resource type '{type.Name}' on cloud '{cloud}' has no attribute '{m.VolumeTypeAttribute ?? "volume_type"}', so usage cannot be told apart by volume type: every volume pays the rate's own price.";
                }
                else if (_session.TryGetEndpoint("block-storage") != null)
                {
                    IReadOnlyList<VolumeTypeInfo> list = await new BlockStorageApi(_session).ListVolumeTypesAsync(ct).ConfigureAwait(false);
                    cloudTypes = new HashSet<string>(list.Select(t => t.Name), StringComparer.OrdinalIgnoreCase);
                    _output.Verbose($"Cinder on '{cloud}': volume types {string.Join(", ", list.Select(t => t.Name))}.");
                }
            }

            // ---- one problem per plan and rate, in catalog order
            var result = new List<PlanProblem>();
            foreach (var (plan, rate) in rates.OrderBy(x => x.Rate.Line).ThenBy(x => x.Rate.Column))
            {
                string setting = $"plans.{plan.Name}.prices.rates.{rate.Unit}";
                if (why.TryGetValue(rate.Unit, out string? reason) && reason != null)
                {
                    result.Add(PlanProblem.Unmeasured(plan.SourceFile, rate.Line, rate.Column, plan.Name, setting, PlanRules.RateNotMeasured,
                        $"rate '{rate.Unit}' of plan '{plan.Name}': {reason}"));
                    continue;
                }

                foreach (PlanVolumeTypePrice t in rate.VolumeTypePrices)
                {
                    string ts = setting + ".volume_types." + t.Name;
                    if (typeProblem != null)
                    {
                        result.Add(PlanProblem.Unmeasured(plan.SourceFile, t.Line, t.Column, plan.Name, ts, PlanRules.RateNotMeasured,
                            $"volume type '{t.Name}' of plan '{plan.Name}': {typeProblem}"));
                    }
                    else if (cloudTypes != null && !cloudTypes.Contains(t.Name))
                    {
                        result.Add(PlanProblem.Unmeasured(plan.SourceFile, t.Line, t.Column, plan.Name, ts, PlanRules.UnknownVolumeType,
                            $"volume type '{t.Name}' of plan '{plan.Name}' does not exist on cloud '{cloud}' (its volume types: {string.Join(", ", cloudTypes.OrderBy(n => n, StringComparer.OrdinalIgnoreCase))}): this price can never apply."));
                    }
                }
            }

            return result;
        }
    }
}
