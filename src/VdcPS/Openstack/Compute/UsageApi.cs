using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Compute
{
    /// <summary>One server's line of os-simple-tenant-usage (detailed).</summary>
    internal sealed class NovaServerUsage
    {
        public string InstanceId { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string Flavor { get; set; } = string.Empty;
        public decimal Hours { get; set; }
        public decimal Vcpus { get; set; }
        public decimal MemoryMb { get; set; }
        public decimal LocalGb { get; set; }

        /// <summary>
        /// Nova's started_at: the instance's launched_at, which unshelve, resize, revert-resize, rebuild and
        /// rescue reset (so it is not the creation time); null when Nova has none.
        /// </summary>
        public DateTime? StartedAt { get; set; }

        /// <summary>Nova's ended_at (terminated_at), null while the server exists.</summary>
        public DateTime? EndedAt { get; set; }

        /// <summary>Nova's state (active, shelved_offloaded, terminated, ...).</summary>
        public string State { get; set; } = string.Empty;
    }

    /// <summary>One tenant's part of one page: Nova's totals over the servers on that page.</summary>
    internal sealed class NovaTenantUsage
    {
        public string TenantId { get; set; } = string.Empty;
        public decimal TotalHours { get; set; }
        public decimal TotalVcpusUsage { get; set; }
        public decimal TotalMemoryMbUsage { get; set; }
        public decimal TotalLocalGbUsage { get; set; }

        /// <summary>
        /// Servers of this tenant on the page (counted even when <see cref="Servers"/> is not kept);
        /// null when the answer has no per-server lines (the list asked with detailed=0).
        /// </summary>
        public int? ServerCount { get; set; }

        /// <summary>The server lines, only when the caller asked to keep them.</summary>
        public List<NovaServerUsage>? Servers { get; set; }
    }

    /// <summary>One answer of os-simple-tenant-usage.</summary>
    internal sealed class NovaUsagePage
    {
        public List<NovaTenantUsage> Tenants { get; } = new List<NovaTenantUsage>();

        /// <summary>
        /// Servers on the page, over all tenants (what Nova's limit counts); null when the answer has no
        /// per-server lines (detailed=0), so the servers cannot be counted.
        /// </summary>
        public int? ServerCount { get; set; }

        /// <summary>True when the answer carried a "next" link (tenant_usages_links / tenant_usage_links).</summary>
        public bool HasNext { get; set; }

        /// <summary>The marker of the next link (an instance uuid), when there is one.</summary>
        public string? NextMarker { get; set; }
    }

    /// <summary>
    /// Nova's os-simple-tenant-usage (api-ref os-simple-tenant-usage.inc): all tenants
    /// (<c>GET /os-simple-tenant-usage</c>, per-server lines only with detailed=1) or one
    /// (<c>GET /os-simple-tenant-usage/{tenant_id}</c>, always per server), paged with limit/marker from
    /// microversion 2.40; the page limit counts servers either way, and the next link's marker is the
    /// last server's uuid even when the servers are not listed. Numbers are read from the JSON
    /// text as decimals, so what Nova wrote is kept digit for digit (no detour through double).
    /// </summary>
    internal sealed class UsageApi : ServiceApi
    {
        public UsageApi(KeystoneSession session)
            : base(session, "compute")
        {
        }

        /// <summary>The microversion sent (negotiated once per connection, shared with the other compute calls).</summary>
        public Task<Version> MicroversionAsync(CancellationToken ct) => ComputeVersions.NegotiateAsync(Session, ct);

        protected override Task AddHeadersAsync(ApiRequest request, CancellationToken ct)
            => ComputeVersions.AddHeadersAsync(Session, request, ct);

        /// <summary>
        /// One page of every tenant's usage. <paramref name="limit"/> and <paramref name="marker"/> only from 2.40.
        /// <paramref name="detailed"/> asks Nova for the per-server lines (detailed=1: several times the bytes);
        /// <paramref name="keepServers"/> keeps them on the page (only meaningful with detailed).
        /// </summary>
        public async Task<NovaUsagePage> ListAsync(DateTime start, DateTime end, int? limit, string? marker, bool detailed, bool keepServers, CancellationToken ct)
        {
            string query = Query(start, end, limit, marker, detailed);
            return await GetStreamedAsync("os-simple-tenant-usage?" + query, root => ParsePage(root, keepServers, single: false), ct).ConfigureAwait(false);
        }

        /// <summary>One page of one tenant's usage (always per server).</summary>
        public async Task<NovaUsagePage> GetAsync(string tenantId, DateTime start, DateTime end, int? limit, string? marker, bool keepServers, CancellationToken ct)
        {
            string query = Query(start, end, limit, marker, detailed: false);
            return await GetStreamedAsync($"os-simple-tenant-usage/{Escape(tenantId)}?{query}", root => ParsePage(root, keepServers, single: true), ct).ConfigureAwait(false);
        }

        internal static string Query(DateTime start, DateTime end, int? limit, string? marker, bool detailed)
        {
            var q = new StringBuilder();
            q.Append("start=").Append(Escape(FormatTime(start)));
            q.Append("&end=").Append(Escape(FormatTime(end)));
            if (detailed)
            {
                q.Append("&detailed=1");
            }

            if (limit.HasValue)
            {
                q.Append("&limit=").Append(limit.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (!string.IsNullOrEmpty(marker))
            {
                q.Append("&marker=").Append(Escape(marker!));
            }

            return q.ToString();
        }

        /// <summary>Nova reads naive UTC times as %Y-%m-%dT%H:%M:%S or with .%f.</summary>
        internal static string FormatTime(DateTime utc)
            => utc.Ticks % TimeSpan.TicksPerSecond == 0
                ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
                : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

        internal static NovaUsagePage ParsePage(string body, bool keepServers, bool single)
        {
            using JsonDocument doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            return ParsePage(doc.RootElement, keepServers, single);
        }

        internal static NovaUsagePage ParsePage(JsonElement root, bool keepServers, bool single)
        {
            var page = new NovaUsagePage();
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("Nova's os-simple-tenant-usage answer is not a JSON object.");
            }

            if (single)
            {
                // {"tenant_usage": {...}} - an empty object when the tenant used nothing.
                if (root.TryGetProperty("tenant_usage", out JsonElement one) && one.ValueKind == JsonValueKind.Object && one.TryGetProperty("tenant_id", out _))
                {
                    page.Tenants.Add(ParseTenant(one, keepServers));
                }

                ReadLinks(root, "tenant_usage_links", page);
            }
            else
            {
                if (!root.TryGetProperty("tenant_usages", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException("Nova's os-simple-tenant-usage answer has no 'tenant_usages' list.");
                }

                foreach (JsonElement t in list.EnumerateArray())
                {
                    page.Tenants.Add(ParseTenant(t, keepServers));
                }

                ReadLinks(root, "tenant_usages_links", page);
            }

            int servers = 0;
            foreach (NovaTenantUsage t in page.Tenants)
            {
                if (t.ServerCount is int n)
                {
                    servers += n;
                }
                else
                {
                    // a tenant without server lines: the page's servers cannot be counted
                    return page;
                }
            }

            page.ServerCount = servers;
            return page;
        }

        private static NovaTenantUsage ParseTenant(JsonElement t, bool keepServers)
        {
            var usage = new NovaTenantUsage
            {
                TenantId = NovaJson.Text(t, "tenant_id"),
                TotalHours = Number(t, "total_hours"),
                TotalVcpusUsage = Number(t, "total_vcpus_usage"),
                TotalMemoryMbUsage = Number(t, "total_memory_mb_usage"),
                TotalLocalGbUsage = Number(t, "total_local_gb_usage"),
            };
            if (t.TryGetProperty("server_usages", out JsonElement servers) && servers.ValueKind == JsonValueKind.Array)
            {
                int count = servers.GetArrayLength();
                usage.ServerCount = count;
                if (keepServers)
                {
                    usage.Servers = new List<NovaServerUsage>(count);
                    foreach (JsonElement s in servers.EnumerateArray())
                    {
                        usage.Servers.Add(new NovaServerUsage
                        {
                            InstanceId = NovaJson.Text(s, "instance_id"),
                            Name = NovaJson.Text(s, "name"),
                            Flavor = NovaJson.Text(s, "flavor"),
                            Hours = Number(s, "hours"),
                            Vcpus = Number(s, "vcpus"),
                            MemoryMb = Number(s, "memory_mb"),
                            LocalGb = Number(s, "local_gb"),
                            StartedAt = NovaJson.Time(s, "started_at"),
                            EndedAt = NovaJson.Time(s, "ended_at"),
                            State = NovaJson.Text(s, "state"),
                        });
                    }
                }
            }

            return usage;
        }

        private static void ReadLinks(JsonElement root, string name, NovaUsagePage page)
        {
            if (!root.TryGetProperty(name, out JsonElement links) || links.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (JsonElement link in links.EnumerateArray())
            {
                if (link.ValueKind == JsonValueKind.Object && NovaJson.Text(link, "rel") == "next")
                {
                    page.HasNext = true;
                    page.NextMarker = MarkerOf(NovaJson.Text(link, "href"));
                }
            }
        }

        /// <summary>A JSON number as decimal, from its text (Nova's floats keep every digit Nova wrote).</summary>
        internal static decimal Number(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
            {
                return 0m;
            }

            return ToDecimal(v, name);
        }

        internal static decimal ToDecimal(JsonElement v, string what)
        {
            if (v.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"'{what}' is not a number: {v.GetRawText()}");
            }

            if (v.TryGetDecimal(out decimal d))
            {
                return d;
            }

            string raw = v.GetRawText();
            if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
            {
                return d;
            }

            // Below decimal's resolution (e.g. 1e-40): it is zero for any bill.
            if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && Math.Abs(x) < 1e-20)
            {
                return 0m;
            }

            throw new FormatException($"'{what}' = {raw} does not fit a decimal.");
        }
    }
}
