using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Quotas;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Changes a tenant: its plan (the quotas move to the new plan's defaults, never below what the
    /// tenant already uses while that fits the new plan), its customer id or its description.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "VdcTenant", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VdcTenant))]
    public sealed class SetVdcTenantCommand : VdcTenantTargetCmdlet
    {
        [Parameter]
        [ArgumentCompleter(typeof(PlanNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Plan { get; set; }

        [Parameter]
        [Alias("Customer")]
        [ValidateNotNullOrEmpty]
        public string? CustomerId { get; set; }

        [Parameter]
        public string? Description { get; set; }

        /// <summary>Change the plan even where current usage exceeds the new plan's maximum (the quota is set to that maximum).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            VdcContext context = ResolveContext();
            if (Plan == null && CustomerId == null && Description == null)
            {
                WriteError(new ArgumentException("Nothing to change: give -Plan, -CustomerId or -Description."), ErrorIds.TenantInputInvalid, ErrorCategory.InvalidArgument, null);
                return;
            }

            PlanDefinition? newPlan = null;
            if (Plan != null)
            {
                PlanCatalog catalog = LoadCatalog(CatalogPath, context);
                newPlan = catalog.Find(Plan);
                if (newPlan == null)
                {
                    WriteError(new ItemNotFoundException($"Plan '{Plan}' is not in the catalog {catalog.Path}."), ErrorIds.PlanNotFound, ErrorCategory.ObjectNotFound, Plan, "Get-VdcPlan lists the plans.");
                    return;
                }
            }

            var service = new TenantService(context);
            foreach (var target in Targets())
            {
                TenantRecord? project = Resolve(service, target);
                if (project == null)
                {
                    continue;
                }

                VdcTenantState state = project.State;
                if (state != VdcTenantState.Active && state != VdcTenantState.Suspended)
                {
                    WriteError(new InvalidOperationException($"Tenant '{project.Name}' is {TenantRecord.StateText(state)}: only an active or suspended tenant can be changed."),
                        ErrorIds.TenantStateInvalid, ErrorCategory.InvalidOperation, target.Label);
                    continue;
                }

                List<QuotaTarget>? quotas = null;
                string changes = string.Empty;
                if (newPlan != null && !string.Equals(newPlan.Name, project.Plan, StringComparison.OrdinalIgnoreCase))
                {
                    quotas = PlanQuotasFor(service, project, newPlan, target.Label);
                    if (quotas == null)
                    {
                        continue;
                    }

                    changes += $"plan '{project.Plan}' -> '{newPlan.Name}' ({string.Join(", ", quotas.Select(q => $"{q.Service}.{q.Key}={q.Value}"))}); ";
                }
                else if (newPlan != null)
                {
                    newPlan = null; // same plan: nothing to move
                }

                if (CustomerId != null)
                {
                    changes += $"customer '{project.CustomerId}' -> '{CustomerId}'; ";
                }

                if (Description != null)
                {
                    changes += "description; ";
                }

                if (changes.Length == 0)
                {
                    WriteVerbose($"Tenant '{project.Name}' is already on plan '{Plan}': nothing to change.");
                    if (PassThru)
                    {
                        WriteObject(project.ToTenant(context.Name));
                    }

                    continue;
                }

                if (!ShouldProcess($"tenant '{project.Name}' in {context.Name}: {changes.TrimEnd(' ', ';')}", "Set"))
                {
                    continue;
                }

                try
                {
                    PlanDefinition? plan = newPlan;
                    List<QuotaTarget>? planQuotas = quotas;
                    Action<TenantChange> journal = JournalWhileHeld<TenantChange>(context, project.Name, c =>
                    {
                        if (!c.Changed)
                        {
                            return null;
                        }

                        AuditSnapshot after = c.After.Snapshot();
                        if (c.PlanChanged && planQuotas != null)
                        {
                            after["quotas"] = QuotaTarget.Snapshot(planQuotas);
                        }

                        return ("Changed", c.Before.Snapshot(), after);
                    });
                    TenantChange done = RunAsync((_, ct) => service.ChangeAsync(project, plan, quotas, Description, CustomerId, ct, journal));
                    if (!done.Changed)
                    {
                        WriteWarning($"Tenant '{project.Name}' already has these values (read under its lease): nothing was changed.");
                    }

                    if (PassThru)
                    {
                        WriteObject(done.After.ToTenant(context.Name));
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

        /// <summary>
        /// The new plan's defaults, raised to current usage where the tenant already uses more (as long
        /// as the new maximum allows it). Usage above the new maximum refuses the change unless -Force.
        /// </summary>
        private List<QuotaTarget>? PlanQuotasFor(TenantService service, TenantRecord project, PlanDefinition plan, string label)
        {
            PlanQuotaMove move;
            try
            {
                move = RunAsync((_, ct) => service.QuotasForPlanAsync(project, plan, Force, ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                WriteError(TenantError(e, label));
                return null;
            }

            foreach (string warning in move.Warnings)
            {
                WriteWarning(warning);
            }

            List<string> problems = move.Problems;
            if (problems.Count > 0)
            {
                WriteError(new InvalidOperationException($"Tenant '{project.Name}' cannot move to plan '{plan.Name}': {string.Join(" ", problems)}"),
                    ErrorIds.QuotaBelowUsage, ErrorCategory.LimitsExceeded, label, "Free the resources first, or use -Force to set the quotas to the plan's maximum anyway.");
                return null;
            }

            return move.Targets;
        }
    }
}
