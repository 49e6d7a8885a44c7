using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Compares tenants with what was sold: quotas with the plan and the tenant's quota history,
    /// project and user enabled with the tenant's state, the plan's role, the starter network. Writes
    /// one flat row per finding (nothing for a tenant as sold); reads only. Every tenant VdcPS manages
    /// when none is named; -ThrottleLimit tenants are read at a time.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "VdcTenant", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(VdcTenantDrift), typeof(bool))]
    public sealed class TestVdcTenantCommand : VdcTenantSelectionCmdlet
    {
        private readonly List<string> _ids = new List<string>();
        private readonly List<string> _names = new List<string>();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        /// <summary>Most tenants read at a time.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Write only $true (no finding) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var target in Targets())
            {
                if (target.Id != null)
                {
                    _ids.Add(target.Id);
                }
                else
                {
                    _names.Add(target.Name!);
                }
            }
        }

        protected override void EndProcessing()
        {
            // A pipeline that brought no tenant (an empty Get-VdcTenant) checks nothing, not everything.
            if ((MyInvocation.ExpectingInput || ParameterSetName != NameSet) && _ids.Count == 0 && _names.Count == 0)
            {
                if (Quiet)
                {
                    WriteObject(true);
                }

                return;
            }

            VdcContext context = ResolveContext();
            PlanCatalog catalog = LoadCatalog(CatalogPath, context);
            var drift = new TenantDrift(context);
            int findings = 0;
            int failed = 0;
            RunAsync(async (output, ct) =>
            {
                var notFound = new List<string>();
                IReadOnlyList<TenantRecord> tenants = await drift.ResolveAsync(_ids, _names, DomainId, notFound, ct).ConfigureAwait(false);
                foreach (string missing in notFound)
                {
                    failed++;
                    output.Error(ErrorFactory.Create(new ItemNotFoundException($"Tenant '{missing}' was not found."), ErrorIds.TenantNotFound,
                        ErrorCategory.ObjectNotFound, missing, "Get-VdcTenant lists the tenants."));
                }

                int next = -1;
                int done = 0;
                async Task Worker()
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < tenants.Count)
                    {
                        TenantRecord tenant = tenants[i];
                        try
                        {
                            IReadOnlyList<VdcTenantDrift> rows = await drift.CheckAsync(tenant, catalog, ct).ConfigureAwait(false);
                            Interlocked.Add(ref findings, rows.Count);
                            if (!Quiet)
                            {
                                foreach (VdcTenantDrift row in rows)
                                {
                                    output.Object(row);
                                }
                            }
                        }
                        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                        {
                            Interlocked.Increment(ref failed);
                            output.Error(ErrorFactory.FromException(ErrorFactory.Unwrap(e), ErrorIds.TenantCheckFailed, tenant.Name));
                        }

                        int n = Interlocked.Increment(ref done);
                        // at most one progress record per percent (thousands of tenants, one queue)
                        if (tenants.Count > 1 && (n == tenants.Count || (100L * n / tenants.Count) != (100L * (n - 1) / tenants.Count)))
                        {
                            output.Progress(new ProgressRecord(3, "Checking tenants for drift", $"{n} of {tenants.Count} ({tenant.Name})")
                            {
                                PercentComplete = (int)(100L * n / tenants.Count),
                            });
                        }
                    }
                }

                await Task.WhenAll(Enumerable.Range(0, Math.Min(ThrottleLimit, Math.Max(1, tenants.Count))).Select(_ => Worker())).ConfigureAwait(false);
                if (tenants.Count > 1)
                {
                    output.Progress(new ProgressRecord(3, "Checking tenants for drift", "Done") { RecordType = ProgressRecordType.Completed });
                }

                output.Verbose($"Checked {tenants.Count} tenant(s): {findings} finding(s).");
            });

            if (Quiet)
            {
                WriteObject(findings == 0 && failed == 0);
            }
        }
    }
}
