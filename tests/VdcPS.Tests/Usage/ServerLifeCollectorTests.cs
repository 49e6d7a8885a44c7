using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Models;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;
using VdcPS.Usage;
using Xunit;

namespace VdcPS.Tests.Usage
{
    /// <summary>
    /// Get-VdcUsage rates resized and shelved servers over their real life (issue 13 item 4), against a
    /// simulated Nova whose usage lines have Nova's two traps (latest flavor, hours from the last launch),
    /// with os-migrations, the flavors sorted by internal key, shelved servers and instance actions.
    /// Every expected number is computed by hand in the test.
    /// </summary>
    public class ServerLifeCollectorTests : IDisposable
    {
        private static readonly DateTime Start = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime End = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        private const string P = "p1000000000000000000000000000000";
        private const string Q = "q1000000000000000000000000000000";
        private const string Resized = "11111111-1111-1111-1111-111111111111";
        private const string Shelved = "22222222-2222-2222-2222-222222222222";
        private const string Plain = "33333333-3333-3333-3333-333333333333";

        private readonly FakeUsageCloud _cloud = new();
        private KeystoneSession? _session;

        public ServerLifeCollectorTests()
        {
            _cloud.AddProject(P, "papa", "vdc-small", "C-P");
            _cloud.AddProject(Q, "quebec", "vdc-small", "C-Q");
            _cloud.FlavorsByKey.AddRange(new[] { ("1", "m1.tiny", 1, 512, 1), ("2", "m1.small", 1, 2048, 20), ("3", "m1.medium", 2, 4096, 40), ("4", "m1.large", 4, 8192, 80) });
        }

        public void Dispose()
        {
            _session?.Dispose();
            _cloud.Dispose();
        }

        private static DateTime T(int month, int day, int hour = 0, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, DateTimeKind.Utc);

        private static string S(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

        /// <summary>An instance action as Nova stores it: start time and the decisive event's times.</summary>
        private void Action(string server, string action, DateTime start, string? evt = null, DateTime? finish = null, string result = "Success")
        {
            var events = new JsonArray();
            if (evt != null)
            {
                events.Add(new JsonObject { ["event"] = evt, ["start_time"] = S(start.AddSeconds(1)), ["finish_time"] = finish.HasValue ? S(finish.Value) : null, ["result"] = result });
            }

            if (!_cloud.InstanceActions.TryGetValue(server, out List<JsonObject>? list))
            {
                _cloud.InstanceActions[server] = list = new List<JsonObject>();
            }

            list.Add(new JsonObject
            {
                ["action"] = action, ["instance_uuid"] = server, ["request_id"] = $"req-{server[..4]}-{list.Count}", ["start_time"] = S(start),
                ["updated_at"] = S(finish ?? start), ["message"] = null, ["events"] = events,
            });
        }

        /// <summary>
        /// P's server "resized": built at m1.tiny, done 10 Oct 00:00; resized to m1.small, finish_resize done 20 Oct 00:00; confirmed.
        /// Nova's line: launched_at = 20 Oct (reset by the resize), all at m1.small.
        /// Q's server "shelved": m1.medium since September; shelve done 5 Oct 00:00; unshelve done 15 Oct 12:00 (Nova: launched then).
        /// Q's server "plain": m1.large since September, nothing happened.
        /// </summary>
        private void SeedLives(bool withMigration = true)
        {
            _cloud.Instances.Add(new FakeInstance(P, Resized, "resized", "m1.small", 1, 2048, 20, T(10, 20), null));
            Action(Resized, "create", T(10, 9, 23, 59), "compute__do_build_and_run_instance", T(10, 10));
            Action(Resized, "resize", T(10, 19, 23, 59, 30), "compute_finish_resize", T(10, 20));
            Action(Resized, "confirmResize", T(10, 20, 1), "compute_confirm_resize", T(10, 20, 1, 0, 5));
            if (withMigration)
            {
                _cloud.Migrations.Add(new JsonObject
                {
                    ["id"] = 7, ["instance_uuid"] = Resized, ["old_instance_type_id"] = 1, ["new_instance_type_id"] = 2, ["status"] = "confirmed",
                    ["migration_type"] = "resize", ["created_at"] = S(T(10, 19, 23, 59, 31)), ["updated_at"] = S(T(10, 20, 1, 0, 5)),
                });
            }

            _cloud.Instances.Add(new FakeInstance(Q, Shelved, "shelved", "m1.medium", 2, 4096, 40, T(10, 15, 12), null));
            Action(Shelved, "create", T(9, 1), "compute__do_build_and_run_instance", T(9, 1, 0, 0, 10));
            Action(Shelved, "shelve", T(10, 4, 23, 59), "compute_shelve_instance", T(10, 5));
            Action(Shelved, "unshelve", T(10, 15, 11, 59), "compute_unshelve_instance", T(10, 15, 12));

            _cloud.Instances.Add(new FakeInstance(Q, Plain, "plain", "m1.large", 4, 8192, 80, T(9, 2), null));
            Action(Plain, "create", T(9, 2), "compute__do_build_and_run_instance", T(9, 2));
        }

        private async Task<RecordingOutput> RunAsync(UsageRequest request)
        {
            _session ??= await _cloud.ConnectAsync();
            request.Start = Start;
            request.End = End;
            request.Cloud = "fake";
            request.Source ??= "Nova";
            var output = new RecordingOutput();
            var collector = new UsageCollector(_session, request, output) { UtcNow = () => new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc) };
            await collector.RunAsync(CancellationToken.None);
            return output;
        }

