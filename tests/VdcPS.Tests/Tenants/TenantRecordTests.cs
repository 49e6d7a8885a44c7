using System;
using System.Linq;
using System.Text.Json.Nodes;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Openstack.Identity;
using VdcPS.Tenants;
using Xunit;

namespace VdcPS.Tests.Tenants
{
    /// <summary>A record field that cannot be read is an error naming the tenant and the field, never a silent default.</summary>
    public class TenantRecordTests
    {
        private static ProjectDto Project(Action<JsonObject>? change = null)
        {
            var p = new JsonObject
            {
                ["id"] = "p-7", ["name"] = "acme", ["domain_id"] = "default", ["enabled"] = true, ["description"] = "",
                ["vdcps_plan"] = "vdc-small", ["vdcps_customer"] = "C-1", ["vdcps_state"] = "active",
                ["vdcps_activated_at"] = "2026-11-01T09:00:00Z",
                ["vdcps_history"] = new JsonArray(
                    new JsonObject { ["at"] = "2026-11-01T09:00:00Z", ["event"] = "activated", ["plan"] = "vdc-small" },
                    new JsonObject { ["at"] = "2026-11-10T00:00:00Z", ["event"] = "suspended", ["plan"] = "vdc-small" },
                    new JsonObject { ["at"] = "2026-11-12T00:00:00Z", ["event"] = "resumed", ["plan"] = "vdc-small" }),
            };
            change?.Invoke(p);
            return ProjectDto.From(p);
        }

        [Fact]
        public void A_whole_record_reads()
        {
            ProjectDto project = Project();
            TenantRecord.Validate(project);
            VdcTenant tenant = TenantRecord.ToTenant(project, "lab");
            Assert.Equal(VdcTenantState.Active, tenant.State);
            Assert.Equal(3, TenantRecord.History(project).Count);
        }

        [Fact]
        public void A_history_restored_by_hand_as_JSON_text_reads_like_the_array()
        {
            // `openstack project set --property` can only write text
            ProjectDto project = Project(p => p["vdcps_history"] = p["vdcps_history"]!.ToJsonString());
            Assert.Equal(new[] { "activated", "suspended", "resumed" }, TenantRecord.History(project).Select(e => e.Kind));
        }

        [Fact]
        public void A_missing_history_is_no_history_but_a_damaged_one_is_an_error_naming_tenant_and_field()
        {
            Assert.Empty(TenantRecord.History(Project(p => p.Remove("vdcps_history"))));

            ProjectDto damaged = Project(p => p["vdcps_history"] = "[{\"at\": \"2026-11-01T09:00:00Z\", \"event\": \"activ");
            var e = Assert.Throws<TenantRecordDamagedException>(() => TenantRecord.ToTenant(damaged, "lab"));
            Assert.Equal(("acme", "p-7"), (e.TenantName, e.TenantId));
            Assert.Equal(new[] { "vdcps_history" }, e.Fields);
            Assert.Contains("'acme'", e.Message);
            Assert.Contains("vdcps_history is not valid JSON", e.Message);
            Assert.Contains("openstack project set --property vdcps_history=", e.RecommendedAction);
            Assert.Throws<TenantRecordDamagedException>(() => TenantRecord.History(damaged));
            Assert.Throws<TenantRecordDamagedException>(() => TenantRecord.HistoryWith(damaged, new TenantEvent(DateTime.UtcNow, "suspended", "vdc-small")));
        }

        [Theory]
        [InlineData("vdcps_history", "{\"at\": 1}")]
        [InlineData("vdcps_history", "[{\"at\": \"yesterday\", \"event\": \"suspended\", \"plan\": \"vdc-small\"}]")]
        [InlineData("vdcps_state", "paused")]
        [InlineData("vdcps_activated_at", "first of November")]
        [InlineData("vdcps_suspended_at", "2026-13-45")]
        [InlineData("vdcps_plan", "")]
        [InlineData("vdcps_quota_history", "[\"2026-11-01T09:00:00Z new-tenant compute.cores=four\"]")]
        [InlineData("vdcps_quota_history", "{not json")]
        public void Every_field_that_cannot_be_read_is_named(string field, string value)
        {
            ProjectDto damaged = Project(p => p[field] = value);
            var e = Assert.Throws<TenantRecordDamagedException>(() => TenantRecord.Validate(damaged));
            Assert.Contains(field, e.Fields);
            Assert.Throws<TenantRecordDamagedException>(() => TenantTimeline.FromProject(damaged));
        }

        [Fact]
        public void A_missing_state_or_a_billing_tenant_without_activation_is_damaged_too()
        {
            Assert.Contains("vdcps_state", Assert.Throws<TenantRecordDamagedException>(() => TenantRecord.Validate(Project(p => p.Remove("vdcps_state")))).Fields);
            var e = Assert.Throws<TenantRecordDamagedException>(() => TenantRecord.Validate(Project(p =>
            {
                p.Remove("vdcps_activated_at");
                p["vdcps_history"] = new JsonArray();
            })));
            Assert.Contains("vdcps_activated_at", e.Fields);

            // provisioning (interrupted New-VdcTenant) has neither yet: fine
            TenantRecord.Validate(Project(p =>
            {
                p["vdcps_state"] = "provisioning";
                p.Remove("vdcps_activated_at");
                p.Remove("vdcps_history");
            }));
        }

        [Fact]
        public void Several_damaged_fields_are_named_in_one_error()
        {
            var e = Assert.Throws<TenantRecordDamagedException>(() => TenantRecord.Validate(Project(p =>
            {
                p["vdcps_state"] = "???";
                p["vdcps_history"] = "not json";
            })));
            Assert.Equal(new[] { "vdcps_state", "vdcps_history" }, e.Fields);
        }

        [Fact]
        public void A_project_VdcPS_did_not_make_has_no_record_to_damage()
        {
            ProjectDto unmanaged = ProjectDto.From(new JsonObject { ["id"] = "p-9", ["name"] = "ops", ["domain_id"] = "default", ["vdcps_history"] = "junk" });
            TenantRecord.Validate(unmanaged);
            Assert.Equal(VdcTenantState.Unmanaged, TenantRecord.StateOf(unmanaged));
            Assert.Null(TenantTimeline.FromProject(unmanaged));
        }
    }
}
