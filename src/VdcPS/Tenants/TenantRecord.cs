using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using VdcPS.Models;
using VdcPS.Openstack.Identity;

namespace VdcPS.Tenants
{
    /// <summary>One entry of a tenant's history: activation, suspension, resumption, plan change.</summary>
    internal sealed class TenantEvent
    {
        public TenantEvent(DateTime at, string kind, string plan)
        {
            At = at;
            Kind = kind;
            Plan = plan;
        }

        public DateTime At { get; }

        /// <summary>activated, suspended, resumed, plan-changed.</summary>
        public string Kind { get; }

        /// <summary>The plan in force from this event on.</summary>
        public string Plan { get; }

        public JsonObject ToJson() => new JsonObject { ["at"] = TenantRecord.Format(At), ["event"] = Kind, ["plan"] = Plan };

        public override string ToString() => $"{TenantRecord.Format(At)} {Kind} {Plan}";
    }

    /// <summary>
    /// Where VdcPS keeps a tenant's truth: extra properties of the Keystone project, which every
    /// operator and runbook of the cloud (and the openstack CLI, `openstack project show`) reads the
    /// same way. Keystone discourages tags for billing codes because tags are meant for free-form
    /// labels that project members manage; extra properties are set only by whoever may update the
    /// project (an admin), are created atomically with the project, and hold typed values. They hold
    /// nothing secret: the plan, the customer id, state, times and the user id and name.
    /// </summary>
    internal static class TenantRecord
    {
        public const string PlanKey = "vdcps_plan";
        public const string CustomerKey = "vdcps_customer";
        public const string StateKey = "vdcps_state";
        public const string UserIdKey = "vdcps_user_id";
        public const string UserNameKey = "vdcps_user_name";
        public const string EmailKey = "vdcps_email";
        public const string ActivatedKey = "vdcps_activated_at";
        public const string SuspendedKey = "vdcps_suspended_at";
        public const string HistoryKey = "vdcps_history";
        public const string LeaseKey = "vdcps_lease";

        public static bool IsManaged(ProjectDto project) => project.ExtraString(PlanKey) != null;

        public static VdcTenantState StateOf(ProjectDto project)
        {
            if (!IsManaged(project))
            {
                return VdcTenantState.Unmanaged;
            }

            return project.ExtraString(StateKey) switch
            {
                "active" => VdcTenantState.Active,
                "suspended" => VdcTenantState.Suspended,
                "removing" => VdcTenantState.Removing,
                _ => VdcTenantState.Provisioning,
            };
        }

        public static string StateText(VdcTenantState state) => state.ToString().ToLowerInvariant();

        public static IReadOnlyList<TenantEvent> History(ProjectDto project)
        {
            var events = new List<TenantEvent>();
            if (project.Extra[HistoryKey] is JsonArray array)
            {
                foreach (JsonNode? e in array)
                {
                    DateTime? at = Parse(e?["at"]?.GetValue<string>());
                    string? kind = e?["event"]?.GetValue<string>();
                    if (at.HasValue && kind != null)
                    {
                        events.Add(new TenantEvent(at.Value, kind, e!["plan"]?.GetValue<string>() ?? string.Empty));
                    }
                }
            }

            return events.OrderBy(e => e.At).ToList();
        }

        public static JsonArray HistoryWith(ProjectDto project, TenantEvent added)
        {
            var array = new JsonArray();
            foreach (TenantEvent e in History(project))
            {
                array.Add(e.ToJson());
            }

            array.Add(added.ToJson());
            return array;
        }

        public static VdcTenant ToTenant(ProjectDto project, string cloud)
        {
            return new VdcTenant
            {
                Id = project.Id,
                Name = project.Name,
                DomainId = project.DomainId,
                Description = project.Description,
                Enabled = project.Enabled,
                State = StateOf(project),
                Plan = project.ExtraString(PlanKey) ?? string.Empty,
                CustomerId = project.ExtraString(CustomerKey) ?? string.Empty,
                UserId = project.ExtraString(UserIdKey) ?? string.Empty,
                UserName = project.ExtraString(UserNameKey) ?? string.Empty,
                Email = project.ExtraString(EmailKey) ?? string.Empty,
                ActivatedAt = Parse(project.ExtraString(ActivatedKey)),
                SuspendedAt = Parse(project.ExtraString(SuspendedKey)),
                History = string.Join("; ", History(project)),
                QuotaHistory = Tenants.QuotaHistory.Text(Tenants.QuotaHistory.Read(project)),
                Cloud = cloud,
            };
        }

        public static string Format(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static DateTime? Parse(string? text)
            => text != null && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t)
                ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
                : (DateTime?)null;
    }
}
