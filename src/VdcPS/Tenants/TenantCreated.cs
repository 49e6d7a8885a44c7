namespace VdcPS.Tenants
{
    internal sealed class TenantCreated
    {
        public TenantRecord Tenant { get; set; } = null!;
        /// <summary>The password set in this run (null when the tenant was already complete).</summary>
        public string? Password { get; set; }
        /// <summary>True when nothing was done because the tenant already existed complete.</summary>
        public bool AlreadyComplete { get; set; }
        public bool Resumed { get; set; }
    }
}
