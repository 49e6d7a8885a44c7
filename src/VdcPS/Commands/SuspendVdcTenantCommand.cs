using System.Management.Automation;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>
    /// Suspends tenants (for example for non-payment): disables the project and its user, so no
    /// new token can be used with it, and records the time for billing. Running servers keep running.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Suspend, "VdcTenant", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VdcTenant))]
    public sealed class SuspendVdcTenantCommand : VdcTenantTargetCmdlet
    {
        /// <summary>Emit the changed tenant.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => TenantStateChange.Run(this, suspend: true, PassThru.IsPresent);
    }
}
