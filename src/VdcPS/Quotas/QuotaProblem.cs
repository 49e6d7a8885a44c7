namespace VdcPS.Quotas
{
    /// <summary>A reason Set-VdcQuota refuses a value, with its stable error id.</summary>
    internal sealed class QuotaProblem
    {
        public QuotaProblem(string errorId, string message)
        {
            ErrorId = errorId;
            Message = message;
        }

        public string ErrorId { get; }
        public string Message { get; }

        public override string ToString() => Message;
    }
}
