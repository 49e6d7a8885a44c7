using System;

namespace VdcPS.Tenants
{
    /// <summary>A tenant operation refused before anything changed; carries a stable error id.</summary>
    internal sealed class TenantRefusedException : Exception
    {
        public TenantRefusedException(string errorId, System.Management.Automation.ErrorCategory category, string message, string? recommendedAction = null)
            : base(message)
        {
            ErrorId = errorId;
            Category = category;
            RecommendedAction = recommendedAction;
        }

        public string ErrorId { get; }
        public System.Management.Automation.ErrorCategory Category { get; }
        public string? RecommendedAction { get; }
    }
}
