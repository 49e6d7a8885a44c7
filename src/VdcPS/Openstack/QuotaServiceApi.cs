using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack
{
    /// <summary>
    /// The quota calls of Nova, Cinder and Neutron, written once: GET the limits with usage, PUT new
    /// limits, DELETE the project's own limits. What differs between the services is data
    /// (<see cref="QuotaRoutes"/>: paths, the body's wrapper, the usage key); microversion headers come
    /// from the service's <see cref="ServiceApi.AddHeadersAsync"/> like on every other request.
    /// </summary>
    internal abstract class QuotaServiceApi : ServiceApi, IQuotaApi
    {
        private readonly QuotaRoutes _routes;

        protected QuotaServiceApi(KeystoneSession session, string serviceType, string service, QuotaRoutes routes, string? version = null)
            : base(session, serviceType, version)
        {
            Service = service;
            _routes = routes;
        }

        public string Service { get; }

        public async Task<IReadOnlyDictionary<string, QuotaValue>> GetAsync(string projectId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync(_routes.Project(projectId) + _routes.DetailSuffix, ct).ConfigureAwait(false);
            return QuotaDetails(doc[_routes.Wrapper] as JsonObject, _routes.InUseKey);
        }

        public Task<IReadOnlyDictionary<string, long>> SetAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct)
            => PutLimitsAsync(projectId, limits, null, ct);

        public Task ResetAsync(string projectId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, _routes.Project(projectId), null, ct, NotFound);

        public abstract Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct);

        /// <summary>PUTs the limits (after any <paramref name="extra"/> fields) in the wrapper and returns the limits the service answered with.</summary>
        protected async Task<IReadOnlyDictionary<string, long>> PutLimitsAsync(
            string projectId, IReadOnlyDictionary<string, long> limits, JsonObject? extra, CancellationToken ct)
        {
            JsonObject set = extra ?? new JsonObject();
            foreach (KeyValuePair<string, long> limit in limits)
            {
                set[limit.Key] = limit.Value;
            }

            ApiResponse response = await SendAsync(HttpMethod.Put, _routes.Project(projectId), new JsonObject { [_routes.Wrapper] = set }, ct).ConfigureAwait(false);
            return Limits(Parse(response)[_routes.Wrapper] as JsonObject);
        }

        /// <summary>
        /// Reads a quota document with usage ({key: {limit, in_use|used, reserved}}), the shape
        /// Nova's os-quota-sets/detail, Cinder's ?usage=true and Neutron's details.json share.
        /// </summary>
        private static IReadOnlyDictionary<string, QuotaValue> QuotaDetails(JsonObject? set, string inUseKey)
        {
            var result = new Dictionary<string, QuotaValue>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonNode?> p in set ?? new JsonObject())
            {
                if (p.Value is JsonObject detail)
                {
                    result[p.Key] = new QuotaValue(Long(detail["limit"]), Long(detail[inUseKey]), Long(detail["reserved"]));
                }
            }

            return result;
        }

        /// <summary>The numeric limits of a flat quota document ({key: n}).</summary>
        private static IReadOnlyDictionary<string, long> Limits(JsonObject? set)
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
    }

    /// <summary>Where a service keeps a project's quotas and how its documents are shaped.</summary>
    internal sealed class QuotaRoutes
    {
        /// <summary>Nova's os-quota-sets (detail with usage since 2.0; the microversion only changes the keys).</summary>
        public static readonly QuotaRoutes Compute = new QuotaRoutes("os-quota-sets", "/detail", "quota_set", "in_use");

        /// <summary>Cinder v3's os-quota-sets (usage by query; the target project after the token's own in the URL).</summary>
        public static readonly QuotaRoutes BlockStorage = new QuotaRoutes("os-quota-sets", "?usage=true", "quota_set", "in_use");

        /// <summary>Neutron v2.0's quotas (usage from the quota details extension).</summary>
        public static readonly QuotaRoutes Network = new QuotaRoutes("quotas", "/details.json", "quota", "used");

        private QuotaRoutes(string collection, string detailSuffix, string wrapper, string inUseKey)
        {
            Collection = collection;
            DetailSuffix = detailSuffix;
            Wrapper = wrapper;
            InUseKey = inUseKey;
        }

        /// <summary>The collection under the service root (os-quota-sets, quotas).</summary>
        public string Collection { get; }

        /// <summary>What follows the project's path to read limits with usage.</summary>
        public string DetailSuffix { get; }

        /// <summary>The key that wraps the quotas in request and response bodies.</summary>
        public string Wrapper { get; }

        /// <summary>The key of the usage in a detailed quota (in_use, used).</summary>
        public string InUseKey { get; }

        /// <summary>The project's quota path (PUT, DELETE; GET with <see cref="DetailSuffix"/>).</summary>
        public string Project(string projectId) => Collection + "/" + Uri.EscapeDataString(projectId);
    }
}
