using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Plans;

namespace VdcPS.Usage
{
    /// <summary>
    /// Where one resource's usage comes from in Gnocchi: a metric of a resource type, read with one
    /// aggregation method of the archive policy at 1 h granularity, so that each hourly point is "so
    /// much for one hour"; the hourly points of a project's resources are added up and multiplied by
    /// <see cref="Scale"/>. <see cref="Count"/> counts an hour as 1 whenever the value is above zero
    /// (CloudKitty's NUMBOOL mutator), which turns a cumulative cpu time or an ip.floating flag into
    /// instance-hours or IP-hours.
    /// </summary>
    internal sealed class GnocchiMetric
    {
        public GnocchiMetric(string resource, string resourceType, string metric, string aggregation = "mean", decimal scale = 1m, bool count = false, string? volumeTypeAttribute = null)
        {
            Resource = resource;
            ResourceType = resourceType;
            Metric = metric;
            Aggregation = aggregation;
            Scale = scale;
            Count = count;
            VolumeTypeAttribute = string.IsNullOrWhiteSpace(volumeTypeAttribute) ? null : volumeTypeAttribute!.Trim();
        }

        /// <summary>
        /// The resource attribute that names the volume type (volume_type), by which the usage is
        /// split into one row per type; null: one row for the resource.
        /// </summary>
        public string? VolumeTypeAttribute { get; }

        public string Resource { get; }

        public string ResourceType { get; }

        public string Metric { get; }

        public string Aggregation { get; }

        public decimal Scale { get; }

        public bool Count { get; }

        /// <summary>
        /// The aggregates operations: per hour the project's resources summed (missing points filled
        /// with 0 by the query), then resampled to one or two points over the whole period. The
        /// resample is outside the cross-resource aggregate: inside it, Gnocchi drops the last
        /// partial bucket of deleted resources (lab pitfall #10).
        /// </summary>
        public string Operations(int resampleSeconds)
        {
            string metric = $"(metric {Quote(Metric)} {Aggregation})";
            string perHour = Count ? $"(clip_max (ceil (clip_min {metric} 0)) 1)" : metric;
            return $"(resample sum {resampleSeconds.ToString(CultureInfo.InvariantCulture)} (aggregate sum {perHour}))";
        }

        /// <summary>As the user writes it in -GnocchiMetric.</summary>
        public override string ToString()
            => $"{ResourceType}/{Metric}" + (Aggregation != "mean" ? $" ({Aggregation})" : string.Empty)
               + (Count ? " counted" : string.Empty) + (Scale != 1m ? " x" + Scale.ToString(CultureInfo.InvariantCulture) : string.Empty)
               + (VolumeTypeAttribute != null ? " by " + VolumeTypeAttribute : string.Empty);

        private static string Quote(string metric)
            => metric.IndexOfAny(new[] { ' ', '(', ')', '"' }) >= 0 ? "\"" + metric.Replace("\"", "\\\"") + "\"" : metric;
    }

    /// <summary>The resource → Gnocchi metric mapping: defaults as Ceilometer names them, changed by -GnocchiMetric.</summary>
    internal static class GnocchiMetricMap
    {
        /// <summary>
        /// Ceilometer's names (ceilometer/publisher/data/gnocchi_resources.yaml, the same from Zed to
        /// 2025.x) and CloudKitty's default metrics.yml: vcpus and memory (MB) are gauges of the
        /// instance, cpu its cumulative time; volume.size a gauge (GB) of the "volume" resource, split by
        /// its volume_type attribute; volume.snapshot.size the gauge (GB) the snapshot pollster writes on
        /// a "volume" resource whose id is the snapshot's (Cinder's notifications write the same size as
        /// snapshot.size only when something happens, so an hour without an event would count 0);
        /// ip.floating the status code (ACTIVE 1, DOWN 3...) the floating IP pollster writes on a
        /// "network" resource per floating IP: counted, so a reserved but unattached IP is billed too.
        /// </summary>
        public static IReadOnlyList<GnocchiMetric> Defaults { get; } = new[]
        {
            new GnocchiMetric(UsageResources.FloatingIpHour, "network", "ip.floating", "max", count: true),
            new GnocchiMetric(UsageResources.InstanceHour, "instance", "cpu", "mean", count: true),
            new GnocchiMetric(UsageResources.RamGbHour, "instance", "memory", "mean", scale: 1m / UsageResources.MbPerGb),
            new GnocchiMetric(UsageResources.SnapshotGbHour, "volume", "volume.snapshot.size", "mean"),
            new GnocchiMetric(UsageResources.VcpuHour, "instance", "vcpus", "mean"),
            new GnocchiMetric(UsageResources.VolumeGbHour, "volume", "volume.size", "mean", volumeTypeAttribute: "volume_type"),
        };

        private static readonly string[] Keys = { "ResourceType", "Metric", "Aggregation", "Scale", "Count", "VolumeTypeAttribute" };

