using System;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>The shared body of Suspend-VdcTenant and Resume-VdcTenant.</summary>
    internal static class TenantStateChange
    {
        internal static void Run(VdcTenantTargetCmdlet cmdlet, bool suspend, bool passThru, VdcSuspensionMode mode = VdcSuspensionMode.Access)
        {
            VdcContext context = cmdlet.ResolveContext();
            var service = new TenantService(context);
            string verb = suspend ? "Suspend" : "Resume";
            foreach (var target in cmdlet.Targets())
            {
                TenantRecord? project = cmdlet.Resolve(service, target);
                if (project == null)
                {
                    continue;
                }

                VdcTenantState state = project.State;
                VdcTenantState wanted = suspend ? VdcTenantState.Suspended : VdcTenantState.Active;
                // A suspension whose servers are not all held yet is finished by a rerun (the service checks each server).
                bool unfinished = suspend && state == wanted && project.HasSuspensionRecord;
                if (state == wanted && !unfinished)
                {
                    // A rerun of a runbook: nothing to do, and nothing recorded twice.
                    cmdlet.WriteWarning($"Tenant '{project.Name}' is already {TenantRecord.StateText(state)}: nothing was changed.");
                    if (passThru)
                    {
                        cmdlet.WriteObject(project.ToTenant(context.Name));
                    }

                    continue;
                }

                VdcTenantState from = suspend ? VdcTenantState.Active : VdcTenantState.Suspended;
                if (state != from)
                {
                    cmdlet.WriteError(new InvalidOperationException($"Tenant '{project.Name}' is {TenantRecord.StateText(state)}; only a{(suspend ? "n active" : " suspended")} tenant can be {(suspend ? "suspended" : "resumed")}."),
                        ErrorIds.TenantStateInvalid, ErrorCategory.InvalidOperation, target.Label,
                        state == VdcTenantState.Provisioning ? "Complete it first by running New-VdcTenant again." : null);
                    continue;
                }

                string action = suspend && mode != VdcSuspensionMode.Access ? $"{verb} (mode {mode}: {(mode == VdcSuspensionMode.Stop ? "stop" : "shelve")} and lock its servers)" : verb;
                if (!cmdlet.ShouldProcess($"tenant '{project.Name}' ({project.Id}) in {context.Name}", action))
                {
                    continue;
                }

                try
                {
                    Action<TenantChange> journal = cmdlet.JournalWhileHeld<TenantChange>(context, project.Name, c => c.Changed
                        ? (suspend ? "Suspended" : "Resumed", c.Before.Snapshot(), c.After.Snapshot())
                        : ((string, AuditSnapshot?, AuditSnapshot?)?)null);
                    TenantChange done = cmdlet.RunAsync((_, ct) => service.SetSuspendedAsync(project, suspend, ct, journal, mode));
                    if (!done.Changed && unfinished)
                    {
                        cmdlet.WriteVerbose($"Tenant '{project.Name}' was already suspended: its servers are now held as its suspension recorded.");
                    }
                    else if (!done.Changed)
                    {
                        cmdlet.WriteWarning($"Tenant '{project.Name}' was {TenantRecord.StateText(wanted)} by another run meanwhile: nothing was changed.");
                    }

                    if (passThru)
                    {
                        cmdlet.WriteObject(done.After.ToTenant(context.Name));
                    }
                }
                catch (PipelineStoppedException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    cmdlet.Journal(context, project.Name, "Failed", project.Snapshot(), null, ErrorFactory.Unwrap(e).Message);
                    cmdlet.WriteError(cmdlet.TenantError(e, target.Label));
                }
            }
        }
    }
}