        private static decimal Total(RecordingOutput o, string tenant, string resource)
            => o.Records.Single(r => !r.IsDetail && r.TenantId == tenant && r.Resource == resource).Quantity;

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_resized_server_is_billed_per_flavor_and_a_shelved_one_for_its_life_on_a_host(bool byName)
        {
            SeedLives();

            RecordingOutput o = await RunAsync(byName ? new UsageRequest { Names = new[] { "papa", "quebec" } } : new UsageRequest());

            // P, hand: m1.tiny 10 Oct 00:00 - 20 Oct 00:00 = 240 h; m1.small 20 Oct - 1 Nov = 288 h (Nova: 288 h, all small).
            Assert.Equal(528m, Total(o, P, "instance-hour"));
            Assert.Equal(528m, Total(o, P, "vcpu-hour"));
            Assert.Equal((240m * 512 + 288m * 2048) / 1024, Total(o, P, "ram-gb-hour")); // 696
            Assert.Equal(240m * 1 + 288m * 20, Total(o, P, "disk-gb-hour"));             // 6000
            // Q, hand: shelved 1 Oct - 5 Oct 00:00 = 96 h on a host; offloaded until 15 Oct 12:00; then 396 h to 1 Nov
            // (Nova: 396 h only). Plus "plain" m1.large 744 h, as Nova reports it.
            Assert.Equal(96m + 396m + 744m, Total(o, Q, "instance-hour"));
            Assert.Equal((96m + 396m) * 2 + 744m * 4, Total(o, Q, "vcpu-hour"));
            Assert.Equal((96m + 396m) * 4 + 744m * 8, Total(o, Q, "ram-gb-hour"));
            Assert.Equal((96m + 396m) * 40 + 744m * 80, Total(o, Q, "disk-gb-hour"));
            Assert.Empty(o.Warnings);
            Assert.Empty(o.Errors);
            Assert.DoesNotContain(_cloud.Log, l => l.Contains($"/servers/{Plain}/os-instance-actions")); // launched before the period, not resized or shelved
        }

        [Fact]
        public async Task Detailed_rows_split_a_resized_server_per_flavor()
        {
            SeedLives();

            RecordingOutput o = await RunAsync(new UsageRequest { Detailed = true });

            var rows = o.Records.Where(r => r.IsDetail && r.ServerId == Resized && r.Resource == "instance-hour").ToList();
            Assert.Equal(new[] { ("m1.tiny", 240m), ("m1.small", 288m) }, rows.Select(r => (r.Flavor, r.Quantity)));
            var disk = o.Records.Where(r => r.IsDetail && r.ServerId == Resized && r.Resource == "disk-gb-hour").Select(r => r.Quantity).ToList();
            Assert.Equal(new[] { 240m, 5760m }, disk);
            // the detail rows add up to the tenant's total
            foreach (string resource in UsageResources.Nova)
            {
                Assert.Equal(decimal.Round(Total(o, P, resource), 20), decimal.Round(o.Records.Where(r => r.IsDetail && r.TenantId == P && r.Resource == resource).Sum(r => r.Quantity), 20));
                Assert.Equal(decimal.Round(Total(o, Q, resource), 20), decimal.Round(o.Records.Where(r => r.IsDetail && r.TenantId == Q && r.Resource == resource).Sum(r => r.Quantity), 20));
            }
        }

