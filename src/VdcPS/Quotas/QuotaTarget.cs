using System.Collections.Generic;

namespace VdcPS.Quotas
{
    /// <summary>A quota value bound for one service and key.</summary>
    internal sealed class QuotaTarget
    {
        public QuotaTarget(string service, string key, long value)
        {
            Service = service;
            Key = key;
            Value = value;
        }

        public string Service { get; }
        public string Key { get; }
        public long Value { get; }

        /// <summary>The values for the audit journal, as "service.key": value.</summary>
        internal static Internal.AuditSnapshot Snapshot(IEnumerable<QuotaTarget> targets)
        {
            var snapshot = new Internal.AuditSnapshot();
            foreach (QuotaTarget q in targets)
            {
                snapshot[$"{q.Service}.{q.Key}"] = q.Value;
            }

            return snapshot;
        }
    }
}
