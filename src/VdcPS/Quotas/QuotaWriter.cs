using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;
using VdcPS.Tenants;

namespace VdcPS.Quotas
{
    /// <summary>What a quota write left: the fresh rows of what changed, and notes for the user.</summary>
    internal sealed class QuotaWriteResult
    {
        public List<VdcQuota> Rows { get; } = new List<VdcQuota>();
        public List<string> Notes { get; } = new List<string>();
    }

    /// <summary>
    /// Writes planned quota changes: one request per service (all services at once), Keystone project
    /// limits for services with unified limits, then a fresh read of everything written, compared
    /// value by value — some clouds answer 200 and ignore the write (Nova with the unified-limits
    /// driver). Any failure or ignored value undoes every write of the run (previous limits back).
    /// </summary>
    internal sealed class QuotaWriter
    {
        private readonly IReadOnlyList<IQuotaApi> _apis;
        private readonly UnifiedLimitsState _unified;
        private readonly string _cloud;

        public QuotaWriter(IReadOnlyList<IQuotaApi> apis, UnifiedLimitsState unified, string cloud)
        {
            _apis = apis;
            _unified = unified;
            _cloud = cloud;
        }

        /// <summary>
        /// Writes, reads back, then runs <paramref name="commit"/> (recording the change on the
        /// tenant); a failure in any step, the commit included, undoes every write.
        /// </summary>
        public async Task<QuotaWriteResult> ApplyAsync(QuotaTenant tenant, IReadOnlyList<QuotaChange> changes, bool force, CancellationToken ct, Func<CancellationToken, Task>? commit = null)
        {
            var undo = new UndoLog();
            string step = "Writing the quotas";
            try
            {
                var writes = new List<Task>();
                foreach (IGrouping<string, QuotaChange> group in changes.Where(c => c.ServiceChanges).GroupBy(c => c.Service))
                {
                    writes.Add(WriteServiceAsync(Api(group.Key), tenant, group.ToList(), force, undo, ct));
                }

                List<QuotaChange> unified = changes.Where(c => c.UnifiedChanges).ToList();
                if (unified.Count > 0)
                {
                    writes.Add(WriteKeystoneAsync(tenant, unified, undo, ct));
                }

                await WhenAllThenFirstFailure(writes).ConfigureAwait(false);

                step = "Reading the quotas back";
                QuotaWriteResult result = await VerifyAsync(tenant, changes, ct).ConfigureAwait(false);
                if (commit != null)
                {
                    step = "Recording the quota change on the project";
                    await commit(ct).ConfigureAwait(false);
                }

                return result;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                RollbackReport report = await undo.RollbackAsync().ConfigureAwait(false);
                throw new VdcOperationFailedException(step, e, report);
            }
            catch (OperationCanceledException)
            {
                RollbackReport report = await undo.RollbackAsync().ConfigureAwait(false);
                OperationLog.Warning($"Stopped while writing the quotas of '{tenant.Label}'. {report}");
                throw;
            }
        }

        private IQuotaApi Api(string service) => _apis.First(a => a.Service == service);

        private static async Task WriteServiceAsync(IQuotaApi api, QuotaTenant tenant, List<QuotaChange> changes, bool force, UndoLog undo, CancellationToken ct)
        {
            var wanted = changes.ToDictionary(c => c.Key, c => c.After, StringComparer.Ordinal);
            var previous = changes.ToDictionary(c => c.Key, c => c.Before, StringComparer.Ordinal);
            bool belowUsage = changes.Any(c => c.After != -1 && c.After < c.InUse + c.Reserved);

            // Registered before the write: a write that times out after the service applied it is undone too.
            // Nova is restored with force: usage may have grown since, and restoring must not be refused.
            undo.Add($"{api.Service} quotas of '{tenant.Label}'", t => QuotaUndo.RestoreOwnAsync(api, tenant.Id, wanted, previous,
                (values, t2) => api is ComputeApi nova ? nova.SetForcedAsync(tenant.Id, values, t2) : api.SetAsync(tenant.Id, values, t2), t));
            if (force && belowUsage && api is ComputeApi compute)
            {
                await compute.SetForcedAsync(tenant.Id, wanted, ct).ConfigureAwait(false);
            }
            else
            {
                await api.SetAsync(tenant.Id, wanted, ct).ConfigureAwait(false);
            }

            OperationLog.Verbose($"Sent {api.Service} quotas of '{tenant.Label}' in one request: {string.Join(", ", changes.Select(c => $"{c.Key}={c.After.ToString(CultureInfo.InvariantCulture)}"))}.");
        }

