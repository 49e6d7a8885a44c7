using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Identity;

namespace VdcPS.Tenants
{
    /// <summary>
    /// What stays of a terminated tenant, and for how long. Termination deletes everything the
    /// tenant's project owns, its access and its user, but keeps the Keystone project itself:
    /// disabled, renamed to vdcps-terminated-&lt;project id&gt; (so the tenant's name is free for a new
    /// tenant at once), in state "terminated", with the original name (vdcps_original_name), the time
    /// its access ended (vdcps_terminated_at) and a "terminated" history event. Its record (history,
    /// quota history, plan, customer) is what Measure-VdcCharge rates the last period from, on any
    /// machine connected to the cloud. The project is deleted for good only by an explicit
    /// Remove-VdcTenant -Purge, after the last invoice. A disabled project with no user, no role
    /// assignment and nothing it owns costs nothing and grants nothing; Keystone is the one store every
    /// operator's machine already sees (no local file, no extra service).
    /// </summary>
    internal static class TenantTerminationRecord
    {
        /// <summary>The name prefix of kept projects of terminated tenants.</summary>
        public const string NamePrefix = "vdcps-terminated-";

        /// <summary>Keystone project names have at most 64 characters; prefix (17) + a 32-character id fits.</summary>
        public static string ProjectNameFor(string projectId)
        {
            string name = NamePrefix + projectId;
            return name.Length <= 64 ? name : name.Substring(0, 64);
        }

        /// <summary>
        /// The first write of a removal: the project is disabled (no new token for it), marked removing,
        /// and the moment its access ended is kept (a rerun keeps the first run's time: billing stops
        /// there, however late the rerun finishes).
        /// </summary>
        public static ProjectUpdateOptions MarkRemoving(ProjectDto project, DateTime now)
        {
            var update = new ProjectUpdateOptions { Enabled = false };
            update.Extra[TenantRecord.StateKey] = "removing";
            update.Extra[TenantRecord.TerminatedKey] = TenantRecord.Format(TenantRecord.TerminatedAt(project) ?? now);
            return update;
        }

        /// <summary>Whether the first write of a removal is still to do (or was done by a version that kept no time).</summary>
        public static bool NeedsMarking(ProjectDto project)
            => TenantRecord.StateOf(project) != VdcTenantState.Removing || TenantRecord.TerminatedAt(project) == null || project.Enabled;

        /// <summary>
        /// The last write of a termination, in one PATCH: renamed, disabled, state terminated, the
        /// original name kept, the history closed with a "terminated" event at the time access ended.
        /// </summary>
        public static ProjectUpdateOptions Commit(ProjectDto project, DateTime terminatedAt)
        {
            string plan = TenantRecord.PlanOf(project);
            var update = new ProjectUpdateOptions { Name = ProjectNameFor(project.Id), Enabled = false };
            update.Extra[TenantRecord.StateKey] = "terminated";
            update.Extra[TenantRecord.OriginalNameKey] = TenantRecord.NameOf(project);
            update.Extra[TenantRecord.TerminatedKey] = TenantRecord.Format(terminatedAt);
            update.Extra[TenantRecord.LeaseKey] = null;
            IEnumerable<TenantEvent> events = TenantRecord.History(project).Where(e => e.Kind != Billing.TenantTimeline.Terminated)
                .Concat(new[] { new TenantEvent(terminatedAt, Billing.TenantTimeline.Terminated, plan) });
            update.Extra[TenantRecord.HistoryKey] = events.Select(e => e.ToRecord()).ToList();
            return update;
        }

        /// <summary>
        /// The kept projects of terminated tenants that were named <paramref name="name"/>, oldest
        /// termination first (a name can be terminated, reused and terminated again).
        /// </summary>
        public static async Task<IReadOnlyList<ProjectDto>> FindAsync(IdentityApi identity, string name, string domainId, CancellationToken ct)
        {
            IReadOnlyList<ProjectDto> kept = await identity.ListProjectsAsync(domainId, null, NamePrefix, ct).ConfigureAwait(false);
            return kept
                .Where(p => TenantRecord.IsManaged(p)
                            && string.Equals(p.ExtraString(TenantRecord.OriginalNameKey), name, StringComparison.OrdinalIgnoreCase)
                            && string.Equals(p.ExtraString(TenantRecord.StateKey), "terminated", StringComparison.Ordinal))
                .OrderBy(p => p.ExtraString(TenantRecord.TerminatedKey), StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>
        /// Deletes the kept project of a terminated tenant for good (Remove-VdcTenant -Purge). Refuses
        /// any other state: a live tenant is terminated first (and billed), never purged in one step.
        /// </summary>
        public static async Task<bool> PurgeAsync(IdentityApi identity, ProjectDto project, CancellationToken ct)
        {
            VdcTenantState state = TenantRecord.StateOf(project);
            if (state != VdcTenantState.Terminated)
            {
                throw new TenantRefusedException(ErrorIds.TenantNotTerminated, System.Management.Automation.ErrorCategory.InvalidOperation,
                    $"Tenant '{TenantRecord.NameOf(project)}' ({project.Id}) is {TenantRecord.StateText(state)}: -Purge deletes only the kept record of a terminated tenant. Nothing was changed.",
                    "Terminate it first with Remove-VdcTenant (without -Purge), rate its last period with Measure-VdcCharge, then purge it.");
            }

            bool existed = await identity.DeleteProjectAsync(project.Id, ct).ConfigureAwait(false);
            OperationLog.Verbose($"Purged the record of terminated tenant '{TenantRecord.NameOf(project)}' (project {project.Name}, {project.Id}).");
            return existed;
        }
    }
}
