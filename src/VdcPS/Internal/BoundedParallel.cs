using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace VdcPS.Internal
{
    /// <summary>
    /// Runs independent changes (server actions, deletes) at most N at a time and lets every one of
    /// them run even when one fails, so that a half-done level is as small as it can be; then throws
    /// one exception naming every failure. (Reads that must come back in input order use
    /// Internal/OrderedWindow instead.)
    /// </summary>
    internal static class BoundedParallel
    {
        public static async Task RunAllAsync<T>(IReadOnlyList<T> items, int throttle, Func<T, Task> work, CancellationToken ct)
        {
            using var gate = new SemaphoreSlim(throttle, throttle);
            var failures = new List<(T Item, Exception Error)>();
            await Task.WhenAll(items.Select(async item =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await work(item).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                {
                    lock (failures)
                    {
                        failures.Add((item, e));
                    }
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (failures.Count == 1)
            {
                throw new InvalidOperationException($"{failures[0].Item}: {ErrorFactory.Unwrap(failures[0].Error).Message}", failures[0].Error);
            }

            if (failures.Count > 1)
            {
                throw new InvalidOperationException(
                    $"{failures.Count} of {items.Count} failed: " + string.Join(" ", failures.Select(f => $"{f.Item}: {ErrorFactory.Unwrap(f.Error).Message}")),
                    failures[0].Error);
            }
        }
    }
}
