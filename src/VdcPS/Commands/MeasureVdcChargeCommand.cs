using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Billing;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Rates usage and the tenants' history against the plan catalog into invoice lines: prorated
    /// monthly fees, setup fees and bundled professional services at activation, and pay-per-use.
    /// The rules are those of <see cref="RatingEngine"/> (about_VdcPS_Billing).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "VdcCharge", DefaultParameterSetName = CloudSet)]
    [OutputType(typeof(VdcChargeLine))]
    public sealed class MeasureVdcChargeCommand : VdcApiCmdlet
    {
        private const string CloudSet = "Cloud";
        private const string TenantSet = "Tenant";

        private readonly List<VdcUsageRecord> _usage = new List<VdcUsageRecord>();
        private readonly SkipCounter _skipped = new SkipCounter();
        private int _rows;

        /// <summary>
        /// Usage rows (Get-VdcUsage, or Import-Csv of its export); per-server rows are ignored, tenant
        /// totals are rated. Rows that are not VdcUsageRecord objects are read with the rule of
        /// about_VdcPS_Billing ("Files that round-trip"), not with PowerShell's casts.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowEmptyCollection]
        [UsageRows]
        public VdcUsageRecord[]? InputObject { get; set; }

        /// <summary>Start of the billing period (UTC, inclusive); default: the earliest start of the usage rows.</summary>
        [Parameter]
        public DateTime? Start { get; set; }

        /// <summary>End of the billing period (UTC, exclusive); default: the latest end of the usage rows.</summary>
        [Parameter]
        public DateTime? End { get; set; }

        /// <summary>Rate these tenants, with the history their objects carry, instead of every managed tenant of the cloud.</summary>
        [Parameter(ParameterSetName = TenantSet, Mandatory = true)]
        [ValidateNotNull]
        [TenantRows]
        public VdcTenant[]? Tenant { get; set; }

        /// <summary>The plan catalog; overrides VDCPS_PLAN_CATALOG, the cloud's catalog and the default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            foreach (VdcUsageRecord row in InputObject)
            {
                if (row == null)
                {
                    continue;
                }

                _rows++;
                InputRowProblem? problem = InputRows.ProblemOf(row);
                if (problem != null)
                {
                    WriteInputProblem(problem, _rows, "usage row");
                    _skipped.Add(RatingEngine.SkipUnreadable);
                    continue;
                }

                _usage.Add(row);
            }
        }

        private void WriteInputProblem(InputRowProblem problem, int row, string what)
        {
            WriteError(
                new FormatException($"{problem.Message(row)} The {what} is skipped."),
                problem.Id,
                ErrorCategory.InvalidData,
                $"row {row}",
                "Write the value as about_VdcPS_Billing describes (section 'Files that round-trip'), or export and import in the same culture.");
        }

        protected override void EndProcessing()
        {
            (DateTime start, DateTime end) = ResolvePeriod();
            PlanCatalog catalog = LoadCatalog();
            var unreadableTenants = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            List<Billing.TenantTimeline> tenants = ParameterSetName == TenantSet ? FromTenantObjects(unreadableTenants) : FromCloud(unreadableTenants);
            if (unreadableTenants.Count > 0)
            {
                // usage of a tenant whose record could not be read would be rated without its history: skip it
                int before = _usage.Count;
                _usage.RemoveAll(r => unreadableTenants.Contains(r.TenantId ?? string.Empty) && !r.IsDetail);
                _skipped.Add(RatingEngine.SkipTenantUnreadable, before - _usage.Count);
            }

            RatingResult result;
            try
            {
                result = RatingEngine.Rate(new RatingRequest
                {
                    Start = start,
                    End = end,
                    Tenants = tenants,
                    Usage = _usage,
                    FindPlan = catalog.Find,
                });
            }
            catch (ArgumentException e)
            {
                ThrowTerminating(e, BillingErrorIds.PeriodInvalid, ErrorCategory.InvalidArgument, null);
                return;
            }

            foreach (RatingIssue issue in result.Issues)
            {
                switch (issue.Severity)
                {
                    case RatingIssueSeverity.Error:
                        WriteError(
                            issue.Id == RatingEngine.PlanNotFound ? new ItemNotFoundException(issue.Message) : (Exception)new InvalidOperationException(issue.Message),
                            issue.Id,
                            issue.Id == RatingEngine.PlanNotFound ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidData,
                            issue.Target,
                            issue.Id == RatingEngine.PlanNotFound ? "Add the plan to the catalog (Get-VdcPlan lists it), or rate with the catalog that was in force." : null);
                        break;
                    case RatingIssueSeverity.Warning:
                        // the id leads the message, so that -WarningVariable output can be filtered by it
                        WriteWarning($"{issue.Id}: {issue.Message}");
                        break;
                    default:
                        WriteVerbose(issue.Message);
                        break;
                }
            }

            WriteVerbose($"Rated {_usage.Count(r => !r.IsDetail)} usage totals ({result.RatedRows} priced) and {tenants.Count} tenants for {RatingEngine.Iso(start)} to {RatingEngine.Iso(end)}: {result.Lines.Count} lines.");
            _skipped.Add(RatingEngine.SkipDetail, result.Skipped.Count(RatingEngine.SkipDetail));
            _skipped.Add(RatingEngine.SkipOutside, result.Skipped.Count(RatingEngine.SkipOutside));
            _skipped.Add(RatingEngine.SkipDuplicate, result.Skipped.Count(RatingEngine.SkipDuplicate));
            _skipped.Add(RatingEngine.SkipUnmanaged, result.Skipped.Count(RatingEngine.SkipUnmanaged));
            _skipped.Add(RatingEngine.SkipPlan, result.Skipped.Count(RatingEngine.SkipPlan));
            string? skippedText = _skipped.Describe(_rows);
            if (skippedText != null)
            {
                WriteWarning($"{RatingEngine.UsageSkipped}: {skippedText}");
            }

            foreach (VdcChargeLine line in result.Lines)
            {
                WriteObject(line);
            }
        }

        private (DateTime Start, DateTime End) ResolvePeriod()
        {
            List<VdcUsageRecord> totals = _usage.Where(r => !r.IsDetail).ToList();
            DateTime? start = Start.HasValue ? Billing.TenantTimeline.Utc(Start.Value) : (totals.Count > 0 ? totals.Min(r => Billing.TenantTimeline.Utc(r.PeriodStart)) : (DateTime?)null);
            DateTime? end = End.HasValue ? Billing.TenantTimeline.Utc(End.Value) : (totals.Count > 0 ? totals.Max(r => Billing.TenantTimeline.Utc(r.PeriodEnd)) : (DateTime?)null);
            if (start == null || end == null)
            {
                ThrowTerminating(new ArgumentException("There are no usage rows to take the period from: give -Start and -End."),
                    BillingErrorIds.PeriodMissing, ErrorCategory.InvalidArgument, null, "Give -Start and -End (UTC), for example -Start 2026-11-01 -End 2026-12-01.");
            }

            if (end!.Value <= start!.Value)
            {
                ThrowTerminating(new ArgumentException($"The period end ({RatingEngine.Iso(end.Value)}) must be after its start ({RatingEngine.Iso(start.Value)})."),
                    BillingErrorIds.PeriodInvalid, ErrorCategory.InvalidArgument, null, "-End is exclusive: for November 2026 use -Start 2026-11-01 -End 2026-12-01.");
            }

            return (start.Value, end.Value);
        }

        private PlanCatalog LoadCatalog() => LoadPlanCatalog(CatalogPath, Context);

        private List<Billing.TenantTimeline> FromTenantObjects(HashSet<string> unreadable)
        {
            var timelines = new List<Billing.TenantTimeline>();
            int row = 0;
            foreach (VdcTenant tenant in Tenant!.Where(t => t != null))
            {
                row++;
                InputRowProblem? problem = InputRows.ProblemOf(tenant);
                if (problem != null)
                {
                    WriteInputProblem(problem, row, $"tenant '{(string.IsNullOrEmpty(tenant.Name) ? tenant.Id : tenant.Name)}'");
                    if (!string.IsNullOrEmpty(tenant.Id))
                    {
                        unreadable.Add(tenant.Id);
                    }

                    continue;
                }

                try
                {
                    timelines.Add(Billing.TenantTimeline.FromTenant(tenant));
                }
                catch (FormatException e)
                {
                    unreadable.Add(tenant.Id);
                    WriteError(e, BillingErrorIds.TenantHistoryInvalid, ErrorCategory.InvalidData, tenant.Name,
                        "Pass the tenant as Get-VdcTenant returns it; History holds '<UTC time> <event> <plan>' and QuotaHistory '<UTC time> <source> <service.key>=<value> ...' entries, joined with '; '.");
                }
            }

            return timelines;
        }

        private List<Billing.TenantTimeline> FromCloud(HashSet<string> unreadable)
        {
            VdcContext context = ResolveContext();
            IReadOnlyList<TenantRecord> projects;
            try
            {
                // One request for every project of every domain (Keystone does not page projects).
                projects = RunAsync((_, ct) => new TenantService(context).ListAsync(null, null, null, ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                ThrowTerminatingError(ErrorFactory.FromException(e, BillingErrorIds.TenantListFailed, context.Name,
                    "Listing the tenants needs an admin connection; rate offline with -Tenant (Get-VdcTenant output) otherwise."));
                throw; // not reached
            }

            var timelines = new List<Billing.TenantTimeline>();
            foreach (Tenants.TenantRecord project in projects)
            {
                try
                {
                    Billing.TenantTimeline? timeline = Billing.TenantTimeline.FromRecord(project);
                    if (timeline != null)
                    {
                        timelines.Add(timeline);
                    }
                }
                catch (Tenants.TenantRecordDamagedException e)
                {
                    // Never rated from what is left of the record (a lost suspension would bill wrong): reported, the others go on.
                    unreadable.Add(project.Id);
                    WriteError(e, ErrorIds.TenantRecordDamaged, ErrorCategory.InvalidData, project.Name, e.RecommendedAction);
                }
            }

            if (unreadable.Count > 0)
            {
                WriteVerbose($"{unreadable.Count} tenant(s) with a damaged record are not rated, nor is their usage.");
            }
            WriteVerbose($"{timelines.Count} VdcPS tenants among {projects.Count} projects of cloud '{context.Name}'.");
            return timelines;
        }
    }
}
