using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;

namespace VdcPS.Commands
{
    /// <summary>
    /// Base of every VdcPS cmdlet: cancellation on Ctrl+C, asynchronous work run off the pipeline
    /// thread with its output written on it, and error records with stable ids.
    /// </summary>
    public abstract class VdcCmdlet : PSCmdlet, IDisposable
    {
        private CancellationTokenSource? _cancellation;
        private bool _disposed;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken CancellationToken => (_cancellation ??= new CancellationTokenSource()).Token;

        protected override void StopProcessing()
        {
            _cancellation?.Cancel();
            base.StopProcessing();
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the thread pool and, meanwhile, writes on the pipeline
        /// thread whatever it queued (verbose, debug, warnings, progress, objects, errors). The
        /// original exception of the work is rethrown; a cancelled run becomes a quiet pipeline stop.
        /// No SynchronizationContext is installed and nothing blocks on <c>.Result</c> in the work,
        /// so the pipeline thread cannot deadlock with it.
        /// </summary>
        internal T RunAsync<T>(Func<ICmdletOutput, CancellationToken, Task<T>> work)
        {
            CancellationToken token = CancellationToken;
            using var queue = new CmdletMessageQueue();
            Task<T> task = Task.Run(
                () =>
                {
                    OperationLog.Current = queue;
                    return work(queue, token);
                },
                token);
            task.ContinueWith(_ => queue.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            queue.Drain(this);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        internal void RunAsync(Func<ICmdletOutput, CancellationToken, Task> work)
        {
            RunAsync<bool>(async (output, token) =>
            {
                await work(output, token).ConfigureAwait(false);
                return true;
            });
        }

        /// <summary>Writes a non-terminating error with a stable id and the item as target.</summary>
        internal void WriteError(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
            => WriteError(ErrorFactory.Create(exception, errorId, category, target, recommendedAction));

        /// <summary>Stops the cmdlet with a stable id: for states in which nothing more can be done.</summary>
        internal void ThrowTerminating(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
            => ThrowTerminatingError(ErrorFactory.Create(exception, errorId, category, target, recommendedAction));

        public void Dispose()
        {
            if (!_disposed)
            {
                _cancellation?.Dispose();
                _disposed = true;
            }

            GC.SuppressFinalize(this);
        }
    }
}
