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

        /// <summary>Tenants by name (wildcards); every tenant with usage when neither Name nor Id is given.</summary>
        [Parameter(ParameterSetName = NameSet, Position = 0)]
        [Alias("TenantName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TenantNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Tenants by Keystone project id (also of projects that no longer exist).</summary>
        [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
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

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet && Id != null)
            {
                _ids.AddRange(Id.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()));
            }
        }

        protected override void EndProcessing()
        {
            // Tenants were to come from the pipeline (Get-VdcTenant x | Get-VdcUsage) and none came: that
            // means no tenant, never "every tenant of the cloud".
            bool byId = ParameterSetName == IdSet || (MyInvocation.ExpectingInput && Name == null);
            if (byId && _ids.Count == 0)
            {
                WriteVerbose("No tenant ids came from the pipeline: nothing to read.");
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
                Ids = byId ? _ids.Distinct(StringComparer.Ordinal).ToList() : null,
                Names = Name,
                Cloud = context.Name,
            };
            WriteVerbose($"Usage from {UsagePeriod.Show(request.Start)} to {UsagePeriod.Show(request.End)} on '{context.Name}'.");

            try
            {
                RunAsync((output, ct) => new UsageCollector(context.Session, request, output).RunAsync(ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                Exception inner = ErrorFactory.Unwrap(e);
                object target = request.Ids != null ? string.Join(", ", request.Ids) : (object?)Name ?? "all tenants";
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
