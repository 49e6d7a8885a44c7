using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack;
using VdcPS.Tenants;

namespace VdcPS.Quotas
{
    /// <summary>
    /// Undo of a quota write that restores only what is still this run's: each value is read first
    /// and put back only while it still holds what this run wrote. A value another writer has set
    /// since stays, and the rollback report says so (<see cref="UndoSkippedException"/>).
    /// </summary>
    internal static class QuotaUndo
    {
        public static async Task RestoreOwnAsync(
            IQuotaApi api, string projectId, IReadOnlyDictionary<string, long> written, IReadOnlyDictionary<string, long> previous,
            Func<IReadOnlyDictionary<string, long>, CancellationToken, Task> set, CancellationToken ct)
        {
            IReadOnlyDictionary<string, QuotaValue> now = await api.GetAsync(projectId, ct).ConfigureAwait(false);
            var restore = new Dictionary<string, long>(StringComparer.Ordinal);
            var kept = new List<string>();
            foreach (KeyValuePair<string, long> p in previous)
            {
                if (!now.TryGetValue(p.Key, out QuotaValue value))
                {
                    restore[p.Key] = p.Value; // not readable: put it back, as before
                }
                else if (value.Limit == p.Value)
                {
                    // never changed (the write did not land), or already back
                }
                else if (written.TryGetValue(p.Key, out long mine) && value.Limit == mine)
                {
                    restore[p.Key] = p.Value;
                }
                else
                {
                    kept.Add(string.Format(CultureInfo.InvariantCulture, "{0} is {1}, set by another writer after this run wrote {2}", p.Key, value.Limit,
                        written.TryGetValue(p.Key, out long w) ? w.ToString(CultureInfo.InvariantCulture) : "?"));
                }
            }

            if (restore.Count > 0)
            {
                await set(restore, ct).ConfigureAwait(false);
            }

            if (kept.Count > 0)
            {
                string restored = restore.Count == 0 ? string.Empty : "; restored " + string.Join(", ", restore.Keys);
                throw new UndoSkippedException(string.Join("; ", kept) + restored);
            }
        }
    }
}
