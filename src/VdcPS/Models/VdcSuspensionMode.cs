namespace VdcPS.Models
{
    /// <summary>How far Suspend-VdcTenant goes (see about_VdcPS_Tenants and about_VdcPS_Billing).</summary>
    public enum VdcSuspensionMode
    {
        /// <summary>Disable the project and the tenant's user: no new token; servers keep running.</summary>
        Access,

        /// <summary>Access, and stop every running server and lock every server of the project.</summary>
        Stop,

        /// <summary>Access, and shelve (offload) every running or stopped server and lock it: the hosts are freed.</summary>
        Shelve,
    }
}
