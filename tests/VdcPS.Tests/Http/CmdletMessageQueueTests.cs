using System;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using Xunit;

namespace VdcPS.Tests.Http
{
    public class CmdletMessageQueueTests
    {
        [Fact]
        public async Task Work_that_outruns_the_pipeline_waits_for_room_instead_of_piling_up()
        {
            using var queue = new CmdletMessageQueue(capacity: 8);
            int posted = 0;
            // Own threads (LongRunning), so that blocking them never starves the pool other tests use.
            Task producer = Task.Factory.StartNew(() =>
            {
                for (int i = 0; i < 10_000; i++)
                {
                    queue.Object(i);
                    Interlocked.Increment(ref posted);
                }
            }, TaskCreationOptions.LongRunning);

            // Nobody drains: the producer fills the queue and then has to wait.
            SpinWait.SpinUntil(() => queue.Count == 8, TimeSpan.FromSeconds(10));
            await Task.Delay(200);
            Assert.Equal(8, queue.Count);
            Assert.False(producer.IsCompleted);
            Assert.InRange(Volatile.Read(ref posted), 8, 9);

            // The drain gave up (writing failed): completing releases the producer, whose messages are dropped.
            queue.Complete();
            Assert.True(producer.Wait(TimeSpan.FromSeconds(10)), "the producer is still blocked after Complete");
            Assert.Equal(8, queue.Count);
        }

        [Fact]
        public void Default_capacity_is_bounded()
        {
            using var queue = new CmdletMessageQueue();
            for (int i = 0; i < CmdletMessageQueue.DefaultCapacity; i++)
            {
                queue.Verbose("line");
            }

            Task extra = Task.Factory.StartNew(() => queue.Verbose("one too many"), TaskCreationOptions.LongRunning);
            Assert.False(extra.Wait(TimeSpan.FromMilliseconds(300)));
            queue.Complete();
            Assert.True(extra.Wait(TimeSpan.FromSeconds(10)));
            Assert.Equal(CmdletMessageQueue.DefaultCapacity, queue.Count);
        }

        [Fact]
        public void A_late_message_after_the_cmdlet_ended_is_dropped_quietly()
        {
            var queue = new CmdletMessageQueue(capacity: 2);
            queue.Complete();
            Assert.Null(Record.Exception(() => queue.Debug("after completion")));
            Assert.Equal(0, queue.Count);
            queue.Dispose();
            Assert.Null(Record.Exception(() => queue.Debug("after disposal")));
        }
    }
}
