using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Metric
{
    /// <summary>
    /// The cloud cannot answer this metric query at all (no such resource type, the archive policy has
    /// no such aggregation or granularity): the mapping is unusable here, which is not the same as "no usage".
    /// </summary>
    internal sealed class MetricUnavailableException : Exception
    {
        public MetricUnavailableException(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// Gnocchi (the "metric" service): dynamic aggregates over a resource search, grouped by project
    /// (gnocchi doc rest.j2, "Dynamic Aggregates"). POST-only; Accept "application/json, */*" because
    /// Gnocchi answers 406 to some requests that accept only application/json.
    /// </summary>
    internal sealed class MetricApi : ServiceApi
    {
        public MetricApi(KeystoneSession session)
            : base(session, "metric")
        {
        }

        /// <summary>Whether the cloud's catalog (or an override) has a metric endpoint.</summary>
        public static bool IsAvailable(KeystoneSession session) => session.TryGetEndpoint("metric") != null;

        protected override Task AddHeadersAsync(ApiRequest request, CancellationToken cancellationToken)
        {
            request.Headers["Accept"] = "application/json, */*";
            return Task.CompletedTask;
        }

        /// <summary>
        /// Sums <paramref name="operations"/> over [start, stop) per project: the answer's points of each
        /// group are added up (the operations resample them to few points). Projects with no data are
        /// absent. <paramref name="projectIds"/> restricts the search (null: every project).
        /// </summary>
        public async Task<IReadOnlyDictionary<string, decimal>> SumByProjectAsync(
            string resourceType, string operations, DateTime start, DateTime stop, int granularitySeconds,
            IReadOnlyCollection<string>? projectIds, CancellationToken ct)
        {
            var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (MetricGroupSum sum in await SumByGroupAsync(resourceType, operations, start, stop, granularitySeconds, projectIds, null, ct).ConfigureAwait(false))
            {
                result[sum.ProjectId] = result.TryGetValue(sum.ProjectId, out decimal before) ? before + sum.Sum : sum.Sum;
            }

            return result;
        }

        /// <summary>
        /// As <see cref="SumByProjectAsync"/>, grouped by project and, when <paramref name="attribute"/> is
        /// given, also by that resource attribute (for example a volume's volume_type): one sum per group,
        /// the attribute's value null when a resource has none.
        /// </summary>
        public async Task<IReadOnlyList<MetricGroupSum>> SumByGroupAsync(
            string resourceType, string operations, DateTime start, DateTime stop, int granularitySeconds,
            IReadOnlyCollection<string>? projectIds, string? attribute, CancellationToken ct)
        {
            string query = "groupby=project_id"
                + (string.IsNullOrEmpty(attribute) ? string.Empty : "&groupby=" + Escape(attribute!))
                + "&start=" + Escape(FormatTime(start))
                + "&stop=" + Escape(FormatTime(stop))
                + "&granularity=" + granularitySeconds.ToString(CultureInfo.InvariantCulture)
                + "&fill=0";
            var body = new JsonObject
            {
                ["resource_type"] = resourceType,
                ["search"] = Search(projectIds, start, stop),
                ["operations"] = operations,
            };

            // A read, so repeating it after a dropped keep-alive connection is safe.
            ApiResponse response = await SendAsync(HttpMethod.Post, V1 + "aggregates?" + query, body, ct, Handled, idempotent: true).ConfigureAwait(false);
            if (response.StatusCode == 400 || response.StatusCode == 404)
            {
                string text = WebUtility.HtmlDecode(response.Body ?? string.Empty);
                if (text.IndexOf("Metrics not found", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    // No resource of the search has the metric: nothing was used.
                    return Array.Empty<MetricGroupSum>();
                }

                if (text.IndexOf("Resource type does not exist", StringComparison.OrdinalIgnoreCase) >= 0
                    || text.IndexOf("Resource type", StringComparison.OrdinalIgnoreCase) >= 0 && text.IndexOf("does not exist", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw new MetricUnavailableException($"Gnocchi has no resource type '{resourceType}'.");
                }

                if (text.IndexOf("unknown aggregation", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw new MetricUnavailableException($"the archive policy of the metric in {operations} does not keep that aggregation method.");
                }

                if (text.IndexOf("Granularity", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw new MetricUnavailableException($"the archive policy of the metric in {operations} has no {granularitySeconds} s granularity.");
                }

                throw new OpenStackApiException("POST", Url(V1 + "aggregates"), (HttpStatusCode)response.StatusCode, null, ErrorBodyParser.ExtractMessage(response.Body), ServiceType);
            }

            return ParseGroups(response.Body ?? string.Empty, attribute);
        }

        /// <summary>
        /// GET /v1/resource_type/{name}: the resource type and the names of its attributes, or null when
        /// Gnocchi has no such type (404). Read by the catalog check: a rate whose resource type is
        /// missing can never be measured on this cloud.
        /// </summary>
        public async Task<MetricResourceType?> GetResourceTypeAsync(string name, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Get, V1 + "resource_type/" + Uri.EscapeDataString(name), null, ct, NotFound, idempotent: true).ConfigureAwait(false);
            if (response.StatusCode == 404)
            {
                return null;
            }

            return ParseResourceType(response.Body ?? string.Empty);
        }

        /// <summary>{"name": "volume", "attributes": {"volume_type": {"type": "string", ...}, ...}, "state": "active"}</summary>
        internal static MetricResourceType ParseResourceType(string body)
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("Gnocchi's resource type answer has no name.");
            }

            var attributes = new List<string>();
            if (root.TryGetProperty("attributes", out JsonElement attrs) && attrs.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty a in attrs.EnumerateObject())
                {
                    attributes.Add(a.Name);
                }
            }

            string state = root.TryGetProperty("state", out JsonElement st) && st.ValueKind == JsonValueKind.String ? st.GetString()! : string.Empty;
            return new MetricResourceType(name.GetString()!, attributes, state);
        }

        private static readonly ISet<int> Handled = new HashSet<int> { 400, 404 };

        /// <summary>"v1/" unless the catalog's endpoint already ends with /v1.</summary>
        private string V1 => Root.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? string.Empty : "v1/";

        /// <summary>Resources of the projects (or of any project) that existed at some time of the period.</summary>
        internal static JsonObject Search(IReadOnlyCollection<string>? projectIds, DateTime start, DateTime stop)
        {
            JsonObject who;
            if (projectIds != null)
            {
                var ids = new JsonArray();
                foreach (string id in projectIds)
                {
                    ids.Add(id);
                }

                who = new JsonObject { ["in"] = new JsonObject { ["project_id"] = ids } };
            }
            else
            {
                who = new JsonObject { ["!="] = new JsonObject { ["project_id"] = null } };
            }

            return new JsonObject
            {
                ["and"] = new JsonArray(
                    who,
                    new JsonObject
                    {
                        ["or"] = new JsonArray(
                            new JsonObject { ["="] = new JsonObject { ["ended_at"] = null } },
                            new JsonObject { [">="] = new JsonObject { ["ended_at"] = FormatTime(start) } }),
                    },
                    new JsonObject { ["<"] = new JsonObject { ["started_at"] = FormatTime(stop) } }),
            };
        }

        internal static string FormatTime(DateTime utc) => UsageApi.FormatTime(utc) + "+00:00";

        /// <summary>[{"group": {"project_id": P}, "measures": {"measures": {"aggregated": [[ts, granularity, value], ...]}}}, ...]</summary>
        internal static IReadOnlyDictionary<string, decimal> ParseGroups(string body)
        {
            var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (MetricGroupSum sum in ParseGroups(body, null))
            {
                result[sum.ProjectId] = result.TryGetValue(sum.ProjectId, out decimal before) ? before + sum.Sum : sum.Sum;
            }

            return result;
        }

        /// <summary>The groups with the value of <paramref name="attribute"/> in each (null: absent or JSON null).</summary>
        internal static IReadOnlyList<MetricGroupSum> ParseGroups(string body, string? attribute)
        {
            var result = new List<MetricGroupSum>();
            using JsonDocument doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "[]" : body);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("Gnocchi's aggregates answer is not a list of groups.");
            }

            foreach (JsonElement group in doc.RootElement.EnumerateArray())
            {
                if (!group.TryGetProperty("group", out JsonElement g) || !g.TryGetProperty("project_id", out JsonElement pid) || pid.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                decimal sum = 0m;
                if (group.TryGetProperty("measures", out JsonElement m))
                {
                    // {"measures": {"aggregated": [...]}} for operations without metric references left,
                    // or {"measures": {<metric id>: {<aggregation>: [...]}}}.
                    JsonElement points = m.TryGetProperty("measures", out JsonElement inner) ? inner : m;
                    sum = SumPoints(points);
                }

                string? value = null;
                if (!string.IsNullOrEmpty(attribute) && g.TryGetProperty(attribute!, out JsonElement av) && av.ValueKind != JsonValueKind.Null)
                {
                    value = av.ValueKind == JsonValueKind.String ? av.GetString() : av.GetRawText();
                }

                result.Add(new MetricGroupSum(pid.GetString()!, value, sum));
            }

            return result;
        }

        private static decimal SumPoints(JsonElement node)
        {
            decimal sum = 0m;
            switch (node.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (JsonProperty p in node.EnumerateObject())
                    {
                        sum += SumPoints(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (JsonElement point in node.EnumerateArray())
                    {
                        // [timestamp, granularity, value]; NaN/null points (no data) count nothing.
                        if (point.ValueKind == JsonValueKind.Array && point.GetArrayLength() == 3)
                        {
                            JsonElement value = point[2];
                            if (value.ValueKind == JsonValueKind.Number)
                            {
                                sum += UsageApi.ToDecimal(value, "value");
                            }
                        }
                    }

                    break;
            }

            return sum;
        }
    }

    /// <summary>One group of an aggregates answer: a project, the grouping attribute's value (or null), the sum.</summary>
    internal sealed class MetricGroupSum
    {
        public MetricGroupSum(string projectId, string? attributeValue, decimal sum)
        {
            ProjectId = projectId;
            AttributeValue = attributeValue;
            Sum = sum;
        }

        public string ProjectId { get; }

        public string? AttributeValue { get; }

        public decimal Sum { get; }
    }

    /// <summary>A Gnocchi resource type: its name, its attributes' names, its state (active, creating...).</summary>
    internal sealed class MetricResourceType
    {
        public MetricResourceType(string name, IReadOnlyList<string> attributes, string state)
        {
            Name = name;
            Attributes = attributes;
            State = state;
        }

        public string Name { get; }

        public IReadOnlyList<string> Attributes { get; }

        public string State { get; }
    }
}
