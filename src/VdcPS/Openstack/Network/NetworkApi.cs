using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Quotas;

namespace VdcPS.Openstack.Network
{
    /// <summary>Neutron v2.0: quotas (with details) and the resources a project owns.</summary>
    internal sealed class NetworkApi : ServiceApi, IQuotaApi
    {
        private Uri? _root;

        public NetworkApi(KeystoneSession session)
            : base(session, "network")
        {
        }

        public string Service => QuotaResources.Network;

        /// <summary>Catalogs usually register Neutron without its version: add /v2.0/.</summary>
        protected override Uri Root
        {
            get
            {
                if (_root == null)
                {
                    string endpoint = Session.GetEndpoint("network").AbsoluteUri.TrimEnd('/');
                    _root = new Uri(endpoint.EndsWith("/v2.0", StringComparison.Ordinal) ? endpoint + "/" : endpoint + "/v2.0/");
                }

                return _root;
            }
        }

        public async Task<IReadOnlyDictionary<string, QuotaValue>> GetAsync(string projectId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"quotas/{Escape(projectId)}/details.json", ct).ConfigureAwait(false);
            return QuotaDetails(doc["quota"] as JsonObject, "used");
        }

        public async Task<IReadOnlyDictionary<string, long>> SetAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct)
        {
            return await PutLimitsAsync($"quotas/{Escape(projectId)}", "quota", limits, ct).ConfigureAwait(false);
        }

        public Task ResetAsync(string projectId, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"quotas/{Escape(projectId)}", null, ct, NotFound);

        public async Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct)
        {
            string filter = $"project_id={Escape(projectId)}&fields=id&fields=name";
            var kinds = new (string Collection, string Kind)[]
            {
                ("networks", "network"), ("subnets", "subnet"), ("ports", "port"), ("routers", "router"),
                ("floatingips", "floating IP"), ("security_groups", "security group"),
            };
            JsonNode[] docs = await Task.WhenAll(kinds.Select(k => GetJsonAsync($"{k.Collection}?{filter}", ct))).ConfigureAwait(false);
            var owned = new List<OwnedResource>();
            for (int i = 0; i < kinds.Length; i++)
            {
                foreach (JsonNode? item in (docs[i][kinds[i].Collection] as JsonArray) ?? new JsonArray())
                {
                    string name = item?["name"]?.GetValue<string>() ?? string.Empty;
                    // Neutron makes a "default" security group in every project it sees: not the customer's.
                    if (item == null || (kinds[i].Collection == "security_groups" && name == "default"))
                    {
                        continue;
                    }

                    owned.Add(new OwnedResource(Service, kinds[i].Kind, item["id"]?.GetValue<string>() ?? string.Empty, name));
                }
            }

            return owned;
        }
    }
}