        [Fact]
        public async Task Without_resizes_or_shelved_servers_the_walk_stays_on_detailed_0_and_reads_no_actions()
        {
            _cloud.Instances.Add(new FakeInstance(Q, Plain, "plain", "m1.large", 4, 8192, 80, T(9, 2), null));
            // a server created inside the period: nothing to rate, and no per-server lines are asked for
            _cloud.Instances.Add(new FakeInstance(P, Resized, "new", "m1.tiny", 1, 512, 1, T(10, 20), null));

            RecordingOutput o = await RunAsync(new UsageRequest());

            Assert.Equal(744m + 288m, o.Records.Where(r => r.Resource == "instance-hour").Sum(r => r.Quantity));
            List<string> log = _cloud.Log.ToList();
            Assert.All(log.Where(l => l.Contains("os-simple-tenant-usage")), l => Assert.DoesNotContain("detailed=1", l));
            Assert.DoesNotContain(log, l => l.Contains("os-instance-actions") || l.Contains("/flavors"));
            Assert.Single(log, l => l.Contains("/os-migrations?migration_type=resize&changes-since=2026-10-01T00%3A00%3A00&limit=1000"));
            Assert.Equal(2, log.Count(l => l.Contains("/servers/detail?all_tenants=1&status=SHELVED")));
        }

        [Fact]
        public async Task A_flavor_nova_gives_no_exact_name_for_is_rated_at_the_flavor_after_with_a_warning()
        {
            SeedLives();
            // a deleted flavor between: keys 1 and 3 listed, the server now at key 3 → key 2 is listed at position 1? No:
            // m1.small (now) has key 2 but sits at position 0, so key 1 cannot be placed exactly.
            _cloud.FlavorsByKey.RemoveAt(0);

            RecordingOutput o = await RunAsync(new UsageRequest());

            Assert.Equal(528m, Total(o, P, "instance-hour"));
            Assert.Equal(528m * 20, Total(o, P, "disk-gb-hour")); // every hour at m1.small, as Nova does
            string w = Assert.Single(o.Warnings);
            Assert.StartsWith(ServerLifeRater.FlavorUnknown + ":", w);
            Assert.Contains(Resized, w);
            Assert.Contains("internal key 1", w);
        }

        [Fact]
        public async Task A_resize_nova_keeps_no_migration_of_is_rated_with_a_warning_and_the_hours_still_count()
        {
            SeedLives(withMigration: false);
            _cloud.ShelvedServers.Add(("44444444-4444-4444-4444-444444444444", P, "SHELVED_OFFLOADED")); // the signal that reads the lines

            RecordingOutput o = await RunAsync(new UsageRequest());

            Assert.Equal(528m, Total(o, P, "instance-hour")); // the hours before the resize are not lost
            Assert.Contains(o.Warnings, w => w.StartsWith(ServerLifeRater.FlavorUnknown + ":", StringComparison.Ordinal) && w.Contains("no migration record"));
        }

        [Fact]
        public async Task A_server_whose_actions_cannot_be_read_keeps_novas_line_with_a_warning_and_the_others_are_still_rated()
        {
            SeedLives();
            // The shelved server's history answers 404 (deleted and purged between the usage read and this read).
            _cloud.Intercept = r => r.Path.Contains($"/servers/{Shelved}/os-instance-actions")
                ? Reply.Json(404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance could not be found.\"}}")
                : null;

            RecordingOutput o = await RunAsync(new UsageRequest());

            Assert.Equal(528m, Total(o, P, "instance-hour"));                  // still rated per flavor
            Assert.Equal(240m * 1 + 288m * 20, Total(o, P, "disk-gb-hour"));
            Assert.Equal(396m + 744m, Total(o, Q, "instance-hour"));           // Nova's line for the shelved server (from the unshelve)
            string w = Assert.Single(o.Warnings);
            Assert.StartsWith(ServerLifeRater.HistoryUnavailable + ":", w);
            Assert.Contains(Shelved, w);
            Assert.Empty(o.Errors);
        }

        [Fact]
        public void Flavor_keys_are_placed_only_where_no_key_can_be_missing()
        {
            var byKey = new List<VdcPS.Openstack.Compute.FlavorInfo>
            {
                new() { Name = "a" }, new() { Name = "b" }, new() { Name = "c" },
            };
            Assert.Equal("a", FlavorKeys.Place(byKey, 1, 3, "c")!.Name);
            Assert.Equal("b", FlavorKeys.Place(byKey, 2, 3, "c")!.Name);
            Assert.Null(FlavorKeys.Place(byKey, 1, 4, "c"));   // a gap below c: key 1 may be a deleted flavor
            Assert.Null(FlavorKeys.Place(byKey, 3, 2, "b"));   // above the anchor nothing is exact
            Assert.Null(FlavorKeys.Place(byKey, 1, 2, "zz"));  // anchor not listed
            Assert.Null(FlavorKeys.Place(byKey, 0, 3, "c"));
        }
    }
}
