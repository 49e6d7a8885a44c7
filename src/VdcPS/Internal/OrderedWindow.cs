using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace VdcPS.Internal
{
    /// <summary>
    /// What one item's asynchronous work said (verbose, debug, warnings, errors), kept until the
    /// item's turn comes, then written on the pipeline thread: the messages of concurrent items
    /// do not interleave, and appear in input order with the item's output.
    /// </summary>
    internal sealed class BufferedOutput : ICmdletOutput
    {
        private readonly List<Action<Cmdlet>> _writes = new List<Action<Cmdlet>>();

        public void Verbose(string message) => Add(c => c.WriteVerbose(message));
        public void Debug(string message) => Add(c => c.WriteDebug(message));
        public void Warning(string message) => Add(c => c.WriteWarning(message));
        public void Progress(ProgressRecord record) => Add(c => c.WriteProgress(record));
        public void Object(object value) => Add(c => c.WriteObject(value));
        public void Error(ErrorRecord record) => Add(c => c.WriteError(record));

        /// <summary>How many messages wait to be written.</summary>
        public int Count
        {
            get
            {
                lock (_writes)
                {
                    return _writes.Count;
                }
            }
        }

        /// <summary>Writes everything, in the order it was said. Call on the pipeline thread only.</summary>
        public void Replay(Cmdlet cmdlet)
        {
            Action<Cmdlet>[] writes;
            lock (_writes)
            {
                writes = _writes.ToArray();
                _writes.Clear();
            }

            foreach (Action<Cmdlet> write in writes)
            {
                write(cmdlet);
            }
        }

        private void Add(Action<Cmdlet> write)
        {
            lock (_writes)
            {
                _writes.Add(write);
            }
        }
    }

    /// <summary>
    /// A bounded window of items in flight whose results are handed out in input order: items are
    /// started as they arrive, at most <see cref="Capacity"/> are pending, and the head is handed out
    /// as soon as it is done — so a long run streams its first results while later ones are still
    /// being read, and a slow item delays the output (never the reading) of the ones behind it.
    /// Used from the pipeline thread (<see cref="Start"/>, <see cref="TryTakeCompleted"/>,
    /// <see cref="TakeNext"/>: Get-VdcQuota, bulk New-VdcTenant) and from asynchronous code
    /// (<see cref="Add"/>, <see cref="TakeNextAsync"/>: Get-VdcUsage's tenant-by-tenant reads).
    /// </summary>
    internal sealed class OrderedWindow<T>
    {
        private readonly Queue<(Task<T> Work, BufferedOutput? Output)> _pending = new Queue<(Task<T>, BufferedOutput?)>();

        public OrderedWindow(int capacity)
        {
            Capacity = Math.Max(1, capacity);
        }

        public int Capacity { get; }

        public int Count => _pending.Count;

        public bool IsFull => _pending.Count >= Capacity;

        /// <summary>
        /// Starts an item's work on the thread pool with its own output buffer as the operation log
        /// (so HTTP debug lines of concurrent items stay apart). The work should not throw: a failure
        /// belongs in its result.
        /// </summary>
        public void Start(Func<CancellationToken, Task<T>> work, CancellationToken ct)
        {
            var output = new BufferedOutput();
            Task<T> task = Task.Run(
                () =>
                {
                    OperationLog.Current = output;
                    return work(ct);
                },
                ct);
            _pending.Enqueue((task, output));
        }

        /// <summary>Adds work that is already running and writes through the caller's own output (no buffer).</summary>
        public void Add(Task<T> work) => _pending.Enqueue((work, null));

        /// <summary>
        /// Awaits the head (the oldest item) and takes it: its result, or the exception its work ended
        /// with. Throws <see cref="InvalidOperationException"/> when the window is empty.
        /// </summary>
        public async Task<T> TakeNextAsync()
        {
            if (_pending.Count == 0)
            {
                throw new InvalidOperationException("The window is empty.");
            }

            Task<T> work = _pending.Dequeue().Work;
            return await work.ConfigureAwait(false);
        }

        /// <summary>True (with the result and its buffered messages) when the head is done; never blocks.</summary>
        public bool TryTakeCompleted(out T result, out BufferedOutput output)
        {
            if (_pending.Count > 0 && _pending.Peek().Work.IsCompleted)
            {
                return Take(CancellationToken.None, out result, out output);
            }

            result = default!;
            output = null!;
            return false;
        }

        /// <summary>Waits for the head and takes it. Throws <see cref="OperationCanceledException"/> when cancelled.</summary>
        public bool TakeNext(CancellationToken ct, out T result, out BufferedOutput output)
        {
            if (_pending.Count == 0)
            {
                result = default!;
                output = null!;
                return false;
            }

            return Take(ct, out result, out output);
        }

        private bool Take(CancellationToken ct, out T result, out BufferedOutput output)
        {
            (Task<T> work, BufferedOutput? buffer) = _pending.Peek();
            try
            {
                work.Wait(ct);
            }
            catch (AggregateException)
            {
                // surfaces below through GetResult with the original exception
            }

            _pending.Dequeue();
            output = buffer ?? new BufferedOutput();
            result = work.GetAwaiter().GetResult();
            return true;
        }
    }
}
