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
            return QuotaDetails(doc["quota_set"] as JsonObject, "in_use");
        }

        public async Task<IReadOnlyDictionary<string, long>> SetAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct)
        {
            return await PutLimitsAsync($"os-quota-sets/{Escape(projectId)}", "quota_set", limits, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Like <see cref="SetAsync"/> with <c>"force": true</c>: Nova then accepts limits below what the
        /// project already uses (api-ref os-quota-sets; without it Nova answers 400).
        /// </summary>
        internal async Task<IReadOnlyDictionary<string, long>> SetForcedAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct)
        {
            return await PutLimitsAsync($"os-quota-sets/{Escape(projectId)}", "quota_set", limits, ct, new JsonObject { ["force"] = true }).ConfigureAwait(false);
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


    }
}
