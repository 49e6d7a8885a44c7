using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Quotas;
using VdcPS.Tenants;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Tenants
{
    public class TenantServiceTests : IDisposable
    {
        private readonly FakeCloud _cloud = new();
        private KeystoneSession? _session;

        public void Dispose()
        {
            _session?.Dispose();
            _cloud.Dispose();
        }

        private async Task<TenantService> ServiceAsync()
        {
            _session ??= await KeystoneSession.ConnectAsync(new AuthOptions
            {
                AuthUrl = _cloud.AuthUrl,
                Method = VdcAuthMethod.Password,
                UserName = "admin",
                UserDomainId = "default",
                Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
                ProjectName = "admin",
                ProjectDomainId = "default",
            }, new HttpSettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
            _session.Http.Delay = (_, _) => Task.CompletedTask;
            return new TenantService(_session);
        }

        internal static PlanDefinition Plan(string name = "vdc-small") => new(
            name, "VDC Small", "test plan", "EUR", "member", 100m, 50m,
            Array.Empty<PlanProfessionalService>(), Array.Empty<PlanRate>(),
            new[]
            {
                new PlanQuota("compute", "cores", "count", "vCPUs", 8, 2, 16, 1, 1),
                new PlanQuota("compute", "ram", "MB", "RAM", 16384, 4096, 32768, 2, 1),
                new PlanQuota("block-storage", "gigabytes", "GB", "GB", 200, 50, 1000, 3, 1),
                new PlanQuota("network", "router", "count", "routers", 2, 1, 5, 4, 1),
            },
            "plans.yaml", 1);

        private static TenantRequest Request(string name = "acme", string customer = "C-1") => new()
        {
            Name = name,
            Plan = Plan(),
            CustomerId = customer,
            UserName = name + "-admin",
            Email = "ops@acme.example",
            Quotas = QuotaTargetCalculator.Targets(Plan(), Array.Empty<QuotaTarget>(), new List<string>()),
        };

        [Fact]
        public async Task Creates_project_user_role_and_every_quota_then_marks_the_tenant_active()
        {
            TenantService service = await ServiceAsync();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);

            Assert.False(created.AlreadyComplete);
            Assert.NotNull(created.Password);
            var project = _cloud.Projects[created.Tenant.Id];
            Assert.Equal("active", (string?)project["vdcps_state"]);
            Assert.Equal("vdc-small", (string?)project["vdcps_plan"]);
            Assert.Equal("C-1", (string?)project["vdcps_customer"]);
            Assert.NotNull(project["vdcps_activated_at"]);
            Assert.Null(project["vdcps_lease"]);
            string userId = _cloud.Users.Values.Single(u => (string)u["name"]! == "acme-admin")["id"]!.GetValue<string>();
            Assert.Contains((created.Tenant.Id, userId, "role-member"), _cloud.Assignments);
            Assert.Equal(8, _cloud.Quotas["compute"][created.Tenant.Id]["cores"]);
            Assert.Equal(16384, _cloud.Quotas["compute"][created.Tenant.Id]["ram"]);
            Assert.Equal(200, _cloud.Quotas["volume"][created.Tenant.Id]["gigabytes"]);
            Assert.Equal(2, _cloud.Quotas["network"][created.Tenant.Id]["router"]);
            Assert.Single(created.Tenant.Events);
        }

        [Fact]
        public async Task Creation_plan_change_and_a_quota_record_write_the_quota_history_on_the_project()
        {
            TenantService service = await ServiceAsync();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);
            QuotaRecord first = Assert.Single(QuotaHistory.Read(created.Tenant.Project));
            Assert.Equal(QuotaHistory.NewTenant, first.Source);
            Assert.Equal(TenantRecord.Parse(created.Tenant.Project.ExtraString(TenantRecord.ActivatedKey)), first.At);   // the activation time
            Assert.Equal(new[] { "compute.cores=8", "compute.ram=16384", "block-storage.gigabytes=200", "network.router=2" },
                first.Values.Select(v => $"{v.Key}={v.Value}"));

            TenantRecord changed = (await service.ChangeAsync(created.Tenant, Plan("vdc-medium"),
                new[] { new QuotaTarget("compute", "cores", 12) }, null, null, CancellationToken.None)).After;
            QuotaRecord second = QuotaHistory.Read(changed.Project)[1];
            Assert.Equal((QuotaHistory.SetTenant, "compute.cores=12"), (second.Source, string.Join(" ", second.Values.Select(v => $"{v.Key}={v.Value}"))));
            Assert.Equal(changed.Events.Last().At, second.At);   // the time of the plan change

            QuotaRecord third = await service.RecordQuotasAsync(created.Tenant.Id, QuotaHistory.SetQuota,
                new[] { new KeyValuePair<string, long>("compute.ram", 20480) }, CancellationToken.None);
            var stored = (System.Text.Json.Nodes.JsonArray)_cloud.Projects[created.Tenant.Id][QuotaHistory.Key]!;
            Assert.Equal(3, stored.Count);
            Assert.Equal(third.ToString(), stored[2]!.GetValue<string>());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ set-quota compute\.ram=20480$", third.ToString());
        }

        [Fact]
        public async Task Uses_the_minimum_number_of_requests()
        {
            TenantService service = await ServiceAsync();
            _cloud.Log.Clear();
            await service.CreateAsync(Request(), CancellationToken.None);
            // role lookup, compute version discovery, project, user, role, 3 quota writes, commit
            Assert.Equal(9, _cloud.Log.Count);
            _cloud.Log.Clear();
            await service.CreateAsync(Request("beta", "C-2"), CancellationToken.None);
            // role id and microversion are cached per connection: 7 requests per further tenant
            Assert.Equal(7, _cloud.Log.Count);
        }

        public static IEnumerable<object[]> Steps() => new[]
        {
            new object[] { "POST", "^/v3/projects$", "Creating project" },
            new object[] { "POST", "^/v3/users$", "Creating user" },
            new object[] { "PUT", "/roles/", "Granting role" },
            new object[] { "PUT", "^/compute/v2.1/os-quota-sets/", "Granting role" },
            new object[] { "PUT", "^/volume/v3/p-admin/os-quota-sets/", "Granting role" },
            new object[] { "PUT", "^/network/v2.0/quotas/", "Granting role" },
            new object[] { "PATCH", "^/v3/projects/", "Marking the tenant active" },
        };

        [Theory]
        [MemberData(nameof(Steps))]
        public async Task A_fault_at_any_step_leaves_nothing_behind(string method, string path, string step)
        {
            TenantService service = await ServiceAsync();
            _cloud.FailOn(method, path, status: 500);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.CreateAsync(Request(), CancellationToken.None));
            Assert.StartsWith(step, e.Step);
            Assert.Equal(string.Empty, e.NotRolledBack);
            Assert.Equal(string.Empty, _cloud.Leftovers());
            Assert.Contains("injected fault", e.Message);

            // and the same call succeeds once the cloud is well again
            _cloud.ClearFaults();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);
            Assert.Equal("active", (string?)_cloud.Projects[created.Tenant.Id]["vdcps_state"]);
        }

        [Theory]
        [MemberData(nameof(Steps))]
        public async Task A_dropped_connection_at_any_step_leaves_nothing_behind(string method, string path, string step)
        {
            TenantService service = await ServiceAsync();
            // reset twice so that even idempotent steps (retried once) fail
            _cloud.FailOn(method, path, nth: 1, reset: true);
            _cloud.FailOn(method, path, nth: 2, reset: true);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.CreateAsync(Request(), CancellationToken.None));
            Assert.StartsWith(step, e.Step);
            Assert.Equal(string.Empty, _cloud.Leftovers());
        }

        [Fact]
        public async Task A_failing_rollback_is_reported_with_what_is_left()
        {
            TenantService service = await ServiceAsync();
            _cloud.FailOn("PATCH", "^/v3/projects/", status: 503);
            _cloud.FailOn("PATCH", "^/v3/projects/", nth: 2, status: 503);
            _cloud.FailOn("DELETE", "^/v3/projects/", status: 500);
            _cloud.FailOn("DELETE", "^/v3/projects/", nth: 2, status: 500);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.CreateAsync(Request(), CancellationToken.None));
            Assert.Contains("project 'acme'", e.NotRolledBack);
            Assert.Contains("user 'acme-admin'", e.RolledBack);
            Assert.Contains("COULD NOT roll back", e.Message);
        }

        [Fact]
        public async Task A_nova_that_ignores_quota_writes_is_detected_and_rolled_back()
        {
            TenantService service = await ServiceAsync();
            _cloud.NovaIgnoresWrites = true;
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.CreateAsync(Request(), CancellationToken.None));
            Assert.IsType<QuotaNotAppliedException>(e.InnerException);
            Assert.Contains("cores: wanted 8, the service has 10", e.Message);
            Assert.Equal(string.Empty, _cloud.Leftovers());
        }

        [Fact]
        public async Task Rerunning_for_a_complete_tenant_changes_nothing()
        {
            TenantService service = await ServiceAsync();
            await service.CreateAsync(Request(), CancellationToken.None);
            int projects = _cloud.Projects.Count, users = _cloud.Users.Count;
            _cloud.Log.Clear();
            TenantCreated again = await service.CreateAsync(Request(), CancellationToken.None);
            Assert.True(again.AlreadyComplete);
            Assert.Null(again.Password);
            Assert.Equal(projects, _cloud.Projects.Count);
            Assert.Equal(users, _cloud.Users.Count);
            Assert.DoesNotContain(_cloud.Log, l => l.StartsWith("PATCH") || l.StartsWith("PUT") || l.StartsWith("DELETE"));
        }

        [Fact]
        public async Task Rerunning_after_a_crash_completes_the_tenant_and_sets_a_new_password()
        {
            TenantService service = await ServiceAsync();
            // a crash after the user was made: project in "provisioning", user present, nothing else
            _cloud.FailOn("PUT", "/roles/", status: 500);
            _cloud.FailOn("DELETE", "^/v3/users/", status: 500);
            _cloud.FailOn("DELETE", "^/v3/users/", nth: 2, status: 500);
            _cloud.FailOn("DELETE", "^/v3/projects/", status: 500);
            _cloud.FailOn("DELETE", "^/v3/projects/", nth: 2, status: 500);
            await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.CreateAsync(Request(), CancellationToken.None));
            _cloud.ClearFaults();
            Assert.Contains("project acme", _cloud.Leftovers());

            TenantRequest rerun = Request();
            rerun.TakeOver = true; // the crashed run's lease has not expired yet
            TenantCreated created = await service.CreateAsync(rerun, CancellationToken.None);
            Assert.True(created.Resumed);
            Assert.NotNull(created.Password);
            Assert.Equal("active", (string?)_cloud.Projects[created.Tenant.Id]["vdcps_state"]);
            Assert.Single(_cloud.Users.Values, u => (string)u["name"]! == "acme-admin");
            Assert.Single(_cloud.Projects.Values, p => (string)p["name"]! == "acme");
        }

        [Fact]
        public async Task A_second_run_while_the_first_provisions_is_refused_as_busy()
        {
            TenantService service = await ServiceAsync();
            // the first run stops after the project (its rollback fails), as if it were still running
            _cloud.FailOn("POST", "^/v3/users$", status: 500);
            _cloud.FailOn("DELETE", "^/v3/projects/", status: 500);
            _cloud.FailOn("DELETE", "^/v3/projects/", nth: 2, status: 500);
            await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.CreateAsync(Request(), CancellationToken.None));
            _cloud.ClearFaults();

            var busy = await Assert.ThrowsAsync<TenantRefusedException>(() => service.CreateAsync(Request(), CancellationToken.None));
            Assert.Equal("TenantBusy", busy.ErrorId);
        }

        [Fact]
        public async Task Two_concurrent_runs_for_one_tenant_make_one_tenant()
        {
            TenantService service = await ServiceAsync();
            Task<TenantCreated> a = service.CreateAsync(Request(), CancellationToken.None);
            Task<TenantCreated> b = service.CreateAsync(Request(), CancellationToken.None);
            Task all = Task.WhenAll(a, b);
            try
            {
                await all;
            }
            catch
            {
                // one of them may lose
            }

            Assert.Single(_cloud.Projects.Values, p => (string)p["name"]! == "acme");
            Assert.Single(_cloud.Users.Values, u => (string)u["name"]! == "acme-admin");
            Assert.True(a.IsCompletedSuccessfully || b.IsCompletedSuccessfully);
            var loser = new[] { a, b }.FirstOrDefault(t => t.IsFaulted);
            if (loser != null)
            {
                Assert.IsType<TenantRefusedException>(loser.Exception!.InnerException);
            }
            else
            {
                Assert.True(a.Result.AlreadyComplete || b.Result.AlreadyComplete);
            }
        }

        [Fact]
        public async Task A_name_taken_by_another_customer_or_by_an_unmanaged_project_is_refused_untouched()
        {
            TenantService service = await ServiceAsync();
            await service.CreateAsync(Request(), CancellationToken.None);
            var other = await Assert.ThrowsAsync<TenantRefusedException>(() => service.CreateAsync(Request(customer: "C-9"), CancellationToken.None));
            Assert.Equal("TenantNameTaken", other.ErrorId);
            var unmanaged = await Assert.ThrowsAsync<TenantRefusedException>(() => service.CreateAsync(Request(name: "admin"), CancellationToken.None));
            Assert.Equal("TenantNameTaken", unmanaged.ErrorId);
            Assert.Equal(2, _cloud.Projects.Count);
        }

        [Fact]
        public async Task Suspend_and_resume_record_the_events_and_disable_project_and_user()
        {
            TenantService service = await ServiceAsync();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);
            TenantRecord suspended = (await service.SetSuspendedAsync(created.Tenant, suspend: true, CancellationToken.None)).After;
            Assert.False(suspended.Enabled);
            Assert.Equal(VdcTenantState.Suspended, suspended.State);
            string userId = suspended.Project.ExtraString(TenantRecord.UserIdKey)!;
            Assert.False(_cloud.Users[userId]["enabled"]!.GetValue<bool>());

            TenantRecord resumed = (await service.SetSuspendedAsync(suspended, suspend: false, CancellationToken.None)).After;
            Assert.True(resumed.Enabled);
            Assert.True(_cloud.Users[userId]["enabled"]!.GetValue<bool>());
            Assert.Equal(new[] { "activated", "suspended", "resumed" }, resumed.Events.Select(e => e.Kind));
        }

        [Fact]
        public async Task A_failed_suspension_puts_the_project_back()
        {
            TenantService service = await ServiceAsync();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);
            _cloud.FailOn("PATCH", "^/v3/users/", status: 500);
            _cloud.FailOn("PATCH", "^/v3/users/", nth: 2, status: 500);
            await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.SetSuspendedAsync(created.Tenant, true, CancellationToken.None));
            var project = _cloud.Projects[created.Tenant.Id];
            Assert.True(project["enabled"]!.GetValue<bool>());
            Assert.Equal("active", (string?)project["vdcps_state"]);
            Assert.Single(TenantRecord.History(ProjectDto.From(project)));
        }

        public static IEnumerable<object[]> RemoveSteps() => new[]
        {
            new object[] { "PATCH", "^/v3/projects/", 1 },           // marking it removing
            new object[] { "DELETE", "^/compute/v2.1/os-quota-sets/", 1 },
            new object[] { "DELETE", "/roles/", 1 },
            new object[] { "DELETE", "^/v3/users/", 1 },
            new object[] { "PATCH", "^/v3/projects/", 2 },           // the last write: renamed, disabled, terminated
        };

        [Theory]
        [MemberData(nameof(RemoveSteps))]
        public async Task A_removal_interrupted_at_any_step_is_finished_by_a_rerun(string method, string path, int nth)
        {
            TenantService service = await ServiceAsync();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);
            _cloud.FailOn(method, path, nth: nth, status: 500);
            _cloud.FailOn(method, path, nth: nth + 1, status: 500);
            var e = await Assert.ThrowsAsync<VdcOperationFailedException>(() => service.RemoveAsync(created.Tenant, CancellationToken.None));
            Assert.Contains("run Remove-VdcTenant again", e.Message);
            _cloud.ClearFaults();

            TenantRecord? left = await service.FindAsync(created.Tenant.Id, null, "default", CancellationToken.None);
            Assert.NotNull(left);
            Assert.True(left!.State == VdcTenantState.Removing || (method == "PATCH" && nth == 1));
            TenantChange done = await service.RemoveAsync(left!, CancellationToken.None);

            // only the kept record is left: renamed, disabled, terminated, with the original name
            Assert.Equal("project vdcps-terminated-" + created.Tenant.Id, _cloud.Leftovers());
            Assert.Equal(VdcTenantState.Terminated, done.After.State);
            Assert.False(done.After.Enabled);
            Assert.Equal(created.Tenant.Name, done.After.TenantName);

            // a rerun changes nothing; the purge deletes the record for good
            Assert.False((await service.RemoveAsync(done.After, CancellationToken.None)).Changed);
            await service.PurgeAsync(done.After, CancellationToken.None);
            Assert.Equal(string.Empty, _cloud.Leftovers());
        }

        [Fact]
        public async Task Purge_refuses_a_live_tenant()
        {
            TenantService service = await ServiceAsync();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);
            var e = await Assert.ThrowsAsync<TenantRefusedException>(() => service.PurgeAsync(created.Tenant, CancellationToken.None));
            Assert.Equal("TenantNotTerminated", e.ErrorId);
            Assert.NotNull(await service.FindAsync(created.Tenant.Id, null, "default", CancellationToken.None));
        }

        [Fact]
        public async Task The_name_of_a_terminated_tenant_is_free_for_a_new_tenant()
        {
            TenantService service = await ServiceAsync();
            TenantCreated first = await service.CreateAsync(Request(), CancellationToken.None);
            await service.RemoveAsync(first.Tenant, CancellationToken.None);
            TenantCreated second = await service.CreateAsync(Request(), CancellationToken.None);
            Assert.NotEqual(first.Tenant.Id, second.Tenant.Id);
            Assert.False(second.AlreadyComplete);
            TenantRecord kept = Assert.Single(await service.FindTerminatedAsync(first.Tenant.Name, "default", CancellationToken.None));
            Assert.Equal(first.Tenant.Id, kept.Id);
        }

        [Fact]
        public async Task Owned_resources_are_listed()
        {
            TenantService service = await ServiceAsync();
            TenantCreated created = await service.CreateAsync(Request(), CancellationToken.None);
            _cloud.Servers[created.Tenant.Id] = new List<string> { "web-1" };
            var owned = await service.ListOwnedAsync(created.Tenant.Id, CancellationToken.None);
            Assert.Equal("server 'web-1' (web-1)", Assert.Single(owned).ToString());
        }
    }
}
