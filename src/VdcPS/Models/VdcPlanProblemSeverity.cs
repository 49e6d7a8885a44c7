namespace VdcPS.Models
{
    /// <summary>How bad a problem of a plan catalog is.</summary>
    public enum VdcPlanProblemSeverity
    {
        /// <summary>The catalog cannot be used: Get-VdcPlan refuses it until it is fixed.</summary>
        Error,

        /// <summary>The catalog can be used, but something looks wrong (for example a quota key modern clouds ignore).</summary>
        Warning,
    }
}
