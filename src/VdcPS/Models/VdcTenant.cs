using System;
using System.Management.Automation;

namespace VdcPS.Models
{
    /// <summary>Where a tenant is in its life.</summary>
    public enum VdcTenantState
    {
        /// <summary>New-VdcTenant has started and not finished (or crashed): rerun it to complete.</summary>
        Provisioning,
        Active,
        Suspended,
        /// <summary>Remove-VdcTenant has started and not finished: rerun it to complete.</summary>
        Removing,
        /// <summary>A Keystone project that VdcPS did not create.</summary>
        Unmanaged,
        /// <summary>
        /// Removed: everything it owned, its user and its access are gone; its disabled, renamed
        /// project (vdcps-terminated-&lt;id&gt;) keeps the record for the last invoice until Remove-VdcTenant -Purge.
        /// </summary>
        Terminated,
    }

    /// <summary>
    /// A VDC tenant: the Keystone project, its user, and the plan and customer recorded with it.
    /// Flat: one value per property, so it exports to CSV as it is.
    /// </summary>
    public sealed class VdcTenant
    {
        public string Name { get; set; } = string.Empty;

        /// <summary>The Keystone project id.</summary>
        public string Id { get; set; } = string.Empty;

        public string Plan { get; set; } = string.Empty;

        public string CustomerId { get; set; } = string.Empty;

        public VdcTenantState State { get; set; }

        public bool Enabled { get; set; }

        public string UserName { get; set; } = string.Empty;

        public string UserId { get; set; } = string.Empty;

        public string Email { get; set; } = string.Empty;

        public string DomainId { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;

        /// <summary>When the tenant became active (UTC): billing starts here.</summary>
        public DateTime? ActivatedAt { get; set; }

        /// <summary>When the tenant was last suspended (UTC), while it is suspended.</summary>
        public DateTime? SuspendedAt { get; set; }

        /// <summary>When the tenant was terminated (UTC): its access ended and billing stops here. Null unless terminated (or being removed).</summary>
        public DateTime? TerminatedAt { get; set; }

        /// <summary>The Keystone project's name: the tenant's Name, or vdcps-terminated-&lt;id&gt; once it is terminated (the name is free again).</summary>
        public string ProjectName { get; set; } = string.Empty;

        /// <summary>Every recorded event, oldest first: "2026-11-01T09:00:00Z activated vdc-small; ...".</summary>
        public string History { get; set; } = string.Empty;

        /// <summary>
        /// Every recorded quota change, oldest first: "2026-11-01T09:00:00Z new-tenant compute.cores=4 ...;
        /// 2026-11-19T10:00:00Z set-quota compute.cores=8". The rating prices the allocation from it.
        /// </summary>
        public string QuotaHistory { get; set; } = string.Empty;

        /// <summary>The context (cloud connection) the tenant was read from.</summary>
        public string Cloud { get; set; } = string.Empty;

        /// <summary>
        /// Only on the object New-VdcTenant returns when it set a password: the user's name and the
        /// password, as a PSCredential. Hand it over, then drop it; it is never shown or logged.
        /// </summary>
        public PSCredential? Credential { get; set; }

        public override string ToString() => Name;
    }
}
