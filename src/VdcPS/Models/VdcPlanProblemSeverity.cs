namespace VdcPS.Models
{
    /// <summary>How bad a problem of a plan catalog is.</summary>
    public enum VdcPlanProblemSeverity
    {
        /// <summary>The catalog cannot be used: Get-VdcPlan refuses it until it is fixed.</summary>
        Error,

        /// <summary>The catalog can be used, but something looks wrong (for example a quota key modern clouds ignore).</summary>
        Warning,

        /// <summary>
        /// Test-VdcPlan -Context only: the connected cloud cannot measure this rate (no meter, no
        /// Gnocchi resource type, an unknown volume type), so the price would bill nothing.
        /// </summary>
        Unmeasured,
    }
}