        private async Task WriteKeystoneAsync(QuotaTenant tenant, List<QuotaChange> changes, UndoLog undo, CancellationToken ct)
        {
            LimitsApi api = _unified.ProjectLimits!;
            var creates = changes.Where(c => c.ProjectLimit == null).ToList();
            var updates = changes.Where(c => c.ProjectLimit != null).ToList();
            var work = new List<Task>();
            foreach (QuotaChange c in updates)
            {
                ProjectLimitDto old = c.ProjectLimit!;
                undo.Add($"Keystone limit {old.ResourceName} of '{tenant.Label}'", t => api.UpdateLimitAsync(old.Id, old.ResourceLimit, t));
                work.Add(api.UpdateLimitAsync(old.Id, c.After, ct));
            }

            if (creates.Count > 0)
            {
                // Keystone creates a list of limits in one request.
                work.Add(CreateAsync());
            }

            await WhenAllThenFirstFailure(work).ConfigureAwait(false);
            OperationLog.Verbose($"Wrote Keystone project limits of '{tenant.Label}': {string.Join(", ", changes.Select(c => $"{c.Registered!.ResourceName}={c.After.ToString(CultureInfo.InvariantCulture)}"))}.");

            async Task CreateAsync()
            {
                var created = await api.CreateLimitsAsync(
                    creates.Select(c => new NewProjectLimit(tenant.Id, c.Registered!.ServiceId, c.Registered.RegionId, c.Registered.ResourceName, c.After)).ToList(), ct).ConfigureAwait(false);
                foreach (ProjectLimitDto limit in created)
                {
                    undo.Add($"Keystone limit {limit.ResourceName} of '{tenant.Label}'", t => api.DeleteLimitAsync(limit.Id, t));
                }
            }
        }

