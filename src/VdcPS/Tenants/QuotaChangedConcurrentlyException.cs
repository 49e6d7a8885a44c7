using System;

namespace VdcPS.Tenants
{
    /// <summary>The read-back found a value set by another writer at the same time (neither the old value nor ours).</summary>
    public sealed class QuotaChangedConcurrentlyException : Exception
    {
        public QuotaChangedConcurrentlyException(string service, string message)
            : base(message)
        {
            Service = service;
        }

        public string Service { get; }
    }
}
