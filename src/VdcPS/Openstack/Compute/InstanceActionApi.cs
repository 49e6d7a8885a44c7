using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Compute
{
    /// <summary>One event of an instance action (compute_finish_resize, compute_shelve_instance, ...).</summary>
    internal sealed class InstanceActionEvent
    {
        public string Event { get; set; } = string.Empty;
        public DateTime? StartTime { get; set; }
        public DateTime? FinishTime { get; set; }

        /// <summary>"Success", "Error", or empty while running.</summary>
        public string Result { get; set; } = string.Empty;
    }

    /// <summary>One instance action (os-instance-actions): what was asked, when, and (in the detail) its events.</summary>
    internal sealed class InstanceAction
    {
        public string Action { get; set; } = string.Empty;
        public string RequestId { get; set; } = string.Empty;
        public DateTime StartTime { get; set; }
        public DateTime? UpdatedAt { get; set; }

        /// <summary>Only in the detail (GET .../os-instance-actions/{request_id}); null in the list.</summary>
        public List<InstanceActionEvent>? Events { get; set; }
    }

    /// <summary>
    /// Nova's instance actions (api-ref os-instance-actions.inc): <c>GET /servers/{id}/os-instance-actions</c>
    /// lists a server's actions (newest first), <c>GET /servers/{id}/os-instance-actions/{request_id}</c>
    /// gives one with its events. Deleted servers' actions are readable from microversion 2.21. Times are
    /// Nova's naive UTC (with or without fractions), read as UTC.
    /// </summary>
    internal sealed class InstanceActionApi : ServiceApi
    {
        public InstanceActionApi(KeystoneSession session)
            : base(session, "compute")
        {
        }

        protected override Task AddHeadersAsync(ApiRequest request, CancellationToken ct)
            => ComputeVersions.AddHeadersAsync(Session, request, ct);

        public Task<List<InstanceAction>> ListAsync(string serverId, CancellationToken ct)
            => GetStreamedAsync(ListPath(serverId), ParseList, ct);

        public Task<InstanceAction> GetAsync(string serverId, string requestId, CancellationToken ct)
            => GetStreamedAsync(ShowPath(serverId, requestId), ParseShow, ct);

        internal static string ListPath(string serverId) => $"servers/{Escape(serverId)}/os-instance-actions";

        internal static string ShowPath(string serverId, string requestId) => $"{ListPath(serverId)}/{Escape(requestId)}";

        internal static List<InstanceAction> ParseList(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("instanceActions", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("Nova's os-instance-actions answer has no 'instanceActions' list.");
            }

            var actions = new List<InstanceAction>(list.GetArrayLength());
            foreach (JsonElement a in list.EnumerateArray())
            {
                actions.Add(ParseAction(a));
            }

            return actions;
        }

        internal static InstanceAction ParseShow(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("instanceAction", out JsonElement a) || a.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("Nova's os-instance-actions detail has no 'instanceAction' object.");
            }

            InstanceAction action = ParseAction(a);
            action.Events = new List<InstanceActionEvent>();
            if (a.TryGetProperty("events", out JsonElement events) && events.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement e in events.EnumerateArray())
                {
                    action.Events.Add(new InstanceActionEvent
                    {
                        Event = Text(e, "event"),
                        StartTime = Time(e, "start_time"),
                        FinishTime = Time(e, "finish_time"),
                        Result = Text(e, "result"),
                    });
                }
            }

            return action;
        }

        private static InstanceAction ParseAction(JsonElement a)
        {
            DateTime? start = Time(a, "start_time");
            if (start == null)
            {
                throw new FormatException($"Nova's instance action '{Text(a, "action")}' ({Text(a, "request_id")}) has no start_time.");
            }

            return new InstanceAction
            {
                Action = Text(a, "action"),
                RequestId = Text(a, "request_id"),
                StartTime = start.Value,
                UpdatedAt = Time(a, "updated_at"),
            };
        }

        private static string Text(JsonElement e, string name)
            => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;

        /// <summary>Nova's times: naive UTC ("2026-12-06T13:46:34.557371") or with a zone; null when absent.</summary>
        internal static DateTime? Time(JsonElement e, string name)
        {
            string text = Text(e, name);
            if (text.Length == 0)
            {
                return null;
            }

            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime t))
            {
                throw new FormatException($"Nova's '{name}' = '{text}' is not a time.");
            }

            return t;
        }
    }
}
