using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Compute;

namespace VdcPS.Tenants
{
    /// <summary>What a suspension did to one server, so that the resumption undoes exactly that.</summary>
    internal sealed class ServerHold
    {
        public ServerHold(string id, bool stopped, bool shelved, bool locked, bool wasOff = false)
        {
            Id = id;
            Stopped = stopped;
            Shelved = shelved;
            Locked = locked;
            WasOff = shelved && wasOff;
        }

        public string Id { get; }

        /// <summary>The suspension stopped it (it was running).</summary>
        public bool Stopped { get; }

        /// <summary>The suspension shelved it (it was running or stopped).</summary>
        public bool Shelved { get; }

        /// <summary>The suspension locked it (it was not locked before).</summary>
        public bool Locked { get; }

        /// <summary>It was stopped when the suspension shelved it: unshelving boots it, so it is stopped again.</summary>
        public bool WasOff { get; }

        public override string ToString()
            => Id + ":" + (WasOff ? "shelved-off" : Shelved ? "shelved" : Stopped ? "stopped" : "kept") + (Locked ? "+locked" : string.Empty);

        public static ServerHold Parse(string text)
        {
            string[] parts = text.Split(':');
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new FormatException($"'{text}' is not a server entry (id:action[+locked]).");
            }

            string[] what = parts[1].Split('+');
            bool locked = what.Length == 2 && what[1] == "locked";
            if (what.Length > 2 || (what.Length == 2 && !locked))
            {
                throw new FormatException($"'{text}' is not a server entry (id:action[+locked]).");
            }

