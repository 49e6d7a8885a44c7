using System;
using System.Collections.Generic;
using VdcPS.Usage;
using Xunit;

namespace VdcPS.Tests.Usage
{
    /// <summary>A server's real life, rated per interval and flavor (issue 13, item 4), with hand computations.</summary>
    public class ServerLifeTests
    {
        private static readonly LifeFlavor Big = new LifeFlavor("big", 16, 32768, 160);
        private static readonly LifeFlavor Tiny = new LifeFlavor("tiny", 1, 512, 1);
        private static readonly DateTime Nov1 = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime Dec1 = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void Resize_from_16_vcpus_to_1_on_the_30th_bills_each_flavor_for_its_time()
        {
            // Created 1 Nov 00:00 at 16 vCPUs, resized to 1 vCPU finishing 30 Nov 00:00, month of November.
            // Hand: 29 days * 24 h = 696 h at big, 24 h at tiny -> 720 instance-hours;
            // vCPU-hours 696*16 + 24*1 = 11136 + 24 = 11160 (Nova says 720*1 = 720);
            // RAM MB-hours 696*32768 + 24*512 = 22806528 + 12288 = 22818816; disk 696*160 + 24*1 = 111384.
            var life = new[]
            {
                new LifeEvent(Nov1, LifeStep.Create, Big),
                new LifeEvent(new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc), LifeStep.FlavorChange, Tiny),
            };

            ServerLifeUsage u = ServerLife.Rate(life, Nov1, Dec1);

            Assert.Equal(720m, u.Hours);
            Assert.Equal(11160m, u.VcpuHours);
            Assert.Equal(22818816m, u.MemoryMbHours);
            Assert.Equal(111384m, u.LocalGbHours);
            Assert.Equal(2, u.Intervals.Count);
            Assert.Equal(("big", 696m), (u.Intervals[0].Flavor.Name, u.Intervals[0].Hours));
            Assert.Equal(("tiny", 24m), (u.Intervals[1].Flavor.Name, u.Intervals[1].Hours));
        }

        [Fact]
        public void Server_of_12_minutes_unshelved_6_seconds_before_the_end_keeps_its_hours_before_the_shelve()
        {
            // Created 12:00:00, shelved 12:05:00, unshelved 12:11:54, period ends 12:12:00 (it lived 12 minutes).
            // Nova reports 6 s (from launched_at = the unshelve). Hand: on its host 12:00:00-12:05:00 = 300 s
            // and 12:11:54-12:12:00 = 6 s; shelved 12:05:00-12:11:54 is not billed. 306 s = 0.085 h exactly.
            // vCPU-hours at 2 vCPUs: 0.17.
            var two = new LifeFlavor("m1.small", 2, 2048, 20);
            DateTime t0 = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
            var life = new[]
            {
                new LifeEvent(t0, LifeStep.Create, two),
                new LifeEvent(t0.AddMinutes(5), ServerLife.StepOf("shelve")),
                new LifeEvent(t0.AddMinutes(11).AddSeconds(54), ServerLife.StepOf("unshelve")),
            };

            ServerLifeUsage u = ServerLife.Rate(life, t0.AddHours(-12), t0.AddMinutes(12));

            Assert.Equal(0.085m, u.Hours);
            Assert.Equal(0.17m, u.VcpuHours);
            Assert.Equal(0.085m * 2048m, u.MemoryMbHours);
            Assert.Equal(1.7m, u.LocalGbHours);
        }

