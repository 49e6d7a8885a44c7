using System;
using System.Collections.Generic;
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
                        Event = NovaJson.Text(e, "event"),
                        StartTime = NovaJson.Time(e, "start_time"),
                        FinishTime = NovaJson.Time(e, "finish_time"),
                        Result = NovaJson.Text(e, "result"),
                    });
                }
            }

            return action;
        }

        private static InstanceAction ParseAction(JsonElement a)
        {
            DateTime? start = NovaJson.Time(a, "start_time");
            if (start == null)
            {
                throw new FormatException($"Nova's instance action '{NovaJson.Text(a, "action")}' ({NovaJson.Text(a, "request_id")}) has no start_time.");
            }

            return new InstanceAction
            {
                Action = NovaJson.Text(a, "action"),
                RequestId = NovaJson.Text(a, "request_id"),
                StartTime = start.Value,
                UpdatedAt = NovaJson.Time(a, "updated_at"),
            };
        }
    }
}
