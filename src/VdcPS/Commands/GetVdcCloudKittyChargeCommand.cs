using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Billing;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;

namespace VdcPS.Commands
{
    /// <summary>
    /// Reads what CloudKitty rated for a period (per project and metric type) as charge lines of the
    /// same shape as Measure-VdcCharge's, so a cloud's CloudKitty ratings export and compare the same way.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "VdcCloudKittyCharge")]
    [OutputType(typeof(VdcChargeLine))]
    public sealed class GetVdcCloudKittyChargeCommand : VdcApiCmdlet
    {
        private readonly HashSet<string> _tenantIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private PlanCatalog? _catalog;
        private bool _catalogTried;

        /// <summary>Start of the period (UTC, inclusive).</summary>
        [Parameter(Mandatory = true, Position = 0, HelpMessage = "Start of the period (UTC, inclusive)")]
        public DateTime Start { get; set; }

        /// <summary>End of the period (UTC, exclusive).</summary>
        [Parameter(Mandatory = true, Position = 1, HelpMessage = "End of the period (UTC, exclusive)")]
        public DateTime End { get; set; }

        /// <summary>Only these projects; all that CloudKitty rated when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ProjectId", "Id")]
        [ValidateNotNullOrEmpty]
        public string[]? TenantId { get; set; }

        /// <summary>The currency of every line; default: the currency of each tenant's plan.</summary>
        [Parameter]
        [ValidatePattern("^[A-Z]{3}$")]
        public string? Currency { get; set; }

        /// <summary>CloudKitty metric type to rate unit, added to (and overriding) the built-in map.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? UnitMap { get; set; }

        /// <summary>The plan catalog (for the plans' currencies).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        protected override void ProcessRecord()
        {
            if (TenantId != null)
            {
                _tenantIds.UnionWith(TenantId);
            }
        }

        protected override void EndProcessing()
        {
            DateTime start = Billing.TenantTimeline.Utc(Start);
            DateTime end = Billing.TenantTimeline.Utc(End);
            if (end <= start)
            {
                ThrowTerminating(new ArgumentException($"The period end ({RatingEngine.Iso(end)}) must be after its start ({RatingEngine.Iso(start)})."),
                    BillingErrorIds.PeriodInvalid, ErrorCategory.InvalidArgument, null, "-End is exclusive: for November 2026 use -Start 2026-11-01 -End 2026-12-01.");
            }

            if (Currency != null && !CurrencyCodes.IsKnown(Currency))
            {
                ThrowTerminating(new ArgumentException(CurrencyCodes.Explain(Currency)), BillingErrorIds.CurrencyUnknown, ErrorCategory.InvalidArgument, Currency);
            }

            var units = new Dictionary<string, string>(CloudKittyCharges.DefaultUnits.ToDictionary(p => p.Key, p => p.Value), StringComparer.OrdinalIgnoreCase);
            if (UnitMap != null)
            {
                foreach (DictionaryEntry entry in UnitMap)
                {
                    units[entry.Key?.ToString() ?? string.Empty] = entry.Value?.ToString() ?? string.Empty;
                }
            }

            VdcContext context = ResolveContext();
            var service = new CloudKittyService(context);
            if (!service.HasEndpoint)
            {
                ThrowTerminating(
                    new EndpointNotFoundException("rating", $"The cloud '{context.Name}' has no rating (CloudKitty) endpoint in its catalog for this region and interface, so there are no CloudKitty charges to read."),
                    BillingErrorIds.RatingEndpointNotFound, ErrorCategory.ResourceUnavailable, context.Name,
                    "Rate with Measure-VdcCharge instead; Get-VdcContext shows RatingEndpoint.");
            }

            CloudKittyTotals totals;
            try
            {
                totals = RunAsync((output, ct) => service.ReadAsync(start, end, output, ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                ThrowTerminatingError(ErrorFactory.FromException(e, BillingErrorIds.RatingRequestFailed, context.Name));
                return;
            }

            WriteVerbose($"CloudKitty ({totals.ApiVersion} API) rated {totals.Count} project and type totals from {RatingEngine.Iso(start)} to {RatingEngine.Iso(end)}.");
            var (lines, issues) = totals.ToLines(_tenantIds, start, end, Currency, FindPlan, units);
            foreach (RatingIssue issue in issues)
            {
                WriteError(new InvalidOperationException(issue.Message), BillingErrorIds.CurrencyUnknown, ErrorCategory.InvalidData, issue.Target, "Give -Currency.");
            }

            foreach (VdcChargeLine line in lines)
            {
                WriteObject(line);
            }
        }

        /// <summary>The plan from the catalog, loaded on first use; without a usable catalog, null (the line then needs -Currency).</summary>
        private PlanDefinition? FindPlan(string name)
        {
            if (Currency != null)
            {
                return null;
            }

            if (!_catalogTried)
            {
                _catalogTried = true;
                try
                {
                    _catalog = LoadPlanCatalogOrThrow(CatalogPath, Context);
                }
                catch (PlanCatalogException e)
                {
                    if (CatalogPath != null)
                    {
                        ThrowTerminatingError(ErrorFactory.PlanCatalogError(e, CatalogPath));
                    }

                    WriteWarning($"No plan catalog ({e.Message}): only -Currency can give the lines a currency.");
                }
            }

            return _catalog?.Find(name);
        }
    }
}