            return what[0] switch
            {
                "shelved" => new ServerHold(parts[0], false, true, locked),
                "shelved-off" => new ServerHold(parts[0], false, true, locked, wasOff: true),
                "stopped" => new ServerHold(parts[0], true, false, locked),
                "kept" => new ServerHold(parts[0], false, false, locked),
                _ => throw new FormatException($"'{text}' names an unknown server action '{what[0]}'."),
            };
        }
    }

    /// <summary>
    /// The record of a suspension kept on the project (property vdcps_suspension), written before any
    /// server is touched, so that a rerun of Suspend-VdcTenant finishes an interrupted suspension and
    /// Resume-VdcTenant, from any machine, undoes exactly what it did and nothing else. A plain text
    /// (mode, time, one entry per server) rather than a JSON document: it is read by people too
    /// (`openstack project show`), and it stays small (about 50 characters a server).
    /// </summary>
    internal sealed class SuspensionRecord
    {
        public const string Key = "vdcps_suspension";

        public SuspensionRecord(VdcSuspensionMode mode, DateTime at, IReadOnlyList<ServerHold> servers)
        {
            Mode = mode;
            At = at;
            Servers = servers;
        }

        public VdcSuspensionMode Mode { get; }
        public DateTime At { get; }
        public IReadOnlyList<ServerHold> Servers { get; }

        public string Format()
            => $"mode={Mode.ToString().ToLowerInvariant()};at={TenantRecord.Format(At)};servers={string.Join(",", Servers)}";

        /// <summary>Null for no record; throws <see cref="FormatException"/> for a damaged one.</summary>
        public static SuspensionRecord? Parse(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string part in text!.Split(';'))
            {
                int eq = part.IndexOf('=');
                if (eq <= 0)
                {
                    throw new FormatException($"'{part}' is not a field (name=value).");
                }

                fields[part.Substring(0, eq)] = part.Substring(eq + 1);
            }

            if (!fields.TryGetValue("mode", out string? modeText) || !Enum.TryParse(modeText, true, out VdcSuspensionMode mode) || int.TryParse(modeText, out _))
            {
                throw new FormatException("The mode is missing or unknown.");
            }

            DateTime at = (fields.TryGetValue("at", out string? atText) ? TenantRecord.Parse(atText) : null)
                ?? throw new FormatException("The time is missing or not an ISO 8601 UTC time.");
            fields.TryGetValue("servers", out string? serversText);
            var servers = string.IsNullOrEmpty(serversText)
                ? new List<ServerHold>()
                : serversText!.Split(',').Select(ServerHold.Parse).ToList();
            return new SuspensionRecord(mode, at, servers);
        }
    }

    /// <summary>
    /// The server half of a graded suspension: chooses which servers to stop, shelve and lock, does it
    /// with bounded concurrency and waits until Nova reports the state, and undoes exactly that on
    /// resumption. Every step is idempotent, so a rerun after a failure or a killed process finishes
    /// the job instead of doing it twice.
    /// </summary>
    internal sealed class TenantSuspension
    {
        /// <summary>The reason shown on locked servers (microversion 2.73 and later).</summary>
        public const string LockReason = "Suspended by the provider (VdcPS): contact your provider to resume.";

        /// <summary>How often a server's state is read while waiting (tests make it shorter).</summary>
        internal static TimeSpan PollInterval = TimeSpan.FromSeconds(2);

        /// <summary>How long one server may take to reach the wanted state.</summary>
        internal static TimeSpan ServerTimeout = TimeSpan.FromMinutes(15);

        internal const int Throttle = 4;

        private readonly ComputeApi _compute;

        public TenantSuspension(ComputeApi compute)
        {
            _compute = compute;
        }

        /// <summary>What a suspension in <paramref name="mode"/> will do to each server of the project.</summary>
        public async Task<IReadOnlyList<ServerHold>> PlanAsync(string projectId, VdcSuspensionMode mode, CancellationToken ct)
        {
            if (mode == VdcSuspensionMode.Access)
            {
                return Array.Empty<ServerHold>();
            }

            IReadOnlyList<ServerInfo> servers = await _compute.ListServersAsync(projectId, ct).ConfigureAwait(false);
            return servers.Select(s => new ServerHold(
                    s.Id,
                    stopped: mode == VdcSuspensionMode.Stop && s.Status == "ACTIVE",
                    shelved: mode == VdcSuspensionMode.Shelve && (s.Status == "ACTIVE" || s.Status == "SHUTOFF"),
                    locked: !s.Locked,
                    wasOff: s.Status == "SHUTOFF"))
                .ToList();
        }

        /// <summary>Stops or shelves, then locks, every server of the record; waits for each.</summary>
        public Task ApplyAsync(SuspensionRecord record, CancellationToken ct)
            => BoundedParallel.RunAllAsync(record.Servers, Throttle, hold => HoldAsync(hold, ct), ct);

        /// <summary>Unlocks, then starts or unshelves, exactly the servers the suspension held.</summary>
        public Task ReleaseAsync(SuspensionRecord record, CancellationToken ct)
            => BoundedParallel.RunAllAsync(record.Servers, Throttle, hold => ReleaseAsync(hold, ct), ct);

        private async Task HoldAsync(ServerHold hold, CancellationToken ct)
        {
            ServerInfo? server = await _compute.GetServerAsync(hold.Id, ct).ConfigureAwait(false);
            if (server == null)
            {
                OperationLog.Verbose($"Server {hold.Id} no longer exists: nothing to suspend.");
                return;
            }

            if (hold.Stopped && server.Status != "SHUTOFF")
            {
                server = await ActAndWaitAsync(hold.Id, ServerAction.Stop, null, s => s.Status == "SHUTOFF", "stopped (SHUTOFF)", ct).ConfigureAwait(false);
                OperationLog.Verbose($"Stopped {server}.");
            }

            if (hold.Shelved && server?.IsOffloaded != true)
            {
                if (server?.IsShelved != true)
                {
                    server = await ActAndWaitAsync(hold.Id, ServerAction.Shelve, null, s => s.IsShelved, "shelved", ct).ConfigureAwait(false);
                }

                if (server?.Status == "SHELVED")
                {
                    // Clouds that keep shelved servers on their host for a while (shelved_offload_time > 0): free it now.
                    server = await ActAndWaitAsync(hold.Id, ServerAction.ShelveOffload, null, s => s.IsOffloaded, "shelved and offloaded", ct).ConfigureAwait(false);
                }
                else if (server != null && !server.IsOffloaded)
                {
                    // Found half-way through Nova's offload (a rerun right after an interrupted one): let Nova finish it.
                    server = await WaitAsync(hold.Id, s => s.IsOffloaded, "shelved and offloaded", ct).ConfigureAwait(false);
                }

                OperationLog.Verbose($"Shelved and offloaded {server}.");
            }

            if (hold.Locked && server != null && !server.Locked)
            {
                server = await ActAndWaitAsync(hold.Id, ServerAction.Lock, LockReason, s => s.Locked, "locked", ct).ConfigureAwait(false);
                OperationLog.Verbose($"Locked {server}.");
            }
        }

        private async Task ReleaseAsync(ServerHold hold, CancellationToken ct)
        {
            ServerInfo? server = await _compute.GetServerAsync(hold.Id, ct).ConfigureAwait(false);
            if (server == null)
            {
                OperationLog.Verbose($"Server {hold.Id} no longer exists: nothing to resume.");
                return;
            }

            if (hold.Locked && server.Locked)
            {
                server = await ActAndWaitAsync(hold.Id, ServerAction.Unlock, null, s => !s.Locked, "unlocked", ct).ConfigureAwait(false);
                OperationLog.Verbose($"Unlocked {server}.");
            }

            if (hold.Shelved && server != null && server.IsShelved)
            {
                server = await ActAndWaitAsync(hold.Id, ServerAction.Unshelve, null, s => s.Status == "ACTIVE" || s.Status == "SHUTOFF", "unshelved", ct).ConfigureAwait(false);
                OperationLog.Verbose($"Unshelved {server}.");
            }

            // Unshelving boots a server: one that was stopped when it was shelved is stopped again, as it was.
            if (hold.WasOff && server != null && server.Status == "ACTIVE")
            {
                server = await ActAndWaitAsync(hold.Id, ServerAction.Stop, null, s => s.Status == "SHUTOFF", "stopped again (SHUTOFF)", ct).ConfigureAwait(false);
                OperationLog.Verbose($"Stopped {server} again, as it was before the suspension.");
            }

            // Only start what the suspension stopped.
            if (hold.Stopped && server != null && server.Status == "SHUTOFF")
            {
                server = await ActAndWaitAsync(hold.Id, ServerAction.Start, null, s => s.Status == "ACTIVE", "started (ACTIVE)", ct).ConfigureAwait(false);
                OperationLog.Verbose($"Started {server}.");
            }
        }

        /// <summary>How long a server may show no task and no change after an action before the action counts as not taken.</summary>
        internal static TimeSpan StallTimeout = TimeSpan.FromMinutes(2);

        /// <summary>
        /// Sends the action and waits for its effect. Nova runs most actions asynchronously and, when
        /// one fails in the compute service (a busy database, a host that went away), records the
        /// action as failed and puts the server back as it was: that is retried once, then reported.
        /// </summary>
        private async Task<ServerInfo?> ActAndWaitAsync(string id, ServerAction action, string? reason, Func<ServerInfo, bool> done, string wanted, CancellationToken ct)
        {
            for (int attempt = 1; ; attempt++)
            {
                await _compute.ActAsync(id, action, reason, ct).ConfigureAwait(false);
                try
                {
                    return await WaitAsync(id, done, wanted, ct).ConfigureAwait(false);
                }
                catch (ServerActionNotTakenException e) when (attempt < 2)
                {
                    OperationLog.Verbose($"{e.Message} Sending {action} again.");
                }
            }
        }

        /// <summary>Reads the server until <paramref name="done"/> holds; null when it was deleted meanwhile.</summary>
        private async Task<ServerInfo?> WaitAsync(string id, Func<ServerInfo, bool> done, string wanted, CancellationToken ct)
        {
            DateTime started = DateTime.UtcNow;
            DateTime deadline = started + ServerTimeout;
            bool sawTask = false;
            while (true)
            {
                ServerInfo? server = await _compute.GetServerAsync(id, ct).ConfigureAwait(false);
                if (server == null || (done(server) && !server.IsSettling))
                {
                    return server;
                }

                sawTask |= server.IsSettling;
                if (!server.IsSettling && (sawTask || DateTime.UtcNow - started > StallTimeout))
                {
                    throw new ServerActionNotTakenException($"{server} was not {wanted}: Nova ended the action with the server {server.Status}.");
                }

                if (server.Status == "ERROR")
                {
                    throw new InvalidOperationException($"{server} went into ERROR while it was being {wanted}.");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{server} was not {wanted} after {ServerTimeout.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} minutes (status {server.Status}, task {server.TaskState ?? "none"}).");
                }

                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Nova accepted a server action but ended it without its effect.</summary>
    internal sealed class ServerActionNotTakenException : Exception
    {
        public ServerActionNotTakenException(string message)
            : base(message)
        {
        }
    }
}
