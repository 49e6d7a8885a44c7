using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Plans;

namespace VdcPS.Quotas
{
    /// <summary>
    /// Works out the quota values a tenant gets from its plan and the operator's overrides, and
    /// checks them against the plan's bounds before anything is sent.
    /// </summary>
    internal static class QuotaTargetCalculator
    {
        /// <summary>
        /// Parses overrides given as a hashtable: keys "cores", "compute.cores" or "block-storage/gigabytes";
        /// a bare key must belong to exactly one service. Problems are added to <paramref name="problems"/>.
        /// </summary>
        public static List<QuotaTarget> ParseOverrides(IDictionary? overrides, List<string> problems)
        {
            var result = new List<QuotaTarget>();
            if (overrides == null)
            {
                return result;
            }

            foreach (DictionaryEntry entry in overrides)
            {
                string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
                if (!TryResolve(name, out string service, out string key, out string? error))
                {
                    problems.Add(error!);
                    continue;
                }

                if (!TryLong(entry.Value, out long value))
                {
                    string text = Convert.ToString(entry.Value, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
                    bool tooLarge = System.Text.RegularExpressions.Regex.IsMatch(text, @"^[+-]?\d+$")
                        || (entry.Value is double d && Math.Abs(d) >= 9.2e18 && Math.Floor(d) == d)
                        || (entry.Value is decimal m && Math.Abs(m) > long.MaxValue && decimal.Truncate(m) == m);
                    problems.Add(tooLarge
                        ? $"Quota '{name}': {text} is too large: a quota is at most {long.MaxValue} (use -1 for unlimited)."
                        : $"Quota '{name}': '{entry.Value}' is not a whole number (use -1 for unlimited).");
                    continue;
                }

                result.Add(new QuotaTarget(service, key, value));
            }

            return result;
        }

        /// <summary>Resolves "cores", "compute.cores", "compute/cores" to (service, key).</summary>
        public static bool TryResolve(string name, out string service, out string key, out string? error)
        {
            service = string.Empty;
            key = string.Empty;
            error = null;
            int separator = name.IndexOfAny(new[] { '.', '/' });
            if (separator > 0)
            {
                service = name.Substring(0, separator).ToLowerInvariant();
                key = name.Substring(separator + 1);
                if (!QuotaResources.Services.Contains(service))
                {
                    error = $"Quota '{name}': unknown service '{service}'. Services: {string.Join(", ", QuotaResources.Services)}.";
                    return false;
                }

                if (QuotaResources.Find(service, key) == null)
                {
                    error = $"Quota '{name}': {service} has no quota '{key}'. Known: {QuotaResources.Suggest(service)}.";
                    return false;
                }

                return true;
            }

            string bare = name;
            var matches = QuotaResources.Services.Where(s => QuotaResources.Find(s, bare) != null).ToList();
            if (matches.Count == 1)
            {
                service = matches[0];
                key = name;
                return true;
            }

            error = matches.Count == 0
                ? $"Quota '{name}' is not a quota of compute, block-storage or network."
                : $"Quota '{name}' exists in {string.Join(" and ", matches)}: write it as service.key, e.g. '{matches[0]}.{name}'.";
            return false;
        }

        /// <summary>
        /// The plan's defaults with the overrides applied, each checked against the plan's min/max.
        /// A key the plan does not list may not be overridden (the plan is the product).
        /// </summary>
        public static List<QuotaTarget> Targets(PlanDefinition plan, IReadOnlyList<QuotaTarget> overrides, List<string> problems)
        {
            var values = plan.Quotas.ToDictionary(q => (q.Service, q.Resource), q => q.Default);
            foreach (QuotaTarget o in overrides)
            {
                PlanQuota? bounds = plan.FindQuota(o.Service, o.Key);
                if (bounds == null)
                {
                    problems.Add($"Quota {o.Service}.{o.Key} is not part of plan '{plan.Name}': only the plan's quotas can be set.");
                    continue;
                }

                string? outOfBounds = CheckBounds(bounds, o.Value, plan.Name);
                if (outOfBounds != null)
                {
                    problems.Add(outOfBounds);
                    continue;
                }

                values[(o.Service, o.Key)] = o.Value;
            }

            return values.Select(v => new QuotaTarget(v.Key.Service, v.Key.Resource, v.Value))
                .OrderBy(t => QuotaResources.Services.ToList().IndexOf(t.Service)).ThenBy(t => t.Key, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>Null when the value is within the plan's bounds; else a message a person understands.</summary>
        public static string? CheckBounds(PlanQuota bounds, long value, string planName)
        {
            string what = $"{bounds.Service}.{bounds.Resource}";
            if (value < -1)
            {
                return $"Quota {what} = {value} is negative (only -1, meaning unlimited, is allowed).";
            }

            if (value == -1)
            {
                return bounds.Max == -1 ? null : $"Quota {what} cannot be unlimited (-1) in plan '{planName}': its maximum is {bounds.Max}.";
            }

            if (value < bounds.Min)
            {
                return $"Quota {what} = {value} is below the minimum {bounds.Min} of plan '{planName}'.";
            }

            if (bounds.Max != -1 && value > bounds.Max)
            {
                return $"Quota {what} = {value} is above the maximum {bounds.Max} of plan '{planName}'.";
            }

            return null;
        }

        /// <summary>The targets of one service as the dictionary its quota API takes.</summary>
        public static IReadOnlyDictionary<string, long> ForService(IEnumerable<QuotaTarget> targets, string service)
            => targets.Where(t => t.Service == service).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

        private static bool TryLong(object? value, out long result)
        {
            object? raw = value is System.Management.Automation.PSObject ps ? ps.BaseObject : value;
            switch (raw)
            {
                case int i:
                    result = i;
                    return true;
                case long l:
                    result = l;
                    return true;
                case string s:
                    return long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
                case double d when Math.Abs(d - Math.Round(d)) < double.Epsilon && d >= long.MinValue && d <= long.MaxValue:
                    result = (long)d;
                    return true;
                case decimal m when m == decimal.Truncate(m):
                    result = (long)m;
                    return true;
                default:
                    result = 0;
                    return false;
            }
        }
    }
}
