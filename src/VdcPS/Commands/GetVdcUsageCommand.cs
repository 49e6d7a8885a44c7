using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Usage;

namespace VdcPS.Commands
{
    /// <summary>
    /// Gets the usage of tenants over a period (default: the previous calendar month, UTC) from Nova's
    /// os-simple-tenant-usage, paged and complete, and from Gnocchi where the cloud has it: one flat row
    /// per tenant × resource (× server with -Detailed).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "VdcUsage", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(VdcUsageRecord))]
    public sealed class GetVdcUsageCommand : VdcApiCmdlet
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";

        private readonly List<string> _ids = new List<string>();

        /// <summary>Tenants by name (wildcards); every tenant with usage when neither Name nor Id is given. From the pipeline (a CSV Name column): the exact name.</summary>
        [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TenantName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TenantNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Tenants by Keystone project id (also of projects that no longer exist).</summary>
        [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [Alias("TenantId", "ProjectId")]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        /// <summary>Start of the period (inclusive); a time without a zone is UTC.</summary>
        [Parameter]
        public DateTime Start { get; set; }

        /// <summary>End of the period (exclusive); a time without a zone is UTC.</summary>
        [Parameter]
        public DateTime End { get; set; }

        /// <summary>Nova, Gnocchi or All; default: Nova, plus Gnocchi for the resources Nova does not report.</summary>
        [Parameter]
        [ValidateSet("Nova", "Gnocchi", "All")]
        public string? Source { get; set; }

        /// <summary>Also one row per server and resource (from Nova).</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <summary>Only the tenants VdcPS manages (with a plan).</summary>
        [Parameter]
        public SwitchParameter ManagedOnly { get; set; }

        /// <summary>Resource name → Gnocchi metric: 'type/metric', a hashtable (ResourceType, Metric, Aggregation, Scale, Count), or $null.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? GnocchiMetric { get; set; }

        /// <summary>Most requests at a time.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        private readonly List<string> _pipedNames = new List<string>();
        private string[]? _typedNames;

        protected override void Begin()
        {
            // Only the command line is bound here; the pipeline binds per record (Id wins over Name).
            _typedNames = Name;
            if (Name != null && Id != null)
            {
                ThrowTerminating(new ArgumentException("Give tenants either by -Name or by -Id, not both."), ErrorIds.UsageInputInvalid, ErrorCategory.InvalidArgument, null);
            }
        }

        protected override void ProcessRecord()
        {
            if (Id != null)
            {
                _ids.AddRange(Id.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()));
            }
            else if (MyInvocation.ExpectingInput && Name != null && _typedNames == null)
            {
                // A row with a name and no id (Import-Csv): the exact name, never a pattern.
                _pipedNames.AddRange(Name.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => WildcardPattern.Escape(n.Trim())));
            }
        }

        protected override void EndProcessing()
        {
            // Tenants were to come from the pipeline and none came: that means no tenant, never
            // "every tenant of the cloud". Rows with an id go by id, rows with only a name by name.
            string[]? names = _typedNames ?? (_pipedNames.Count > 0 ? _pipedNames.Distinct(StringComparer.OrdinalIgnoreCase).ToArray() : null);
            List<string>? ids = _ids.Count > 0 ? _ids.Distinct(StringComparer.Ordinal).ToList() : null;
            if (MyInvocation.ExpectingInput && ids == null && names == null)
            {
                WriteVerbose("No tenants came from the pipeline: nothing to read.");
                return;
            }

            VdcContext context = ResolveContext();
            bool hasStart = MyInvocation.BoundParameters.ContainsKey(nameof(Start));
            bool hasEnd = MyInvocation.BoundParameters.ContainsKey(nameof(End));
            (DateTime start, DateTime end) period = default;
            try
            {
                period = UsagePeriod.Resolve(hasStart ? Start : (DateTime?)null, hasEnd ? End : (DateTime?)null, DateTime.UtcNow);
            }
            catch (ArgumentException e)
            {
                ThrowTerminating(e, ErrorIds.UsagePeriodInvalid, ErrorCategory.InvalidArgument, hasStart ? (object)Start : End);
            }

            IReadOnlyList<GnocchiMetric> metrics = GnocchiMetricMap.Defaults;
            try
            {
                metrics = GnocchiMetricMap.Build(GnocchiMetric);
            }
            catch (ArgumentException e)
            {
                ThrowTerminating(e, ErrorIds.UsageMetricInvalid, ErrorCategory.InvalidArgument, GnocchiMetric);
            }

            var request = new UsageRequest
            {
                Start = period.start,
                End = period.end,
                Source = Source,
                Detailed = Detailed.IsPresent,
                ManagedOnly = ManagedOnly.IsPresent,
                ThrottleLimit = ThrottleLimit,
                Metrics = metrics,
                Ids = ids,
                Names = names,
                Cloud = context.Name,
            };
            WriteVerbose($"Usage from {UsagePeriod.Show(request.Start)} to {UsagePeriod.Show(request.End)} on '{context.Name}'.");

            try
            {
                RunAsync((output, ct) => new UsageCollector(context, request, output).RunAsync(ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                Exception inner = ErrorFactory.Unwrap(e);
                object target = request.Ids != null ? string.Join(", ", request.Ids) : (object?)names ?? "all tenants";
                switch (inner)
                {
                    case UsageTruncatedException truncated:
                        ThrowTerminating(truncated, ErrorIds.UsageTruncated, ErrorCategory.InvalidResult, target, UsageCollector.TruncatedAction);
                        break;
                    case EndpointNotFoundException endpoint:
                        ThrowTerminatingError(ErrorFactory.FromException(endpoint, ErrorIds.EndpointNotFound, endpoint.ServiceType,
                            "Use -Source Nova, or a cloud with a metric (Gnocchi) endpoint."));
                        break;
                    default:
                        ThrowTerminatingError(ErrorFactory.FromException(inner, ErrorIds.UsageQueryFailed, target));
                        break;
                }
            }
        }
    }
}
