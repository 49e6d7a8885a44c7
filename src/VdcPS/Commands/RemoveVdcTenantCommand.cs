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
    /// Removes tenants: role assignments, the tenant's user, its quotas and the project. Refuses
    /// while the project still owns servers, volumes, networks or other resources (and lists them)
    /// unless -Force. An interrupted removal is finished by running the command again.
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

        /// <summary>Emit the tenant as it was before removal.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            VdcContext context = ResolveContext();
            var service = new TenantService(context);
            foreach (var target in Targets())
            {
                TenantRecord? project = Resolve(service, target);
                if (project == null)
                {
                    continue;
                }

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
                    WriteError(TenantError(e, target.Label));
                    continue;
                }

                string what = $"tenant '{project.Name}' ({project.Id}, plan '{project.Plan}', customer '{project.CustomerId}') in {context.Name}";
                if (owned.Count > 0)
                {
                    string kinds = string.Join(", ", owned.GroupBy(o => o.Kind).Select(g => $"{g.Count()} {g.Key}"));
                    what += LeaveResources
                        ? $", leaving {owned.Count} resource(s) without an owner ({kinds})"
                        : $", deleting everything it owns first: {owned.Count} resource(s) ({kinds}):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", owned)}";
                }

                // -Force also means "do not ask" (runbooks); -WhatIf still only shows what would happen.
                bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && ((SwitchParameter)w).IsPresent;
                if ((whatIf || !Force) && !ShouldProcess(what, "Remove"))
                {
                    continue;
                }

                try
                {
                    Action<TenantChange> journal = JournalWhileHeld<TenantChange>(context, project.Name, c => ("Removed", c.Before.Snapshot(), null),
                        owned.Count == 0 ? null
                        : LeaveResources ? $"Removed with -LeaveResources; left without owner: {string.Join(", ", owned)}"
                        : $"Deleted {owned.Count} resource(s): {string.Join(", ", owned)}");
                    RunAsync((_, ct) => service.RemoveAsync(project, ct, journal, deleteResources: !LeaveResources));
                    TenantNameCompleter.Forget(context, project.Name);
                    if (PassThru)
                    {
                        WriteObject(project.ToTenant(context.Name));
                    }
                }
                catch (PipelineStoppedException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    Journal(context, project.Name, "Failed", project.Snapshot(), null, ErrorFactory.Unwrap(e).Message);
                    WriteError(TenantError(e, target.Label));
                }
            }
        }
    }
}
