using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VdcPS.Models;
using VdcPS.Openstack.Identity;
using VdcPS.Tenants;

namespace VdcPS.Billing
{
    /// <summary>
    /// One stretch of time in which a tenant was active (activated or resumed, not suspended). It may
    /// be empty (Start == End: suspended in the same recorded second): that is one active moment.
    /// </summary>
    internal readonly struct ActiveInterval
    {
        public ActiveInterval(DateTime start, DateTime end)
        {
            Start = start;
            End = end;
        }

        /// <summary>UTC, inclusive.</summary>
        public DateTime Start { get; }

        /// <summary>UTC, exclusive; <see cref="DateTime.MaxValue"/> while the tenant is still active.</summary>
        public DateTime End { get; }
    }

    /// <summary>
    /// What the rating needs to know about one tenant: who it bills, and when it was active on
    /// which plan, from the history VdcPS records on the Keystone project (activated, suspended,
    /// resumed, plan-changed). Built from a project, from a <see cref="VdcTenant"/> (offline), or by
    /// tests directly.
    /// </summary>
    internal sealed class TenantTimeline
    {
        public const string Activated = "activated";
        public const string Suspended = "suspended";
        public const string Resumed = "resumed";
        public const string PlanChanged = "plan-changed";

        /// <summary>The tenant's access ended for good (Remove-VdcTenant): it closes the active time and nothing reopens it.</summary>
        public const string Terminated = "terminated";

        public TenantTimeline(string tenantId, string tenantName, string customerId, string currentPlan, IEnumerable<TenantEvent> events, IEnumerable<QuotaRecord>? quotas = null)
        {
            // Stable sort, like the events: entries of the same second keep their recorded order.
            Quotas = (quotas ?? Enumerable.Empty<QuotaRecord>())
                .Select((q, i) => (Record: new QuotaRecord(Utc(q.At), q.Source, q.Values), Index: i))
                .OrderBy(x => x.Record.At).ThenBy(x => x.Index)
                .Select(x => x.Record)
                .ToList();

            TenantId = tenantId ?? string.Empty;
            TenantName = tenantName ?? string.Empty;
            CustomerId = customerId ?? string.Empty;
            CurrentPlan = currentPlan ?? string.Empty;

            // Stable sort: events of the same instant keep their recorded order.
            Events = (events ?? Enumerable.Empty<TenantEvent>())
                .Select((e, i) => (Event: new TenantEvent(Utc(e.At), e.Kind, e.Plan), Index: i))
                .OrderBy(x => x.Event.At).ThenBy(x => x.Index)
                .Select(x => x.Event)
                .ToList();
            Intervals = BuildIntervals(Events);
        }

        public string TenantId { get; }

        public string TenantName { get; }

        public string CustomerId { get; }

        /// <summary>The plan recorded on the project now (used when no event names a plan).</summary>
        public string CurrentPlan { get; }

        /// <summary>Oldest first, all times UTC.</summary>
        public IReadOnlyList<TenantEvent> Events { get; }

        /// <summary>The active stretches, oldest first, not overlapping.</summary>
        public IReadOnlyList<ActiveInterval> Intervals { get; }

        /// <summary>The recorded quota changes, oldest first (see <see cref="QuotaHistory"/>).</summary>
        public IReadOnlyList<QuotaRecord> Quotas { get; }

        /// <summary>
        /// The quota <paramref name="quotaName"/> ("compute.cores") in force at <paramref name="instant"/>:
        /// the value of the last recorded entry at or before it that names the quota, with that entry;
        /// (null, null) when no entry at or before it names the quota.
        /// </summary>
        public (long? Value, QuotaRecord? Entry) QuotaAt(DateTime instant, string quotaName)
        {
            long? value = null;
            QuotaRecord? from = null;
            foreach (QuotaRecord q in Quotas)
            {
                if (q.At > instant)
                {
                    break;
                }

                if (q.Values.TryGetValue(quotaName, out long v))
                {
                    value = v;
                    from = q;
                }
            }

            return (value, from);
        }

        /// <summary>The activation events (setup fees and bundled services are charged for each).</summary>
        public IEnumerable<TenantEvent> Activations => Events.Where(e => e.Kind == Activated);

        /// <summary>
        /// The plan in force at <paramref name="instant"/>: the plan of the last event at or before it;
        /// before the first event, the first event's plan; without events, the current plan.
        /// </summary>
        public string PlanAt(DateTime instant)
        {
            string? plan = null;
            foreach (TenantEvent e in Events)
            {
                if (e.At > instant)
                {
                    break;
                }

                if (!string.IsNullOrEmpty(e.Plan))
                {
                    plan = e.Plan;
                }
            }

            return plan ?? Events.FirstOrDefault(e => !string.IsNullOrEmpty(e.Plan))?.Plan ?? CurrentPlan;
        }

        private static List<ActiveInterval> BuildIntervals(IReadOnlyList<TenantEvent> events)
        {
            var intervals = new List<ActiveInterval>();
            bool activated = false;
            DateTime? openSince = null;
            foreach (TenantEvent e in events)
            {
                if (e.Kind == Terminated)
                {
                    // The end: billed up to this instant, never again (a project is never brought back;
                    // the same name is a new tenant with its own project and history).
                    if (openSince.HasValue)
                    {
                        intervals.Add(new ActiveInterval(openSince.Value, e.At));
                        openSince = null;
                    }

                    return intervals;
                }

                switch (e.Kind)
                {
                    case Activated:
                        activated = true;
                        openSince ??= e.At;
                        break;
                    case Resumed when activated:
                        openSince ??= e.At;
                        break;
                    case Suspended:
                        if (openSince.HasValue)
                        {
                            // Kept when empty: history times have whole seconds, so an activation and
                            // a suspension in the same second were still an active moment.
                            intervals.Add(new ActiveInterval(openSince.Value, e.At));
                            openSince = null;
                        }

                        break;
                }
            }

            if (openSince.HasValue)
            {
                intervals.Add(new ActiveInterval(openSince.Value, DateTime.MaxValue));
            }

            return intervals;
        }

