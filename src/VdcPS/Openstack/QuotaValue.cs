namespace VdcPS.Openstack
{
    /// <summary>One quota as a service reports it.</summary>
    internal readonly struct QuotaValue
    {
        public QuotaValue(long limit, long inUse, long reserved)
        {
            Limit = limit;
            InUse = inUse;
            Reserved = reserved;
        }

        /// <summary>-1 means unlimited.</summary>
        public long Limit { get; }

        public long InUse { get; }

        public long Reserved { get; }
    }
}
