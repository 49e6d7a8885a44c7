using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Rating
{
    /// <summary>One rated total of CloudKitty: a project, a metric type, the quantity and the price.</summary>
    internal sealed class RatedTotal
    {
        public string ProjectId { get; set; } = string.Empty;

        /// <summary>CloudKitty's metric type (the key or alt_name in metrics.yml: instance, vcpus, memory, volume.size...).</summary>
        public string Type { get; set; } = string.Empty;

        /// <summary>Null when the API does not report it (v1 report summary).</summary>
        public decimal? Quantity { get; set; }

        /// <summary>The price, exactly as the JSON number or string was written (CloudKitty computes in floating point).</summary>
        public decimal Price { get; set; }

        public DateTime? Begin { get; set; }

        public DateTime? End { get; set; }
    }

    /// <summary>
    /// CloudKitty (service type "rating"): the rated summary for a period. Uses /v2/summary grouped
    /// by project and type, paged; falls back to /v1/report/summary when the cloud has no v2 API
    /// (CloudKitty with v1 storage answers 404 on every /v2 path).
    /// </summary>
    internal sealed class RatingApi : ServiceApi
    {
        public const int PageSize = 1000;

        public RatingApi(KeystoneSession session)
            : base(session, "rating")
        {
        }

        /// <summary>Which API answered the last call: "v2" or "v1".</summary>
        public string ApiVersion { get; private set; } = "v2";

        protected override Task AddHeadersAsync(ApiRequest request, CancellationToken cancellationToken)
        {
            // Exactly application/json: CloudKitty's v1 API (pecan/WSME) answers XML to
            // "application/json, */*" (seen on CloudKitty 17: <result><summary /></result>), while
            // its v2 API (flask) answers JSON either way. Gnocchi needs the "*/*"; CloudKitty must not get it.
            request.Headers["Accept"] = "application/json";
            return Task.CompletedTask;
        }

        protected override Uri Root
        {
            get
            {
                // The catalog may list the endpoint with a version (http://host:8889/v1): the paths here carry it.
                Uri root = base.Root;
                string path = root.AbsolutePath.TrimEnd('/');
                if (path.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/v2", StringComparison.OrdinalIgnoreCase))
                {
                    return new Uri(root, path.Substring(0, path.Length - 2).TrimEnd('/') + "/");
                }

                return root;
            }
        }

        public async Task<IReadOnlyList<RatedTotal>> GetSummaryAsync(DateTime begin, DateTime end, CancellationToken ct)
        {
            string period = "begin=" + Escape(IsoTime(begin)) + "&end=" + Escape(IsoTime(end));
            var totals = new List<RatedTotal>();
            int offset = 0;
            while (true)
            {
                string relative = $"v2/summary?{period}&groupby=project_id&groupby=type&response_format=table&offset={offset.ToString(CultureInfo.InvariantCulture)}&limit={PageSize.ToString(CultureInfo.InvariantCulture)}";
                ApiResponse response = await SendAsync(HttpMethod.Get, relative, null, ct, NotFound).ConfigureAwait(false);
                if (response.StatusCode == 404)
                {
                    if (offset == 0)
                    {
                        ApiVersion = "v1";
                        return await GetV1SummaryAsync(period, ct).ConfigureAwait(false);
                    }

                    break;
                }

                ApiVersion = "v2";
                JsonNode doc = Parse(response);
                List<RatedTotal> page = ParseV2(doc);
                totals.AddRange(page);
                offset += page.Count;
                long total = Number(doc["total"]) is decimal t ? (long)t : 0;
                if (page.Count == 0 || page.Count < PageSize || offset >= total)
                {
                    break;
                }
            }

            return totals;
        }

        private async Task<IReadOnlyList<RatedTotal>> GetV1SummaryAsync(string period, CancellationToken ct)
        {
            // groupby is one text parameter here (WSME), matched by substring: "tenant_id,res_type". Repeated
            // groupby parameters keep only one of them (CloudKitty 17 then answers tenant_id "ALL").
            JsonNode doc = await GetJsonAsync($"v1/report/summary?{period}&groupby=tenant_id,res_type&all_tenants=true", ct).ConfigureAwait(false);
            var totals = new List<RatedTotal>();
            foreach (JsonNode? item in doc["summary"] as JsonArray ?? new JsonArray())
            {
                if (item is JsonObject row)
                {
                    totals.Add(new RatedTotal
                    {
                        ProjectId = Text(row["tenant_id"]),
                        Type = Text(row["res_type"]),
                        Quantity = null,
                        Price = Number(row["rate"]) ?? 0m,
                        Begin = Time(row["begin"]),
                        End = Time(row["end"]),
                    });
                }
            }

            return totals;
        }

        /// <summary>Reads both response formats of /v2/summary: "table" (columns + rows) and "object".</summary>
        internal static List<RatedTotal> ParseV2(JsonNode doc)
        {
            var result = new List<RatedTotal>();
            List<string> columns = (doc["columns"] as JsonArray ?? new JsonArray()).Select(c => Text(c)).ToList();
            foreach (JsonNode? item in doc["results"] as JsonArray ?? new JsonArray())
            {
                JsonNode? Field(string name)
                {
                    if (item is JsonObject o)
                    {
                        return o[name];
                    }

                    int i = columns.IndexOf(name);
                    return item is JsonArray a && i >= 0 && i < a.Count ? a[i] : null;
                }

                result.Add(new RatedTotal
                {
                    ProjectId = Text(Field("project_id")),
                    Type = Text(Field("type")),
                    Quantity = Number(Field("qty")),
                    Price = Number(Field("rate")) ?? 0m,
                    Begin = Time(Field("begin")),
                    End = Time(Field("end")),
                });
            }

            return result;
        }

        /// <summary>A JSON number or numeric string as an exact decimal (44.64000000000003 stays that).</summary>
        internal static decimal? Number(JsonNode? node)
        {
            if (node is JsonValue value)
            {
                if (value.TryGetValue(out decimal d))
                {
                    return d;
                }

                string text = value.ToJsonString().Trim('"');
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
                {
                    return d;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && !double.IsNaN(f) && !double.IsInfinity(f))
                {
                    return (decimal)f;
                }
            }

            return null;
        }

        private static string Text(JsonNode? node)
            => node is JsonValue value && value.TryGetValue(out string? s) ? s ?? string.Empty : node?.ToJsonString().Trim('"') ?? string.Empty;

        private static DateTime? Time(JsonNode? node)
        {
            string text = Text(node);
            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t)
                ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
                : (DateTime?)null;
        }

        internal static string IsoTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
    }
}
