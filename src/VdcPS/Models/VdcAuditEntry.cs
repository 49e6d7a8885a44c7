using System;

namespace VdcPS.Models
{
    /// <summary>One change VdcPS made (or tried to make), read back from the audit journal.</summary>
    public sealed class VdcAuditEntry
    {
        /// <summary>When (UTC).</summary>
        public DateTime Time { get; set; }

        /// <summary>Who: the cloud user and scope of the context that made the change.</summary>
        public string Operator { get; set; } = string.Empty;

        /// <summary>The machine the change was made from.</summary>
        public string Host { get; set; } = string.Empty;

        public string Cloud { get; set; } = string.Empty;

        /// <summary>The cmdlet (New-VdcTenant, Set-VdcQuota, ...).</summary>
        public string Action { get; set; } = string.Empty;

        /// <summary>The tenant the change was about.</summary>
        public string Target { get; set; } = string.Empty;

        /// <summary>Created, Completed, Changed, Suspended, Resumed, Removed, Failed, Stopped.</summary>
        public string Outcome { get; set; } = string.Empty;

        /// <summary>The tenant before the change, as JSON.</summary>
        public string Before { get; set; } = string.Empty;

        /// <summary>The tenant after the change, as JSON.</summary>
        public string After { get; set; } = string.Empty;

        public string Message { get; set; } = string.Empty;

        /// <summary>The journal file the entry was read from.</summary>
        public string Path { get; set; } = string.Empty;
    }
}
