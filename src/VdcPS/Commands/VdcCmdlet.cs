using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;

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

        /// <summary>
        /// Applies the -Debug preference fix before any cmdlet code can write (a WriteVerbose or
        /// WriteWarning in Begin, ProcessRecord or EndProcessing would otherwise prompt under -Debug).
        /// Sealed so that no cmdlet can skip it: cmdlets put their set-up in <see cref="Begin"/>.
        /// </summary>
        protected sealed override void BeginProcessing()
        {
            ContinueOnDebug();
            Begin();
        }

        /// <summary>The cmdlet's own set-up, run once before the first record (was BeginProcessing).</summary>
        protected virtual void Begin()
        {
        }

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
            ContinueOnDebug();
            using var queue = new CmdletMessageQueue();
            Task<T> task = Task.Run(
                () =>
                {
                    OperationLog.Current = queue;
                    return work(queue, token);
                },
                token);
            task.ContinueWith(_ => queue.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                queue.Drain(this);
            }
            catch
            {
                // Writing failed on the pipeline thread (the user halted at a prompt, a stream set
                // to Stop, a non-interactive host asked to prompt): stop the work, but let it finish
                // its rollback before the failure goes up, so nothing is left half-made. Nobody
                // drains any more: completing the queue releases work waiting for room in it.
                _cancellation?.Cancel();
                queue.Complete();
                try
                {
                    task.Wait(TimeSpan.FromMinutes(3));
                }
                catch (AggregateException)
                {
                    // the work's own failure is secondary to the one being raised
                }

                throw;
            }

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

        private bool _debugChecked;

        /// <summary>
        /// PowerShell maps -Debug on a compiled cmdlet to the Inquire preference (for the debug,
        /// verbose and warning streams), which would stop at every line VdcPS writes, and fails
        /// outright in a non-interactive runbook. Applied in BeginProcessing, before any cmdlet
        /// code runs; RunAsync applies it again for code paths that run without BeginProcessing
        /// (a cmdlet class driven directly by a test). A user
        /// who asks for -Debug wants to read the lines: show them and carry on (as -Debug does for
        /// functions since PowerShell 7). The runtime's preference is only reachable by reflection;
        /// if that ever fails, PowerShell's own behaviour stays.
        /// </summary>
        private void ContinueOnDebug()
        {
            if (_debugChecked)
            {
                return;
            }

            _debugChecked = true;
            if (!MyInvocation.BoundParameters.TryGetValue("Debug", out object? value) || !(value is SwitchParameter debug) || !debug.IsPresent)
            {
                return;
            }

            try
            {
                const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public;
                Type runtime = CommandRuntime.GetType();
                foreach (string name in new[] { "DebugPreference", "WarningPreference" })
                {
                    var property = runtime.GetProperty(name, Any);
                    if (property != null && property.CanWrite && Equals(property.GetValue(CommandRuntime), ActionPreference.Inquire))
                    {
                        property.SetValue(CommandRuntime, ActionPreference.Continue);
                    }
                }

                // -Debug also makes the verbose stream Inquire (it has no setter): act as if -Verbose
                // had been given too, and drop the preference the runtime has cached.
                if (!MyInvocation.BoundParameters.ContainsKey("Verbose"))
                {
                    runtime.GetProperty("Verbose", Any)?.SetValue(CommandRuntime, true);
                    runtime.GetProperty("IsVerboseFlagSet", Any)?.SetValue(CommandRuntime, true);
                    runtime.GetField("_isVerbosePreferenceCached", Any)?.SetValue(CommandRuntime, false);
                }
            }
            catch (Exception e) when (e is System.Reflection.TargetInvocationException || e is MemberAccessException || e is ArgumentException)
            {
                // keep PowerShell's behaviour
            }
        }

        /// <summary>
        /// The plan catalog by the one location rule (<see cref="PlanCatalogResolver"/>): -CatalogPath
        /// (resolved against PowerShell's current folder), $env:VDCPS_PLAN_CATALOG, the cloud of
        /// <paramref name="context"/> (null: the current one), the default. An unusable catalog stops
        /// the cmdlet with PlanCatalogNotFound, PlanCatalogUnreadable or PlanCatalogInvalid.
        /// </summary>
        internal PlanCatalog LoadPlanCatalog(string? catalogPath, VdcContext? context)
        {
            try
            {
                return LoadPlanCatalogOrThrow(catalogPath, context);
            }
            catch (PlanCatalogException e)
            {
                ThrowTerminatingError(ErrorFactory.PlanCatalogError(e, catalogPath));
                throw; // not reached: ThrowTerminatingError throws
            }
        }

        /// <summary><see cref="LoadPlanCatalog"/> for cmdlets that can do without a catalog: the <see cref="PlanCatalogException"/> goes to the caller.</summary>
        internal PlanCatalog LoadPlanCatalogOrThrow(string? catalogPath, VdcContext? context)
        {
            string? explicitPath = catalogPath == null ? null : GetUnresolvedProviderPathFromPSPath(catalogPath);
            PlanCatalog catalog = PlanCatalogResolver.Load(explicitPath, context, SessionState.Path.CurrentFileSystemLocation.ProviderPath, out PlanCatalogLocation location);
            WriteVerbose($"Plan catalog '{location.Path}' (from {location.Source}).");
            return catalog;
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
