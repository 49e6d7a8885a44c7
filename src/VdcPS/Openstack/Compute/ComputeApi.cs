using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Quotas;

namespace VdcPS.Openstack.Compute
{
    /// <summary>Nova: quota sets, servers; every request names the negotiated microversion.</summary>
    internal sealed class ComputeApi : QuotaServiceApi
    {
        public ComputeApi(KeystoneSession session)
            : base(session, "compute", QuotaResources.Compute, QuotaRoutes.Compute)
        {
        }

        /// <summary>The microversion sent with every request (discovered once per connection).</summary>
        public Task<Version> MicroversionAsync(CancellationToken ct) => ComputeVersions.NegotiateAsync(Session, ct);

        protected override Task AddHeadersAsync(ApiRequest request, CancellationToken ct)
            => ComputeVersions.AddHeadersAsync(Session, request, ct);

        /// <summary>
        /// Like <see cref="SetAsync"/> with <c>"force": true</c>: Nova then accepts limits below what the
        /// project already uses (api-ref os-quota-sets; without it Nova answers 400).
        /// </summary>
        internal Task<IReadOnlyDictionary<string, long>> SetForcedAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct)
            => PutLimitsAsync(projectId, limits, new JsonObject { ["force"] = true }, ct);

        public override async Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"servers?all_tenants=1&project_id={Escape(projectId)}&limit=50", ct).ConfigureAwait(false);
            return ((doc["servers"] as JsonArray) ?? new JsonArray()).Where(s => s != null)
                .Select(s => new OwnedResource(Service, "server", s!["id"]?.GetValue<string>() ?? string.Empty, s["name"]?.GetValue<string>() ?? string.Empty))
                .ToList();
        }

        /// <summary>Microversion 2.73 added a reason to the lock action (and locked_reason to the server).</summary>
        internal static readonly Version LockReason = new Version(2, 73);

        /// <summary>Every server of the project (admin listing filtered by project, paged with marker).</summary>
        public async Task<IReadOnlyList<ServerInfo>> ListServersAsync(string projectId, CancellationToken ct)
        {
            List<JsonNode> servers = await GetAllPagesAsync($"servers/detail?all_tenants=1&project_id={Escape(projectId)}&limit=500", "servers", ct).ConfigureAwait(false);
            return servers.Select(ReadServer).ToList();
        }

        /// <summary>One server, or null when it no longer exists.</summary>
        public async Task<ServerInfo?> GetServerAsync(string serverId, CancellationToken ct)
        {
            JsonNode? doc = await GetJsonOrNullAsync($"servers/{Escape(serverId)}", ct).ConfigureAwait(false);
            return doc?["server"] is JsonObject s ? ReadServer(s) : null;
        }

        /// <summary>
        /// Sends one server action. Returns false when Nova refuses it because the server is not in a
        /// state for it (409: already stopped, already unshelved...), so that a rerun can go on; the
        /// caller reads the server back to decide. A server that no longer exists is also false.
        /// </summary>
        public async Task<bool> ActAsync(string serverId, ServerAction action, string? lockReason, CancellationToken ct)
        {
            Version v = await MicroversionAsync(ct).ConfigureAwait(false);
            JsonObject body = action switch
            {
                ServerAction.Stop => new JsonObject { ["os-stop"] = null },
                ServerAction.Start => new JsonObject { ["os-start"] = null },
                ServerAction.Lock => new JsonObject
                {
                    ["lock"] = v >= LockReason && !string.IsNullOrEmpty(lockReason) ? new JsonObject { ["locked_reason"] = lockReason } : null,
                },
                ServerAction.Unlock => new JsonObject { ["unlock"] = null },
                ServerAction.Shelve => new JsonObject { ["shelve"] = null },
                ServerAction.ShelveOffload => new JsonObject { ["shelveOffload"] = null },
                ServerAction.Unshelve => new JsonObject { ["unshelve"] = null },
                _ => throw new ArgumentOutOfRangeException(nameof(action)),
            };
            ApiResponse response = await SendAsync(HttpMethod.Post, $"servers/{Escape(serverId)}/action", body, ct, Refusable, idempotent: true).ConfigureAwait(false);
            return response.StatusCode < 300;
        }


        /// <summary>Deletes a server; false when it was gone already.</summary>
        public async Task<bool> DeleteServerAsync(string serverId, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Delete, $"servers/{Escape(serverId)}", null, ct, NotFound).ConfigureAwait(false);
            return response.StatusCode != 404;
        }

        /// <summary>The keypairs of a user (admin: microversion 2.10 added ?user_id=).</summary>
        public async Task<IReadOnlyList<ProjectResource>> ListKeypairsAsync(string userId, CancellationToken ct)
        {
            await RequireKeypairsOfOtherUsersAsync(ct).ConfigureAwait(false);
            // paged since 2.35 (max_limit per page, the keypair's name as marker)
            List<JsonNode> keypairs = await GetAllPagesAsync($"os-keypairs?user_id={Escape(userId)}", "keypairs", ct).ConfigureAwait(false);
            return keypairs
                .Select(k => k["keypair"]?["name"]?.GetValue<string>())
                .Where(n => !string.IsNullOrEmpty(n))
                .Select(n => new ProjectResource(ProjectResourceKind.Keypair, n!, n!, parentId: userId))
                .ToList();
        }

        public async Task DeleteKeypairAsync(string name, string userId, CancellationToken ct)
        {
            await RequireKeypairsOfOtherUsersAsync(ct).ConfigureAwait(false);
            await SendAsync(HttpMethod.Delete, $"os-keypairs/{Escape(name)}?user_id={Escape(userId)}", null, ct, NotFound).ConfigureAwait(false);
        }

        /// <summary>Microversion 2.10 added ?user_id= to the keypair calls; before it Nova ignores the parameter.</summary>
        internal static readonly Version KeypairsOfOtherUsers = new Version(2, 10);

        /// <summary>
        /// Below 2.10 Nova would list and delete the caller's own keypairs, not the tenant user's: refused, so
        /// that an admin's keypair is never deleted in a customer's name.
        /// </summary>
        private async Task RequireKeypairsOfOtherUsersAsync(CancellationToken ct)
        {
            Version v = await MicroversionAsync(ct).ConfigureAwait(false);
            if (v < KeypairsOfOtherUsers)
            {
                throw new NotSupportedException(
                    $"This cloud's Nova speaks microversion {v} at most; reading or deleting another user's keypairs needs {KeypairsOfOtherUsers} (Liberty and later). Below it Nova would act on the admin's own keypairs, so VdcPS does not.");
            }
        }

        private static readonly ISet<int> Refusable = new HashSet<int> { 404, 409 };

        internal static ServerInfo ReadServer(JsonNode s) => new ServerInfo
        {
            Id = s["id"]?.GetValue<string>() ?? string.Empty,
            Name = s["name"]?.GetValue<string>() ?? string.Empty,
            Status = s["status"]?.GetValue<string>() ?? string.Empty,
            TaskState = s["OS-EXT-STS:task_state"] is JsonValue t && t.TryGetValue(out string? task) ? task : null,
            Locked = s["locked"] is JsonValue l && l.TryGetValue(out bool locked) && locked,
            LockedReason = s["locked_reason"] is JsonValue r && r.TryGetValue(out string? reason) ? reason : null,
            Host = s["OS-EXT-SRV-ATTR:host"] is JsonValue h && h.TryGetValue(out string? host) ? host : null,
        };


    }
}
