using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using Xunit;

namespace VdcPS.Tests.Quotas
{
    public class OrderedWindowTests
    {
        [Fact]
        public void Results_come_out_in_input_order_however_the_work_finishes()
        {
            var window = new OrderedWindow<int>(capacity: 8);
            var gates = new List<TaskCompletionSource<int>>();
            for (int i = 0; i < 5; i++)
            {
                var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                gates.Add(gate);
                window.Start(_ => gate.Task, CancellationToken.None);
            }

            // the last ones finish first: nothing may come out before the head is done
            gates[4].SetResult(4);
            gates[3].SetResult(3);
            SpinWait.SpinUntil(() => false, 50);
            Assert.False(window.TryTakeCompleted(out _, out _));

            gates[0].SetResult(0);
            var seen = new List<int>();
            Assert.True(window.TakeNext(CancellationToken.None, out int first, out _));
            seen.Add(first);
            gates[2].SetResult(2);
            gates[1].SetResult(1);
            while (window.TakeNext(CancellationToken.None, out int next, out _))
            {
                seen.Add(next);
            }

            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, seen);
            Assert.Equal(0, window.Count);
        }

        [Fact]
        public async Task Awaited_results_come_out_in_input_order_and_a_failure_comes_out_in_its_place()
        {
            // the way Get-VdcUsage reads tenant by tenant (UsageCollector): work already running, awaited in order
            var window = new OrderedWindow<int>(capacity: 3);
            var gates = new List<TaskCompletionSource<int>>();
            for (int i = 0; i < 3; i++)
            {
                var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                gates.Add(gate);
                window.Add(gate.Task);
            }

            Assert.True(window.IsFull);
            gates[2].SetResult(2);
            gates[1].SetException(new InvalidOperationException("tenant 1 failed"));
            Task<int> head = window.TakeNextAsync();
            await Task.Delay(50);
            Assert.False(head.IsCompleted); // waits for the head although the later ones are done

            gates[0].SetResult(0);
            Assert.Equal(0, await head);
            InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => window.TakeNextAsync());
            Assert.Equal("tenant 1 failed", e.Message);
            Assert.Equal(2, await window.TakeNextAsync());
            Assert.Equal(0, window.Count);
            await Assert.ThrowsAsync<InvalidOperationException>(() => window.TakeNextAsync());
        }

        [Fact]
        public void The_window_is_bounded()
        {
            var window = new OrderedWindow<int>(capacity: 2);
            window.Start(_ => Task.FromResult(1), CancellationToken.None);
            Assert.False(window.IsFull);
            window.Start(_ => Task.FromResult(2), CancellationToken.None);
            Assert.True(window.IsFull);
            Assert.True(window.TakeNext(CancellationToken.None, out int one, out _));
            Assert.Equal(1, one);
            Assert.False(window.IsFull);
        }

        [Fact]
        public void Each_items_messages_are_kept_apart_and_handed_out_with_it()
        {
            var window = new OrderedWindow<string>(capacity: 4);
            var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            window.Start(async _ =>
            {
                OperationLog.Verbose("first says this");
                await release.Task;
                OperationLog.Debug("first, later");
                return "a";
            }, CancellationToken.None);
            window.Start(_ =>
            {
                OperationLog.Verbose("second says this");
                return Task.FromResult("b");
            }, CancellationToken.None);
            release.SetResult(true);

            Assert.True(window.TakeNext(CancellationToken.None, out string a, out BufferedOutput first));
            Assert.True(window.TakeNext(CancellationToken.None, out string b, out BufferedOutput second));
            Assert.Equal("a", a);
            Assert.Equal("b", b);
            Assert.Equal(2, first.Count);
            Assert.Equal(1, second.Count);
        }

        [Fact]
        public void Waiting_for_the_head_stops_promptly_when_cancelled()
        {
            var window = new OrderedWindow<int>(capacity: 2);
            var never = new TaskCompletionSource<int>();
            window.Start(_ => never.Task, CancellationToken.None);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            var started = DateTime.UtcNow;
            Assert.ThrowsAny<OperationCanceledException>(() => window.TakeNext(cts.Token, out _, out _));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        }

        [Fact]
        public void The_work_runs_with_the_token_it_was_started_with()
        {
            var window = new OrderedWindow<bool>(capacity: 2);
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            window.Start(ct => Task.FromResult(ct.IsCancellationRequested), CancellationToken.None);
            Assert.True(window.TakeNext(CancellationToken.None, out bool cancelled, out _));
            Assert.False(cancelled);
            window.Start(_ => Task.FromResult(true), cts.Token);
            Assert.ThrowsAny<OperationCanceledException>(() => window.TakeNext(CancellationToken.None, out _, out _));
        }
    }
}
