using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>
    /// Reads the audit journal back as objects: every change VdcPS made from this machine (who,
    /// when, what, before and after), newest last.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "VdcAuditEntry")]
    [OutputType(typeof(VdcAuditEntry))]
    public sealed class GetVdcAuditEntryCommand : VdcCmdlet
    {
        /// <summary>Entries about these tenants (wildcards allowed).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "TenantName")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Target { get; set; }

        /// <summary>Entries of these cmdlets (wildcards allowed), e.g. New-VdcTenant.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Action { get; set; }

        /// <summary>Entries at or after this time.</summary>
        [Parameter]
        public DateTime? After { get; set; }

        /// <summary>Entries before this time.</summary>
        [Parameter]
        public DateTime? Before { get; set; }

        /// <summary>Only the last N matching entries.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Last { get; set; }

        /// <summary>The journal file; default: VDCPS_JOURNAL, else ~/.local/share/vdcps/journal.jsonl.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        private readonly List<VdcAuditEntry> _lastEntries = new List<VdcAuditEntry>();

        protected override void ProcessRecord()
        {
            string path = Path != null ? GetUnresolvedProviderPathFromPSPath(Path) : AuditJournal.DefaultPath();
            if (Path != null && !System.IO.File.Exists(path))
            {
                WriteError(new System.IO.FileNotFoundException($"The audit journal '{path}' does not exist.", path), ErrorIds.JournalNotFound, ErrorCategory.ObjectNotFound, path);
                return;
            }

            var targets = Target?.Select(t => WildcardPattern.Get(t, WildcardOptions.IgnoreCase)).ToList();
            var actions = Action?.Select(a => WildcardPattern.Get(a, WildcardOptions.IgnoreCase)).ToList();
            DateTime? after = After?.ToUniversalTime();
            DateTime? before = Before?.ToUniversalTime();
            foreach (AuditJournalEntry e in AuditJournal.Read(path))
            {
                var entry = new VdcAuditEntry
                {
                    Time = DateTime.TryParse(e.Time, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t)
                        ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : DateTime.MinValue,
                    Operator = e.Operator,
                    Host = e.Host,
                    Cloud = e.Cloud,
                    Action = e.Action,
                    Target = e.Target,
                    Outcome = e.Outcome,
                    Before = e.Before,
                    After = e.After,
                    Message = e.Message,
                    Path = path,
                };
                if ((targets != null && !targets.Any(p => p.IsMatch(entry.Target)))
                    || (actions != null && !actions.Any(p => p.IsMatch(entry.Action)))
                    || (after.HasValue && entry.Time < after.Value)
                    || (before.HasValue && entry.Time >= before.Value))
                {
                    continue;
                }

                if (Last.HasValue)
                {
                    _lastEntries.Add(entry);
                    if (_lastEntries.Count > Last.Value)
                    {
                        _lastEntries.RemoveAt(0);
                    }
                }
                else
                {
                    WriteObject(entry);
                }
            }

            foreach (VdcAuditEntry entry in _lastEntries)
            {
                WriteObject(entry);
            }

            _lastEntries.Clear();
        }
    }
}
