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
    internal sealed class ComputeApi : ServiceApi, IQuotaApi
    {
        private static readonly SemaphoreSlim DiscoveryLock = new SemaphoreSlim(1, 1);

        public ComputeApi(KeystoneSession session)
            : base(session, "compute")
        {
        }

        public string Service => QuotaResources.Compute;

        /// <summary>The microversion sent with every request (discovered once per connection).</summary>
        public async Task<Version> MicroversionAsync(CancellationToken ct)
        {
            if (Session.ComputeVersions == null)
            {
                await DiscoveryLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    Session.ComputeVersions ??= await ComputeVersions.DiscoverAsync(Session, ct).ConfigureAwait(false);
                }
                finally
                {
                    DiscoveryLock.Release();
                }
            }

            return ComputeVersions.Choose(Session.ComputeVersions!.Value);
        }

        protected override async Task AddHeadersAsync(ApiRequest request, CancellationToken ct)
        {
            Version v = await MicroversionAsync(ct).ConfigureAwait(false);
            request.Headers["OpenStack-API-Version"] = $"compute {v}";
            request.Headers["X-OpenStack-Nova-API-Version"] = v.ToString();
        }

        public async Task<IReadOnlyDictionary<string, QuotaValue>> GetAsync(string projectId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"os-quota-sets/{Escape(projectId)}/detail", ct).ConfigureAwait(false);
            var result = new Dictionary<string, QuotaValue>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonNode?> p in (doc["quota_set"] as JsonObject) ?? new JsonObject())
            {
                if (p.Value is JsonObject detail)
                {
                    result[p.Key] = new QuotaValue(Long(detail["limit"]), Long(detail["in_use"]), Long(detail["reserved"]));
                }
            }

            return result;
        }

        public async Task<IReadOnlyDictionary<string, long>> SetAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct)
        {
            var set = new JsonObject();
            foreach (KeyValuePair<string, long> limit in limits)
            {
                set[limit.Key] = limit.Value;
            }

            ApiResponse response = await SendAsync(HttpMethod.Put, $"os-quota-sets/{Escape(projectId)}", new JsonObject { ["quota_set"] = set }, ct).ConfigureAwait(false);
            return Limits(Parse(response)["quota_set"] as JsonObject);
        }

        /// <summary>
        /// Like <see cref="SetAsync"/> with <c>"force": true</c>: Nova then accepts limits below what the
        /// project already uses (api-ref os-quota-sets; without it Nova answers 400).
        /// </summary>
        internal async Task<IReadOnlyDictionary<string, long>> SetForcedAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct)
        {
            var set = new JsonObject { ["force"] = true };
            foreach (KeyValuePair<string, long> limit in limits)
            {
                set[limit.Key] = limit.Value;
            }

            ApiResponse response = await SendAsync(HttpMethod.Put, $"os-quota-sets/{Escape(projectId)}", new JsonObject { ["quota_set"] = set }, ct).ConfigureAwait(false);
            return Limits(Parse(response)["quota_set"] as JsonObject);
        }

        public Task ResetAsync(string projectId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"os-quota-sets/{Escape(projectId)}", null, ct, NotFound);

        public async Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"servers?all_tenants=1&project_id={Escape(projectId)}&limit=50", ct).ConfigureAwait(false);
            return ((doc["servers"] as JsonArray) ?? new JsonArray()).Where(s => s != null)
                .Select(s => new OwnedResource(Service, "server", s!["id"]?.GetValue<string>() ?? string.Empty, s["name"]?.GetValue<string>() ?? string.Empty))
                .ToList();
        }

        internal static IReadOnlyDictionary<string, long> Limits(JsonObject? set)
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonNode?> p in set ?? new JsonObject())
            {
                if (p.Value is JsonValue v && v.TryGetValue(out long n))
                {
                    result[p.Key] = n;
                }
            }

            return result;
        }

        internal static long Long(JsonNode? node)
            => node is JsonValue v && v.TryGetValue(out long n) ? n : 0;
    }
}
