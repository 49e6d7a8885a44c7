using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Network;
using VdcPS.Plans;
using VdcPS.Quotas;

namespace VdcPS.Tenants
{
    /// <summary>
    /// The tenant lifecycle over Keystone, Nova, Cinder and Neutron. Every multi-step change keeps
    /// an <see cref="UndoLog"/>: a failure at any step undoes what this run did, so no half-made
    /// tenant is left; reruns complete what an interrupted run left (state "provisioning" or
    /// "removing" on the project).
    /// </summary>
    internal sealed partial class TenantService
    {
        /// <summary>How long a provisioning run holds its tenant against a second concurrent run.</summary>
        internal static TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

        private readonly KeystoneSession _session;
        private readonly IdentityApi _identity;
        private readonly IReadOnlyList<IQuotaApi> _quotaApis;
        private TenantSuspension? _suspension;
        private TenantTermination? _termination;

        /// <summary>The tenant service of a connection: it builds the Keystone, Nova, Cinder and Neutron clients it needs.</summary>
        public TenantService(VdcContext context)
            : this(context.Session)
        {
        }

        public TenantService(KeystoneSession session)
        {
            _session = session;
            _identity = new IdentityApi(session);
            _quotaApis = new IQuotaApi[] { new ComputeApi(session), new BlockStorageApi(session), new NetworkApi(session) };
            Leases = new TenantLeases(_identity);
        }

        /// <summary>The lease every change of an existing tenant runs under (see <see cref="TenantLeases"/>).</summary>
        internal TenantLeases Leases { get; }

        internal IdentityApi Identity => _identity;

        internal IReadOnlyList<IQuotaApi> QuotaApis => _quotaApis;

        // ================================================================ read
        public async Task<TenantRecord?> FindAsync(string? id, string? name, string domainId, CancellationToken ct)
        {
            ProjectDto? project = !string.IsNullOrEmpty(id)
                ? await _identity.GetProjectAsync(id!, ct).ConfigureAwait(false)
                : await _identity.FindProjectAsync(name!, domainId, ct).ConfigureAwait(false);
            return project == null ? null : new TenantRecord(project);
        }

        /// <summary>Every project (managed or not) of the domain (null: of every domain), filtered by Keystone.</summary>
        public async Task<IReadOnlyList<TenantRecord>> ListAsync(string? domainId, bool? enabled, string? namePrefix, CancellationToken ct)
            => (await _identity.ListProjectsAsync(domainId, enabled, namePrefix, ct).ConfigureAwait(false)).Select(p => new TenantRecord(p)).ToList();

        // ================================================================ change
        /// <summary>
        /// Changes plan (quotas to the new plan's values), description and customer, atomically, under
        /// the tenant's lease. A plan the tenant is already on (another run moved it meanwhile) is not
        /// moved again.
        /// </summary>
        public Task<TenantChange> ChangeAsync(
            TenantRecord tenant, PlanDefinition? newPlan, IReadOnlyList<QuotaTarget>? newQuotas, string? description, string? customerId, CancellationToken ct,
            Action<TenantChange>? whileHeld = null)
            => Leases.RunAsync(tenant.Project, "Set-VdcTenant", (fresh, t) => ChangeLeasedAsync(fresh, newPlan, newQuotas, description, customerId, t), ct, whileHeld);