        /// <summary>
        /// The defaults changed by the user's table: resource name → "type/metric" text, a table with
        /// ResourceType, Metric, Aggregation, Scale, Count, or $null to leave the resource out.
        /// </summary>
        public static IReadOnlyList<GnocchiMetric> Build(IDictionary? overrides)
        {
            var map = Defaults.ToDictionary(m => m.Resource, StringComparer.Ordinal);
            if (overrides != null)
            {
                foreach (DictionaryEntry entry in overrides)
                {
                    string resource = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
                    if (PlanRateUnits.Find(resource) == null)
                    {
                        throw new ArgumentException($"-GnocchiMetric: '{resource}' is not a resource name. Known: {PlanRateUnits.KnownList}.");
                    }

                    object? value = entry.Value is System.Management.Automation.PSObject pso ? pso.BaseObject : entry.Value;
                    if (value == null)
                    {
                        map.Remove(resource);
                        continue;
                    }

                    map.TryGetValue(resource, out GnocchiMetric? before);
                    map[resource] = Parse(resource, value, before);
                }
            }

            return map.Values.OrderBy(m => m.Resource, StringComparer.Ordinal).ToList();
        }

        private static GnocchiMetric Parse(string resource, object value, GnocchiMetric? before)
        {
            if (value is string text)
            {
                // "type/metric"; the other settings stay the default's when the resource had one.
                int slash = text.IndexOf('/');
                if (slash <= 0 || slash == text.Length - 1)
                {
                    throw new ArgumentException($"-GnocchiMetric: '{resource}' = '{text}': write 'resource_type/metric', e.g. 'volume/volume.size'.");
                }

                return new GnocchiMetric(resource, text.Substring(0, slash).Trim(), text.Substring(slash + 1).Trim(),
                    before?.Aggregation ?? "mean", before?.Scale ?? 1m, before?.Count ?? false, before?.VolumeTypeAttribute);
            }

            if (value is IDictionary table)
            {
                var settings = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (DictionaryEntry e in table)
                {
                    string key = Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    string? known = Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                    if (known == null)
                    {
                        throw new ArgumentException($"-GnocchiMetric: '{resource}' has an unknown key '{key}'. Keys: {string.Join(", ", Keys)}.");
                    }

                    settings[known] = e.Value is System.Management.Automation.PSObject p ? p.BaseObject : e.Value;
                }

                string? type = Str(settings, "ResourceType") ?? before?.ResourceType;
                string? metric = Str(settings, "Metric") ?? before?.Metric;
                if (string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(metric))
                {
                    throw new ArgumentException($"-GnocchiMetric: '{resource}' needs ResourceType and Metric.");
                }

                string aggregation = Str(settings, "Aggregation") ?? before?.Aggregation ?? "mean";
                if (aggregation.IndexOfAny(new[] { ' ', '(', ')' }) >= 0)
                {
                    throw new ArgumentException($"-GnocchiMetric: '{resource}': '{aggregation}' is not an aggregation method.");
                }

                decimal scale = before?.Scale ?? 1m;
                if (settings.TryGetValue("Scale", out object? s) && s != null)
                {
                    try
                    {
                        scale = Convert.ToDecimal(s, CultureInfo.InvariantCulture);
                    }
                    catch (Exception e) when (e is FormatException || e is InvalidCastException || e is OverflowException)
                    {
                        throw new ArgumentException($"-GnocchiMetric: '{resource}': Scale '{s}' is not a number.");
                    }

                    if (scale <= 0m)
                    {
                        throw new ArgumentException($"-GnocchiMetric: '{resource}': Scale must be above zero.");
                    }
                }

                bool count = before?.Count ?? false;
                if (settings.TryGetValue("Count", out object? c) && c != null)
                {
                    count = c is bool b ? b : c is System.Management.Automation.SwitchParameter sw ? sw.IsPresent
                        : throw new ArgumentException($"-GnocchiMetric: '{resource}': Count must be $true or $false.");
                }

                string? byType = before?.VolumeTypeAttribute;
                if (settings.ContainsKey("VolumeTypeAttribute"))
                {
                    // $null or '' turns the split off
                    byType = Str(settings, "VolumeTypeAttribute");
                    if (!string.IsNullOrWhiteSpace(byType) && resource != UsageResources.VolumeGbHour)
                    {
                        throw new ArgumentException($"-GnocchiMetric: '{resource}': VolumeTypeAttribute applies to {UsageResources.VolumeGbHour} only.");
                    }
                }

                return new GnocchiMetric(resource, type!.Trim(), metric!.Trim(), aggregation.Trim(), scale, count, byType);
            }

            throw new ArgumentException($"-GnocchiMetric: '{resource}' must be 'resource_type/metric', a hashtable or $null.");
        }

        private static string? Str(Dictionary<string, object?> settings, string key)
            => settings.TryGetValue(key, out object? v) && v != null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
    }
}
