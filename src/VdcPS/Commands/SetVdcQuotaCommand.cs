using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Quotas;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Sets quotas of tenants in Nova, Cinder and Neutron (and Keystone unified limits), validated
    /// against the tenant's plan and current usage before anything is sent, one request per service,
    /// all or nothing across services, and every value read back afterwards.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "VdcQuota", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VdcQuota))]
    public sealed class SetVdcQuotaCommand : VdcTenantTargetCmdlet
    {
        private List<QuotaTarget> _targets = null!;
        private VdcContext _context = null!;
        private PlanCatalog _catalog = null!;
        private QuotaService _quotas = null!;

        /// <summary>compute.cores: vCPUs.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Cores { get; set; }

        /// <summary>compute.ram, in MB.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? RamMB { get; set; }

        /// <summary>compute.instances: servers.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Instances { get; set; }

        /// <summary>block-storage.volumes.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Volumes { get; set; }

        /// <summary>block-storage.gigabytes: volume and snapshot storage in GB.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Gigabytes { get; set; }

        /// <summary>block-storage.snapshots.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Snapshots { get; set; }

        /// <summary>network.network (Neutron networks).</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Networks { get; set; }

        /// <summary>network.subnet.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Subnets { get; set; }

        /// <summary>network.port.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Ports { get; set; }

        /// <summary>network.router.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? Routers { get; set; }

        /// <summary>network.floatingip.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? FloatingIps { get; set; }

        /// <summary>network.security_group.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? SecurityGroups { get; set; }

        /// <summary>network.security_group_rule.</summary>
        [Parameter]
        [ValidateRange(-1L, long.MaxValue)]
        public long? SecurityGroupRules { get; set; }

        /// <summary>Any other quota: keys "key_pairs", "compute.key_pairs", "block-storage/gigabytes___DEFAULT__".</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Quota { get; set; }

        /// <summary>Allow limits below what the tenant uses now (never outside the plan).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        /// <summary>A system-scoped connection for writing Keystone project limits (unified limits).</summary>
        [Parameter]
        [Contexts.ContextArgument]
        [ArgumentCompleter(typeof(Completers.ContextNameCompleter))]
        [ValidateNotNull]
        public VdcContext? SystemContext { get; set; }

        protected override void Begin()
        {
            _context = ResolveContext();
            RequireSystemScope(SystemContext);

            var problems = new List<string>();
            List<QuotaTarget> fromTable = QuotaTargetCalculator.ParseOverrides(Quota, problems);
            _targets = QuotaChangeCalculator.Merge(Typed(), fromTable, problems);
            if (problems.Count == 0 && _targets.Count == 0)
            {
                problems.Add("Nothing to set: give at least one quota, e.g. -Cores 8 or -Quota @{ key_pairs = 20 }.");
            }

            if (problems.Count > 0)
            {
                ThrowTerminating(new ArgumentException(string.Join(" ", problems)), ErrorIds.QuotaInputInvalid, ErrorCategory.InvalidArgument, Quota,
                    "Quota keys are the services' own (cores, ram, gigabytes, floatingip, ...), optionally as service.key.");
            }

            _catalog = LoadCatalog(CatalogPath, _context);
            var services = _targets.Select(t => t.Service).Distinct().ToList();
            _quotas = new QuotaService(_context, SystemContext, services, throttle: 8);
            try
            {
                RunAsync((_, ct) => _quotas.InitializeAsync(readKeystone: _targets.Any(t => UnifiedLimitNames.UnifiedFor(t.Service, t.Key) != null), ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                ThrowTerminatingError(ErrorFactory.FromException(e, ErrorIds.QuotaReadFailed, _context.Name));
            }

            var unreachable = services.Except(_quotas.Services).ToList();
            if (unreachable.Count > 0)
            {
                ThrowTerminating(new InvalidOperationException($"The cloud has no {string.Join(" or ", unreachable)} endpoint, so {string.Join(", ", _targets.Where(t => unreachable.Contains(t.Service)).Select(t => $"{t.Service}.{t.Key}"))} cannot be set. Nothing was changed."),
                    ErrorIds.EndpointNotFound, ErrorCategory.ResourceUnavailable, _context.Name, "Set only the quotas of services the cloud has.");
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var target in Targets())
            {
                TenantRecord? project = Resolve(_quotas.Tenants, target);
                if (project != null)
                {
                    SetOne(project, target.Label);
                }
            }
        }

        private void SetOne(TenantRecord project, string label)
        {
            VdcTenantState state = project.State;
            if (state != VdcTenantState.Active && state != VdcTenantState.Suspended)
            {
                WriteError(new InvalidOperationException($"Tenant '{project.Name}' is {TenantRecord.StateText(state)}: only the quotas of an active or suspended tenant can be set."),
                    ErrorIds.TenantStateInvalid, ErrorCategory.InvalidOperation, label,
                    state == VdcTenantState.Provisioning ? "Run New-VdcTenant again to complete the tenant." : "Run Remove-VdcTenant again to finish the removal.");
                return;
            }

            string planName = project.Plan;
            PlanDefinition? plan = _catalog.Find(planName);
            if (plan == null)
            {
                WriteError(new ItemNotFoundException($"Plan '{planName}' of tenant '{project.Name}' is not in the catalog {_catalog.Path}: its quota bounds are unknown, so nothing is changed."),
                    ErrorIds.PlanNotFound, ErrorCategory.ObjectNotFound, label, "Get-VdcPlan lists the plans; Set-VdcTenant -Plan moves the tenant to another plan.");
                return;
            }

            var tenant = new QuotaTenant(project.Id, project.Name, planName, plan);

            // 1. current limits and usage (one fresh GET per service involved, Keystone limits too),
            // 2. validated against the plan's bounds, the cloud's keys and usage; nothing is sent
            QuotaProposal proposal;
            try
            {
                proposal = RunAsync((_, ct) => _quotas.ProposeAsync(tenant, plan, _targets, Force, ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                WriteError(TenantError(e, label));
                return;
            }

            TenantQuotas current = proposal.Current;
            if (current.Failures.Count > 0)
            {
                foreach (QuotaReadFailure failure in current.Failures)
                {
                    WriteError(ErrorFactory.FromException(
                        new InvalidOperationException($"Reading the {failure.Service} quotas of tenant '{project.Name}' failed, so nothing is changed: {failure.Error.Message}", failure.Error),
                        ErrorIds.QuotaReadFailed, label));
                }

                return;
            }

            // a clear error per violation
            List<QuotaProblem> problems = proposal.Problems;
            List<QuotaChange> changes = proposal.Changes;
            if (problems.Count > 0)
            {
                foreach (QuotaProblem problem in problems)
                {
                    WriteError(new InvalidOperationException($"Tenant '{project.Name}': {problem.Message}"), problem.ErrorId,
                        problem.ErrorId == ErrorIds.QuotaBelowUsage ? ErrorCategory.LimitsExceeded : ErrorCategory.InvalidArgument, label,
                        problem.ErrorId == ErrorIds.QuotaOutOfPlan ? $"Stay within plan '{plan.Name}' (Get-VdcPlan -Name {plan.Name} -Quota), or move the tenant to another plan with Set-VdcTenant -Plan." : null);
                }

                WriteVerbose($"Nothing was changed for tenant '{project.Name}': {problems.Count} value(s) refused.");
                return;
            }

            foreach (string unwritable in proposal.Unwritable)
            {
                WriteWarning($"Keystone has a registered limit for {unwritable}, which is not written without a system-scoped connection (-SystemContext).");
            }

            if (changes.Count == 0)
            {
                WriteVerbose($"The quotas of tenant '{project.Name}' already have these values: nothing to change.");
                if (PassThru)
                {
                    var keys = new HashSet<string>(_targets.Select(t => $"{t.Service}.{t.Key}"), StringComparer.Ordinal);
                    foreach (VdcQuota row in current.Rows.Where(r => keys.Contains($"{r.Service}.{r.Resource}") || IsUnifiedOfTarget(r)))
                    {
                        WriteObject(row);
                    }
                }

                return;
            }

            // 3. confirmation, with the exact before -> after of every resource
            string what = string.Join("; ", changes.Select(c => c.Describe()));
            if (!ShouldProcess($"tenant '{project.Name}' ({project.Id}) in {_context.Name}", $"Set quotas {what}"))
            {
                return;
            }

            // 4. under the tenant's lease (another run's change of this tenant waits, or this one does):
            //    read again, plan again, write (all services or none), read back, compare
            (AuditSnapshot before, AuditSnapshot after) = proposal.Snapshots();
            try
            {
                // the new values are recorded in the tenant's quota history (the rating prices the
                // allocation from it); when that fails, the writes are undone
                Action<QuotaChangeOutcome> journal = JournalWhileHeld<QuotaChangeOutcome>(_context, project.Name, o =>
                {
                    if (o.Changes.Count == 0)
                    {
                        return null;
                    }

                    (AuditSnapshot b, AuditSnapshot a) = QuotaService.Snapshots(o.Changes);
                    return ("Changed", b, a);
                });
                QuotaChangeOutcome outcome = RunAsync((_, ct) => _quotas.ApplyAsync(project, _catalog, _targets, Force, ct, journal));
                if (outcome.Written == null)
                {
                    WriteWarning($"The quotas of tenant '{project.Name}' already had these values (another run set them meanwhile): nothing was changed.");
                    if (PassThru)
                    {
                        var keys = new HashSet<string>(_targets.Select(t => $"{t.Service}.{t.Key}"), StringComparer.Ordinal);
                        foreach (VdcQuota row in outcome.Current.Rows.Where(r => keys.Contains($"{r.Service}.{r.Resource}") || IsUnifiedOfTarget(r)))
                        {
                            WriteObject(row);
                        }
                    }

                    return;
                }

                foreach (string note in outcome.Written.Notes)
                {
                    WriteWarning(note);
                }

                WriteVerbose($"Set quotas of tenant '{project.Name}': {string.Join("; ", outcome.Changes.Select(c => c.Describe()))}. Read back: every value as asked.");
                if (PassThru)
                {
                    foreach (VdcQuota row in outcome.Written.Rows)
                    {
                        WriteObject(row);
                    }
                }
            }
            catch (PipelineStoppedException)
            {
                Journal(_context, project.Name, "Stopped", before, null, "Stopped by the user; the writes were rolled back.");
                throw;
            }
            catch (Exception e)
            {
                Journal(_context, project.Name, "Failed", before, after, ErrorFactory.Unwrap(e).Message);
                WriteError(TenantError(e, label));
            }
        }

        private bool IsUnifiedOfTarget(VdcQuota row)
            => row.Source == QuotaRows.SourceKeystone
               && _targets.Any(t => t.Service == row.Service && UnifiedLimitNames.UnifiedFor(t.Service, t.Key) == row.Resource);

        /// <summary>The typed parameters that were given, as (service, key, value).</summary>
        private IEnumerable<QuotaTarget> Typed()
        {
            var map = new (long? Value, string Service, string Key)[]
            {
                (Cores, QuotaResources.Compute, "cores"),
                (RamMB, QuotaResources.Compute, "ram"),
                (Instances, QuotaResources.Compute, "instances"),
                (Volumes, QuotaResources.BlockStorage, "volumes"),
                (Gigabytes, QuotaResources.BlockStorage, "gigabytes"),
                (Snapshots, QuotaResources.BlockStorage, "snapshots"),
                (Networks, QuotaResources.Network, "network"),
                (Subnets, QuotaResources.Network, "subnet"),
                (Ports, QuotaResources.Network, "port"),
                (Routers, QuotaResources.Network, "router"),
                (FloatingIps, QuotaResources.Network, "floatingip"),
                (SecurityGroups, QuotaResources.Network, "security_group"),
                (SecurityGroupRules, QuotaResources.Network, "security_group_rule"),
            };
            return map.Where(m => m.Value.HasValue).Select(m => new QuotaTarget(m.Service, m.Key, m.Value!.Value));
        }
    }
}
