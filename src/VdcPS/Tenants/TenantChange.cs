using VdcPS.Openstack.Identity;

namespace VdcPS.Tenants
{
    /// <summary>What a change under the lease did: the project before (as read under the lease) and after.</summary>
    internal sealed class TenantChange
    {
        public TenantChange(ProjectDto before, ProjectDto after, bool changed)
        {
            Before = new TenantRecord(before);
            After = new TenantRecord(after);
            Changed = changed;
        }

        public TenantRecord Before { get; }

        public TenantRecord After { get; }

        /// <summary>False when there was nothing left to do (another run had done it meanwhile).</summary>
        public bool Changed { get; }

        public bool PlanChanged { get; set; }
    }
}
