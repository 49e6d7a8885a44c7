using System.Management.Automation;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>Resumes suspended tenants: enables the project and its user, and records the time for billing.</summary>
    [Cmdlet(VerbsLifecycle.Resume, "VdcTenant", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VdcTenant))]
    public sealed class ResumeVdcTenantCommand : VdcTenantTargetCmdlet
    {
        /// <summary>Emit the changed tenant.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => TenantStateChange.Run(this, suspend: false, PassThru.IsPresent);
    }
}