        /// <summary>A fresh GET of every service written (and of Keystone), compared with what was asked.</summary>
        private async Task<QuotaWriteResult> VerifyAsync(QuotaTenant tenant, IReadOnlyList<QuotaChange> changes, CancellationToken ct)
        {
            var services = changes.Select(c => c.Service).Distinct().ToList();
            var reads = services.ToDictionary(s => s, s => Api(s).GetAsync(tenant.Id, ct));
            var keystoneServices = changes.Where(c => c.Registered != null && c.UnifiedWritable).Select(c => c.Service).Distinct().ToList();
            var keystoneReads = keystoneServices.ToDictionary(s => s, s => ReadOwnLimitsAsync(_unified.For(s)!, tenant.Id, ct));
            await Task.WhenAll(reads.Values.Cast<Task>().Concat(keystoneReads.Values)).ConfigureAwait(false);

            var result = new QuotaWriteResult();
            foreach (string service in services)
            {
                IReadOnlyDictionary<string, QuotaValue> fresh = reads[service].Result;
                IReadOnlyList<ProjectLimitDto> own = keystoneReads.TryGetValue(service, out var k) ? k.Result : Array.Empty<ProjectLimitDto>();
                List<QuotaChange> mine = changes.Where(c => c.Service == service).ToList();

                // Keystone first: a service that ignores the write is fine only when Keystone holds the value.
                var keystoneWrong = mine.Where(c => c.Registered != null && c.UnifiedWritable && EffectiveLimit(c.Registered, own) != c.After).ToList();
                if (keystoneWrong.Count > 0)
                {
                    throw new QuotaNotAppliedException("identity",
                        $"Keystone accepted the project limits but does not report them ({string.Join("; ", keystoneWrong.Select(c => $"{c.Registered!.ResourceName}: wanted {c.After}, Keystone has {EffectiveLimit(c.Registered, own)}"))}).");
                }

                var wrong = mine.Where(c => c.ServiceChanges && (!fresh.TryGetValue(c.Key, out QuotaValue v) || v.Limit != c.After)).ToList();
                var covered = wrong.Where(c => c.Registered != null && c.UnifiedWritable).ToList();
                var notApplied = wrong.Except(covered).ToList();
                // A value that is neither the one before nor ours was set by someone else meanwhile:
                // that is a concurrent writer, not a service that ignores writes (unified limits).
                var foreign = notApplied.Where(c => fresh.TryGetValue(c.Key, out QuotaValue v) && v.Limit != c.Before).ToList();
                if (foreign.Count > 0)
                {
                    throw new QuotaChangedConcurrentlyException(service,
                        $"Another writer changed the {service} quotas of '{tenant.Label}' at the same time: "
                        + string.Join("; ", foreign.Select(c => $"{c.Key} is {fresh[c.Key].Limit.ToString(CultureInfo.InvariantCulture)}, neither the value before ({c.Before.ToString(CultureInfo.InvariantCulture)}) nor the one written ({c.After.ToString(CultureInfo.InvariantCulture)})"))
                        + ". VdcPS's own changes of one tenant take turns, so the other writer is outside VdcPS (openstack CLI, dashboard, another tool).");
                }

                if (notApplied.Count > 0)
                {
                    var wanted = notApplied.ToDictionary(c => c.Key, c => c.After, StringComparer.Ordinal);
                    var answered = fresh.ToDictionary(f => f.Key, f => f.Value.Limit, StringComparer.Ordinal);
                    try
                    {
                        TenantService.VerifyWritten(service, wanted, answered);
                    }
                    catch (QuotaNotAppliedException e) when (notApplied.Any(c => c.Registered != null && !c.UnifiedWritable))
                    {
                        throw new QuotaNotAppliedException(service, e.Message + " " + _unified.NeedSystemScopeMessage);
                    }
                }

                if (covered.Count > 0)
                {
                    result.Notes.Add($"The {service} service answered the quota write for {string.Join(", ", covered.Select(c => c.Key))} but did not change it: "
                                     + "it takes its limits from Keystone unified limits, where the new values were written and read back.");
                }

                var changedKeys = new HashSet<string>(mine.Select(c => c.Key), StringComparer.Ordinal);
                result.Rows.AddRange(QuotaRows.FromService(tenant, service, fresh.Where(f => changedKeys.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value), null, _cloud));
                ServiceUnifiedLimits? unified = _unified.For(service);
                if (unified != null && keystoneReads.ContainsKey(service))
                {
                    var resources = new HashSet<string>(mine.Where(c => c.Registered != null).Select(c => c.Registered!.ResourceName), StringComparer.Ordinal);
                    var only = new ServiceUnifiedLimits(service, unified.ServiceIds, unified.Registered.Where(r => resources.Contains(r.ResourceName)).ToList());
                    result.Rows.AddRange(QuotaRows.FromKeystone(tenant, only, own, fresh, _cloud));
                }
            }

            return result;
        }

        private static long EffectiveLimit(RegisteredLimitDto registered, IReadOnlyList<ProjectLimitDto> own)
            => ServiceUnifiedLimits.ProjectLimitFor(registered, own)?.ResourceLimit ?? registered.DefaultLimit;

        private async Task<IReadOnlyList<ProjectLimitDto>> ReadOwnLimitsAsync(ServiceUnifiedLimits limits, string projectId, CancellationToken ct)
        {
            var own = new List<ProjectLimitDto>();
            foreach (string serviceId in limits.ServiceIds)
            {
                own.AddRange(await _unified.ProjectLimits!.ListLimitsAsync(projectId, serviceId, ct).ConfigureAwait(false));
            }

            return own;
        }

        private static async Task WhenAllThenFirstFailure(IReadOnlyCollection<Task> tasks)
        {
            // Wait for all, so every write that succeeded has registered its undo, then surface the first failure.
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                Exception? first = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
                throw first ?? new OperationCanceledException();
            }
        }
    }
}
