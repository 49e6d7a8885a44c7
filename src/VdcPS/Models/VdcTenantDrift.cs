using System;

namespace VdcPS.Models
{
    /// <summary>
    /// One way a tenant differs from what was sold (its plan) and from its own record, as
    /// Test-VdcTenant reports it and Repair-VdcTenant repairs it: one flat row per finding, the same
    /// columns on every row, so that Export-Csv and Import-Csv keep it whole.
    /// </summary>
    public sealed class VdcTenantDrift
    {
        public string TenantId { get; set; } = string.Empty;

        public string TenantName { get; set; } = string.Empty;

        /// <summary>The tenant's plan as recorded on it.</summary>
        public string Plan { get; set; } = string.Empty;

        /// <summary>
        /// A stable name of the kind of finding, for scripts: Quota, ProjectEnabled, UserEnabled,
        /// UserMissing, RoleAssignment, StarterNetwork, PlanMissing, TenantRecord, TenantState.
        /// </summary>
        public string Kind { get; set; } = string.Empty;

        /// <summary>What exactly differs: compute.cores, project.enabled, role member, router-gateway vdc-router...</summary>
        public string Aspect { get; set; } = string.Empty;

        /// <summary>The value the plan and the tenant's record call for (as text).</summary>
        public string Expected { get; set; } = string.Empty;

        /// <summary>The value the cloud has (as text; "missing" for something that is not there).</summary>
        public string Actual { get; set; } = string.Empty;

        public VdcDriftSeverity Severity { get; set; }

        /// <summary>Whether Repair-VdcTenant can bring it back to the expected value.</summary>
        public bool Repairable { get; set; }

        /// <summary>Repair-VdcTenant: true when the repair was made and read back; always false from Test-VdcTenant.</summary>
        public bool Repaired { get; set; }

        /// <summary>Why it is not repairable, or what the repair did or could not do.</summary>
        public string Message { get; set; } = string.Empty;

        /// <summary>The context (cloud) the tenant was checked in.</summary>
        public string Cloud { get; set; } = string.Empty;

        /// <summary>When the tenant was read (UTC).</summary>
        public DateTime CheckedAt { get; set; }

        public override string ToString() => $"{TenantName} {Kind} {Aspect}: expected {Expected}, actual {Actual}";
    }

    /// <summary>How much a drift finding matters.</summary>
    public enum VdcDriftSeverity
    {
        /// <summary>The customer gets more or other than was sold, or less is recorded than the cloud has; nothing is broken.</summary>
        Warning,

        /// <summary>The customer cannot use what was sold (access, role, network), or gets it while it should be cut off.</summary>
        Error,
    }
}
