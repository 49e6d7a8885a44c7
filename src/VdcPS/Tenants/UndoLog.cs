using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;

namespace VdcPS.Tenants
{
    /// <summary>
    /// The compensations of a multi-step change, in the order they were earned. When a later step
    /// fails, <see cref="RollbackAsync"/> runs them newest first, each one even if another failed,
    /// with its own time limit and never with the caller's (possibly cancelled) token: a Ctrl+C in
    /// the middle of provisioning must still leave nothing half-made.
    /// </summary>
    internal sealed class UndoLog
    {
        private readonly List<(string What, Func<CancellationToken, Task> Undo)> _steps = new List<(string, Func<CancellationToken, Task>)>();
        private readonly object _gate = new object();

        /// <summary>Time allowed for the whole rollback.</summary>
        public TimeSpan Budget { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Records how to undo a step that has just succeeded ("project 'acme'").</summary>
        public void Add(string what, Func<CancellationToken, Task> undo)
        {
            lock (_gate)
            {
                _steps.Add((what, undo));
            }
        }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _steps.Count;
                }
            }
        }

        /// <summary>Undoes everything recorded; returns what was undone and what could not be.</summary>
        public async Task<RollbackReport> RollbackAsync()
        {
            List<(string What, Func<CancellationToken, Task> Undo)> steps;
            lock (_gate)
            {
                steps = new List<(string, Func<CancellationToken, Task>)>(_steps);
                steps.Reverse();
                _steps.Clear();
            }

            var report = new RollbackReport();
            using var budget = new CancellationTokenSource(Budget);
            foreach ((string what, Func<CancellationToken, Task> undo) in steps)
            {
                try
                {
                    await undo(budget.Token).ConfigureAwait(false);
                    report.Undone.Add(what);
                    OperationLog.Verbose($"Rolled back: {what}");
                }
                catch (UndoSkippedException kept)
                {
                    report.Kept.Add($"{what} ({kept.Message})");
                    OperationLog.Verbose($"Not rolled back: {what} ({kept.Message})");
                }
                catch (Exception e)
                {
                    report.Failed.Add($"{what} ({ErrorFactory.Unwrap(e).Message})");
                }
            }

            return report;
        }
    }

    internal sealed class RollbackReport
    {
        public List<string> Undone { get; } = new List<string>();

        public List<string> Failed { get; } = new List<string>();

        /// <summary>Steps not undone on purpose: another writer changed the value since, and its value stays.</summary>
        public List<string> Kept { get; } = new List<string>();

        public bool Complete => Failed.Count == 0;

        public override string ToString()
        {
            string undone = Undone.Count == 0 && Kept.Count == 0 ? "Nothing had been changed." : Undone.Count == 0 ? string.Empty : "Rolled back: " + string.Join(", ", Undone) + ".";
            if (Kept.Count > 0)
            {
                undone = (undone + " Left as another writer set it: " + string.Join(", ", Kept) + ".").TrimStart();
            }

            return Failed.Count == 0
                ? undone
                : undone + " COULD NOT roll back: " + string.Join(", ", Failed) + " - remove these by hand or rerun the command.";
        }
    }

    /// <summary>
    /// Thrown by an undo step that finds the value it would restore changed by another writer since
    /// this run wrote it: a rollback undoes only what is still its own (compare before undo).
    /// </summary>
    internal sealed class UndoSkippedException : Exception
    {
        public UndoSkippedException(string message)
            : base(message)
        {
        }
    }

    /// <summary>A multi-step change failed; says which step, and what the rollback did.</summary>
    public sealed class VdcOperationFailedException : Exception
    {
        internal VdcOperationFailedException(string step, Exception cause, RollbackReport rollback)
            : base($"{step} failed: {ErrorFactory.Unwrap(cause).Message} {rollback}", ErrorFactory.Unwrap(cause))
        {
            Step = step;
            RolledBack = string.Join(", ", rollback.Undone);
            NotRolledBack = string.Join(", ", rollback.Failed);
        }

        internal VdcOperationFailedException(string step, Exception cause, string outcome)
            : base($"{step} failed: {ErrorFactory.Unwrap(cause).Message} {outcome}", ErrorFactory.Unwrap(cause))
        {
            Step = step;
            RolledBack = string.Empty;
            NotRolledBack = string.Empty;
        }

        /// <summary>The step that failed.</summary>
        public string Step { get; }

        /// <summary>The steps undone, newest first.</summary>
        public string RolledBack { get; }

        /// <summary>Steps whose undo failed (empty when the rollback was complete).</summary>
        public string NotRolledBack { get; }
    }
}
