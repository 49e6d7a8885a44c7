using System.Collections.Concurrent;
using System.Management.Automation;
using VdcPS.Internal;

namespace VdcPS.Tests.TestSupport
{
    /// <summary>Collects what deep layers write through <see cref="OperationLog"/>.</summary>
    internal sealed class CapturingOutput : ICmdletOutput
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Verbose(string message) => Lines.Enqueue("VERBOSE: " + message);
        public void Debug(string message) => Lines.Enqueue("DEBUG: " + message);
        public void Warning(string message) => Lines.Enqueue("WARNING: " + message);
        public void Progress(ProgressRecord record) => Lines.Enqueue("PROGRESS: " + record.Activity + " " + record.StatusDescription);
        public void Object(object value) => Lines.Enqueue("OBJECT: " + value);
        public void Error(ErrorRecord record) => Lines.Enqueue("ERROR: " + record);

        public string All => string.Join("\n", Lines);
    }
}
