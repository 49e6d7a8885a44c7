using System;
using System.Collections.Concurrent;
using System.Management.Automation;

namespace VdcPS.Internal
{
    /// <summary>
    /// What asynchronous work may say while it runs off the pipeline thread. Every call only queues
    /// a message; the pipeline thread writes it (PowerShell's Write* methods must not be called from
    /// any other thread).
    /// </summary>
    internal interface ICmdletOutput
    {
        void Verbose(string message);
        void Debug(string message);
        void Warning(string message);
        void Progress(ProgressRecord record);
        void Object(object value);
        void Error(ErrorRecord record);
    }

    /// <summary>Queue of pending writes, drained on the pipeline thread by <c>VdcCmdlet.RunAsync</c>.</summary>
    internal sealed class CmdletMessageQueue : ICmdletOutput, IDisposable
    {
        private readonly BlockingCollection<Action<Cmdlet>> _queue = new BlockingCollection<Action<Cmdlet>>();

        public void Verbose(string message) => Post(c => c.WriteVerbose(message));
        public void Debug(string message) => Post(c => c.WriteDebug(message));
        public void Warning(string message) => Post(c => c.WriteWarning(message));
        public void Progress(ProgressRecord record) => Post(c => c.WriteProgress(record));
        public void Object(object value) => Post(c => c.WriteObject(value));
        public void Error(ErrorRecord record) => Post(c => c.WriteError(record));

        internal void Complete() => _queue.CompleteAdding();

        /// <summary>Writes every message until <see cref="Complete"/> is called and the queue is empty.</summary>
        internal void Drain(Cmdlet cmdlet)
        {
            foreach (Action<Cmdlet> write in _queue.GetConsumingEnumerable())
            {
                write(cmdlet);
            }
        }

        private void Post(Action<Cmdlet> write)
        {
            if (!_queue.IsAddingCompleted)
            {
                try
                {
                    _queue.Add(write);
                }
                catch (InvalidOperationException)
                {
                    // Completed between the check and the add: the cmdlet has finished, drop it.
                }
            }
        }

        public void Dispose() => _queue.Dispose();
    }
}
