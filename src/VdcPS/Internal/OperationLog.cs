using System.Threading;

namespace VdcPS.Internal
{
    /// <summary>
    /// The output of the cmdlet that started the current asynchronous operation, so that deep
    /// layers (HTTP, token renewal) can write debug and verbose lines to the right cmdlet without
    /// every method carrying it. Set by <c>VdcCmdlet.RunAsync</c>; flows with async calls.
    /// </summary>
    internal static class OperationLog
    {
        private static readonly AsyncLocal<ICmdletOutput?> CurrentOutput = new AsyncLocal<ICmdletOutput?>();

        internal static ICmdletOutput? Current
        {
            get => CurrentOutput.Value;
            set => CurrentOutput.Value = value;
        }

        internal static void Debug(string message) => CurrentOutput.Value?.Debug(message);

        internal static void Verbose(string message) => CurrentOutput.Value?.Verbose(message);

        internal static void Warning(string message) => CurrentOutput.Value?.Warning(message);
    }
}
