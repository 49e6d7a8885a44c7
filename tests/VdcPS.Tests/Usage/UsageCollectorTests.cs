using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
    /// Get-VdcUsage's engine against a simulated Nova (paging exactly as Nova pages), Keystone and
    /// Gnocchi: totals equal independently computed hours beyond max_limit, tenants split across pages
    /// are stitched, truncation is refused, rows come in a fixed order.
    /// </summary>
    public class UsageCollectorTests : IDisposable
    {
        private static readonly DateTime Start = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime End = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly (string Name, int Vcpus, int Ram, int Disk)[] Flavors =
        {
            ("m1.tiny", 1, 512, 1), ("m1.small", 1, 2048, 20), ("m1.medium", 2, 4096, 40), ("m1.large", 4, 8192, 80),
        };

        private readonly FakeUsageCloud _cloud = new();
        private KeystoneSession? _session;

        public void Dispose()
        {
            _session?.Dispose();
            _cloud.Dispose();
        }

        /// <summary>n instances over the projects, lifetimes in whole hours around October 2026 (as the lab seeder does).</summary>
        private void Seed(int n, IReadOnlyList<string> projects, int seed)
        {
            var rng = new Random(seed);
            for (int i = 0; i < n; i++)
            {
                string project = i < projects.Count ? projects[i] : projects[rng.Next(projects.Count)];
                var f = Flavors[rng.Next(Flavors.Length)];
                DateTime launched;
                DateTime? terminated = null;
                double kind = rng.NextDouble();
                if (kind < 0.3)
                {
                    launched = Start.AddHours(-rng.Next(1, 2000));
                }
                else if (kind < 0.6)
                {
                    launched = Start.AddHours(rng.Next(0, 744));
                }
                else if (kind < 0.85)
                {
                    int a = rng.Next(0, 744);
                    launched = Start.AddHours(a);
                    terminated = Start.AddHours(rng.Next(a + 1, 800));
                }
                else if (kind < 0.95)
                {
                    launched = Start.AddHours(-rng.Next(1, 500));
                    terminated = Start.AddHours(rng.Next(1, 744));
                }
                else
                {
                    launched = Start.AddHours(-rng.Next(300, 600));
                    terminated = Start.AddHours(-rng.Next(0, 299));
                }

                _cloud.Instances.Add(new FakeInstance(project, Guid.NewGuid().ToString(), $"vm-{seed}-{i:D5}", f.Name, f.Vcpus, f.Ram, f.Disk, launched, terminated));
            }
        }

        private static List<string> ProjectIds(string prefix, int count)
            => Enumerable.Range(1, count).Select(k => $"{prefix}{k:D4}".PadRight(32, '0')).ToList();

        private async Task<(RecordingOutput Output, UsageCollector Collector)> RunAsync(UsageRequest request, int pageSize = 1000)
        {
            _session ??= await _cloud.ConnectAsync();
            request.Start = request.Start == default ? Start : request.Start;
            request.End = request.End == default ? End : request.End;
            request.Cloud = "fake";
            var output = new RecordingOutput();
            var collector = new UsageCollector(_session, request, output) { PageSize = pageSize, UtcNow = () => new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc) };
            await collector.RunAsync(CancellationToken.None);
            return (output, collector);
        }

        private static Dictionary<(string Tenant, string Resource), decimal> Totals(IEnumerable<VdcUsageRecord> rows, string source = "nova")
            => rows.Where(r => !r.IsDetail && r.Source == source).ToDictionary(r => (r.TenantId, r.Resource), r => r.Quantity);

        private void AssertExact(Dictionary<(string Tenant, string Resource), decimal> got, IEnumerable<string>? only = null)
        {
            var expected = _cloud.Expected(Start, End);
            foreach (var (project, e) in expected.Where(x => only == null || only.Contains(x.Key)))
            {
                Assert.Equal(e.Hours, got[(project, "instance-hour")]);
                Assert.Equal(e.Vcpu, got[(project, "vcpu-hour")]);
                Assert.Equal(e.RamMb / 1024m, got[(project, "ram-gb-hour")]);
                Assert.Equal(e.Disk, got[(project, "disk-gb-hour")]);
            }

            Assert.Equal(expected.Keys.Count(k => only == null || only.Contains(k)), got.Keys.Select(k => k.Tenant).Distinct().Count(t => expected.ContainsKey(t)));
        }

        [Fact]
        public async Task Every_instance_hour_is_counted_beyond_max_limit_and_across_pages()
        {
            List<string> projects = ProjectIds("a", 60);
            Seed(2600, projects, seed: 1);
            string big = "b".PadRight(32, '0');
            _cloud.AddProject(big, "big");
            Seed(1300, new[] { big }, seed: 2); // one tenant with more servers than a page
            int active = _cloud.Expected(Start, End).Values.Sum(v => v.Servers);
            Assert.True(active > 3000);

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova" });

            var got = Totals(output.Records);
            AssertExact(got);
            Assert.Equal(_cloud.Expected(Start, End).Values.Sum(v => v.Hours), got.Where(k => k.Key.Resource == "instance-hour").Sum(k => k.Value));
            List<string> requests = _cloud.Log.Where(l => l.Contains("os-simple-tenant-usage")).ToList();
            Assert.Equal((active + 999) / 1000, requests.Count);
            Assert.All(requests, r => Assert.Contains("limit=1000", r));
            Assert.All(requests.Skip(1), r => Assert.Matches("marker=[0-9a-f-]{36}", r));
            Assert.All(requests, r => Assert.DoesNotContain("detailed=", r)); // totals only: no per-server lines
            Assert.Empty(output.Errors);
        }

        [Fact]
        public async Task The_project_list_is_read_while_nova_pages_come_for_the_whole_cloud()
        {
            List<string> projects = ProjectIds("k", 4);
            for (int i = 0; i < projects.Count; i++)
            {
                _cloud.AddProject(projects[i], $"kilo-{i}");
            }

            Seed(40, projects, seed: 11);
            using var novaAsked = new ManualResetEventSlim();
            bool overlapped = false;
            _cloud.Intercept = r =>
            {
                if (r.Path.Contains("os-simple-tenant-usage"))
                {
                    novaAsked.Set();
                }
                else if (r.Path.StartsWith("/v3/projects", StringComparison.Ordinal))
                {
                    // the project list answers only once Nova has been asked (or after 10 s, failing below)
                    overlapped = novaAsked.Wait(TimeSpan.FromSeconds(10));
                }

                return null;
            };

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova" });

            Assert.True(overlapped);
            AssertExact(Totals(output.Records));
            Assert.All(output.Records, r => Assert.StartsWith("kilo-", r.TenantName));
            Assert.Equal(projects.Count * 4, output.Records.Count);
        }

        [Fact]
        public async Task Managed_only_reads_the_project_list_before_the_usage()
        {
            List<string> projects = ProjectIds("m", 4);
            _cloud.AddProject(projects[0], "mike-0", "vdc-small", "C-1");
            _cloud.AddProject(projects[1], "mike-1");
            Seed(40, projects, seed: 12);

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", ManagedOnly = true });

            List<string> log = _cloud.Log.ToList();
            Assert.True(log.FindIndex(l => l.StartsWith("GET /v3/projects", StringComparison.Ordinal))
                < log.FindIndex(l => l.Contains("os-simple-tenant-usage")));
            Assert.All(output.Records, r => Assert.Equal("mike-0", r.TenantName));
            AssertExact(Totals(output.Records), new[] { projects[0] });
        }

        [Fact]
        public void Only_detailed_or_servers_to_rate_need_the_server_lines()
        {
            Assert.False(new UsageRequest().NeedsServerLines);
            Assert.True(new UsageRequest { Detailed = true }.NeedsServerLines);
            Assert.True(new UsageRequest { ServerLivesToRate = true }.NeedsServerLines);
        }

        [Fact]
        public async Task Summary_pages_detailed_0_are_stitched_by_tenant_fixture()
        {
            // the same servers as the detailed fixture, as Nova answers detailed=0; a detailed request would fail
            _cloud.Intercept = r => !r.Path.Contains("os-simple-tenant-usage") ? null
                : r.Path.Contains("detailed=") ? Reply.Json(400, "{\"badRequest\":{\"code\":400,\"message\":\"unexpected detailed\"}}")
                : Reply.Json(200, UsageApiTests.Fixture(r.Path.Contains("marker=") ? "list-v240-summary-page2.json" : "list-v240-summary-page1.json"));
            _cloud.AddProject("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "bravo", "vdc-small", "C-2");

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova" }, pageSize: 3);

            Assert.Empty(output.Errors.Select(e => e.ToString()));
            var got = Totals(output.Records);
            Assert.Equal(743.9999999999999m + 0.2m, got[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "instance-hour")]);
            Assert.Equal(1487.9999999999998m + 0.2m, got[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "vcpu-hour")]);
            Assert.Equal((3047423.9999999995m + 102.4m) / 1024m, got[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "ram-gb-hour")]);
            Assert.Equal(29759.999999999996m + 0.2m, got[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "disk-gb-hour")]);
            Assert.Equal(744.1m, got[("0aa1b2c3d4e5f60718293a4b5c6d7e8f", "instance-hour")]);
            Assert.Equal(0.000015m, got[("2cc1b2c3d4e5f60718293a4b5c6d7e8f", "instance-hour")]);
            Assert.Equal(3 * 4, output.Records.Count);
            Assert.DoesNotContain(output.Records, r => r.IsDetail);
            string[] usage = _cloud.Log.Where(l => l.Contains("os-simple-tenant-usage")).ToArray();
            Assert.Equal(2, usage.Length);
            Assert.Contains("limit=3", usage[0]);
            Assert.Contains("marker=00000000-0000-4000-8000-00000000b001", usage[1]);
            Assert.Equal("bravo", output.Records.First().TenantName);
        }

        [Fact]
        public async Task A_tenant_split_across_pages_is_stitched_fixture()
        {
            // the api-ref-shaped pages: tenant 1bb… has one server on page 1 and one on page 2
            _cloud.Intercept = r => r.Path.Contains("os-simple-tenant-usage")
                ? Reply.Json(200, UsageApiTests.Fixture(r.Path.Contains("marker=") ? "list-v240-page2.json" : "list-v240-page1.json"))
                : null;
            _cloud.AddProject("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "bravo", "vdc-small", "C-2");

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Detailed = true }, pageSize: 3);

            Assert.All(_cloud.Log.Where(l => l.Contains("os-simple-tenant-usage")), l => Assert.Contains("detailed=1", l));
            var got = Totals(output.Records);
            Assert.Equal(743.9999999999999m + 0.2m, got[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "instance-hour")]);
            Assert.Equal(1487.9999999999998m + 0.2m, got[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "vcpu-hour")]);
            Assert.Equal((3047423.9999999995m + 102.4m) / 1024m, got[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "ram-gb-hour")]);
            Assert.Equal(744.1m, got[("0aa1b2c3d4e5f60718293a4b5c6d7e8f", "instance-hour")]);
            Assert.Equal(1488.8m, got[("0aa1b2c3d4e5f60718293a4b5c6d7e8f", "ram-gb-hour")]);
            Assert.Equal(0.000015m, got[("2cc1b2c3d4e5f60718293a4b5c6d7e8f", "instance-hour")]);
            string[] usage = _cloud.Log.Where(l => l.Contains("os-simple-tenant-usage")).ToArray();
            Assert.Equal(2, usage.Length);
            Assert.Contains("limit=3", usage[0]);
            Assert.Contains("marker=00000000-0000-4000-8000-00000000b001", usage[1]);

            // the named tenant first (by name), then the ids Keystone does not know; 2 + 1 + 1 servers in detail
            Assert.Equal("bravo", output.Records.First().TenantName);
            Assert.Equal("C-2", output.Records.First().CustomerId);
            Assert.Equal(new[] { "b-1", "b-2" }, output.Records.Where(r => r.IsDetail && r.TenantName == "bravo").Select(r => r.ServerName).Distinct());
            Assert.Equal(5 * 4, output.Records.Count(r => r.IsDetail));
        }

        [Fact]
        public async Task One_tenant_over_several_pages_fixture()
        {
            // limit 1: every page is full and links the next; the third answer is empty, as Nova's is
            _cloud.Intercept = r => r.Path.Contains("os-simple-tenant-usage/")
                ? Reply.Json(200, UsageApiTests.Fixture(
                    r.Path.Contains("marker=00000000-0000-4000-8000-00000000b002") ? "show-v240-empty.json"
                    : r.Path.Contains("marker=") ? "show-v240-page2.json" : "show-v240-page1.json"))
                : null;

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Ids = new[] { "1bb1b2c3d4e5f60718293a4b5c6d7e8f" } }, pageSize: 1);

            Assert.Empty(output.Errors.Select(e => e.ToString()));
            Assert.Equal(744.1999999999999m, Totals(output.Records)[("1bb1b2c3d4e5f60718293a4b5c6d7e8f", "instance-hour")]);
            Assert.Equal(3, _cloud.Log.Count(l => l.Contains("os-simple-tenant-usage/1bb1b2c3d4e5f60718293a4b5c6d7e8f?") && l.Contains("limit=1")));
            Assert.DoesNotContain(_cloud.Log, l => l.Contains("detailed="));
        }

        [Fact]
        public async Task An_unpaged_answer_that_reaches_max_limit_is_refused_fixture()
        {
            _cloud.NovaMaxVersion = "2.1";
            _cloud.Intercept = r => r.Path.Contains("os-simple-tenant-usage") ? Reply.Json(200, UsageApiTests.Fixture("list-v21-truncated.json")) : null;

            var e = await Assert.ThrowsAsync<UsageTruncatedException>(() => RunAsync(new UsageRequest { Source = "Nova" }));

            Assert.Contains("1000 servers", e.Message);
            Assert.Contains("2.1", e.Message);
            Assert.DoesNotContain(_cloud.Log, l => l.Contains("os-simple-tenant-usage") && l.Contains("limit="));
        }

        [Fact]
        public async Task Old_clouds_below_max_limit_are_exact_and_at_max_limit_refused()
        {
            _cloud.NovaMaxVersion = "2.39";
            List<string> projects = ProjectIds("c", 20);
            Seed(700, projects, seed: 3);

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova" });
            AssertExact(Totals(output.Records));
            Assert.DoesNotContain(_cloud.Log, l => l.Contains("os-simple-tenant-usage") && l.Contains("limit="));
            // unpaged, the servers must be counted to see a cut answer: per-server lines even without -Detailed
            Assert.All(_cloud.Log.Where(l => l.Contains("os-simple-tenant-usage")), l => Assert.Contains("detailed=1", l));

            Seed(700, projects, seed: 4); // now Nova silently cuts at 1,000
            await Assert.ThrowsAsync<UsageTruncatedException>(() => RunAsync(new UsageRequest { Source = "Nova" }));
        }

        [Fact]
        public async Task Old_cloud_per_tenant_refuses_only_the_tenant_that_may_be_cut()
        {
            _cloud.NovaMaxVersion = "2.39";
            string big = "d".PadRight(32, '0'), small = "e".PadRight(32, '0');
            _cloud.AddProject(big, "big");
            _cloud.AddProject(small, "small");
            Seed(1100, new[] { big }, seed: 5);
            Seed(30, new[] { small }, seed: 6);

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Ids = new[] { big, small } });

            var error = Assert.Single(output.Errors);
            Assert.StartsWith("UsageTruncated", error.FullyQualifiedErrorId);
            Assert.Equal("big", error.TargetObject);
            Assert.All(output.Records, r => Assert.Equal("small", r.TenantName));
            AssertExact(Totals(output.Records), new[] { small });
        }

        [Fact]
        public async Task Nova_max_limit_below_the_page_size_is_followed_by_its_links()
        {
            _cloud.MaxLimit = 7;
            Seed(100, ProjectIds("f", 9), seed: 7);

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova" });

            AssertExact(Totals(output.Records));
            int active = _cloud.Expected(Start, End).Values.Sum(v => v.Servers);
            Assert.Equal((active / 7) + 1, _cloud.Log.Count(l => l.Contains("os-simple-tenant-usage")));
        }

        [Fact]
        public async Task A_full_page_without_a_next_link_is_refused()
        {
            // checked where the page lists its servers (-Detailed); a detailed=0 page cannot be counted
            Seed(50, ProjectIds("g", 5), seed: 8);
            _cloud.Rewrite = (r, body) => Regex.Replace(body, ",\"tenant_usages_links\":\\[[^\\]]*\\]", string.Empty);

            var e = await Assert.ThrowsAsync<UsageTruncatedException>(() => RunAsync(new UsageRequest { Source = "Nova", Detailed = true }, pageSize: 10));
            Assert.Contains("without a next link", e.Message);
        }

        [Fact]
        public async Task A_next_link_that_repeats_its_marker_stops_the_walk()
        {
            Seed(50, ProjectIds("h", 5), seed: 9);
            string? first = null;
            _cloud.Rewrite = (r, body) =>
            {
                var doc = JsonNode.Parse(body)!;
                if (doc["tenant_usages_links"] is JsonArray links)
                {
                    first ??= (string)links[0]!["href"]!;
                    links[0]!["href"] = first; // a server that never moves its marker on
                }

                return doc.ToJsonString();
            };

            var e = await Assert.ThrowsAsync<UsageTruncatedException>(() => RunAsync(new UsageRequest { Source = "Nova" }, pageSize: 10));
            Assert.Contains("repeats marker", e.Message);
            Assert.Equal(2, _cloud.Log.Count(l => l.Contains("os-simple-tenant-usage")));
        }

        [Fact]
        public async Task Named_tenants_run_in_parallel_within_the_throttle_limit_and_come_out_in_name_order()
        {
            List<string> projects = ProjectIds("k", 12);
            for (int k = 0; k < projects.Count; k++)
            {
                _cloud.AddProject(projects[k], $"tenant-{(char)('z' - k)}");
            }

            for (int k = 0; k < 30; k++)
            {
                _cloud.AddProject(ProjectIds("x", 30)[k], $"other-{k}"); // so that 12 named tenants are not "most of the cloud"
            }

            Seed(120, projects, seed: 10);
            _cloud.NovaDelay = TimeSpan.FromMilliseconds(60);

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Ids = projects, ThrottleLimit = 3 }, pageSize: 4);

            Assert.InRange(_cloud.MaxInFlight, 2, 3);
            AssertExact(Totals(output.Records));
            string[] names = output.Records.Select(r => r.TenantName).Distinct().ToArray();
            Assert.Equal(names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), names);
            Assert.Equal(12 * 4, output.Records.Count);
            Assert.Equal(new[] { "disk-gb-hour", "instance-hour", "ram-gb-hour", "vcpu-hour" }, output.Records.Take(4).Select(r => r.Resource));
            Assert.All(projects, p => Assert.Contains(_cloud.Log, l => l.Contains("os-simple-tenant-usage/" + p)));
            Assert.Contains(output.ProgressRecords, p => p.StatusDescription == "12 of 12 tenants" && p.PercentComplete == 100);
        }

        [Fact]
        public async Task Many_named_tenants_are_read_with_one_walk()
        {
            List<string> projects = ProjectIds("m", 40);
            foreach (string p in projects)
            {
                _cloud.AddProject(p, "t-" + p[..5]);
            }

            Seed(400, projects, seed: 11);
            Seed(50, ProjectIds("n", 3), seed: 12); // not asked for

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Ids = projects.Take(30).ToList() });

            Assert.DoesNotContain(_cloud.Log, l => l.Contains("os-simple-tenant-usage/"));
            Assert.Equal(30, output.Records.Select(r => r.TenantId).Distinct().Count());
            AssertExact(Totals(output.Records), projects.Take(30));
        }

        [Fact]
        public async Task A_named_tenant_without_usage_gets_zero_rows_and_unknown_names_an_error()
        {
            string idle = "i".PadRight(32, '0');
            _cloud.AddProject(idle, "idle", "vdc-small", "C-9");

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Names = new[] { "idle", "nope", "no*" } });

            Assert.Equal(4, output.Records.Count);
            Assert.All(output.Records, r => Assert.Equal((idle, "idle", "vdc-small", 0m), (r.TenantId, r.TenantName, r.Plan, r.Quantity)));
            var error = Assert.Single(output.Errors);
            Assert.StartsWith("TenantNotFound", error.FullyQualifiedErrorId);
            Assert.Equal("nope", error.TargetObject);
        }

        [Fact]
        public async Task Rows_carry_customer_and_the_plan_in_force_at_the_end_of_the_period_and_managed_only_filters()
        {
            string managed = "j".PadRight(32, '0'), unmanaged = "k".PadRight(32, '0'), deleted = "l".PadRight(32, '0');
            var history = new JsonArray(
                new JsonObject { ["at"] = "2026-09-01T00:00:00Z", ["event"] = "activated", ["plan"] = "vdc-small" },
                new JsonObject { ["at"] = "2026-11-10T00:00:00Z", ["event"] = "plan-changed", ["plan"] = "vdc-large" });
            _cloud.AddProject(managed, "acme", "vdc-large", "C-1", history);
            _cloud.AddProject(unmanaged, "lab");
            Seed(10, new[] { managed, unmanaged, deleted }, seed: 13);

            var (all, _) = await RunAsync(new UsageRequest { Source = "Nova" });

            Assert.Equal(new[] { "acme", "lab", string.Empty }, all.Records.Select(r => r.TenantName).Distinct());
            VdcUsageRecord row = all.Records.First();
            Assert.Equal(("C-1", "vdc-small", Start, End, "fake", "nova", "GB-hours"), (row.CustomerId, row.Plan, row.PeriodStart, row.PeriodEnd, row.Cloud, row.Source, row.Unit));
            Assert.Equal(string.Empty, all.Records.First(r => r.TenantName == "lab").Plan);
            Assert.Equal(deleted, all.Records.Last().TenantId);

            var (managedOnly, _) = await RunAsync(new UsageRequest { Source = "Nova", ManagedOnly = true });
            Assert.All(managedOnly.Records, r => Assert.Equal(managed, r.TenantId));
        }

        [Fact]
        public async Task Detailed_rows_add_up_to_the_tenant_totals()
        {
            List<string> projects = ProjectIds("p", 4);
            Seed(60, projects, seed: 14);

            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Detailed = true }, pageSize: 7);

            var totals = Totals(output.Records);
            foreach (var group in output.Records.Where(r => r.IsDetail).GroupBy(r => (r.TenantId, r.Resource)))
            {
                Assert.Equal(totals[group.Key], group.Sum(r => r.Quantity));
                Assert.All(group, r => Assert.False(string.IsNullOrEmpty(r.ServerId + r.ServerName + r.Flavor)));
            }

            var expected = _cloud.Expected(Start, End);
            Assert.Equal(expected.Values.Sum(v => v.Servers), output.Records.Where(r => r.IsDetail).Select(r => r.ServerId).Distinct().Count());

            // a tenant's totals come first, then its servers
            var firstTenant = output.Records.TakeWhile(r => r.TenantId == output.Records.First().TenantId).ToList();
            Assert.Equal(4, firstTenant.TakeWhile(r => !r.IsDetail).Count());
            Assert.True(firstTenant.Skip(4).All(r => r.IsDetail));
        }

        [Fact]
        public async Task By_default_gnocchi_adds_what_nova_does_not_report()
        {
            string a = "q".PadRight(32, '0'), b = "r".PadRight(32, '0');
            _cloud.AddProject(a, "alpha");
            _cloud.AddProject(b, "beta");
            Seed(5, new[] { a }, seed: 15);
            _cloud.Metrics["volume/volume.size"] = new() { [a] = 7440m, [b] = 100m };
            _cloud.Metrics["instance/vcpus"] = new() { [a] = 1m };

            var (output, _) = await RunAsync(new UsageRequest());

            // beta has only volumes: it is reported too, with zero Nova usage
            Assert.Equal(7440m, output.Records.Single(r => r.TenantName == "alpha" && r.Resource == "volume-gb-hour").Quantity);
            Assert.Equal(100m, output.Records.Single(r => r.TenantName == "beta" && r.Resource == "volume-gb-hour").Quantity);
            Assert.All(output.Records.Where(r => r.TenantName == "beta" && r.Source == "nova"), r => Assert.Equal(0m, r.Quantity));
            Assert.Equal("gnocchi", output.Records.Single(r => r.TenantName == "beta" && r.Resource == "volume-gb-hour").Source);
            Assert.DoesNotContain(output.Records, r => r.Source == "gnocchi" && r.Resource == "vcpu-hour");

            // no 'network' resource type here: floating IPs are not reported, with a warning saying why
            Assert.Contains(output.Warnings, w => w.Contains("floating-ip-hour") && w.Contains("network"));
            Assert.DoesNotContain(output.Records, r => r.Resource == "floating-ip-hour");
            // snapshots: no resource has volume.snapshot.size here, so a zero row (Gnocchi: "Metrics not found")
            Assert.Equal(new[] { "disk-gb-hour", "instance-hour", "ram-gb-hour", "snapshot-gb-hour", "vcpu-hour", "volume-gb-hour" }, output.Records.Where(r => r.TenantName == "alpha").Select(r => r.Resource));
            Assert.Equal(0m, output.Records.Single(r => r.TenantName == "alpha" && r.Resource == "snapshot-gb-hour").Quantity);
            Assert.Equal("3600", _cloud.LastAggregatesQuery!["granularity"]);
            Assert.Equal("0", _cloud.LastAggregatesQuery!["fill"]);
            Assert.StartsWith("project_id", _cloud.LastAggregatesQuery!["groupby"]);
        }

        [Fact]
        public async Task Volume_usage_comes_per_volume_type_named_as_cinder_names_it()
        {
            string a = "v".PadRight(32, '0'), b = "w".PadRight(32, '0');
            _cloud.AddProject(a, "alpha");
            _cloud.AddProject(b, "beta");
            _cloud.VolumeTypes = new() { ("6685584b-1eac-4da6-b5c3-555430cf68ff", "fast-ssd"), ("8c7ad9a2-3c5d-4b8e-9f0a-1b2c3d4e5f60", "capacity") };
            // Ceilometer Zed: the notifications write the type's id, the volume.size pollster its name
            _cloud.GroupedMetrics["volume/volume.size"] = new()
            {
                (a, "6685584b-1eac-4da6-b5c3-555430cf68ff", 1000m),
                (a, "fast-ssd", 24m),
                (a, "capacity", 500m),
                (a, null, 7m),
                (b, "gold-unknown-to-cinder", 3m),
            };
            _cloud.Metrics["volume/volume.snapshot.size"] = new() { [a] = 30m };

            var (output, _) = await RunAsync(new UsageRequest { Source = "Gnocchi" });

            var volumes = output.Records.Where(r => r.Resource == "volume-gb-hour").ToList();
            Assert.Equal(new[] { "alpha|:7", "alpha|capacity:500", "alpha|fast-ssd:1024", "beta|gold-unknown-to-cinder:3" },
                volumes.Select(r => $"{r.TenantName}|{r.VolumeType}:{r.Quantity}"));
            Assert.All(volumes, r => Assert.Equal("GB-hours", r.Unit));
            Assert.Equal(30m, output.Records.Single(r => r.TenantName == "alpha" && r.Resource == "snapshot-gb-hour").Quantity);
            Assert.All(output.Records.Where(r => r.Resource != "volume-gb-hour"), r => Assert.Equal(string.Empty, r.VolumeType));
            Assert.Contains(_cloud.Log, l => l == "GET /volume/v3/p-admin/types?is_public=None");
            Assert.Contains(_cloud.Log, l => l.Contains("groupby=project_id&groupby=volume_type", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Source_gnocchi_reads_every_mapped_resource_and_converts_megabytes()
        {
            string a = "s".PadRight(32, '0');
            _cloud.AddProject(a, "alpha");
            _cloud.ResourceTypes.Add("network");
            _cloud.Metrics["instance/vcpus"] = new() { [a] = 840m };
            _cloud.Metrics["instance/memory"] = new() { [a] = 1720320m };
            _cloud.Metrics["instance/cpu"] = new() { [a] = 780m };
            _cloud.Metrics["network/ip.floating"] = new() { [a] = 744m };
            // no volume.size anywhere: "Metrics not found" means no usage, not an error

            var (output, _) = await RunAsync(new UsageRequest { Source = "Gnocchi", Ids = new[] { a } });

            var got = output.Records.ToDictionary(r => r.Resource, r => (r.Quantity, r.Source, r.Unit));
            Assert.Equal((840m, "gnocchi", "vCPU-hours"), got["vcpu-hour"]);
            Assert.Equal((1680m, "gnocchi", "GB-hours"), got["ram-gb-hour"]);
            Assert.Equal((780m, "gnocchi", "hours"), got["instance-hour"]);
            Assert.Equal((744m, "gnocchi", "IP-hours"), got["floating-ip-hour"]);
            Assert.Equal((0m, "gnocchi", "GB-hours"), got["volume-gb-hour"]);
            Assert.DoesNotContain(_cloud.Log, l => l.Contains("os-simple-tenant-usage"));
            Assert.Contains("\"in\":{\"project_id\":[\"" + a + "\"]}", _cloud.LastAggregatesBody);
            Assert.Empty(output.Warnings);
            Assert.Empty(output.Errors);
        }

        [Fact]
        public async Task Source_all_gives_both_sources_side_by_side()
        {
            string a = "t".PadRight(32, '0');
            _cloud.AddProject(a, "alpha");
            Seed(3, new[] { a }, seed: 16);
            _cloud.Metrics["instance/vcpus"] = new() { [a] = 1m };

            var (output, _) = await RunAsync(new UsageRequest { Source = "All", Metrics = GnocchiOnly("vcpu-hour") });

            Assert.Equal(new[] { ("disk-gb-hour", "nova"), ("instance-hour", "nova"), ("ram-gb-hour", "nova"), ("vcpu-hour", "gnocchi"), ("vcpu-hour", "nova") },
                output.Records.Select(r => (r.Resource, r.Source)));
        }

        private static IReadOnlyList<GnocchiMetric> GnocchiOnly(params string[] resources)
            => GnocchiMetricMap.Defaults.Where(m => resources.Contains(m.Resource)).ToList();

        [Fact]
        public async Task Without_a_metric_endpoint_the_default_is_nova_only_and_source_gnocchi_fails()
        {
            _cloud.WithMetric = false;
            Seed(5, ProjectIds("u", 2), seed: 17);

            var (output, _) = await RunAsync(new UsageRequest());
            Assert.All(output.Records, r => Assert.Equal("nova", r.Source));
            Assert.Empty(output.Warnings);

            var e = await Assert.ThrowsAsync<EndpointNotFoundException>(() => RunAsync(new UsageRequest { Source = "Gnocchi" }));
            Assert.Equal("metric", e.ServiceType);
        }

        [Fact]
        public async Task A_gnocchi_failure_is_an_error_and_the_nova_rows_still_come()
        {
            Seed(5, ProjectIds("v", 2), seed: 18);
            _cloud.Intercept = r => r.Path.StartsWith("/metric/", StringComparison.Ordinal) ? Reply.Json(503, "{\"code\":503,\"description\":\"down\",\"title\":\"Service Unavailable\"}") : null;

            var (output, _) = await RunAsync(new UsageRequest { Metrics = GnocchiOnly("volume-gb-hour") });

            var error = Assert.Single(output.Errors);
            Assert.StartsWith("UsageQueryFailed", error.FullyQualifiedErrorId);
            Assert.Equal("volume-gb-hour", error.TargetObject);
            Assert.Equal(_cloud.Expected(Start, End).Count * 4, output.Records.Count);
        }

        [Fact]
        public async Task A_period_ending_after_now_warns_that_usage_stops_now()
        {
            Seed(3, ProjectIds("w", 1), seed: 19);
            var (output, _) = await RunAsync(new UsageRequest { Source = "Nova", Start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), End = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc) });
            Assert.Contains(output.Warnings, w => w.Contains("up to now"));
            Assert.All(output.Records, r => Assert.Equal(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), r.PeriodEnd));
        }
    }
}