        private async Task<TenantChange> ChangeLeasedAsync(
            ProjectDto project, PlanDefinition? newPlan, IReadOnlyList<QuotaTarget>? newQuotas, string? description, string? customerId, CancellationToken ct)
        {
            TenantRecord.Validate(project);
            VdcTenantState state = TenantRecord.StateOf(project);
            if (state != VdcTenantState.Active && state != VdcTenantState.Suspended)
            {
                throw new TenantRefusedException(ErrorIds.TenantStateInvalid, System.Management.Automation.ErrorCategory.InvalidOperation,
                    $"Tenant '{project.Name}' is {TenantRecord.StateText(state)}: only an active or suspended tenant can be changed. Nothing was changed.");
            }

            if (newPlan != null && string.Equals(newPlan.Name, TenantRecord.PlanOf(project), StringComparison.OrdinalIgnoreCase))
            {
                newPlan = null; // already there
                newQuotas = null;
            }

            var undo = new UndoLog();
            string step = "Changing the tenant";
            try
            {
                if (newPlan != null && newQuotas != null)
                {
                    step = $"Setting the quotas of plan '{newPlan.Name}'";
                    var work = _quotaApis.Select(api => ChangeQuotasAsync(api, project, newQuotas, undo, ct)).ToList();
                    await WhenAllOrFirstFailure(work).ConfigureAwait(false);
                }

                var change = new ProjectUpdateOptions();
                if (description != null && description != project.Description)
                {
                    change.Description = description;
                }

                if (customerId != null && customerId != project.ExtraString(TenantRecord.CustomerKey))
                {
                    change.Extra[TenantRecord.CustomerKey] = customerId;
                }

                if (newPlan != null)
                {
                    DateTime now = DateTime.UtcNow;
                    change.Extra[TenantRecord.PlanKey] = newPlan.Name;
                    change.Extra[TenantRecord.HistoryKey] = TenantRecord.HistoryWith(project, new TenantEvent(now, "plan-changed", newPlan.Name));
                    if (newQuotas != null && newQuotas.Count > 0)
                    {
                        change.Extra[QuotaHistory.Key] = QuotaHistory.With(project, QuotaHistory.Entry(now, QuotaHistory.SetTenant, QuotaValues(newQuotas)));
                    }
                }

                step = "Recording the change on the project";
                ProjectDto updated = change.IsEmpty ? project : await _identity.UpdateProjectAsync(project.Id, change, ct).ConfigureAwait(false);
                return new TenantChange(project, updated, changed: !change.IsEmpty) { PlanChanged = newPlan != null };
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw new VdcOperationFailedException(step, e, await undo.RollbackAsync().ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                await undo.RollbackAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>
        /// Records quota values that were just written (Set-VdcQuota, repair) in the project's quota
        /// history, read fresh so that a concurrent entry is kept. Returns the entry.
        /// </summary>
        public async Task<QuotaRecord> RecordQuotasAsync(string projectId, string source, IEnumerable<KeyValuePair<string, long>> values, CancellationToken ct)
        {
            ProjectDto project = await _identity.GetProjectAsync(projectId, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The project {projectId} disappeared before its quota change could be recorded.");
            QuotaRecord entry = QuotaHistory.Entry(DateTime.UtcNow, source, values);
            await _identity.UpdateProjectAsync(projectId, Extra(QuotaHistory.Key, QuotaHistory.With(project, entry)), ct).ConfigureAwait(false);
            OperationLog.Verbose($"Recorded the quota change in project '{project.Name}': {entry}.");
            return entry;
        }

        internal static IEnumerable<KeyValuePair<string, long>> QuotaValues(IEnumerable<QuotaTarget> targets)
            => targets.Select(t => new KeyValuePair<string, long>(t.Service + "." + t.Key, t.Value));

        private static async Task ChangeQuotasAsync(IQuotaApi api, ProjectDto project, IReadOnlyList<QuotaTarget> targets, UndoLog undo, CancellationToken ct)
        {
            IReadOnlyDictionary<string, long> wanted = QuotaTargetCalculator.ForService(targets, api.Service);
            if (wanted.Count == 0)
            {
                return;
            }

            IReadOnlyDictionary<string, QuotaValue> before = await api.GetAsync(project.Id, ct).ConfigureAwait(false);
            var previous = wanted.Keys.Where(before.ContainsKey).ToDictionary(k => k, k => before[k].Limit, StringComparer.Ordinal);
            undo.Add($"{api.Service} quotas of '{project.Name}'", t => QuotaUndo.RestoreOwnAsync(api, project.Id, wanted, previous, (values, t2) => api.SetAsync(project.Id, values, t2), t));
            IReadOnlyDictionary<string, long> answered = await api.SetAsync(project.Id, wanted, ct).ConfigureAwait(false);
            VerifyWritten(api.Service, wanted, answered);
        }

        /// <summary>
        /// The quotas a tenant gets on moving to <paramref name="plan"/>: the plan's defaults, raised to current
        /// usage where the tenant already uses more (as long as the plan's maximum allows it). Usage above
        /// the maximum is a problem, or with <paramref name="force"/> set to the maximum with a warning.
        /// </summary>
        public async Task<PlanQuotaMove> QuotasForPlanAsync(TenantRecord tenant, PlanDefinition plan, bool force, CancellationToken ct)
        {
            IReadOnlyDictionary<string, QuotaValue>[] usage = await Task.WhenAll(_quotaApis.Select(api => api.GetAsync(tenant.Id, ct))).ConfigureAwait(false);
            var byService = _quotaApis.Select((api, i) => (api.Service, Usage: usage[i])).ToDictionary(x => x.Service, x => x.Usage);
            var move = new PlanQuotaMove();
            foreach (PlanQuota q in plan.Quotas)
            {
                long used = byService.TryGetValue(q.Service, out var values) && values.TryGetValue(q.Resource, out QuotaValue v) ? v.InUse + v.Reserved : 0;
                long value = q.Default;
                if (value != -1 && used > value)
                {
                    if (q.Max == -1 || used <= q.Max)
                    {
                        value = used;
                    }
                    else if (force)
                    {
                        value = q.Max;
                        move.Warnings.Add($"Tenant '{tenant.Name}' uses {used} of {q.Service}.{q.Resource}, above the maximum {q.Max} of plan '{plan.Name}': set to {q.Max} (-Force).");
                    }
                    else
                    {
                        move.Problems.Add($"{q.Service}.{q.Resource}: the tenant uses {used}, plan '{plan.Name}' allows at most {q.Max}.");
                        continue;
                    }
                }

                move.Targets.Add(new QuotaTarget(q.Service, q.Resource, value));
            }

            return move;
        }

    }
}
