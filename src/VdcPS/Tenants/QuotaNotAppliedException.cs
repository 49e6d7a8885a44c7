using System;

namespace VdcPS.Tenants
{
    /// <summary>A service accepted a quota write and ignored it.</summary>
    public sealed class QuotaNotAppliedException : Exception
    {
        public QuotaNotAppliedException(string service, string message)
            : base(message)
        {
            Service = service;
        }

        public string Service { get; }
    }
}
