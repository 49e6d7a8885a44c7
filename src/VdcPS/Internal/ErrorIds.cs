namespace VdcPS.Internal
{
    /// <summary>
    /// Stable error identifiers. They are part of the public contract: runbooks match on them
    /// (<c>$_.FullyQualifiedErrorId -like 'TenantNotFound,*'</c>). Never build one from runtime data.
    /// </summary>
    internal static class ErrorIds
    {
        // connection
        public const string NoVdcContext = nameof(NoVdcContext);
        public const string CloudNotFound = nameof(CloudNotFound);
        public const string CloudConfigInvalid = nameof(CloudConfigInvalid);
        public const string AuthenticationFailed = nameof(AuthenticationFailed);
        public const string AuthOptionsInvalid = nameof(AuthOptionsInvalid);

        /// <summary>The auth URL answers, but not as Keystone (an HTML page, no token): Connect-VdcCloud.</summary>
        public const string NotKeystoneEndpoint = nameof(NotKeystoneEndpoint);
        public const string EndpointNotFound = nameof(EndpointNotFound);
        public const string ServiceUnreachable = nameof(ServiceUnreachable);
        public const string CertificateInvalid = nameof(CertificateInvalid);
        public const string ContextNotFound = nameof(ContextNotFound);
        public const string JournalNotFound = nameof(JournalNotFound);

        // tenants
        public const string TenantInputInvalid = nameof(TenantInputInvalid);
        public const string TenantNotFound = nameof(TenantNotFound);
        public const string TenantNotManaged = nameof(TenantNotManaged);
        public const string TenantNameTaken = nameof(TenantNameTaken);
        public const string TenantExists = nameof(TenantExists);
        public const string TenantBusy = nameof(TenantBusy);
        public const string TenantRecordDamaged = nameof(TenantRecordDamaged);
        public const string QuotaChangedConcurrently = nameof(QuotaChangedConcurrently);
        public const string TenantNotEmpty = nameof(TenantNotEmpty);
        public const string TenantStateInvalid = nameof(TenantStateInvalid);
        public const string TenantNotTerminated = nameof(TenantNotTerminated);
        public const string UserNameTaken = nameof(UserNameTaken);
        public const string RoleNotFound = nameof(RoleNotFound);
        public const string ExternalNetworkNotFound = nameof(ExternalNetworkNotFound);
        public const string TenantCheckFailed = nameof(TenantCheckFailed);
        public const string TenantOperationFailed = nameof(TenantOperationFailed);
        public const string QuotaOutOfPlan = nameof(QuotaOutOfPlan);
        public const string QuotaBelowUsage = nameof(QuotaBelowUsage);
        public const string QuotaNotApplied = nameof(QuotaNotApplied);

        // plan catalog
        public const string PlanCatalogNotFound = nameof(PlanCatalogNotFound);
        public const string PlanCatalogInvalid = nameof(PlanCatalogInvalid);
        public const string PlanCatalogUnreadable = nameof(PlanCatalogUnreadable);

        /// <summary>Test-VdcPlan -Context could not ask the cloud what it measures.</summary>
        public const string PlanMeterCheckFailed = nameof(PlanMeterCheckFailed);
        public const string PlanNotFound = nameof(PlanNotFound);

        // generic remote failures
        public const string OpenStackRequestFailed = nameof(OpenStackRequestFailed);
        public const string OperationTimedOut = nameof(OperationTimedOut);

        // quotas (Get-VdcQuota, Set-VdcQuota)
        public const string QuotaInputInvalid = nameof(QuotaInputInvalid);
        public const string QuotaResourceNotSupported = nameof(QuotaResourceNotSupported);
        public const string QuotaReadFailed = nameof(QuotaReadFailed);

        // usage
        public const string UsageTruncated = nameof(UsageTruncated);
        public const string UsagePeriodInvalid = nameof(UsagePeriodInvalid);
        public const string UsageQueryFailed = nameof(UsageQueryFailed);
        public const string UsageMetricInvalid = nameof(UsageMetricInvalid);
        public const string UsageInputInvalid = nameof(UsageInputInvalid);
    }
}
