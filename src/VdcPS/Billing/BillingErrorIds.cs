namespace VdcPS.Billing
{
    /// <summary>
    /// Stable error ids of the billing cmdlets (part of the public contract, like
    /// <see cref="Internal.ErrorIds"/>). The rating's own issue ids are on <see cref="RatingEngine"/>.
    /// </summary>
    internal static class BillingErrorIds
    {
        public const string PeriodMissing = nameof(PeriodMissing);
        public const string PeriodInvalid = nameof(PeriodInvalid);
        public const string TenantHistoryInvalid = nameof(TenantHistoryInvalid);
        public const string TenantListFailed = nameof(TenantListFailed);
        public const string RatingEndpointNotFound = nameof(RatingEndpointNotFound);
        public const string RatingRequestFailed = nameof(RatingRequestFailed);
        public const string CurrencyUnknown = nameof(CurrencyUnknown);
        public const string InvoiceFileExists = nameof(InvoiceFileExists);
        public const string InvoiceFileConflict = nameof(InvoiceFileConflict);
        public const string InvoiceWriteFailed = nameof(InvoiceWriteFailed);
    }
}
