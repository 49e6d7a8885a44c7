using System;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;

namespace VdcPS.Tenants
{
    // TenantService, part: suspension and resumption (Suspend-/Resume-VdcTenant) (the class is described in TenantService.cs).
    internal sealed partial class TenantService
    {
        // ================================================================ suspend / resume
        /// <summary>
        /// Disables (or enables) the project and the tenant's user, and records the event; under the
        /// tenant's lease, on the record as read after taking it. Changed is false when another run
        /// had already brought the tenant into that state.
        /// </summary>
        public Task<TenantChange> SetSuspendedAsync(
            TenantRecord tenant, bool suspend, CancellationToken ct, Action<TenantChange>? whileHeld = null, VdcSuspensionMode mode = VdcSuspensionMode.Access)
            => Leases.RunAsync(tenant.Project, suspend ? "Suspend-VdcTenant" : "Resume-VdcTenant", (fresh, t) => SetSuspendedLeasedAsync(fresh, suspend, mode, t), ct, whileHeld);

        /// <summary>The suspension recorded on the project; a damaged record is an error that names it, never a guess.</summary>
        internal static SuspensionRecord? SuspensionOf(ProjectDto project)
        {
            try
            {
                return SuspensionRecord.Parse(project.ExtraString(SuspensionRecord.Key));
            }
            catch (FormatException e)
            {
                throw new TenantRecordDamagedException(project, new[] { (SuspensionRecord.Key, e.Message) });
            }
        }

        private async Task<TenantChange> SetSuspendedLeasedAsync(ProjectDto project, bool suspend, VdcSuspensionMode mode, CancellationToken ct)
        {
            TenantRecord.Validate(project);
            VdcTenantState state = TenantRecord.StateOf(project);
            VdcTenantState wanted = suspend ? VdcTenantState.Suspended : VdcTenantState.Active;
            SuspensionRecord? recorded = SuspensionOf(project);
            if (state == wanted)
            {
                if (suspend && recorded != null)
                {
                    // A rerun: finish what an interrupted suspension of the same mode left (every step is idempotent).
                    if (recorded.Mode != mode)
                    {
                        throw new TenantRefusedException(ErrorIds.TenantStateInvalid, System.Management.Automation.ErrorCategory.InvalidOperation,
                            $"Tenant '{project.Name}' is already suspended in mode {recorded.Mode}, not {mode}. Nothing was changed.",
                            $"Run Resume-VdcTenant first, or Suspend-VdcTenant -Mode {recorded.Mode} to finish that suspension.");
                    }

                    await HoldServersAsync(project, recorded, ct).ConfigureAwait(false);
                }

                return new TenantChange(project, project, changed: false);
            }

            if (state != (suspend ? VdcTenantState.Active : VdcTenantState.Suspended))
            {
                throw new TenantRefusedException(ErrorIds.TenantStateInvalid, System.Management.Automation.ErrorCategory.InvalidOperation,
                    $"Tenant '{project.Name}' is {TenantRecord.StateText(state)}; only a{(suspend ? "n active" : " suspended")} tenant can be {(suspend ? "suspended" : "resumed")}. Nothing was changed.");
            }

            DateTime now = DateTime.UtcNow;
            SuspensionRecord? suspension = null;
            if (suspend && mode != VdcSuspensionMode.Access)
            {
                // Chosen before anything changes and written with the state, so that any machine can finish or undo it.
                suspension = new SuspensionRecord(mode, now, await Suspension.PlanAsync(project.Id, mode, ct).ConfigureAwait(false));
            }
            else if (!suspend && recorded != null)
            {
                // The servers first: until they run again the tenant stays suspended, and a rerun goes on from here.
                try
                {
                    await Suspension.ReleaseAsync(recorded, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                {
                    throw new VdcOperationFailedException("Starting the servers the suspension held", e,
                        "The tenant is still suspended: run Resume-VdcTenant again to finish the resumption.");
                }
            }

            var undo = new UndoLog();
            string step = suspend ? "Disabling the project" : "Enabling the project";
            string plan = TenantRecord.PlanOf(project);
            TenantChange result;
            try
            {
                string writtenState = suspend ? "suspended" : "active";
                var change = new ProjectUpdateOptions { Enabled = !suspend };
                change.Extra[TenantRecord.StateKey] = writtenState;
                change.Extra[TenantRecord.SuspendedKey] = suspend ? TenantRecord.Format(now) : null;
                change.Extra[TenantRecord.HistoryKey] = TenantRecord.HistoryWith(project, new TenantEvent(now, suspend ? "suspended" : "resumed", plan));
                change.Extra[SuspensionRecord.Key] = suspension?.Format();
                ProjectDto updated = await _identity.UpdateProjectAsync(project.Id, change, ct).ConfigureAwait(false);
                undo.Add($"project '{project.Name}' state", async t =>
                {
                    // compare before undo: only while the project still shows what this run wrote
                    ProjectDto? current = await _identity.GetProjectAsync(project.Id, t).ConfigureAwait(false);
                    if (current == null || current.ExtraString(TenantRecord.StateKey) != writtenState || current.Enabled == project.Enabled)
                    {
                        throw new UndoSkippedException($"changed since by another writer (state '{current?.ExtraString(TenantRecord.StateKey)}')");
                    }

                    var restore = new ProjectUpdateOptions { Enabled = project.Enabled };
                    restore.Extra[TenantRecord.StateKey] = project.ExtraString(TenantRecord.StateKey);
                    restore.Extra[TenantRecord.SuspendedKey] = project.ExtraString(TenantRecord.SuspendedKey);
                    restore.Extra[TenantRecord.HistoryKey] = project.ExtraAsIs(TenantRecord.HistoryKey) ?? (object)Array.Empty<string>();
                    restore.Extra[SuspensionRecord.Key] = project.ExtraString(SuspensionRecord.Key);
                    await _identity.UpdateProjectAsync(project.Id, restore, t).ConfigureAwait(false);
                });

                string? userId = project.ExtraString(TenantRecord.UserIdKey);
                if (!string.IsNullOrEmpty(userId))
                {
                    step = suspend ? "Disabling the user" : "Enabling the user";
                    await _identity.UpdateUserAsync(userId!, new UserUpdateOptions { Enabled = !suspend }, ct).ConfigureAwait(false);
                }

                OperationLog.Verbose($"{(suspend ? "Suspended" : "Resumed")} tenant '{project.Name}' at {TenantRecord.Format(now)}{(suspension == null ? string.Empty : $" (mode {mode}, {suspension.Servers.Count} server(s))")}.");
                result = new TenantChange(project, updated, changed: true);
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

            // Access is cut and the record written: from here a failure (or Ctrl+C) rolls forward, never back.
            if (suspension != null)
            {
                await HoldServersAsync(result.After.Project, suspension, ct).ConfigureAwait(false);
            }

            return result;
        }

        /// <summary>
        /// Stops or shelves and locks the servers of a recorded suspension. The tenant is suspended
        /// already (access is cut), so a failure rolls forward, never back: a rerun finishes.
        /// </summary>
        private async Task HoldServersAsync(ProjectDto project, SuspensionRecord record, CancellationToken ct)
        {
            try
            {
                await Suspension.ApplyAsync(record, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw new VdcOperationFailedException($"Holding the servers of '{project.Name}' (mode {record.Mode})", e,
                    $"The tenant is suspended (access is cut): run Suspend-VdcTenant -Mode {record.Mode} again to finish, or Resume-VdcTenant to undo it.");
            }
        }

        private TenantSuspension Suspension => _suspension ??= new TenantSuspension(new ComputeApi(_session));
    }
}
