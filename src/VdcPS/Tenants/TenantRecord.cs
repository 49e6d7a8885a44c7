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

        public static bool IsManaged(ProjectDto project) => project.Extra[PlanKey] != null;

        /// <summary>The state; throws <see cref="TenantRecordDamagedException"/> when vdcps_state is missing or not one VdcPS writes.</summary>
        public static VdcTenantState StateOf(ProjectDto project)
        {
            if (!IsManaged(project))
            {
                return VdcTenantState.Unmanaged;
            }

            string? problem;
            VdcTenantState? state = TryState(project, out problem);
            return state ?? throw new TenantRecordDamagedException(project, new[] { (StateKey, problem!) });
        }

        public static string StateText(VdcTenantState state) => state.ToString().ToLowerInvariant();

        /// <summary>The plan name; throws <see cref="TenantRecordDamagedException"/> when vdcps_plan is not a non-empty string.</summary>
        public static string PlanOf(ProjectDto project)
        {
            string? plan = project.ExtraString(PlanKey);
            return string.IsNullOrWhiteSpace(plan)
                ? throw new TenantRecordDamagedException(project, new[] { (PlanKey, "is empty or not text") })
                : plan!;
        }

        /// <summary>
        /// The recorded events, oldest first; none when the property is absent (tenants made before
        /// VdcPS kept a history). Throws <see cref="TenantRecordDamagedException"/> when the property
        /// is there but cannot be read: a damaged history is never read as "no history".
        /// </summary>
        public static IReadOnlyList<TenantEvent> History(ProjectDto project)
        {
            IReadOnlyList<TenantEvent>? events = TryHistory(project, out string? problem);
            return events ?? throw new TenantRecordDamagedException(project, new[] { (HistoryKey, problem!) });
        }

        /// <summary>When the tenant became active (vdcps_activated_at); null when not recorded; throws when unreadable.</summary>
        public static DateTime? ActivatedAt(ProjectDto project) => Time(project, ActivatedKey);

        /// <summary>When the tenant was suspended (vdcps_suspended_at); null when not recorded; throws when unreadable.</summary>
        public static DateTime? SuspendedAt(ProjectDto project) => Time(project, SuspendedKey);

        /// <summary>
        /// Checks every field VdcPS reads from a managed tenant's record (plan, state, dates, history)
        /// and throws one <see cref="TenantRecordDamagedException"/> naming all that cannot be read.
        /// A project VdcPS does not manage passes (it has no record).
        /// </summary>
        public static void Validate(ProjectDto project)
        {
            if (!IsManaged(project))
            {
                return;
            }

            var problems = new List<(string Field, string Problem)>();
            if (string.IsNullOrWhiteSpace(project.ExtraString(PlanKey)))
            {
                problems.Add((PlanKey, "is empty or not text"));
            }

            VdcTenantState? state = TryState(project, out string? stateProblem);
            if (state == null)
            {
                problems.Add((StateKey, stateProblem!));
            }

            DateTime? activated = null;
            foreach (string key in new[] { ActivatedKey, SuspendedKey })
            {
                if (!TryTime(project, key, out DateTime? value, out string? problem))
                {
                    problems.Add((key, problem!));
                }
                else if (key == ActivatedKey)
                {
                    activated = value;
                }
            }

            IReadOnlyList<TenantEvent>? history = TryHistory(project, out string? historyProblem);
            if (history == null)
            {
                problems.Add((HistoryKey, historyProblem!));
            }

            if (QuotaHistory.TryRead(project, out string? quotaProblem) == null)
            {
                problems.Add((QuotaHistory.Key, quotaProblem!));
            }

            // A tenant that bills (active or suspended) must say since when; without it the rating would guess.
            if ((state == VdcTenantState.Active || state == VdcTenantState.Suspended)
                && project.Extra[ActivatedKey] == null && history != null && !history.Any(e => e.Kind == "activated"))
            {
                problems.Add((ActivatedKey, $"is missing although the tenant is {StateText(state.Value)} (and the history has no activation)"));
            }

            if (problems.Count > 0)
            {
                throw new TenantRecordDamagedException(project, problems);
            }
        }

        private static VdcTenantState? TryState(ProjectDto project, out string? problem)
        {
            problem = null;
            JsonNode? node = project.Extra[StateKey];
            switch (project.ExtraString(StateKey))
            {
                case "active": return VdcTenantState.Active;
                case "suspended": return VdcTenantState.Suspended;
                case "removing": return VdcTenantState.Removing;
                case "provisioning": return VdcTenantState.Provisioning;
            }

            problem = node == null
                ? "is missing"
                : $"is '{Excerpt(node)}', not one of provisioning, active, suspended, removing";
            return null;
        }

        private static DateTime? Time(ProjectDto project, string key)
            => TryTime(project, key, out DateTime? value, out string? problem)
                ? value
                : throw new TenantRecordDamagedException(project, new[] { (key, problem!) });

        private static bool TryTime(ProjectDto project, string key, out DateTime? value, out string? problem)
        {
            value = null;
            problem = null;
            JsonNode? node = project.Extra[key];
            if (node == null)
            {
                return true;
            }

            string? text = project.ExtraString(key);
            if (text != null && text.Length == 0)
            {
                return true; // cleared by hand ("--property key=") means "not recorded"
            }

            value = Parse(text);
            if (value == null)
            {
                problem = $"is '{Excerpt(node)}', not a UTC time such as 2026-11-01T09:00:00Z";
                return false;
            }

            return true;
        }

        private static IReadOnlyList<TenantEvent>? TryHistory(ProjectDto project, out string? problem)
        {
            problem = null;
            JsonNode? node = project.Extra[HistoryKey];
            if (node == null)
            {
                return Array.Empty<TenantEvent>();
            }

            // VdcPS writes a JSON array; `openstack project set --property` can only write text, so a
            // history restored by hand arrives as the array's JSON text: read both.
            JsonArray? array = node as JsonArray;
            if (array == null && node is JsonValue && project.ExtraString(HistoryKey) is string text)
            {
                try
                {
                    array = JsonNode.Parse(text) as JsonArray;
                }
                catch (System.Text.Json.JsonException e)
                {
                    problem = $"is not valid JSON ({e.Message.Split('.')[0]})";
                    return null;
                }
            }

            if (array == null)
            {
                problem = "is not a JSON array of {\"at\", \"event\", \"plan\"} entries";
                return null;
            }

            var events = new List<TenantEvent>();
            for (int i = 0; i < array.Count; i++)
            {
                JsonNode? e = array[i];
                string? atText = (e as JsonObject)?["at"] is JsonValue a && a.TryGetValue(out string? at) ? at : null;
                string? kind = (e as JsonObject)?["event"] is JsonValue k && k.TryGetValue(out string? ev) ? ev : null;
                JsonNode? planNode = (e as JsonObject)?["plan"];
                string? plan = planNode == null ? string.Empty : planNode is JsonValue pv && pv.TryGetValue(out string? p) ? p : null;
                DateTime? when = Parse(atText);
                if (when == null || string.IsNullOrWhiteSpace(kind) || plan == null)
                {
                    problem = $"entry {i + 1} ({Excerpt(e)}) is not {{\"at\": \"<UTC time>\", \"event\": \"<event>\", \"plan\": \"<plan>\"}}";
                    return null;
                }

                events.Add(new TenantEvent(when.Value, kind!, plan));
            }

            return events.OrderBy(e => e.At).ToList();
        }

        private static string Excerpt(JsonNode? node)
        {
            string text = node == null ? "null" : node is JsonValue v && v.TryGetValue(out string? s) ? s! : node.ToJsonString();
            return text.Length <= 40 ? text : text.Substring(0, 37) + "...";
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

        /// <summary>The tenant as VdcPS shows it; throws <see cref="TenantRecordDamagedException"/> when its record cannot be read.</summary>
        public static VdcTenant ToTenant(ProjectDto project, string cloud)
        {
            Validate(project);
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
                ActivatedAt = ActivatedAt(project),
                SuspendedAt = SuspendedAt(project),
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

    /// <summary>
    /// A field of a tenant's record (the vdcps_* properties of its Keystone project) cannot be read.
    /// VdcPS never guesses a damaged field (a lost history would bill wrong): every cmdlet that needs
    /// it reports this, with error id TenantRecordDamaged, naming the tenant and the fields.
    /// </summary>
    public sealed class TenantRecordDamagedException : Exception
    {
        internal TenantRecordDamagedException(ProjectDto project, IEnumerable<(string Field, string Problem)> problems)
            : this(project.Name, project.Id, problems.ToList())
        {
        }

        private TenantRecordDamagedException(string tenant, string tenantId, List<(string Field, string Problem)> problems)
            : base($"The record of tenant '{tenant}' ({tenantId}) is damaged: {string.Join("; ", problems.Select(p => $"property {p.Field} {p.Problem}"))}. "
                   + "VdcPS does not guess a damaged record, so it neither used nor changed this tenant.")
        {
            TenantName = tenant;
            TenantId = tenantId;
            Fields = problems.Select(p => p.Field).Distinct().ToList();
        }

        public string TenantName { get; }

        public string TenantId { get; }

        /// <summary>The damaged properties (vdcps_history, vdcps_state, ...).</summary>
        public IReadOnlyList<string> Fields { get; }

        /// <summary>What the operator can do (the drift repair will do it later).</summary>
        public string RecommendedAction =>
            $"Restore {string.Join(" and ", Fields)} of project {TenantId} by hand, e.g. openstack project set --property {Fields[0]}=<value> {TenantId} "
            + "(formats in Get-Help about_VdcPS_Tenants, 'The tenant record'; Get-VdcAuditEntry shows the changes VdcPS made), then run the command again.";
    }
}
