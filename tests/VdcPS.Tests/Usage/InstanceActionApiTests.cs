using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using VdcPS.Openstack.Compute;
using VdcPS.Usage;
using Xunit;

namespace VdcPS.Tests.Usage
{
    /// <summary>
    /// os-instance-actions, with bodies recorded from the lab (fake-driver nova-compute, microversion 2.58) for a
    /// server that was created (m1.tiny), stopped, started, shelved (offloaded at once), unshelved, resized to
    /// m1.small, confirmed and deleted.
    /// </summary>
    public class InstanceActionApiTests
    {
        private const string Server = "f2de1aff-34ca-4115-9fef-245272a80d04";

        private static JsonElement Root(string name) => JsonDocument.Parse(UsageApiTests.Fixture(name)).RootElement;

        private static DateTime Utc(string s) => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

        [Fact]
        public void Paths_escape_the_ids()
        {
            Assert.Equal($"servers/{Server}/os-instance-actions", InstanceActionApi.ListPath(Server));
            Assert.Equal($"servers/{Server}/os-instance-actions/req-1%2F2", InstanceActionApi.ShowPath(Server, "req-1/2"));
        }

        [Fact]
        public void List_reads_every_action_with_its_utc_start()
        {
            List<InstanceAction> actions = InstanceActionApi.ParseList(Root("lab-instance-actions.json"));

            Assert.Equal(new[] { "delete", "confirmResize", "resize", "unshelve", "shelve", "start", "stop", "create" }, actions.Select(a => a.Action));
            InstanceAction create = actions.Last();
            Assert.Equal(Utc("2026-12-06T13:36:41.413637"), create.StartTime);
            Assert.Equal(DateTimeKind.Utc, create.StartTime.Kind);
            Assert.Equal("req-3e6ce668-981b-428c-8216-45d3cd5cc473", create.RequestId);
            Assert.Null(create.Events);
        }

        [Fact]
        public void Detail_reads_events_and_the_resize_takes_effect_at_finish_resize()
        {
            InstanceAction resize = InstanceActionApi.ParseShow(Root("lab-instance-action-resize.json"));

            Assert.Equal(5, resize.Events!.Count);
            Assert.Equal(Utc("2026-12-06T13:46:34.557371"), ServerLife.EffectTime(resize));
            Assert.Equal(Utc("2026-12-06T13:42:44.089651"), ServerLife.EffectTime(InstanceActionApi.ParseShow(Root("lab-instance-action-shelve.json"))));
            InstanceAction unshelve = InstanceActionApi.ParseShow(Root("lab-instance-action-unshelve.json"));
            Assert.Null(unshelve.Events!.Single(e => e.Event == "schedule_instances").FinishTime);
            Assert.Equal(Utc("2026-12-06T13:45:25.633997"), ServerLife.EffectTime(unshelve));
        }

        [Fact]
        public void A_resize_whose_finish_failed_takes_no_effect()
        {
            InstanceAction resize = InstanceActionApi.ParseShow(Root("lab-instance-action-resize.json"));
            resize.Events!.Single(e => e.Event == "compute_finish_resize").Result = "Error";
            Assert.Null(ServerLife.EffectTime(resize));
        }

        [Fact]
        public void Recorded_life_is_rated_per_flavor_and_over_its_whole_life()
        {
            // Hand computation from the recorded times (period 13:00-14:00; m1.tiny 1 vCPU 512 MiB 1 GiB, m1.small 1 vCPU 2048 MiB 20 GiB):
            //   tiny  13:36:41.413637 (create) - 13:42:44.089651 (shelve done)       = 362.676014 s
            //   shelved-offloaded until 13:45:25.633997 (unshelve done): not billed
            //   tiny  13:45:25.633997 - 13:46:34.557371 (finish_resize)              =  68.923374 s
            //   small 13:46:34.557371 - 13:47:45.541248 (delete)                      =  70.983877 s
            //   on a host 502.583265 s = 0.139606462500 h (Nova: 70.98 s from launched_at, all at m1.small).
            //   RAM MB-h: (362.676014 + 68.923374) * 512 + 70.983877 * 2048 = 220978.886656 + 145374.980096 = 366353.866752 MB-s / 3600.
            //   disk GB-h: 431.599388 * 1 + 70.983877 * 20 = 1851.276928 GB-s / 3600.
            var tiny = new LifeFlavor("m1.tiny", 1, 512, 1);
            var small = new LifeFlavor("m1.small", 1, 2048, 20);
            var details = new Dictionary<string, InstanceAction>();
            foreach (string name in new[] { "resize", "shelve", "unshelve" })
            {
                InstanceAction a = InstanceActionApi.ParseShow(Root($"lab-instance-action-{name}.json"));
                details[a.RequestId] = a;
            }

            var life = new List<LifeEvent>();
            foreach (InstanceAction listed in InstanceActionApi.ParseList(Root("lab-instance-actions.json")))
            {
                InstanceAction a = details.TryGetValue(listed.RequestId, out InstanceAction? d) ? d : listed;
                LifeStep step = ServerLife.StepOf(a.Action);
                LifeFlavor? flavor = a.Action == "create" ? tiny : a.Action == "resize" ? small : null;
                life.Add(new LifeEvent(ServerLife.EffectTime(a)!.Value, step, flavor));
            }

            ServerLifeUsage u = ServerLife.Rate(life, Utc("2026-12-06T13:00:00"), Utc("2026-12-06T14:00:00"));

            Assert.Equal(502.583265m / 3600m, Math.Round(u.Hours, 26));
            Assert.Equal(0.1396064625m, Math.Round(u.Hours, 12));
            Assert.Equal(u.Hours, u.VcpuHours);
            Assert.Equal(Math.Round(366353.866752m / 3600m, 20), Math.Round(u.MemoryMbHours, 20));
            Assert.Equal(Math.Round(1851.276928m / 3600m, 20), Math.Round(u.LocalGbHours, 20));
            Assert.Equal(new[] { "m1.tiny", "m1.tiny", "m1.small" }, u.Intervals.Select(i => i.Flavor.Name));
        }
    }
}
