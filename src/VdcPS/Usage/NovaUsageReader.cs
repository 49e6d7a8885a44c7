using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Compute;

namespace VdcPS.Usage
{
    /// <summary>Nova's answer may be incomplete and VdcPS cannot page past it: refusing beats under-billing.</summary>
    internal sealed class UsageTruncatedException : Exception
    {
        public UsageTruncatedException(string message)
            : base(message)
        {
        }
    }

    /// <summary>One tenant's Nova usage, stitched from every page it appeared on.</summary>
    internal sealed class NovaTenantTotals
    {
        public NovaTenantTotals(string tenantId)
        {
            TenantId = tenantId;
        }

        public string TenantId { get; }
        public decimal Hours { get; private set; }
        public decimal VcpuHours { get; private set; }
        public decimal MemoryMbHours { get; private set; }
        public decimal LocalGbHours { get; private set; }

        /// <summary>Per-server lines, kept only for -Detailed.</summary>
        public List<NovaServerUsage>? ServerLines { get; private set; }

        public void Add(NovaTenantUsage part)
        {
            Hours += part.TotalHours;
            VcpuHours += part.TotalVcpusUsage;
            MemoryMbHours += part.TotalMemoryMbUsage;
            LocalGbHours += part.TotalLocalGbUsage;
            if (part.Servers != null)
            {
                (ServerLines ??= new List<NovaServerUsage>()).AddRange(part.Servers);
            }
        }

        /// <summary>Servers whose line was replaced by their rated life (instance id → life); null when none.</summary>
        public Dictionary<string, ServerLifeUsage>? Rated { get; private set; }

        /// <summary>
        /// Takes a server's rated life instead of Nova's line: Nova's contribution to the totals (hours and
        /// hours × size at the latest flavor) comes out, the life's hours per flavor go in.
        /// </summary>
        public void Replace(RatedServer server)
        {
            NovaServerUsage n = server.Nova;
            ServerLifeUsage life = server.Life;
            (Rated ??= new Dictionary<string, ServerLifeUsage>(StringComparer.Ordinal))[n.InstanceId] = life;
            Hours += life.Hours - n.Hours;
            VcpuHours += life.VcpuHours - (n.Vcpus * n.Hours);
            MemoryMbHours += life.MemoryMbHours - (n.MemoryMb * n.Hours);
            LocalGbHours += life.LocalGbHours - (n.LocalGb * n.Hours);
        }

        /// <summary>Quantity of a Nova resource: Nova's totals, RAM in GB (MB / 1024, exact in decimal).</summary>
        public decimal Quantity(string resource) => resource switch
        {
            UsageResources.InstanceHour => Hours,
            UsageResources.VcpuHour => VcpuHours,
            UsageResources.RamGbHour => MemoryMbHours / UsageResources.MbPerGb,
            UsageResources.DiskGbHour => LocalGbHours,
            _ => 0m,
        };
    }

    /// <summary>
    /// Reads os-simple-tenant-usage completely or not at all. From microversion 2.40 it pages with
    /// limit/marker and follows every next link (a tenant's servers may span pages: their totals are
    /// added up by tenant id). Before 2.40 Nova cuts the answer at its [api]max_limit (1,000 by
    /// default) without saying so: an answer that reaches that many servers is refused.
    /// Whether Nova is asked for per-server lines is decided in one place, <see cref="AsksServerLines"/>.
    /// </summary>
    internal sealed class NovaUsageReader
    {
        /// <summary>Nova's default [api]max_limit: an unpaged answer with this many servers may be cut.</summary>
        internal const int UnpagedCap = 1000;

        private readonly UsageApi _api;
        private readonly SemaphoreSlim _gate;

        public NovaUsageReader(UsageApi api, SemaphoreSlim gate)
        {
            _api = api;
            _gate = gate;
        }

        /// <summary>Servers asked for per page (Nova answers at most its max_limit and links the rest).</summary>
        internal int PageSize { get; set; } = 1000;

        /// <summary>Set after the first call: whether the cloud pages (microversion ≥ 2.40).</summary>
        public Version? Microversion { get; private set; }

        /// <summary>
        /// Whether the every-tenant list asks Nova for per-server lines (detailed=1). Only when the caller
        /// needs them (<see cref="UsageRequest.NeedsServerLines"/>), or when Nova cannot page (below 2.40):
        /// then the servers must be counted to recognize an answer cut at max_limit. Otherwise detailed=0:
        /// the same totals (Nova sums the same instances either way) in a fraction of the bytes.
        /// </summary>
        internal static bool AsksServerLines(bool serverLinesNeeded, bool paged) => serverLinesNeeded || !paged;