        internal static DateTime Utc(DateTime value) => value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };

        /// <summary>
        /// The events, completed from the summary fields when the history lacks them (projects
        /// made before VdcPS recorded a history): an activation at ActivatedAt on the earliest
        /// known plan, a suspension at SuspendedAt while the tenant is suspended, and the
        /// termination at TerminatedAt (written when a removal starts, before the history event
        /// that its last step writes: a removal still under way already ends the billing there).
        /// </summary>
        internal static List<TenantEvent> Complete(IReadOnlyList<TenantEvent> history, DateTime? activatedAt, DateTime? suspendedAt, bool suspended, string currentPlan, DateTime? terminatedAt = null)
        {
            var events = history.ToList();
            if (activatedAt.HasValue && !events.Any(e => e.Kind == Activated))
            {
                string plan = events.FirstOrDefault(e => e.Kind != PlanChanged && !string.IsNullOrEmpty(e.Plan))?.Plan ?? currentPlan;
                events.Insert(0, new TenantEvent(Utc(activatedAt.Value), Activated, plan));
            }

            if (suspended && suspendedAt.HasValue)
            {
                DateTime at = Utc(suspendedAt.Value);
                TenantEvent? last = events.Where(e => e.Kind == Suspended || e.Kind == Resumed || e.Kind == Activated).OrderBy(e => e.At).LastOrDefault();
                if (last == null || last.Kind != Suspended)
                {
                    events.Add(new TenantEvent(at, Suspended, currentPlan));
                }
            }

            if (terminatedAt.HasValue && !events.Any(e => e.Kind == Terminated))
            {
                events.Add(new TenantEvent(Utc(terminatedAt.Value), Terminated, currentPlan));
            }

            return events;
        }

        /// <summary>From a tenant as read from the cloud; null for a project VdcPS did not create (throws as <see cref="FromProject"/>).</summary>
        public static TenantTimeline? FromRecord(TenantRecord tenant) => FromProject(tenant.Project);

        /// <summary>
        /// From the Keystone project VdcPS manages; null for a project VdcPS did not create. Throws
        /// <see cref="TenantRecordDamagedException"/> when a field of its record cannot be read: the
        /// rating never guesses a damaged tenant's charges.
        /// </summary>
        public static TenantTimeline? FromProject(ProjectDto project)
        {
            if (!TenantRecord.IsManaged(project))
            {
                return null;
            }

            TenantRecord.Validate(project);
            string plan = TenantRecord.PlanOf(project);
            List<TenantEvent> events = Complete(
                TenantRecord.History(project),
                TenantRecord.ActivatedAt(project),
                TenantRecord.SuspendedAt(project),
                TenantRecord.StateOf(project) == VdcTenantState.Suspended,
                plan,
                TenantRecord.TerminatedAt(project));
            return new TenantTimeline(project.Id, TenantRecord.NameOf(project), project.ExtraString(TenantRecord.CustomerKey) ?? string.Empty, plan, events, QuotaHistory.Read(project));
        }

        /// <summary>
        /// From a tenant object (Get-VdcTenant, or built by hand for offline rating): its History
        /// text ("2026-11-01T09:00:00Z activated vdc-small; ..."), ActivatedAt, SuspendedAt and State.
        /// </summary>
        public static TenantTimeline FromTenant(VdcTenant tenant)
        {
            List<TenantEvent> events = Complete(
                ParseHistory(tenant.History),
                tenant.ActivatedAt,
                tenant.SuspendedAt,
                tenant.State == VdcTenantState.Suspended,
                tenant.Plan,
                tenant.TerminatedAt);
            return new TenantTimeline(tenant.Id, tenant.Name, tenant.CustomerId, tenant.Plan, events, QuotaHistory.ParseText(tenant.QuotaHistory));
        }

        /// <summary>Parses the History text of a <see cref="VdcTenant"/>; throws FormatException naming the bad entry.</summary>
        public static List<TenantEvent> ParseHistory(string? history)
        {
            var events = new List<TenantEvent>();
            if (string.IsNullOrWhiteSpace(history))
            {
                return events;
            }

            foreach (string raw in history!.Split(';'))
            {
                string entry = raw.Trim();
                if (entry.Length == 0)
                {
                    continue;
                }

                string[] parts = entry.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                DateTime? at = parts.Length >= 2 ? TenantRecord.Parse(parts[0]) : null;
                string kind = parts.Length >= 2 ? parts[1] : string.Empty;
                if (at == null || !(kind == Activated || kind == Suspended || kind == Resumed || kind == PlanChanged || kind == Terminated))
                {
                    throw new FormatException(string.Format(CultureInfo.InvariantCulture,
                        "The history entry '{0}' is not '<UTC time> <activated|suspended|resumed|plan-changed|terminated> <plan>'.", entry));
                }

                events.Add(new TenantEvent(at.Value, kind, parts.Length >= 3 ? parts[2] : string.Empty));
            }

            return events;
        }
    }
}