        [Fact]
        public void Steps_that_keep_the_host_do_not_change_the_bill_and_deletion_ends_it()
        {
            // Created 1 Nov 00:00 (tiny), rebuilt 5 Nov, rescued/unrescued 6 Nov, stopped/started 7 Nov,
            // resize confirmed 8 Nov (neutral), deleted 11 Nov 00:00: 10 days = 240 h at 1 vCPU.
            var life = new List<LifeEvent> { new LifeEvent(Nov1, LifeStep.Create, Tiny) };
            foreach ((int day, string action) in new[] { (5, "rebuild"), (6, "rescue"), (6, "unrescue"), (7, "stop"), (7, "start"), (8, "confirmResize") })
            {
                life.Add(new LifeEvent(Nov1.AddDays(day - 1).AddHours(3), ServerLife.StepOf(action)));
            }

            life.Add(new LifeEvent(Nov1.AddDays(10), ServerLife.StepOf("delete")));

            ServerLifeUsage u = ServerLife.Rate(life, Nov1, Dec1);

            Assert.Equal(240m, u.Hours);
            Assert.Equal(240m, u.VcpuHours);
            Assert.Single(u.Intervals);
        }

        [Fact]
        public void Life_is_clipped_to_the_period_and_revert_resize_restores_the_old_flavor()
        {
            // Created 15 Oct (big); resized to tiny 10 Nov 06:00; reverted to big 10 Nov 18:00; period November.
            // Hand: big 1 Nov 00:00 - 10 Nov 06:00 = 9*24+6 = 222 h; tiny 12 h; big 10 Nov 18:00 - 1 Dec = 20*24+6 = 486 h.
            // Hours 720; vCPU-hours 222*16 + 12 + 486*16 = 3552 + 12 + 7776 = 11340.
            var life = new[]
            {
                new LifeEvent(new DateTime(2026, 10, 15, 0, 0, 0, DateTimeKind.Utc), LifeStep.Create, Big),
                new LifeEvent(new DateTime(2026, 11, 10, 6, 0, 0, DateTimeKind.Utc), ServerLife.StepOf("resize"), Tiny),
                new LifeEvent(new DateTime(2026, 11, 10, 18, 0, 0, DateTimeKind.Utc), ServerLife.StepOf("revertResize"), Big),
            };

            ServerLifeUsage u = ServerLife.Rate(life, Nov1, Dec1);

            Assert.Equal(720m, u.Hours);
            Assert.Equal(11340m, u.VcpuHours);
            Assert.Equal(3, u.Intervals.Count);
        }

        [Fact]
        public void Shelved_over_the_period_start_bills_from_the_unshelve_and_a_life_after_the_period_bills_nothing()
        {
            // Shelved 20 Oct, unshelved 3 Nov 12:00, period November: 27.5 days = 660 h.
            var life = new[]
            {
                new LifeEvent(new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), LifeStep.Create, Tiny),
                new LifeEvent(new DateTime(2026, 10, 20, 0, 0, 0, DateTimeKind.Utc), ServerLife.StepOf("shelveOffload")),
                new LifeEvent(new DateTime(2026, 11, 3, 12, 0, 0, DateTimeKind.Utc), ServerLife.StepOf("unshelve")),
            };
            Assert.Equal(660m, ServerLife.Rate(life, Nov1, Dec1).Hours);

            var later = new[] { new LifeEvent(Dec1.AddHours(1), LifeStep.Create, Big) };
            ServerLifeUsage none = ServerLife.Rate(later, Nov1, Dec1);
            Assert.Equal(0m, none.Hours);
            Assert.Empty(none.Intervals);
        }

        [Fact]
        public void Lives_that_cannot_be_rated_are_refused()
        {
            Assert.Throws<FormatException>(() => ServerLife.Rate(new[] { new LifeEvent(Nov1, LifeStep.Neutral) }, Nov1, Dec1));
            Assert.Throws<FormatException>(() => ServerLife.Rate(
                new[] { new LifeEvent(Nov1, LifeStep.Create, Big), new LifeEvent(Nov1.AddDays(1), LifeStep.FlavorChange) }, Nov1, Dec1));
            Assert.Throws<FormatException>(() => ServerLife.Rate(
                new[] { new LifeEvent(Nov1, LifeStep.Create, Big), new LifeEvent(Nov1.AddDays(1), LifeStep.Delete), new LifeEvent(Nov1.AddDays(2), LifeStep.Return) }, Nov1, Dec1));
        }
    }
}