        /// <summary>
        /// Every tenant's usage: one paged walk. <paramref name="keepServers"/>: the per-server lines are
        /// needed (and kept). <paramref name="keep"/> filters tenants as pages arrive (null keeps all);
        /// <paramref name="onPage"/> reports (pages, servers or null when not listed, tenants) so far.
        /// </summary>
        public async Task<Dictionary<string, NovaTenantTotals>> ReadAllAsync(
            DateTime start, DateTime end, bool keepServers, Func<string, bool>? keep, Action<int, int?, int>? onPage, CancellationToken ct)
        {
            var totals = new Dictionary<string, NovaTenantTotals>(StringComparer.Ordinal);
            int pages = 0;
            int? servers = 0;
            await WalkAsync(
                (limit, marker, token) => _api.ListAsync(start, end, limit, marker, AsksServerLines(keepServers, paged: limit.HasValue), keepServers, token),
                page =>
                {
                    pages++;
                    servers = servers + page.ServerCount;
                    foreach (NovaTenantUsage part in page.Tenants)
                    {
                        if (keep != null && !keep(part.TenantId))
                        {
                            continue;
                        }

                        if (!totals.TryGetValue(part.TenantId, out NovaTenantTotals? t))
                        {
                            totals[part.TenantId] = t = new NovaTenantTotals(part.TenantId);
                        }

                        t.Add(part);
                    }

                    onPage?.Invoke(pages, servers, totals.Count);
                },
                "every tenant",
                ct).ConfigureAwait(false);
            return totals;
        }

        /// <summary>One tenant's usage: GET /os-simple-tenant-usage/{id}, every page of it.</summary>
        public async Task<NovaTenantTotals> ReadTenantAsync(string tenantId, DateTime start, DateTime end, bool keepServers, CancellationToken ct)
        {
            var totals = new NovaTenantTotals(tenantId);
            await WalkAsync(
                (limit, marker, token) => _api.GetAsync(tenantId, start, end, limit, marker, keepServers, token),
                page =>
                {
                    foreach (NovaTenantUsage part in page.Tenants)
                    {
                        // Nova filters by tenant already; a foreign row would be a Nova bug, never billed here.
                        if (string.Equals(part.TenantId, tenantId, StringComparison.Ordinal))
                        {
                            totals.Add(part);
                        }
                    }
                },
                $"tenant {tenantId}",
                ct).ConfigureAwait(false);
            return totals;
        }

        private async Task WalkAsync(
            Func<int?, string?, CancellationToken, Task<NovaUsagePage>> fetch, Action<NovaUsagePage> take, string what, CancellationToken ct)
        {
            Microversion ??= await _api.MicroversionAsync(ct).ConfigureAwait(false);
            bool pages = Microversion >= ComputeVersions.UsagePaging;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? marker = null;
            while (true)
            {
                NovaUsagePage page;
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    page = await fetch(pages ? PageSize : (int?)null, marker, ct).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }

                if (!pages)
                {
                    if (page.ServerCount == null)
                    {
                        throw new UsageTruncatedException(
                            $"Nova's usage of {what} at compute microversion {Microversion} (below {ComputeVersions.UsagePaging}) came without per-server lines, "
                            + $"so VdcPS cannot tell whether Nova cut it at its [api]max_limit (default {UnpagedCap}). VdcPS does not report usage that may be incomplete.");
                    }

                    if (page.ServerCount >= UnpagedCap)
                    {
                        throw new UsageTruncatedException(
                            $"Nova's usage of {what} lists {page.ServerCount} servers, and at compute microversion {Microversion} "
                            + $"(below {ComputeVersions.UsagePaging}) Nova cannot page: it silently stops at its [api]max_limit "
                            + $"(default {UnpagedCap}). VdcPS does not report usage that may be incomplete.");
                    }

                    take(page);
                    return;
                }

                take(page);
                if (!page.HasNext)
                {
                    if (page.ServerCount >= PageSize)
                    {
                        // A full page always carries a next link; without one the rest cannot be found.
                        // (Checked when the page lists its servers; a detailed=0 page cannot be counted.)
                        throw new UsageTruncatedException(
                            $"Nova's usage of {what}: a full page of {page.ServerCount} servers came without a next link, so the rest cannot be read.");
                    }

                    return;
                }

                if (string.IsNullOrEmpty(page.NextMarker))
                {
                    throw new UsageTruncatedException($"Nova's usage of {what}: the next link has no marker, so the rest cannot be read.");
                }

                if (!seen.Add(page.NextMarker!))
                {
                    throw new UsageTruncatedException($"Nova's usage of {what}: the next link repeats marker {page.NextMarker}; stopped instead of reading the same servers again.");
                }

                marker = page.NextMarker;
            }
        }
    }
}
