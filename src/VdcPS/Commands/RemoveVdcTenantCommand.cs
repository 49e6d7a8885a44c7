using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Terminates tenants: deletes everything the project owns in dependency order, the role
    /// assignments, the tenant's user and its quotas, and keeps the project disabled and renamed
    /// (vdcps-terminated-&lt;id&gt;) with its record, so that the last period can still be billed and
    /// the name is free again. -Purge deletes such a kept record for good. An interrupted
    /// termination is finished by running the command again; a terminated tenant is left as it is.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "VdcTenant", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(VdcTenant))]
    public sealed class RemoveVdcTenantCommand : VdcTenantTargetCmdlet
    {
        /// <summary>Do not ask for confirmation (like -Confirm:$false). It never leaves resources behind.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Remove the tenant but leave what its project owns (servers, volumes, networks...) without an owner.</summary>
        [Parameter]
        public SwitchParameter LeaveResources { get; set; }

        /// <summary>Delete the kept record (the disabled project) of a terminated tenant for good, after its last invoice.</summary>
        [Parameter]
        public SwitchParameter Purge { get; set; }

        /// <summary>Emit the tenant as it is afterwards (State Terminated); with -Purge, as it was before.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Begin()
        {
            if (Purge && LeaveResources)
            {
                ThrowTerminating(new ArgumentException("-Purge deletes the record of a tenant that is terminated already (nothing is left to leave); -LeaveResources belongs to a termination. Use one of them."),
                    ErrorIds.TenantInputInvalid, ErrorCategory.InvalidArgument, null, "Terminate with Remove-VdcTenant [-LeaveResources], bill the last period, then Remove-VdcTenant -Purge.");
            }

            base.Begin();
        }

        // -Force also means "do not ask" (runbooks); -WhatIf still only shows what would happen.
        private bool Confirmed(string what, string action)
        {
            bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && ((SwitchParameter)w).IsPresent;
            return (!whatIf && Force) || ShouldProcess(what, action);
        }

        protected override void ProcessRecord()
        {
            VdcContext context = ResolveContext();
            var service = new TenantService(context);
            foreach (var target in Targets())
            {
                if (Purge)
                {
                    foreach (TenantRecord kept in ResolveForPurge(service, target))
                    {
                        PurgeOne(context, service, kept, target.Label);
                    }

                    continue;
                }

                TenantRecord? project = ResolveForRemove(service, target);
                if (project == null)
                {
                    continue;
                }

                if (project.State == VdcTenantState.Terminated)
                {
                    WarnTerminated(project);
                    continue;
                }

                Terminate(context, service, project, target.Label);
            }
        }

        private void WarnTerminated(TenantRecord project)
            => WriteWarning($"Tenant '{project.TenantName}' ({project.Id}) was terminated at {project.TerminatedAtText}: nothing to do. "
                            + $"Its record is kept as project '{project.Name}' for the last invoice; Remove-VdcTenant -Id {project.Id} -Purge deletes it for good.");

        /// <summary>A live tenant by id or name; for a name no live project has, the terminated tenant of that name (a rerun).</summary>
        private TenantRecord? ResolveForRemove(TenantService service, (string? Id, string? Name, string Label) target)
        {
            if (target.Id != null)
            {
                return Resolve(service, target);
            }

            TenantRecord? live;
            IReadOnlyList<TenantRecord> terminated = Array.Empty<TenantRecord>();
            try
            {
                live = RunAsync((_, ct) => service.FindAsync(null, target.Name, DomainId, ct));
                if (live == null)
                {
                    terminated = RunAsync((_, ct) => service.FindTerminatedAsync(target.Name!, DomainId, ct));
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                WriteError(TenantError(e, target.Label));
                return null;
            }

            return live == null && terminated.Count > 0 ? terminated[terminated.Count - 1] : Accept(live, target);
        }

        /// <summary>The kept records to purge: by id the one project; by name every terminated tenant that had the name.</summary>
        private IEnumerable<TenantRecord> ResolveForPurge(TenantService service, (string? Id, string? Name, string Label) target)
        {
            if (target.Id != null)
            {
                TenantRecord? project = Resolve(service, target);
                return project == null ? Enumerable.Empty<TenantRecord>() : new[] { project };
            }

            IReadOnlyList<TenantRecord> terminated;
            TenantRecord? live = null;
            try
            {
                terminated = RunAsync((_, ct) => service.FindTerminatedAsync(target.Name!, DomainId, ct));
                if (terminated.Count == 0)
                {
                    live = RunAsync((_, ct) => service.FindAsync(null, target.Name, DomainId, ct));
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                WriteError(TenantError(e, target.Label));
                return Enumerable.Empty<TenantRecord>();
            }

            if (terminated.Count > 0)
            {
                return terminated;
            }

            TenantRecord? accepted = Accept(live, target);
            if (accepted != null)
            {
                // a live tenant of that name and no terminated one: PurgeOne refuses it with TenantNotTerminated
                return new[] { accepted };
            }

            return Enumerable.Empty<TenantRecord>();
        }

        private void PurgeOne(VdcContext context, TenantService service, TenantRecord project, string label)
        {
            string name = project.TenantName;
            VdcTenantState state = project.State;
            if (state != VdcTenantState.Terminated)
            {
                WriteError(new InvalidOperationException($"Tenant '{name}' ({project.Id}) is {TenantRecord.StateText(state)}: -Purge deletes only the kept record of a terminated tenant. Nothing was changed."),
                    ErrorIds.TenantNotTerminated, ErrorCategory.InvalidOperation, label,
                    "Terminate it first with Remove-VdcTenant (without -Purge), rate its last period with Measure-VdcCharge, then purge it.");
                return;
            }

            string what = $"record of terminated tenant '{name}' ({project.Id}, kept as project '{project.Name}', terminated {project.TerminatedAtText}, "
                          + $"customer '{project.CustomerId}') in {context.Name}: its last period can no longer be rated from the cloud";
            if (!Confirmed(what, "Purge"))
            {
                return;
            }

            try
            {
                Action<TenantChange> journal = JournalWhileHeld<TenantChange>(context, name, c => c.Changed ? ("Purged", c.Before.Snapshot(), null) : ((string, AuditSnapshot?, AuditSnapshot?)?)null);
                TenantChange change = RunAsync((_, ct) => service.PurgeAsync(project, ct, journal));
                if (PassThru)
                {
                    WriteObject(change.Before.ToTenant(context.Name));
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                Journal(context, name, "Failed", project.Snapshot(), null, ErrorFactory.Unwrap(e).Message);
                WriteError(TenantError(e, label));
            }
        }

        private void Terminate(VdcContext context, TenantService service, TenantRecord project, string label)
        {
            IReadOnlyList<TenantResource> owned;
            try
            {
                owned = RunAsync((_, ct) => service.InventoryAsync(project, ct));
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

            string what = $"tenant '{project.Name}' ({project.Id}, plan '{project.Plan}', customer '{project.CustomerId}') in {context.Name}";
            if (owned.Count > 0)
            {
                string kinds = string.Join(", ", owned.GroupBy(o => o.Kind).Select(g => $"{g.Count()} {g.Key}"));
                what += LeaveResources
                    ? $", leaving {owned.Count} resource(s) without an owner ({kinds})"
                    : $", deleting everything it owns first: {owned.Count} resource(s) ({kinds}):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", owned)}";
            }

            what += $"; its record stays (disabled, as project '{TenantTerminationRecord.ProjectNameFor(project.Id)}') for the last invoice until -Purge";
            if (!Confirmed(what, "Remove"))
            {
                return;
            }

            try
            {
                Action<TenantChange> journal = JournalWhileHeld<TenantChange>(context, project.Name, c => c.Changed ? ("Removed", c.Before.Snapshot(), c.After.Snapshot()) : ((string, AuditSnapshot?, AuditSnapshot?)?)null,
                    owned.Count == 0 ? null
                    : LeaveResources ? $"Removed with -LeaveResources; left without owner: {string.Join(", ", owned)}"
                    : $"Deleted {owned.Count} resource(s): {string.Join(", ", owned)}");
                TenantChange change = RunAsync((_, ct) => service.RemoveAsync(project, ct, journal, deleteResources: !LeaveResources));
                TenantNameCompleter.Forget(context, project.Name);
                if (!change.Changed)
                {
                    WarnTerminated(change.After);
                }

                if (PassThru)
                {
                    WriteObject(change.After.ToTenant(context.Name));
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                Journal(context, project.Name, "Failed", project.Snapshot(), null, ErrorFactory.Unwrap(e).Message);
                WriteError(TenantError(e, label));
            }
        }
    }
}
