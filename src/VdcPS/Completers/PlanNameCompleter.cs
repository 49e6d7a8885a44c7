using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using VdcPS.Models;
using VdcPS.Plans;

namespace VdcPS.Completers
{
    /// <summary>
    /// Completes plan names from the plan catalog, found by the same rule as Get-VdcPlan (a
    /// -CatalogPath or -Context already typed on the command line counts). Never throws: a missing
    /// or broken catalog completes nothing.
    /// </summary>
    public sealed class PlanNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<string> names;
            try
            {
                names = PlanNames(fakeBoundParameters);
            }
            catch (Exception)
            {
                names = Array.Empty<string>();
            }

            return CompletionHelper.Complete(names, wordToComplete).ToList();
        }

        private static IReadOnlyList<string> PlanNames(IDictionary? fakeBoundParameters)
        {
            string? cwd = CurrentLocation();
            string? explicitPath = null;
            VdcContext? context = null;
            if (fakeBoundParameters != null)
            {
                if (fakeBoundParameters.Contains("CatalogPath") && Unwrap(fakeBoundParameters["CatalogPath"]) is string path && path.Length > 0)
                {
                    explicitPath = PlanCatalogLocator.Expand(path, cwd ?? System.IO.Directory.GetCurrentDirectory(), PlanCatalogLocator.HomeDirectory());
                }

                if (fakeBoundParameters.Contains("Context"))
                {
                    context = Unwrap(fakeBoundParameters["Context"]) as VdcContext;
                }
            }

            return PlanCatalogResolver.Load(explicitPath, context, cwd, out _).Plans.Select(p => p.Name).ToList();
        }

        private static object? Unwrap(object? value)
        {
            while (value is PSObject pso)
            {
                value = pso.BaseObject;
            }

            return value is object[] array && array.Length == 1 ? Unwrap(array[0]) : value;
        }

        private static string? CurrentLocation()
        {
            try
            {
                return System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
