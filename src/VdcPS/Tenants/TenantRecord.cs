using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Internal;
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

        /// <summary>The entry as stored in the project's history property.</summary>
        public IReadOnlyDictionary<string, string> ToRecord()
            => new Dictionary<string, string>(StringComparer.Ordinal) { ["at"] = TenantRecord.Format(At), ["event"] = Kind, ["plan"] = Plan };

        public override string ToString() => $"{TenantRecord.Format(At)} {Kind} {Plan}";
    }

    /// <summary>
    /// Where VdcPS keeps a tenant's truth: extra properties of the Keystone project, which every
    /// operator and runbook of the cloud (and the openstack CLI, `openstack project show`) reads the
    /// same way. Keystone discourages tags for billing codes because tags are meant for free-form
    /// labels that project members manage; extra properties are set only by whoever may update the
    /// project (an admin), are created atomically with the project, and hold typed values. They hold
    /// nothing secret: the plan, the customer id, state, times and the user id and name.
    /// An instance is one tenant as read from the cloud: what the feature services hand to cmdlets
    /// (the Keystone project behind it stays inside the services and the OpenStack layer).
    /// </summary>
    internal sealed class TenantRecord
    {
        internal TenantRecord(ProjectDto project)
        {
            Project = project;
        }

        /// <summary>The Keystone project (for the feature services only; cmdlets use the properties).</summary>
        internal ProjectDto Project { get; }

        public string Id => Project.Id;

        public string Name => Project.Name;

        public string DomainId => Project.DomainId;

        public bool Enabled => Project.Enabled;

        /// <summary>The plan's name ('' when unmanaged).</summary>
        public string Plan => Project.ExtraString(PlanKey) ?? string.Empty;

        public string CustomerId => Project.ExtraString(CustomerKey) ?? string.Empty;

        /// <summary>True when VdcPS created the project.</summary>
        public bool Managed => IsManaged(Project);

        public VdcTenantState State => StateOf(Project);

        /// <summary>The tenant's name: the project's, or the one it had before termination renamed the project.</summary>
        public string TenantName => NameOf(Project);

        /// <summary>When access ended for the termination (vdcps_terminated_at), as recorded.</summary>
        public string TerminatedAtText => Project.ExtraString(TerminatedKey) ?? string.Empty;

        public IReadOnlyList<TenantEvent> Events => History(Project);

        /// <summary>True when a graded suspension is recorded on the tenant (its servers are, or are being, held).</summary>
        public bool HasSuspensionRecord => !string.IsNullOrEmpty(Project.ExtraString(SuspensionRecord.Key));

        /// <summary>Throws <see cref="TenantRecordDamagedException"/> naming every field of the record that cannot be read.</summary>
        public static void Validate(TenantRecord tenant) => Validate(tenant.Project);

        public VdcTenant ToTenant(string cloud) => ToTenant(Project, cloud);

        /// <summary>What the audit journal records of the tenant (nothing secret).</summary>
        public AuditSnapshot Snapshot()
        {
            var snapshot = new AuditSnapshot
            {
                { "id", Project.Id },
                { "name", Project.Name },
                { "enabled", Project.Enabled },
                { "description", Project.Description },
            };
            foreach (string key in new[] { PlanKey, CustomerKey, StateKey, UserNameKey })
            {
                snapshot.Add(key.Substring("vdcps_".Length), Project.ExtraString(key));
            }

            return snapshot;
        }

        public override string ToString() => Name;

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

        /// <summary>When access ended (written when the removal starts; billing stops here).</summary>
        public const string TerminatedKey = "vdcps_terminated_at";

        /// <summary>The tenant's name, kept when its project is renamed at termination.</summary>
        public const string OriginalNameKey = "vdcps_original_name";

        public static bool IsManaged(ProjectDto project) => project.HasExtra(PlanKey);

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

        /// <summary>When the tenant's access ended for its termination (vdcps_terminated_at); null when not recorded; throws when unreadable.</summary>
        public static DateTime? TerminatedAt(ProjectDto project) => Time(project, TerminatedKey);

        /// <summary>The tenant's name: its project's name, or the name it had before termination renamed the project.</summary>
        public static string NameOf(ProjectDto project)
        {
            string? original = project.ExtraString(OriginalNameKey);
            return string.IsNullOrEmpty(original) ? project.Name : original!;
        }

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
            foreach (string key in new[] { ActivatedKey, SuspendedKey, TerminatedKey })
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
                && !project.HasExtra(ActivatedKey) && history != null && !history.Any(e => e.Kind == "activated"))
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
            switch (project.ExtraString(StateKey))
            {
                case "active": return VdcTenantState.Active;
                case "suspended": return VdcTenantState.Suspended;
                case "removing": return VdcTenantState.Removing;
                case "provisioning": return VdcTenantState.Provisioning;
                case "terminated": return VdcTenantState.Terminated;
            }

            problem = !project.HasExtra(StateKey)
                ? "is missing"
                : $"is '{project.ExtraExcerpt(StateKey)}', not one of provisioning, active, suspended, removing, terminated";
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
            if (!project.HasExtra(key))
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
                problem = $"is '{project.ExtraExcerpt(key)}', not a UTC time such as 2026-11-01T09:00:00Z";
                return false;
            }

            return true;
        }

        private static IReadOnlyList<TenantEvent>? TryHistory(ProjectDto project, out string? problem)
        {
            problem = null;
            switch (project.TryExtraArray(HistoryKey, out IReadOnlyList<ExtraItem> items, out string? jsonError))
            {
                case ExtraArrayState.Absent:
                    return Array.Empty<TenantEvent>();
                case ExtraArrayState.InvalidJson:
                    problem = $"is not valid JSON ({jsonError})";
                    return null;
                case ExtraArrayState.NotArray:
                    problem = "is not a JSON array of {\"at\", \"event\", \"plan\"} entries";
                    return null;
            }

            var events = new List<TenantEvent>();
            for (int i = 0; i < items.Count; i++)
            {
                ExtraItem e = items[i];
                bool fields = e.IsObject & e.TryGetField("at", out string? atText) & e.TryGetField("event", out string? kind) & e.TryGetField("plan", out string? plan);
                DateTime? when = Parse(atText);
                if (!fields || when == null || string.IsNullOrWhiteSpace(kind))
                {
                    problem = $"entry {i + 1} ({e}) is not {{\"at\": \"<UTC time>\", \"event\": \"<event>\", \"plan\": \"<plan>\"}}";
                    return null;
                }

                events.Add(new TenantEvent(when.Value, kind!, plan ?? string.Empty));
            }

            return events.OrderBy(e => e.At).ToList();
        }

        /// <summary>The history property's new value: the events so far and <paramref name="added"/>.</summary>
        public static IReadOnlyList<IReadOnlyDictionary<string, string>> HistoryWith(ProjectDto project, TenantEvent added)
            => History(project).Append(added).Select(e => e.ToRecord()).ToList();

        /// <summary>The tenant as VdcPS shows it; throws <see cref="TenantRecordDamagedException"/> when its record cannot be read.</summary>
        public static VdcTenant ToTenant(ProjectDto project, string cloud)
        {
            Validate(project);
            return new VdcTenant
            {
                Id = project.Id,
                Name = NameOf(project),
                ProjectName = project.Name,
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
                TerminatedAt = TerminatedAt(project),
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
