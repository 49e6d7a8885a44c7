using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;

namespace VdcPS.Commands
{
    /// <summary>
    /// Lists the VDC plans of the plan catalog, or (with -Quota) their quotas one row per resource.
    /// The catalog is found by the location rule of <see cref="PlanCatalogResolver"/>.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "VdcPlan", DefaultParameterSetName = PlanSet)]
    [OutputType(typeof(VdcPlan), ParameterSetName = new[] { PlanSet })]
    [OutputType(typeof(VdcPlanQuota), ParameterSetName = new[] { QuotaSet })]
    public sealed class GetVdcPlanCommand : VdcCmdlet
    {
        private const string PlanSet = "Plan";
        private const string QuotaSet = "Quota";

        private PlanCatalog? _catalog;

        /// <summary>Plan names (wildcards allowed); all plans when omitted. From the pipeline: a plan's Name, when the object has no Plan property.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PlanNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>
        /// The plan of each piped object (a tenant, a charge line, a CSV row): its Plan property wins
        /// over its Name, so that Get-VdcTenant x | Get-VdcPlan gives the tenant's plan.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PlanNameCompleter))]
        [AllowEmptyString]
        [AllowNull]
        public string[]? Plan { get; set; }

        /// <summary>Return one row per quota resource of each plan instead of the plans.</summary>
        [Parameter(ParameterSetName = QuotaSet, Mandatory = true)]
        public SwitchParameter Quota { get; set; }

        /// <summary>The catalog file; overrides VDCPS_PLAN_CATALOG, the cloud's catalog and the default.</summary>
        [Parameter]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        /// <summary>The connection whose cloud names a catalog (vdcps_plan_catalog); default: the current one.</summary>
        [Parameter]
        [Contexts.ContextArgument]
        [ArgumentCompleter(typeof(Completers.ContextNameCompleter))]
        [ValidateNotNull]
        public VdcContext? Context { get; set; }

        protected override void ProcessRecord()
        {
            PlanCatalog catalog = _catalog ??= LoadCatalog();
            IEnumerable<PlanDefinition> plans = catalog.Plans;
            string[]? names = Name;
            if (Plan != null)
            {
                // The object's Plan wins over its Name (a tenant's Name is the tenant's, not a plan's).
                names = Plan?.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToArray();
                if (names == null || names.Length == 0)
                {
                    WriteError(new ItemNotFoundException($"'{Name?.FirstOrDefault() ?? "The input"}' has no plan (an empty Plan value)."),
                        ErrorIds.PlanNotFound, ErrorCategory.ObjectNotFound, Name?.FirstOrDefault(),
                        "Only tenants that VdcPS manages have a plan: Get-VdcTenant without -IncludeUnmanaged.");
                    return;
                }
            }

            if (names != null)
            {
                var patterns = names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
                plans = catalog.Plans.Where(p => patterns.Any(w => w.IsMatch(p.Name))).ToList();
                foreach (string name in names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
                {
                    if (catalog.Find(name) == null)
                    {
                        WriteError(
                            new ItemNotFoundException($"The plan '{name}' is not in the plan catalog '{catalog.Path}'. Plans: {string.Join(", ", catalog.Plans.Select(p => p.Name))}."),
                            ErrorIds.PlanNotFound,
                            ErrorCategory.ObjectNotFound,
                            name,
                            "Get-VdcPlan lists the plans of the catalog.");
                    }
                }
            }

            foreach (PlanDefinition plan in plans)
            {
                if (Quota.IsPresent)
                {
                    foreach (VdcPlanQuota row in plan.ToQuotaModels())
                    {
                        WriteObject(row);
                    }
                }
                else
                {
                    WriteObject(plan.ToModel());
                }
            }
        }

        private PlanCatalog LoadCatalog()
        {
            PlanCatalog catalog = LoadPlanCatalog(CatalogPath, Context);
            foreach (PlanProblem warning in catalog.Warnings)
            {
                WriteWarning(warning.ToString());
            }

            return catalog;
        }
    }
}
