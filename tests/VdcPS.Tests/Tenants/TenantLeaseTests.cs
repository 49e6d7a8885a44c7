using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Quotas;
using VdcPS.Tenants;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Tenants
{
    /// <summary>
    /// Two runs, one tenant: the lease (a Keystone group) serializes changes or refuses with
    /// TenantBusy; a rollback undoes only what is still its own; a read-back that finds another
    /// writer's value says so.
    /// </summary>
    [Collection("TenantLeases")] // the lease's wait is a static setting
    public class TenantLeaseTests : IDisposable
    {
        private readonly FakeCloud _cloud = new();
        private readonly CapturingOutput _log = new();
        private readonly List<KeystoneSession> _sessions = new();
        private readonly TimeSpan _wait = TenantLeases.Wait;

        public TenantLeaseTests()
        {
            OperationLog.Current = _log;
            _cloud.Projects["p-10"] = new JsonObject
            {
                ["id"] = "p-10", ["name"] = "acme", ["domain_id"] = "default", ["enabled"] = true, ["description"] = "",
                ["vdcps_plan"] = "vdc-small", ["vdcps_state"] = "active", ["vdcps_activated_at"] = "2026-11-01T00:00:00Z",
                ["vdcps_history"] = new JsonArray(new JsonObject { ["at"] = "2026-11-01T00:00:00Z", ["event"] = "activated", ["plan"] = "vdc-small" }),
            };
            _cloud.Quotas["compute"]["p-10"] = new() { ["cores"] = 4 };
        }

        public void Dispose()
        {
            TenantLeases.Wait = _wait;
            OperationLog.Current = null;
            foreach (KeystoneSession s in _sessions)
            {
                s.Dispose();
            }

            _cloud.Dispose();
        }

        /// <summary>A separate connection per run, as two runbooks have.</summary>
        private async Task<KeystoneSession> ConnectAsync()
        {
            var session = await KeystoneSession.ConnectAsync(new AuthOptions
            {
                AuthUrl = _cloud.AuthUrl,
                Method = VdcAuthMethod.Password,
                UserName = "admin",
                UserDomainId = "default",
                Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
                ProjectName = "admin",
                ProjectDomainId = "default",
            }, new HttpSettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
            session.Http.Delay = (_, _) => Task.CompletedTask;
            lock (_sessions)
            {
                _sessions.Add(session);
            }

            return session;
        }

        private static PlanCatalog Catalog() => new("plans.yaml", "v1", new[] { TenantServiceTests.Plan() }, Array.Empty<PlanProblem>());

        private ProjectDto Project() => ProjectDto.From(JsonNode.Parse(_cloud.Projects["p-10"].ToJsonString())!);

        private long Cores() => _cloud.Quotas["compute"]["p-10"]["cores"];

        /// <summary>One Set-VdcQuota -Cores run, from its own connection, as the cmdlet runs it (under the lease).</summary>
        private async Task<QuotaChangeOutcome> SetCoresAsync(long cores)
        {
            KeystoneSession session = await ConnectAsync();
            var reader = new QuotaReader(session, null, "fake", new[] { QuotaResources.Compute }, 4);
            await reader.InitializeAsync(readKeystone: false, CancellationToken.None);
            var run = new QuotaChangeRun(reader, Catalog(), new[] { new QuotaTarget("compute", "cores", cores) }, force: false, "fake");
            var service = new TenantService(session);
            return await service.Leases.RunAsync(Project(), "Set-VdcQuota", run.ApplyAsync, CancellationToken.None);
        }

        [Fact]
        public async Task Two_concurrent_quota_writers_take_turns_and_the_tenant_ends_with_the_value_of_the_last_one()
        {
            // Every quota write is slow, so the two runs surely overlap.
            _cloud.DelayFor = r => r.Method == "PUT" ? TimeSpan.FromMilliseconds(400) : TimeSpan.Zero;
            var order = new List<long>();
            async Task Run(long cores)
            {
                QuotaChangeOutcome outcome = await SetCoresAsync(cores);
                lock (order)
                {
                    order.Add(cores); // completes (and so would journal) under the lease
                }

                Assert.NotNull(outcome.Written);
            }

            await Task.WhenAll(Run(6), Run(7));

            Assert.Equal(2, order.Count);
            Assert.Equal(order.Last(), Cores());
            Assert.Empty(_cloud.Groups); // both leases released
            Assert.DoesNotContain(_log.Lines, w => w.Contains("unified limits", StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task A_run_that_cannot_get_the_lease_in_time_fails_with_TenantBusy_and_changes_nothing()
        {
            TenantLeases.Wait = TimeSpan.FromMilliseconds(600);
            string until = TenantRecord.Format(DateTime.UtcNow.AddMinutes(5));
            _cloud.Groups["g-held"] = new JsonObject
            {
                ["id"] = "g-held", ["name"] = "vdcps-lease-p-10", ["domain_id"] = "default",
                ["description"] = $"vdcps lease abc until {until} by ops@host1 pid 42: Suspend-VdcTenant of tenant 'acme'",
            };

            var e = await Assert.ThrowsAsync<TenantRefusedException>(() => SetCoresAsync(8));
            Assert.Equal(ErrorIds.TenantBusy, e.ErrorId);
            Assert.Contains("ops@host1", e.Message);
            Assert.Contains("openstack group delete --domain default vdcps-lease-p-10", e.RecommendedAction);
            Assert.Equal(4, Cores());
            Assert.DoesNotContain(_cloud.Log, l => l.StartsWith("PUT ", StringComparison.Ordinal));
            Assert.True(_cloud.Groups.ContainsKey("g-held")); // someone else's lease is left alone
        }

        [Fact]
        public async Task A_lease_left_by_a_killed_run_expires_and_is_taken_over()
        {
            _cloud.Groups["g-old"] = new JsonObject
            {
                ["id"] = "g-old", ["name"] = "vdcps-lease-p-10", ["domain_id"] = "default",
                ["description"] = $"vdcps lease abc until {TenantRecord.Format(DateTime.UtcNow.AddSeconds(-1))} by ops@host1 pid 42: Set-VdcQuota of tenant 'acme'",
            };

            QuotaChangeOutcome outcome = await SetCoresAsync(8);
            Assert.NotNull(outcome.Written);
            Assert.Equal(8, Cores());
            Assert.Empty(_cloud.Groups);
            Assert.Contains(_log.Lines, w => w.StartsWith("WARNING: ", StringComparison.Ordinal) && w.Contains("took over the lease", StringComparison.Ordinal));
        }

        [Fact]
        public async Task The_lease_is_released_when_the_change_fails()
        {
            _cloud.FailOn("PUT", "^/compute/v2.1/os-quota-sets/p-10", status: 500);
            _cloud.FailOn("PUT", "^/compute/v2.1/os-quota-sets/p-10", nth: 2, status: 500);
            await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetCoresAsync(8));
            Assert.Empty(_cloud.Groups);
            Assert.Equal(4, Cores());
        }

        [Fact]
        public async Task A_concurrent_suspension_and_quota_change_both_land_and_the_record_stays_whole()
        {
            _cloud.DelayFor = r => r.Method == "PATCH" || r.Method == "PUT" ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero;
            KeystoneSession session = await ConnectAsync();
            var service = new TenantService(session);
            Task<TenantChange> suspend = service.SetSuspendedAsync(new TenantRecord(Project()), suspend: true, CancellationToken.None);
            Task<QuotaChangeOutcome> quota = SetCoresAsync(9);
            await Task.WhenAll(suspend, quota);

            Assert.True(suspend.Result.Changed);
            Assert.Equal(9, Cores());
            ProjectDto now = Project();
            Assert.Equal(VdcTenantState.Suspended, TenantRecord.StateOf(now));
            Assert.Equal(new[] { "activated", "suspended" }, TenantRecord.History(now).Select(e => e.Kind));
        }

        [Fact]
        public async Task A_second_suspension_that_waited_finds_the_work_done_and_changes_nothing()
        {
            _cloud.DelayFor = r => r.Method == "PATCH" ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero;
            var a = new TenantService(await ConnectAsync());
            var b = new TenantService(await ConnectAsync());
            TenantChange[] done = await Task.WhenAll(
                a.SetSuspendedAsync(new TenantRecord(Project()), true, CancellationToken.None),
                b.SetSuspendedAsync(new TenantRecord(Project()), true, CancellationToken.None));

            Assert.Equal(1, done.Count(d => d.Changed));
            Assert.Equal(new[] { "activated", "suspended" }, TenantRecord.History(Project()).Select(e => e.Kind)); // recorded once
        }

        [Fact]
        public async Task A_read_back_that_finds_another_writers_value_names_it_and_the_rollback_keeps_that_value()
        {
            // Someone outside VdcPS (the openstack CLI) sets cores=7 right after our write of 6.
            _cloud.DelayFor = r =>
            {
                if (r.Method == "PUT" && r.Path.Contains("os-quota-sets/p-10", StringComparison.Ordinal))
                {
                    _cloud.Quotas["compute"]["p-10"]["cores"] = 7;
                }

                return TimeSpan.Zero;
            };

            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetCoresAsync(6));
            Assert.IsType<QuotaChangedConcurrentlyException>(e.InnerException);
            Assert.Contains("Another writer changed", e.Message);
            Assert.DoesNotContain("unified limits", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Left as another writer set it", e.Message);
            Assert.Equal(7, Cores()); // not rolled back over the other writer's value
            Assert.Empty(_cloud.Groups);
        }

        [Fact]
        public async Task A_service_that_ignores_the_write_is_still_reported_as_unified_limits()
        {
            _cloud.NovaIgnoresWrites = true;
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => SetCoresAsync(6));
            Assert.IsType<QuotaNotAppliedException>(e.InnerException);
            Assert.Contains("unified limits", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(4, Cores());
        }

        [Fact]
        public async Task A_rollback_restores_only_the_values_that_are_still_its_own()
        {
            KeystoneSession session = await ConnectAsync();
            IQuotaApi nova = new VdcPS.Openstack.Compute.ComputeApi(session);
            _cloud.Quotas["compute"]["p-10"] = new() { ["cores"] = 6, ["ram"] = 9000 }; // this run wrote cores 6 and ram 8000; ram was changed since
            var restored = new List<IReadOnlyDictionary<string, long>>();
            var kept = await Assert.ThrowsAsync<UndoSkippedException>(() => QuotaUndo.RestoreOwnAsync(nova, "p-10",
                new Dictionary<string, long> { ["cores"] = 6, ["ram"] = 8000 },
                new Dictionary<string, long> { ["cores"] = 4, ["ram"] = 4096 },
                async (values, ct) =>
                {
                    restored.Add(values);
                    await nova.SetAsync("p-10", values, ct);
                }, CancellationToken.None));

            Assert.Equal(new[] { "cores" }, Assert.Single(restored).Keys);
            Assert.Equal(4, Cores());
            Assert.Equal(9000, _cloud.Quotas["compute"]["p-10"]["ram"]);
            Assert.Contains("ram is 9000", kept.Message);
        }
    }
}
