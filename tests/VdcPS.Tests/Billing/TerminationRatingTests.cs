using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Openstack.Identity;
using VdcPS.Tenants;
using VdcPS.Tests.TestSupport;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>
    /// The timeline rule of termination: a "terminated" event closes the active time at its instant
    /// and nothing after it opens it again; fees are prorated to the termination day, and the kept
    /// project's record (renamed, disabled) still rates under the tenant's original name.
    /// vdc-small (sample catalog): monthly 149.00, setup 99.00.
    /// </summary>
    public class TerminationRatingTests
    {
        private static TenantEvent Terminated(DateTime at, string plan = "vdc-small") => new(at, TenantTimeline.Terminated, plan);

        [Fact]
        public void Terminated_event_closes_the_active_time_and_nothing_reopens_it()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small",
                Activated(Utc(2026, 9, 10, 8), "vdc-small"),
                Terminated(Utc(2026, 11, 18, 10)),
                Resumed(Utc(2026, 11, 20)),                     // never after a termination: ignored
                Activated(Utc(2026, 11, 21), "vdc-small"));     // the same project is never activated again

            ActiveInterval only = Assert.Single(t.Intervals);
            Assert.Equal(Utc(2026, 9, 10, 8), only.Start);
            Assert.Equal(Utc(2026, 11, 18, 10), only.End);
        }

        [Fact]
        public void Terminated_while_suspended_adds_no_active_time()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small",
                Activated(Utc(2026, 9, 10, 8), "vdc-small"),
                Suspended(Utc(2026, 11, 5, 12)),
                Terminated(Utc(2026, 11, 18, 10)));

            ActiveInterval only = Assert.Single(t.Intervals);
            Assert.Equal(Utc(2026, 11, 5, 12), only.End);
            // days 1..5 of November: 149 x 5 / 30 = 24.8333 -> 24.83
            VdcChargeLine fee = Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal(5m, fee.Quantity);
            Assert.Equal("24.83", Text(fee.Amount));
        }

        [Fact]
        public void Terminated_on_the_18th_pays_18_days_of_the_month()
        {
            // active since September, terminated 2026-11-18 10:00 UTC: days 1..18 = 18 days.
            // 149 x 18 / 30 = 2682 / 30 = 89.40
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 9, 10, 8), "vdc-small"), Terminated(Utc(2026, 11, 18, 10)));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);

            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal(18m, fee.Quantity);
            Assert.Equal("89.40", Text(fee.Amount));
            Assert.Equal("VDC Small monthly fee 2026-11: 2026-11-01 to 2026-11-18 (18 of 30 days)", fee.Description);
            Assert.Single(r.Lines);

            // the month after: nothing at all
            Assert.Empty(Rate(Utc(2026, 12, 1), Utc(2027, 1, 1), t).Lines);
        }

        [Fact]
        public void Terminated_at_midnight_does_not_pay_that_day()
        {
            // terminated 2026-11-18 00:00:00: the 18th has no active moment -> 17 days; 149 x 17 / 30 = 84.4333 -> 84.43
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 9, 10, 8), "vdc-small"), Terminated(Utc(2026, 11, 18)));
            VdcChargeLine fee = Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal(17m, fee.Quantity);
            Assert.Equal("84.43", Text(fee.Amount));
        }

        [Fact]
        public void A_removal_under_way_already_ends_the_billing_at_the_recorded_time()
        {
            // state removing: access ended at vdcps_terminated_at, the history event is written by the last step
            var tenant = new VdcTenant
            {
                Id = "p-1", Name = "acme", CustomerId = "C-1", Plan = "vdc-small", State = VdcTenantState.Removing,
                History = "2026-09-10T08:00:00Z activated vdc-small",
                TerminatedAt = Utc(2026, 11, 18, 10),
            };
            TenantTimeline t = TenantTimeline.FromTenant(tenant);
            Assert.Equal(Utc(2026, 11, 18, 10), Assert.Single(t.Intervals).End);
        }

        [Fact]
        public void History_text_with_a_termination_round_trips_through_a_tenant_object()
        {
            var tenant = new VdcTenant
            {
                Id = "p-1", Name = "acme", CustomerId = "C-1", Plan = "vdc-small", State = VdcTenantState.Terminated,
                History = "2026-09-10T08:00:00Z activated vdc-small; 2026-11-18T10:00:00Z terminated vdc-small",
                TerminatedAt = Utc(2026, 11, 18, 10),
            };
            TenantTimeline t = TenantTimeline.FromTenant(tenant);
            Assert.Equal(2, t.Events.Count);                // TerminatedAt adds no second event
            Assert.Equal(Utc(2026, 11, 18, 10), Assert.Single(t.Intervals).End);
        }

        [Fact]
        public void The_kept_project_rates_under_its_original_name_up_to_the_termination()
        {
            // the body Keystone (lab, Zed) answered to the termination's last PATCH
            JsonNode doc = JsonNode.Parse(ApiFixture.Sample("identity", "lab-zed__project-update-terminated-response.json"))!;
            ProjectDto kept = ProjectDto.From(doc["project"]!);

            Assert.Equal(VdcTenantState.Terminated, TenantRecord.StateOf(kept));
            VdcTenant shown = TenantRecord.ToTenant(kept, "lab");
            Assert.Equal("acme", shown.Name);
            Assert.Equal("vdcps-terminated-367d495f1a924589ba15e88e5281ca61", shown.ProjectName);
            Assert.Equal(Utc(2026, 11, 18, 10), shown.TerminatedAt);
            Assert.False(shown.Enabled);

            TenantTimeline t = TenantTimeline.FromProject(kept)!;
            Assert.Equal("acme", t.TenantName);
            VdcChargeLine fee = Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal("89.40", Text(fee.Amount));
            Assert.Equal("acme", fee.TenantName);
        }

        [Fact]
        public async Task The_last_write_of_a_termination_is_one_PATCH_that_renames_disables_and_closes_the_history()
        {
            ProjectDto removing = ProjectDto.From(new JsonObject
            {
                ["id"] = "367d495f1a924589ba15e88e5281ca61", ["name"] = "acme", ["domain_id"] = "default", ["enabled"] = false,
                ["vdcps_plan"] = "vdc-small", ["vdcps_customer"] = "C-TT", ["vdcps_state"] = "removing",
                ["vdcps_terminated_at"] = "2026-11-18T10:00:00Z", ["vdcps_lease"] = "abc 2026-11-18T10:00:00Z",
                ["vdcps_history"] = new JsonArray(new JsonObject { ["at"] = "2026-09-10T08:00:00Z", ["event"] = "activated", ["plan"] = "vdc-small" }),
            });
            Assert.False(TenantTerminationRecord.NeedsMarking(removing)); // a rerun does not write the first step again

            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("PATCH", "^/v3/projects/367d495f1a924589ba15e88e5281ca61$", 200, ApiFixture.Sample("identity", "lab-zed__project-update-terminated-response.json"));

            ProjectDto kept = await new IdentityApi(cloud.Session).UpdateProjectAsync(removing.Id, TenantTerminationRecord.Commit(removing, Utc(2026, 11, 18, 10)), CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"project\":{\"name\":\"vdcps-terminated-367d495f1a924589ba15e88e5281ca61\",\"enabled\":false,\"vdcps_state\":\"terminated\","
                + "\"vdcps_original_name\":\"acme\",\"vdcps_terminated_at\":\"2026-11-18T10:00:00Z\",\"vdcps_lease\":null,"
                + "\"vdcps_history\":[{\"at\":\"2026-09-10T08:00:00Z\",\"event\":\"activated\",\"plan\":\"vdc-small\"},"
                + "{\"at\":\"2026-11-18T10:00:00Z\",\"event\":\"terminated\",\"plan\":\"vdc-small\"}]}}",
                cloud.Single("PATCH").Body);
            Assert.Equal("vdcps-terminated-367d495f1a924589ba15e88e5281ca61", kept.Name);
            Assert.False(kept.Enabled);
        }

        [Fact]
        public void The_first_write_of_a_removal_keeps_an_earlier_runs_time()
        {
            ProjectDto active = ProjectDto.From(new JsonObject
            {
                ["id"] = "p-1", ["name"] = "acme", ["domain_id"] = "default", ["enabled"] = true,
                ["vdcps_plan"] = "vdc-small", ["vdcps_state"] = "active",
            });
            Assert.True(TenantTerminationRecord.NeedsMarking(active));
            string first = TenantTerminationRecord.MarkRemoving(active, Utc(2026, 11, 18, 10)).ToRequestBody().ToJsonString();
            ApiFixture.AssertSameJson("{\"project\":{\"enabled\":false,\"vdcps_state\":\"removing\",\"vdcps_terminated_at\":\"2026-11-18T10:00:00Z\"}}", first);

            ProjectDto interrupted = ProjectDto.From(new JsonObject
            {
                ["id"] = "p-1", ["name"] = "acme", ["domain_id"] = "default", ["enabled"] = true, // enabled again by hand
                ["vdcps_plan"] = "vdc-small", ["vdcps_state"] = "removing", ["vdcps_terminated_at"] = "2026-11-18T10:00:00Z",
            });
            Assert.True(TenantTerminationRecord.NeedsMarking(interrupted));
            string again = TenantTerminationRecord.MarkRemoving(interrupted, Utc(2026, 11, 19)).ToRequestBody().ToJsonString();
            Assert.Contains("\"vdcps_terminated_at\":\"2026-11-18T10:00:00Z\"", again);
        }

        [Fact]
        public void The_kept_name_fits_Keystones_64_characters()
        {
            Assert.Equal("vdcps-terminated-367d495f1a924589ba15e88e5281ca61", TenantTerminationRecord.ProjectNameFor("367d495f1a924589ba15e88e5281ca61"));
            Assert.True(TenantTerminationRecord.ProjectNameFor(new string('a', 80)).Length <= 64);
        }
    }
}
