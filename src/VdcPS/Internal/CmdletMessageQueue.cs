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

    /// <summary>
    /// Queue of pending writes, drained on the pipeline thread by <c>VdcCmdlet.RunAsync</c>. It is
    /// bounded: work that produces faster than the pipeline consumes (a whole cloud's usage into a
    /// slow ForEach-Object or Export-Csv) waits for room instead of piling every row up in memory.
    /// Only the work may wait here, never the pipeline thread, which only drains.
    /// </summary>
    internal sealed class CmdletMessageQueue : ICmdletOutput, IDisposable
    {
        /// <summary>Messages waiting at most; enough to keep the pipeline busy while the work reads ahead.</summary>
        internal const int DefaultCapacity = 512;

        private readonly BlockingCollection<Action<Cmdlet>> _queue;

        public CmdletMessageQueue(int capacity = DefaultCapacity)
        {
            _queue = new BlockingCollection<Action<Cmdlet>>(Math.Max(1, capacity));
        }

        /// <summary>Messages waiting to be written.</summary>
        internal int Count => _queue.Count;

        public void Verbose(string message) => Post(c => c.WriteVerbose(message));
        public void Debug(string message) => Post(c => c.WriteDebug(message));
        public void Warning(string message) => Post(c => c.WriteWarning(message));
        public void Progress(ProgressRecord record) => Post(c => c.WriteProgress(record));
        public void Object(object value) => Post(c => c.WriteObject(value));
        public void Error(ErrorRecord record) => Post(c => c.WriteError(record));

        /// <summary>
        /// No more messages: the drain ends once the queue is empty, and work waiting for room is
        /// released (its message dropped) - the drain calls this when writing failed, so a producer
        /// can never wait for a consumer that has gone.
        /// </summary>
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
            try
            {
                if (!_queue.IsAddingCompleted)
                {
                    _queue.Add(write);
                }
            }
            catch (InvalidOperationException)
            {
                // Completed between the check and the add, or while waiting for room (the cmdlet
                // has finished or its writing failed), or disposed (a late line from work that
                // outlived its cmdlet, such as a token renewal): drop the message.
            }
        }

        public void Dispose() => _queue.Dispose();
    }
}
