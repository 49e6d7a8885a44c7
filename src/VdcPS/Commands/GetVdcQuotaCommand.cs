using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Quotas;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Gets the quotas of tenants in Nova, Cinder and Neutron (and Keystone unified limits): one row
    /// per tenant, service and resource, with usage and the plan's bounds. Many tenants are read
    /// concurrently (-ThrottleLimit requests in flight) and written out in input order as they arrive.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "VdcQuota", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(VdcQuota))]
    public sealed class GetVdcQuotaCommand : VdcTenantSelectionCmdlet
    {
        private VdcContext _context = null!;
        private QuotaService _quotas = null!;
        private PlanCatalog? _catalog;
        private OrderedWindow<TenantQuotas> _window = null!;
        private CancellationTokenSource _stop = null!;
        private IReadOnlyList<TenantRecord>? _projects;
        private List<WildcardPattern>? _resources;
        private readonly HashSet<string> _missingPlans = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastProgress = long.MinValue;
        private int _done;
        private int _total;
        private bool _progressShown;

        /// <summary>Only these services: compute (Nova), block-storage (Cinder), network (Neutron).</summary>
        [Parameter]
        [ValidateSet(QuotaResources.Compute, QuotaResources.BlockStorage, QuotaResources.Network, IgnoreCase = true)]
        public string[]? Service { get; set; }

        /// <summary>Only resources whose name matches (cores, gigabytes*, class:*).</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Resource { get; set; }

        /// <summary>The most quota requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Also read projects that VdcPS did not create (by name or wildcard).</summary>
        [Parameter(ParameterSetName = NameSet)]
        public SwitchParameter IncludeUnmanaged { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        /// <summary>A system-scoped connection for reading Keystone project limits (unified limits).</summary>
        [Parameter]
        [Contexts.ContextArgument]
        [ArgumentCompleter(typeof(Completers.ContextNameCompleter))]
        [ValidateNotNull]
        public VdcContext? SystemContext { get; set; }

        protected override void Begin()
        {
            _context = ResolveContext();
            RequireSystemScope(SystemContext);

            _catalog = TryLoadCatalog();
            _resources = Resource?.Select(r => WildcardPattern.Get(r, WildcardOptions.IgnoreCase)).ToList();
            IEnumerable<string> services = Service?.Select(s => s.ToLowerInvariant()).Distinct() ?? QuotaResources.Services;
            _quotas = new QuotaService(_context, SystemContext, QuotaResources.Services.Where(services.Contains).ToList(), ThrottleLimit);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            _window = new OrderedWindow<TenantQuotas>(Math.Max(16, ThrottleLimit * 4));
            try
            {
                RunAsync((_, ct) => _quotas.InitializeAsync(readKeystone: true, ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                ThrowTerminatingError(ErrorFactory.FromException(e, ErrorIds.QuotaReadFailed, _context.Name));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (QuotaTenant tenant in TenantsOfThisRecord())
            {
                while (_window.IsFull)
                {
                    EmitNext(wait: true);
                }

                QuotaTenant t = tenant;
                bool allLimits = ParameterSetName != IdSet;
                _window.Start(ct => ReadOneAsync(t, allLimits, ct), _stop.Token);
                while (EmitNext(wait: false))
                {
                }
            }
        }

        protected override void EndProcessing()
        {
            while (EmitNext(wait: true))
            {
            }

            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(1, "Reading quotas", "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        private async Task<TenantQuotas> ReadOneAsync(QuotaTenant tenant, bool allLimitsAtOnce, CancellationToken ct)
        {
            if (tenant.Id.Length == 0)
            {
                // given by id only: the project gives its name and plan
                return await ResolveThenReadAsync(tenant, allLimitsAtOnce, ct).ConfigureAwait(false);
            }

            return await _quotas.ReadAsync(tenant, allLimitsAtOnce, ct).ConfigureAwait(false);
        }

        private async Task<TenantQuotas> ResolveThenReadAsync(QuotaTenant byId, bool allLimitsAtOnce, CancellationToken ct)
        {
            TenantRecord? project;
            try
            {
                project = await _quotas.Tenants.FindAsync(byId.Name, null, DomainId, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                var failed = new TenantQuotas(byId);
                failed.Failures.Add(new QuotaReadFailure("identity", ErrorFactory.Unwrap(e)));
                return failed;
            }

            if (project == null)
            {
                var missing = new TenantQuotas(byId);
                missing.Failures.Add(new QuotaReadFailure("identity", new ItemNotFoundException($"No tenant with id '{byId.Name}'.")));
                return missing;
            }

            return await _quotas.ReadAsync(ToTenant(project, OperationLog.Warning), allLimitsAtOnce, ct).ConfigureAwait(false);
        }

        /// <summary>Writes the head of the window (waiting for it when asked); false when there was nothing to write.</summary>
        private bool EmitNext(bool wait)
        {
            TenantQuotas result;
            BufferedOutput output;
            try
            {
                bool got = wait ? _window.TakeNext(_stop.Token, out result, out output) : _window.TryTakeCompleted(out result, out output);
                if (!got)
                {
                    return false;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            try
            {
                output.Replay(this);
                foreach (QuotaReadFailure failure in result.Failures)
                {
                    WriteFailure(result.Tenant, failure);
                }

                foreach (VdcQuota row in result.Rows)
                {
                    if (_resources == null || _resources.Any(p => p.IsMatch(row.Resource)))
                    {
                        WriteObject(row);
                    }
                }

                _done++;
                ShowProgress(result.Tenant);
            }
            catch
            {
                // The pipeline is stopping (Ctrl+C, Select-Object -First): cancel what is still being read.
                _stop.Cancel();
                throw;
            }

            return true;
        }

        private void WriteFailure(QuotaTenant tenant, QuotaReadFailure failure)
        {
            if (failure.Error is ItemNotFoundException notFound)
            {
                WriteError(notFound, ErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound, tenant.Label, "Get-VdcTenant lists the tenants.");
                return;
            }

            var inner = ErrorFactory.FromException(failure.Error, ErrorIds.QuotaReadFailed, tenant.Label);
            WriteError(new InvalidOperationException($"Reading the {failure.Service} quotas of tenant '{tenant.Label}' failed: {failure.Error.Message}", failure.Error),
                ErrorIds.QuotaReadFailed, inner.CategoryInfo.Category, tenant.Label);
        }

        private void ShowProgress(QuotaTenant tenant)
        {
            // Only on long runs, and at most 4 times a second: progress is for people waiting.
            long now = _clock.ElapsedMilliseconds;
            if (now < 1000 || now - _lastProgress < 250)
            {
                return;
            }

            _lastProgress = now;
            _progressShown = true;
            string status = _total > 0 ? $"{_done} of {_total} tenants ({tenant.Label})" : $"{_done} tenants ({tenant.Label})";
            var record = new ProgressRecord(1, "Reading quotas", status);
            if (_total > 0)
            {
                record.PercentComplete = Math.Min(100, _done * 100 / _total);
            }

            WriteProgress(record);
        }

        /// <summary>The tenants named by this pipeline record (wildcards and the no-name case listed from Keystone once).</summary>
        private IEnumerable<QuotaTenant> TenantsOfThisRecord()
        {
            switch (ParameterSetName)
            {
                case IdSet:
                    // Looked up inside the concurrent work (one GET per id), not here on the pipeline thread:
                    // until then the tenant has no id and its "name" is the id asked for.
                    foreach (string id in Id!)
                    {
                        yield return new QuotaTenant(string.Empty, id, string.Empty, null);
                    }

                    yield break;
                case InputObjectSet:
                    foreach (VdcTenant tenant in InputObject!)
                    {
                        if (!string.IsNullOrEmpty(tenant.Id))
                        {
                            yield return new QuotaTenant(tenant.Id, tenant.Name, tenant.Plan, PlanFor(tenant.Plan, tenant.Name, WriteWarning));
                        }
                        else
                        {
                            foreach (QuotaTenant byName in ByName(new[] { tenant.Name }))
                            {
                                yield return byName;
                            }
                        }
                    }

                    yield break;
                default:
                    foreach (QuotaTenant byName in ByName(Name))
                    {
                        yield return byName;
                    }

                    yield break;
            }
        }

        private IEnumerable<QuotaTenant> ByName(string[]? names)
        {
            if (_projects == null)
            {
                try
                {
                    _projects = RunAsync((_, ct) => _quotas.Tenants.ListAsync(DomainId, null, null, ct));
                }
                catch (PipelineStoppedException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    ThrowTerminatingError(TenantError(e, DomainId));
                    yield break;
                }
            }

            var patterns = names?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            var matched = _projects
                .Where(p => (IncludeUnmanaged || p.Managed) && (patterns == null || patterns.Any(x => x.IsMatch(p.Name))))
                .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (ParameterSetName == NameSet)
            {
                _total += matched.Count;
            }

            foreach (string name in names?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)) ?? Enumerable.Empty<string>())
            {
                if (!matched.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    bool unmanaged = _projects.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    WriteError(new ItemNotFoundException(unmanaged
                            ? $"Project '{name}' was not created by VdcPS: use -IncludeUnmanaged to read its quotas."
                            : $"Tenant '{name}' was not found in domain '{DomainId}'."),
                        ErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound, name, "Get-VdcTenant lists the tenants.");
                }
            }

            foreach (TenantRecord project in matched)
            {
                yield return ToTenant(project, WriteWarning);
            }
        }

        /// <summary><paramref name="warn"/> is WriteWarning on the pipeline thread, OperationLog.Warning in concurrent work.</summary>
        private QuotaTenant ToTenant(TenantRecord project, Action<string> warn)
        {
            string plan = project.Plan;
            return new QuotaTenant(project.Id, project.Name, plan, PlanFor(plan, project.Name, warn));
        }

        private PlanDefinition? PlanFor(string planName, string tenant, Action<string> warn)
        {
            if (string.IsNullOrEmpty(planName) || _catalog == null)
            {
                return null;
            }

            PlanDefinition? plan = _catalog.Find(planName);
            bool first;
            lock (_missingPlans)
            {
                first = plan == null && _missingPlans.Add(planName);
            }

            if (first)
            {
                warn($"Plan '{planName}' of tenant '{tenant}' is not in the catalog {_catalog.Path}: its quotas are shown without plan bounds.");
            }

            return plan;
        }

        /// <summary>The plan catalog for the bounds; a missing catalog only costs the bounds (with a warning), an invalid one stops.</summary>
        private PlanCatalog? TryLoadCatalog()
        {
            try
            {
                PlanCatalogResolver.Locate(
                    CatalogPath == null ? null : GetUnresolvedProviderPathFromPSPath(CatalogPath),
                    _context,
                    SessionState.Path.CurrentFileSystemLocation.ProviderPath);
            }
            catch (PlanCatalogException e) when (e.Reason == PlanCatalogException.ReasonNotFound && CatalogPath == null)
            {
                WriteWarning("No plan catalog was found, so PlanMin, PlanMax and OutOfPlan are empty. " + e.Message);
                return null;
            }

            return LoadCatalog(CatalogPath, _context);
        }
    }
}
