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
        public const string EndpointNotFound = nameof(EndpointNotFound);
        public const string ServiceUnreachable = nameof(ServiceUnreachable);
        public const string CertificateInvalid = nameof(CertificateInvalid);
        public const string ContextNotFound = nameof(ContextNotFound);

        // generic remote failures
        public const string OpenStackRequestFailed = nameof(OpenStackRequestFailed);
        public const string OperationTimedOut = nameof(OperationTimedOut);
    }
}
