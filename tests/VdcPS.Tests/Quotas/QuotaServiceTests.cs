using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Quotas;
using VdcPS.Tenants;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Quotas
{
    /// <summary>Reading and writing quotas against the in-process fake cloud (real HTTP, real clients).</summary>
    public class QuotaServiceTests : IDisposable
    {
        private readonly FakeCloud _cloud = new();
        private readonly CapturingOutput _log = new();
        private KeystoneSession? _session;
        private KeystoneSession? _system;

        public QuotaServiceTests()
        {
            OperationLog.Current = _log;
            AddProject("p-10", "acme");
            AddProject("p-11", "beta");
            AddProject("p-12", "gamma");
        }

        public void Dispose()
        {
            OperationLog.Current = null;
            _session?.Dispose();
            _system?.Dispose();
            _cloud.Dispose();
        }

        private void AddProject(string id, string name)
            => _cloud.Projects[id] = new JsonObject { ["id"] = id, ["name"] = name, ["domain_id"] = "default", ["enabled"] = true, ["description"] = "", ["vdcps_plan"] = "vdc-small" };

        private async Task<KeystoneSession> ConnectAsync(bool system = false)
        {
            var session = await KeystoneSession.ConnectAsync(new AuthOptions
            {
                AuthUrl = _cloud.AuthUrl,
                Method = VdcAuthMethod.Password,
                UserName = "admin",
                UserDomainId = "default",
                Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
                ProjectName = system ? null : "admin",
                ProjectDomainId = system ? null : "default",
                SystemScope = system ? "all" : null,
                Region = "RegionOne",
            }, new HttpSettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
            session.Http.Delay = (_, _) => Task.CompletedTask;
            return session;
        }

        private async Task<QuotaReader> ReaderAsync(bool withSystem = false, int throttle = 4, params string[] services)
        {
            _session ??= await ConnectAsync();
            if (withSystem)
            {
                _system ??= await ConnectAsync(system: true);
            }

            var reader = new QuotaReader(_session, withSystem ? _system : null, "fake", services.Length == 0 ? QuotaResources.Services : services, throttle);
            await reader.InitializeAsync(readKeystone: true, CancellationToken.None);
            return reader;
        }

        private static QuotaTenant Tenant(string id = "p-10", string name = "acme") => new(id, name, "vdc-small", QuotaRowsTests.Plan());

        /// <summary>What Set-VdcQuota does for one tenant: read, plan, write.</summary>
        private async Task<QuotaWriteResult> SetAsync(QuotaReader reader, bool force, CancellationToken ct, params QuotaTarget[] targets)
        {
            QuotaTenant tenant = Tenant();
            TenantQuotas current = await reader.ReadAsync(tenant, allLimitsAtOnce: false, ct);
            Assert.Empty(current.Failures);
            var problems = new List<QuotaProblem>();
            var changes = QuotaChangeCalculator.Calculate(tenant.Plan!, targets, current.Values, reader.ComputeMicroversion, force, reader.Unified, current.ProjectLimits, problems);
            Assert.Empty(problems);
            return await new QuotaWriter(reader.Apis, reader.Unified, "fake").ApplyAsync(tenant, changes, force, ct);
        }

        private long Limit(string service, string key, string project = "p-10")
            => _cloud.Quotas[service].TryGetValue(project, out var limits) && limits.TryGetValue(key, out long v) ? v : 10;

        [Fact]
        public async Task Reads_every_service_with_usage_and_the_per_volume_type_keys()
        {
            _cloud.VolumeTypes.Add("__DEFAULT__");
            _cloud.InUse["compute"]["p-10"] = new() { ["cores"] = 3, ["instances"] = 2 };
            _cloud.InUse["volume"]["p-10"] = new() { ["gigabytes"] = 40 };
            _cloud.InUse["network"]["p-10"] = new() { ["router"] = 1 };
            QuotaReader reader = await ReaderAsync();

            TenantQuotas read = await reader.ReadAsync(Tenant(), allLimitsAtOnce: true, CancellationToken.None);
            Assert.Empty(read.Failures);
            Assert.Equal(7 + 10 + 9, read.Rows.Count);
            Assert.Equal(3, read.Rows.Single(r => r.Resource == "cores").InUse);
            Assert.Equal(40, read.Rows.Single(r => r.Resource == "gigabytes").InUse);
            Assert.Equal(1, read.Rows.Single(r => r.Resource == "router").InUse);
            Assert.Contains(read.Rows, r => r.Service == "block-storage" && r.Resource == "volumes___DEFAULT__");
            Assert.Contains(read.Rows, r => r.Service == "block-storage" && r.Resource == "gigabytes___DEFAULT__" && r.Unit == "GB");
            Assert.All(read.Rows, r => Assert.Equal("acme", r.TenantName));
            Assert.Equal(new[] { "compute", "block-storage", "network" }, read.Rows.Select(r => r.Service).Distinct());
        }

        [Theory]
        [InlineData("2.35", true, true)]
        [InlineData("2.56", false, true)]
        [InlineData("2.93", false, false)]
        public async Task The_compute_keys_follow_the_clouds_microversion(string novaMax, bool networks, bool injectedFiles)
        {
            _cloud.NovaMaxVersion = novaMax;
            QuotaReader reader = await ReaderAsync(services: "compute");
            Assert.Equal(Version.Parse(novaMax), reader.ComputeMicroversion);
            var keys = (await reader.ReadAsync(Tenant(), true, CancellationToken.None)).Rows.Select(r => r.Resource).ToList();
            Assert.Equal(networks, keys.Contains("networks"));
            Assert.Equal(networks, keys.Contains("floating_ips"));
            Assert.Equal(injectedFiles, keys.Contains("injected_files"));
            Assert.Contains("server_group_members", keys);
        }

        [Fact]
        public async Task Many_tenants_cost_one_get_per_service_each_plus_one_look_at_keystone()
        {
            QuotaReader reader = await ReaderAsync();
            _cloud.Log.Clear();
            foreach (var (id, name) in new[] { ("p-10", "acme"), ("p-11", "beta"), ("p-12", "gamma") })
            {
                await reader.ReadAsync(Tenant(id, name), true, CancellationToken.None);
            }

            Assert.Equal(9, _cloud.Log.Count);
            Assert.Equal(3, _cloud.Log.Count(l => l.StartsWith("GET /compute/v2.1/os-quota-sets/") && l.EndsWith("/detail")));
            Assert.Equal(3, _cloud.Log.Count(l => l.StartsWith("GET /volume/v3/p-admin/os-quota-sets/")));
            Assert.Equal(3, _cloud.Log.Count(l => l.StartsWith("GET /network/v2.0/quotas/") && l.EndsWith("/details.json")));
        }

        [Fact]
        public async Task A_service_without_an_endpoint_is_skipped_with_a_warning()
        {
            _session = await ConnectAsync();
            _session.Token.Catalog.RemoveAll(s => s.Type == "volumev3");
            QuotaReader reader = await ReaderAsync();
            Assert.Equal(new[] { "compute", "network" }, reader.Apis.Select(a => a.Service));
            Assert.Contains("no block-storage endpoint", _log.All);
            TenantQuotas read = await reader.ReadAsync(Tenant(), true, CancellationToken.None);
            Assert.Empty(read.Failures);
        }

        [Fact]
        public async Task A_failing_service_is_reported_and_the_others_still_read()
        {
            QuotaReader reader = await ReaderAsync();
            _cloud.FailOn("GET", "^/network/", status: 503);
            _cloud.FailOn("GET", "^/network/", nth: 2, status: 503);
            TenantQuotas read = await reader.ReadAsync(Tenant(), true, CancellationToken.None);
            Assert.Equal("network", Assert.Single(read.Failures).Service);
            Assert.Equal(new[] { "compute", "block-storage" }, read.Rows.Select(r => r.Service).Distinct());
        }

        [Fact]
        public async Task Unified_limits_are_read_from_keystone_with_a_system_scoped_connection()
        {
            _cloud.RegisterLimit("svc-nova", "class:VCPU", 20);
            _cloud.RegisterLimit("svc-nova", "servers", 10, region: null);
            _cloud.RegisterLimit("svc-nova", "class:DISK_GB", 100, region: "RegionTwo");
            _cloud.Limits.Add(new JsonObject { ["id"] = "lim-a", ["project_id"] = "p-10", ["service_id"] = "svc-nova", ["region_id"] = "RegionOne", ["resource_name"] = "class:VCPU", ["resource_limit"] = 6 });
            _cloud.InUse["compute"]["p-10"] = new() { ["cores"] = 2 };
            QuotaReader reader = await ReaderAsync(withSystem: true);
            Assert.Equal("flat", reader.Unified.Model);
            Assert.Equal(new[] { "compute" }, reader.Unified.Services.Keys);

            _cloud.Log.Clear();
            var acme = await reader.ReadAsync(Tenant(), true, CancellationToken.None);
            var beta = await reader.ReadAsync(Tenant("p-11", "beta"), true, CancellationToken.None);
            VdcQuota vcpu = acme.Rows.Single(r => r.Resource == "class:VCPU");
            Assert.Equal(QuotaRows.SourceKeystone, vcpu.Source);
            Assert.Equal(6, vcpu.Limit);
            Assert.Equal(2, vcpu.InUse);
            Assert.Equal(20, beta.Rows.Single(r => r.Resource == "class:VCPU").Limit);
            Assert.Equal(10, beta.Rows.Single(r => r.Resource == "servers").Limit);
            Assert.DoesNotContain(acme.Rows, r => r.Resource == "class:DISK_GB");
            // every project's limits are read once, not once per tenant
            Assert.Equal(1, _cloud.Log.Count(l => l == "GET /v3/limits"));
        }

        [Fact]
        public async Task Without_a_system_scoped_connection_keystone_rows_are_skipped_and_the_user_is_told()
        {
            _cloud.RegisterLimit("svc-nova", "class:VCPU", 20);
            QuotaReader reader = await ReaderAsync(withSystem: false);
            Assert.Null(reader.Unified.ProjectLimits);
            Assert.Contains("needs a system-scoped connection", _log.All);
            var read = await reader.ReadAsync(Tenant(), true, CancellationToken.None);
            Assert.All(read.Rows, r => Assert.Equal(QuotaRows.SourceService, r.Source));
        }

        [Fact]
        public async Task Writes_one_request_per_service_then_reads_every_value_back_with_a_fresh_get()
        {
            QuotaReader reader = await ReaderAsync();
            _cloud.Log.Clear();
            QuotaWriteResult result = await SetAsync(reader, false, CancellationToken.None,
                new QuotaTarget("compute", "cores", 6), new QuotaTarget("compute", "ram", 12288), new QuotaTarget("network", "router", 2));
            Assert.Equal(6, Limit("compute", "cores"));
            Assert.Equal(12288, Limit("compute", "ram"));
            Assert.Equal(2, Limit("network", "router"));
            Assert.Equal(1, _cloud.Log.Count(l => l.StartsWith("PUT /compute/")));
            Assert.Equal(1, _cloud.Log.Count(l => l.StartsWith("PUT /network/")));
            Assert.DoesNotContain(_cloud.Log, l => l.StartsWith("PUT /volume/"));
            int lastPut = _cloud.Log.FindLastIndex(l => l.StartsWith("PUT "));
            Assert.Contains(_cloud.Log.Skip(lastPut), l => l.StartsWith("GET /compute/v2.1/os-quota-sets/p-10"));
            Assert.Contains(_cloud.Log.Skip(lastPut), l => l.StartsWith("GET /network/v2.0/quotas/p-10"));
            Assert.Equal(new[] { "cores=6", "ram=12288", "router=2" }, result.Rows.Select(r => $"{r.Resource}={r.Limit}"));
        }

        [Fact]
        public async Task When_the_quota_history_cannot_be_recorded_every_write_is_put_back()
        {
            // Set-VdcQuota records the change on the project after the read-back; a failed record undoes the writes.
            QuotaReader reader = await ReaderAsync();
            long cores = Limit("compute", "cores"), router = Limit("network", "router");
            QuotaTenant tenant = Tenant();
            TenantQuotas current = await reader.ReadAsync(tenant, allLimitsAtOnce: false, CancellationToken.None);
            var problems = new List<QuotaProblem>();
            var changes = QuotaChangeCalculator.Calculate(tenant.Plan!, new[] { new QuotaTarget("compute", "cores", 6), new QuotaTarget("network", "router", 2) },
                current.Values, reader.ComputeMicroversion, false, reader.Unified, current.ProjectLimits, problems);
            bool committed = false;
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => new QuotaWriter(reader.Apis, reader.Unified, "fake").ApplyAsync(
                tenant, changes, false, CancellationToken.None, _ =>
                {
                    Assert.Equal(6, Limit("compute", "cores"));   // called after the writes
                    committed = true;
                    throw new InvalidOperationException("keystone refused the record");
                }));
            Assert.True(committed);
            Assert.Contains("Recording the quota change", e.Message);
            Assert.Equal((cores, router), (Limit("compute", "cores"), Limit("network", "router")));
        }

        [Fact]
        public async Task When_neutron_refuses_after_nova_changed_nova_is_put_back()
        {
            QuotaReader reader = await ReaderAsync();
            long before = Limit("compute", "cores");
            _cloud.DelayFor = r => r.Method == "PUT" && r.Path.StartsWith("/network/") ? TimeSpan.FromMilliseconds(150) : TimeSpan.Zero;
            _cloud.FailOn("PUT", "^/network/", status: 409);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetAsync(reader, false, CancellationToken.None,
                new QuotaTarget("compute", "cores", 6), new QuotaTarget("network", "router", 2)));
            Assert.Contains("injected fault", e.Message);
            Assert.Contains("compute quotas of 'acme'", e.RolledBack);
            Assert.Equal(string.Empty, e.NotRolledBack);
            Assert.Equal(before, Limit("compute", "cores"));
            Assert.Equal(10, Limit("network", "router"));
        }

        [Fact]
        public async Task A_nova_that_ignores_the_write_fails_the_change_and_puts_the_others_back()
        {
            QuotaReader reader = await ReaderAsync();
            _cloud.NovaIgnoresWrites = true;
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetAsync(reader, false, CancellationToken.None,
                new QuotaTarget("compute", "cores", 6), new QuotaTarget("network", "router", 2)));
            Assert.IsType<QuotaNotAppliedException>(e.InnerException);
            Assert.Equal("Reading the quotas back", e.Step);
            Assert.Contains("cores: wanted 6, the service has 10", e.Message);
            Assert.Equal(10, Limit("network", "router"));
        }

        [Fact]
        public async Task Below_usage_with_force_sends_novas_force_flag()
        {
            _cloud.InUse["compute"]["p-10"] = new() { ["cores"] = 6 };
            _cloud.Quotas["compute"]["p-10"] = new() { ["cores"] = 8 };
            QuotaReader reader = await ReaderAsync();
            _cloud.Server.Requests.Clear();
            await SetAsync(reader, true, CancellationToken.None, new QuotaTarget("compute", "cores", 4));
            Assert.Equal(4, Limit("compute", "cores"));
            SeenRequest put = _cloud.Server.Requests.Single(r => r.Method == "PUT");
            Assert.True(JsonNode.Parse(put.Body)!["quota_set"]!["force"]!.GetValue<bool>());
        }

        [Fact]
        public async Task Unified_limits_are_written_to_keystone_as_well_and_read_back()
        {
            _cloud.RegisterLimit("svc-nova", "class:VCPU", 20);
            _cloud.RegisterLimit("svc-nova", "class:MEMORY_MB", 51200);
            _cloud.Limits.Add(new JsonObject { ["id"] = "lim-ram", ["project_id"] = "p-10", ["service_id"] = "svc-nova", ["region_id"] = "RegionOne", ["resource_name"] = "class:MEMORY_MB", ["resource_limit"] = 8192 });
            QuotaReader reader = await ReaderAsync(withSystem: true);
            _cloud.Log.Clear();
            QuotaWriteResult result = await SetAsync(reader, false, CancellationToken.None,
                new QuotaTarget("compute", "cores", 6), new QuotaTarget("compute", "ram", 12288));

            Assert.Equal(6, Limit("compute", "cores"));
            Assert.Equal(6, _cloud.Limits.Single(l => (string?)l["resource_name"] == "class:VCPU")["resource_limit"]!.GetValue<long>());
            Assert.Equal(12288, _cloud.Limits.Single(l => (string?)l["resource_name"] == "class:MEMORY_MB")["resource_limit"]!.GetValue<long>());
            Assert.Equal(1, _cloud.Log.Count(l => l == "POST /v3/limits"));
            Assert.Equal(1, _cloud.Log.Count(l => l == "PATCH /v3/limits/lim-ram"));
            Assert.Contains(result.Rows, r => r.Source == QuotaRows.SourceKeystone && r.Resource == "class:VCPU" && r.Limit == 6);
            Assert.Empty(result.Notes);
        }

        [Fact]
        public async Task A_nova_on_unified_limits_ignores_the_write_and_keystone_holds_the_value()
        {
            _cloud.RegisterLimit("svc-nova", "class:VCPU", 20);
            _cloud.NovaIgnoresWrites = true;
            QuotaReader reader = await ReaderAsync(withSystem: true);
            QuotaWriteResult result = await SetAsync(reader, false, CancellationToken.None, new QuotaTarget("compute", "cores", 6));
            Assert.Contains("takes its limits from Keystone unified limits", Assert.Single(result.Notes));
            Assert.Equal(6, _cloud.Limits.Single()["resource_limit"]!.GetValue<long>());
        }

        [Fact]
        public async Task A_nova_on_unified_limits_without_a_system_connection_fails_and_says_what_to_do()
        {
            _cloud.RegisterLimit("svc-nova", "class:VCPU", 20);
            _cloud.NovaIgnoresWrites = true;
            QuotaReader reader = await ReaderAsync(withSystem: false);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetAsync(reader, false, CancellationToken.None, new QuotaTarget("compute", "cores", 6)));
            Assert.IsType<QuotaNotAppliedException>(e.InnerException);
            Assert.Contains("-SystemContext", e.Message);
            Assert.Empty(_cloud.Limits);
        }

        [Fact]
        public async Task When_keystone_refuses_nova_and_neutron_are_put_back()
        {
            _cloud.RegisterLimit("svc-nova", "class:VCPU", 20);
            QuotaReader reader = await ReaderAsync(withSystem: true);
            _cloud.FailOn("POST", "^/v3/limits$", status: 500);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetAsync(reader, false, CancellationToken.None,
                new QuotaTarget("compute", "cores", 6), new QuotaTarget("network", "router", 2)));
            Assert.Equal(string.Empty, e.NotRolledBack);
            Assert.Equal(10, Limit("compute", "cores"));
            Assert.Equal(10, Limit("network", "router"));
            Assert.Empty(_cloud.Limits);
        }

        [Fact]
        public async Task A_failing_read_back_also_rolls_everything_back_including_keystone()
        {
            _cloud.RegisterLimit("svc-nova", "class:VCPU", 20);
            QuotaReader reader = await ReaderAsync(withSystem: true);
            _cloud.FailOn("GET", "^/v3/limits", nth: 2, status: 500);
            _cloud.FailOn("GET", "^/v3/limits", nth: 3, status: 500);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetAsync(reader, false, CancellationToken.None, new QuotaTarget("compute", "cores", 6)));
            Assert.Equal("Reading the quotas back", e.Step);
            Assert.Equal(10, Limit("compute", "cores"));
            Assert.Empty(_cloud.Limits);
        }

        [Fact]
        public async Task Ctrl_C_during_the_write_stops_promptly_and_puts_back_what_was_written()
        {
            QuotaReader reader = await ReaderAsync();
            int networkPuts = 0;
            _cloud.DelayFor = r => r.Method == "PUT" && r.Path.StartsWith("/network/") && Interlocked.Increment(ref networkPuts) == 1 ? TimeSpan.FromSeconds(20) : TimeSpan.Zero;
            using var cts = new CancellationTokenSource();
            Task write = SetAsync(reader, false, cts.Token, new QuotaTarget("compute", "cores", 6), new QuotaTarget("network", "router", 2));
            await Task.Delay(300);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopped after {clock.Elapsed}");
            Assert.Equal(10, Limit("compute", "cores"));
        }
    }
}
