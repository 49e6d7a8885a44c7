using System.Management.Automation;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>
    /// Suspends tenants (for example for non-payment): disables the project and its user, so no
    /// new token can be used with it, and records the time for billing. -Mode Stop also stops and
    /// locks the servers; -Mode Shelve shelves (offloads) and locks them.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Suspend, "VdcTenant", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VdcTenant))]
    public sealed class SuspendVdcTenantCommand : VdcTenantTargetCmdlet
    {
        /// <summary>Access (default): disable project and user; Stop: also stop and lock the servers; Shelve: also shelve-offload and lock them.</summary>
        [Parameter]
        public VdcSuspensionMode Mode { get; set; } = VdcSuspensionMode.Access;

        /// <summary>Emit the changed tenant.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => TenantStateChange.Run(this, suspend: true, PassThru.IsPresent, Mode);
    }
}
