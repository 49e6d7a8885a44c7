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
    [Cmdlet(VerbsDiagnostic.Test, "VdcPlan", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(VdcPlanProblem))]
    [OutputType(typeof(bool))]
    public sealed class TestVdcPlanCommand : VdcCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralSet = "LiteralPath";

        private readonly HashSet<string> _tested = new HashSet<string>(StringComparer.Ordinal);
        private bool _sawInput;

        /// <summary>
        /// Catalog files to check, wildcards allowed (<c>./plans/*.yaml</c>); default: the catalog the location
        /// rule finds. A path that names an existing file is taken as it is, even with [ ] in its name.
        /// </summary>
        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? CatalogPath { get; set; }

        /// <summary>Catalog files to check, taken exactly as typed (no wildcards); file objects bind here.</summary>
        [Parameter(ParameterSetName = LiteralSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

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
            if (LiteralPath != null)
            {
                _sawInput = true;
                foreach (string path in LiteralPath)
                {
                    Test(GetUnresolvedProviderPathFromPSPath(path), path);
                }

                return;
            }

            if (CatalogPath == null)
            {
                return;
            }

            _sawInput = true;
            foreach (string path in CatalogPath)
            {
                foreach (string file in Resolve(path))
                {
                    Test(file, path);
                }
            }
        }

        /// <summary>
        /// The files a -CatalogPath names: itself when it has no wildcard or names an existing file, else every
        /// file system item it matches, in name order; none: a PlanCatalogNotFound error (or $false with -Quiet).
        /// </summary>
        private IEnumerable<string> Resolve(string path)
        {
            string literal = GetUnresolvedProviderPathFromPSPath(path);
            if (!WildcardPattern.ContainsWildcardCharacters(path) || System.IO.File.Exists(literal))
            {
                return new[] { literal };
            }

            var files = new List<string>();
            try
            {
                files.AddRange(GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider)
                    .Where(_ => provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)));
            }
            catch (ItemNotFoundException)
            {
                // a folder of the pattern does not exist: nothing matches
            }

            if (files.Count == 0)
            {
                Report(new PlanCatalogException(PlanCatalogException.ReasonNotFound, $"No plan catalog file matches '{path}'.", path), path);
            }

            files.Sort(StringComparer.Ordinal);
            return files;
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
                PlanCatalogLocation location = PlanCatalogResolver.Locate(null, Context, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
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
                    problems = RunAsync((output, ct) => new PlanMeterCheck(context, output).CheckAsync(fullPath, context.Name, ct));
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
