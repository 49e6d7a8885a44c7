using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Usage;

namespace VdcPS.Commands
{
    /// <summary>
    /// Checks plan catalog files and reports every problem (file, line, column, plan, message,
    /// severity); with -Quiet, returns only whether each catalog is usable.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "VdcPlan")]
    [OutputType(typeof(VdcPlanProblem))]
    [OutputType(typeof(bool))]
    public sealed class TestVdcPlanCommand : VdcCmdlet
    {
        private readonly HashSet<string> _tested = new HashSet<string>(StringComparer.Ordinal);
        private bool _sawInput;

        /// <summary>Catalog files to check; default: the catalog the location rule finds.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "Path")]
        [ValidateNotNullOrEmpty]
        public string[]? CatalogPath { get; set; }

        /// <summary>Return only $true (no errors; warnings allowed) or $false per catalog.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>
        /// The connection whose cloud names a catalog (vdcps_plan_catalog); default: the current one.
        /// When given, the catalog's rates are also checked against that cloud: every rate it cannot
        /// measure is a problem of severity Unmeasured.
        /// </summary>
        [Parameter]
        [Contexts.ContextArgument]
        [ArgumentCompleter(typeof(Completers.ContextNameCompleter))]
        [ValidateNotNull]
        public VdcContext? Context { get; set; }

        protected override void ProcessRecord()
        {
            if (CatalogPath == null)
            {
                return;
            }

            _sawInput = true;
            foreach (string path in CatalogPath)
            {
                Test(GetUnresolvedProviderPathFromPSPath(path), path);
            }
        }

        protected override void EndProcessing()
        {
            if (_sawInput)
            {
                return;
            }

            string path;
            try
            {
                PlanCatalogLocation location = PlanCatalogLocator.LocateForSession(null, Context, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
                WriteVerbose($"Plan catalog '{location.Path}' (from {location.Source}).");
                path = location.Path;
            }
            catch (PlanCatalogException e)
            {
                Report(e, null);
                return;
            }

            Test(path, path);
        }

        private void Test(string fullPath, string target)
        {
            if (!_tested.Add(fullPath))
            {
                return; // the same catalog piped again (for example from Get-VdcPlan, once per plan)
            }

            IReadOnlyList<PlanProblem> problems;
            try
            {
                if (Context != null)
                {
                    VdcContext context = Context;
                    problems = RunAsync((output, ct) => new PlanMeterCheck(context.Session, output).CheckAsync(fullPath, context.Name, ct));
                }
                else
                {
                    problems = PlanCatalogLoader.Validate(fullPath);
                }
            }
            catch (PlanCatalogException e)
            {
                Report(e, target);
                return;
            }
            catch (Exception e) when (Context != null && !(e is PipelineStoppedException) && !(ErrorFactory.Unwrap(e) is PlanCatalogException))
            {
                WriteError(ErrorFactory.FromException(ErrorFactory.Unwrap(e), ErrorIds.PlanMeterCheckFailed, target));
                return;
            }

            int errors = problems.Count(p => p.IsError);
            int unmeasured = problems.Count(p => p.Severity == VdcPlanProblemSeverity.Unmeasured);
            WriteVerbose(problems.Count == 0
                ? $"'{fullPath}': no problems."
                : $"'{fullPath}': {errors} error(s), {problems.Count - errors - unmeasured} warning(s)"
                  + (Context != null ? $", {unmeasured} rate(s) cloud '{Context.Name}' cannot measure." : "."));
            if (Quiet.IsPresent)
            {
                // with -Context, a price that bills nothing fails the check as an error does
                WriteObject(errors == 0 && unmeasured == 0);
                return;
            }

            foreach (PlanProblem problem in problems)
            {
                WriteObject(problem.ToModel());
            }
        }

        private void Report(PlanCatalogException e, string? target)
        {
            if (Quiet.IsPresent)
            {
                WriteObject(false);
                return;
            }

            bool missing = e.Reason == PlanCatalogException.ReasonNotFound;
            WriteError(e,
                missing ? ErrorIds.PlanCatalogNotFound : ErrorIds.PlanCatalogUnreadable,
                missing ? ErrorCategory.ObjectNotFound : ErrorCategory.ReadError,
                target ?? e.FilePath,
                missing ? "Give the catalog's path, set $env:VDCPS_PLAN_CATALOG, or see Get-Help about_VdcPS_Plans." : null);
        }
    }
}
