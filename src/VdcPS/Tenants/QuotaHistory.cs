using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Openstack.Identity;

namespace VdcPS.Tenants
{
    /// <summary>
    /// One recorded quota change: the values a VdcPS command set, in force from <see cref="At"/>.
    /// Written as one compact string, "2026-11-19T10:00:00Z set-quota compute.cores=8 compute.ram=16384".
    /// </summary>
    internal sealed class QuotaRecord
    {
        public QuotaRecord(DateTime at, string source, IReadOnlyDictionary<string, long> values)
        {
            At = at;
            Source = source;
            Values = values;
        }

        /// <summary>UTC, whole seconds.</summary>
        public DateTime At { get; }

        /// <summary>new-tenant, set-quota, set-tenant, repair; baseline for older entries folded together.</summary>
        public string Source { get; }

        /// <summary>"compute.cores" -> 8 (-1 = unlimited), in the order written.</summary>
        public IReadOnlyDictionary<string, long> Values { get; }

        public override string ToString()
            => TenantRecord.Format(At) + " " + Source
               + string.Concat(Values.Select(v => " " + v.Key + "=" + v.Value.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The quota history of a tenant, kept in its own Keystone project (property
    /// <see cref="Key"/>), so that the rating knows the allocation of every day from any machine.
    /// Every quota change VdcPS makes appends one entry (New-VdcTenant, Set-VdcQuota, Set-VdcTenant,
    /// repair). Keystone stores all extra properties of a project in one text column and refuses
    /// request bodies above its max_request_body_size (112 KiB by default), so the history is
    /// bounded: its JSON text stays at or below <see cref="MaxChars"/> characters. When an entry
    /// would pass the bound, the two oldest entries are folded into one "baseline" entry (the values
    /// in force at the later one's time), repeatedly: the allocation of recent periods stays exact,
    /// and the rating warns for days before the oldest entry.
    /// </summary>
    internal static class QuotaHistory
    {
        public const string Key = "vdcps_quota_history";

        /// <summary>The bound of the JSON text of the property (16 KiB).</summary>
        public const int MaxChars = 16384;

        public const string NewTenant = "new-tenant";
        public const string SetQuota = "set-quota";
        public const string SetTenant = "set-tenant";
        public const string Repair = "repair";
        public const string Baseline = "baseline";

        private static readonly HashSet<string> Sources = new HashSet<string>(StringComparer.Ordinal) { NewTenant, SetQuota, SetTenant, Repair, Baseline };

        /// <summary>The entry for a change made now (times are recorded to the second).</summary>
        public static QuotaRecord Entry(DateTime at, string source, IEnumerable<KeyValuePair<string, long>> values)
        {
            var keys = new List<string>();
            var map = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, long> v in values)
            {
                if (!map.ContainsKey(v.Key))
                {
                    keys.Add(v.Key);
                }

                map[v.Key] = v.Value;
            }

            DateTime utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
            utc = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            return new QuotaRecord(utc, source, Ordered(keys, map));
        }

        /// <summary>
        /// The recorded history of a project, oldest first (entries of the same second keep their
        /// order); none when the property is absent. Throws <see cref="TenantRecordDamagedException"/>
        /// when it is there but cannot be read: the allocation is never priced from what is left of it.
        /// </summary>
        public static IReadOnlyList<QuotaRecord> Read(ProjectDto project)
            => TryRead(project, out string? problem) ?? throw new TenantRecordDamagedException(project, new[] { (Key, problem!) });

        /// <summary>The history, or null with the reason when the property cannot be read.</summary>
        internal static IReadOnlyList<QuotaRecord>? TryRead(ProjectDto project, out string? problem)
        {
            problem = null;
            switch (project.TryExtraArray(Key, out IReadOnlyList<ExtraItem> items, out string? jsonError))
            {
                case ExtraArrayState.Absent:
                    return Array.Empty<QuotaRecord>();
                case ExtraArrayState.InvalidJson:
                    problem = $"is not valid JSON ({jsonError})";
                    return null;
                case ExtraArrayState.NotArray:
                    problem = "is not a JSON array of \"<UTC time> <source> <service.key>=<value> ...\" entries";
                    return null;
            }

            var records = new List<QuotaRecord>();
            for (int i = 0; i < items.Count; i++)
            {
                string? text = items[i].Text;
                QuotaRecord? record = text == null ? null : TryParse(text);
                if (record == null)
                {
                    problem = $"entry {i + 1} ({items[i].Json}) is not \"<UTC time> <source> <service.key>=<value> ...\"";
                    return null;
                }

                records.Add(record);
            }

            return Sorted(records);
        }

        /// <summary>The property value with <paramref name="added"/> appended, bounded to <see cref="MaxChars"/>.</summary>
        public static IReadOnlyList<string> With(ProjectDto project, QuotaRecord added)
            => Bound(Read(project).Concat(new[] { added }).ToList()).Select(r => r.ToString()).ToList();

        /// <summary>Folds the oldest entries together until the JSON text fits <see cref="MaxChars"/>.</summary>
        internal static List<QuotaRecord> Bound(List<QuotaRecord> records, int maxChars = MaxChars)
        {
            var list = Sorted(records).ToList();
            while (list.Count > 1 && JsonLength(list) > maxChars)
            {
                QuotaRecord older = list[0], newer = list[1];
                var keys = older.Values.Keys.Concat(newer.Values.Keys).Distinct(StringComparer.Ordinal).ToList();
                var values = keys.ToDictionary(k => k, k => newer.Values.TryGetValue(k, out long n) ? n : older.Values[k], StringComparer.Ordinal);
                list.RemoveRange(0, 2);
                list.Insert(0, new QuotaRecord(newer.At, Baseline, Ordered(keys, values)));
            }

            return list;
        }

        /// <summary>"2026-11-01T09:00:00Z new-tenant compute.cores=4 ...; 2026-11-19T10:00:00Z set-quota compute.cores=8" (Get-VdcTenant's QuotaHistory).</summary>
        public static string Text(IEnumerable<QuotaRecord> records) => string.Join("; ", records.Select(r => r.ToString()));

        /// <summary>Parses the QuotaHistory text of a tenant object; throws FormatException naming the bad entry.</summary>
        public static List<QuotaRecord> ParseText(string? text)
        {
            var records = new List<QuotaRecord>();
            if (string.IsNullOrWhiteSpace(text))
            {
                return records;
            }

            foreach (string raw in text!.Split(';'))
            {
                string entry = raw.Trim();
                if (entry.Length == 0)
                {
                    continue;
                }

                records.Add(TryParse(entry) ?? throw new FormatException(string.Format(CultureInfo.InvariantCulture,
                    "The quota history entry '{0}' is not '<UTC time> <new-tenant|set-quota|set-tenant|repair|baseline> <service.key>=<value> ...'.", entry)));
            }

            return Sorted(records).ToList();
        }

        /// <summary>One entry, or null when it is not one.</summary>
        internal static QuotaRecord? TryParse(string text)
        {
            string[] parts = text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !Sources.Contains(parts[1]))
            {
                return null;
            }

            DateTime? at = TenantRecord.Parse(parts[0]);
            if (at == null)
            {
                return null;
            }

            var keys = new List<string>();
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            for (int i = 2; i < parts.Length; i++)
            {
                int eq = parts[i].IndexOf('=');
                if (eq <= 0 || parts[i].IndexOf('.') <= 0
                    || !long.TryParse(parts[i].Substring(eq + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < -1)
                {
                    return null;
                }

                string key = parts[i].Substring(0, eq);
                if (!values.ContainsKey(key))
                {
                    keys.Add(key);
                }

                values[key] = value;
            }

            return new QuotaRecord(at.Value, parts[1], Ordered(keys, values));
        }

        private static List<QuotaRecord> Sorted(IEnumerable<QuotaRecord> records)
            => records.Select((r, i) => (r, i)).OrderBy(x => x.r.At).ThenBy(x => x.i).Select(x => x.r).ToList();

        private static int JsonLength(List<QuotaRecord> records) => ExtraValues.TextLength(records.Select(r => r.ToString()));

        /// <summary>A dictionary that enumerates in the given key order (insertion order of Dictionary without removals).</summary>
        private static IReadOnlyDictionary<string, long> Ordered(IEnumerable<string> keys, IReadOnlyDictionary<string, long> values)
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string k in keys)
            {
                if (!result.ContainsKey(k))
                {
                    result.Add(k, values[k]);
                }
            }

            return result;
        }
    }
}
