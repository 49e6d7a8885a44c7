using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Metric;
using VdcPS.Tenants;

namespace VdcPS.Usage
{
    /// <summary>What Get-VdcUsage was asked for.</summary>
    internal sealed class UsageRequest
    {
        public DateTime Start { get; set; }
        public DateTime End { get; set; }

        /// <summary>Nova, Gnocchi, All; null = Nova plus Gnocchi for what Nova does not report.</summary>
        public string? Source { get; set; }

        public bool Detailed { get; set; }

        /// <summary>
        /// The one decision whether Nova's per-server lines are needed: for -Detailed's per-server rows, and
        /// when the cloud has servers whose Nova line may be wrong (a resize migration since the period's
        /// start, or a server shelved now: <see cref="ServerLivesToRate"/>). When false, the every-tenant walk
        /// asks Nova for totals only (detailed=0).
        /// </summary>
        public bool NeedsServerLines => Detailed || ServerLivesToRate;

        /// <summary>Set by the collector after its scan of Nova's migrations and shelved servers (<see cref="ServerLifeRater"/>).</summary>
        public bool ServerLivesToRate { get; set; }
        public bool ManagedOnly { get; set; }
        public int ThrottleLimit { get; set; } = 4;
        public IReadOnlyList<GnocchiMetric> Metrics { get; set; } = GnocchiMetricMap.Defaults;

        /// <summary>Tenants by id (null: not given).</summary>
        public IReadOnlyList<string>? Ids { get; set; }

        /// <summary>Tenants by name, wildcards allowed (null: not given).</summary>
        public IReadOnlyList<string>? Names { get; set; }

        public string Cloud { get; set; } = string.Empty;
    }

    /// <summary>
    /// Collects usage and writes one <see cref="VdcUsageRecord"/> per tenant × resource (and, with
    /// -Detailed, per server × resource) through the cmdlet's output queue, tenants in name order.
    /// All tenants: one paged walk of os-simple-tenant-usage. A few named tenants: one paged
    /// os-simple-tenant-usage/{id} walk each, at most ThrottleLimit requests at a time, each tenant
    /// written as soon as it and the tenants before it are done. Many named tenants (20 or more, and
    /// at least a tenth of the cloud's projects): the single walk, filtered, which costs a few pages
    /// instead of a request per tenant. Gnocchi: one grouped aggregates request per mapped resource.
    /// </summary>
    internal sealed class UsageCollector
    {
        private const int ActivityId = 4711;
        private const int WalkAtLeast = 20;
        private const int MaxSearchIds = 500;

        private readonly KeystoneSession _session;
        private readonly UsageRequest _request;
        private readonly ICmdletOutput _output;
        private readonly SemaphoreSlim _gate;
        private ServerLifeRater? _lives;
        private Task _scan = Task.CompletedTask;

        /// <summary>The collector of a connection: it builds the Keystone, Nova and Gnocchi clients it needs.</summary>
        public UsageCollector(VdcContext context, UsageRequest request, ICmdletOutput output)
            : this(context.Session, request, output)
        {
        }

        public UsageCollector(KeystoneSession session, UsageRequest request, ICmdletOutput output)
        {
            _session = session;
            _request = request;
            _output = output;
            _gate = new SemaphoreSlim(Math.Max(1, request.ThrottleLimit));
        }

        /// <summary>Servers per Nova page (tests make it small).</summary>
        internal int PageSize { get; set; } = 1000;

        internal Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        /// <summary>Rows written so far.</summary>
        public long Rows { get; private set; }

        public async Task RunAsync(CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            UsageRequest r = _request;
            DateTime now = UtcNow();
            if (r.End > now)
            {
                _output.Warning($"The period ends at {UsagePeriod.Show(r.End)}, after now: usage is counted up to now ({UsagePeriod.Show(now)}), "
                    + "because Nova stops at the current time. The rows still show the period asked for.");
            }

            // ---- which resources from where
            bool fromNova = r.Source != "Gnocchi";
            bool metricEndpoint = MetricApi.IsAvailable(_session);
            List<GnocchiMetric> metrics;
            if (r.Source == "Gnocchi" || r.Source == "All")
            {
                if (!metricEndpoint)
                {
                    _session.GetEndpoint("metric"); // throws EndpointNotFoundException with the catalog's services
                }

                metrics = r.Metrics.ToList();
            }
            else if (r.Source == "Nova" || !metricEndpoint)
            {
                metrics = new List<GnocchiMetric>();
            }
            else
            {
                metrics = r.Metrics.Where(m => !UsageResources.IsNova(m.Resource)).ToList();
            }

            if (r.Detailed && !fromNova)
            {
                _output.Warning("-Detailed: the per-server rows come from Nova, which -Source Gnocchi does not read.");
            }

            // ---- tenants. The project list is needed before the usage only to choose tenants (-Name, -Id,
            // -ManagedOnly); for the whole cloud it is read concurrently with Nova's pages.
            Task<TenantDirectory> directoryTask = LoadDirectoryAsync(ct);
            TenantDirectory? directory = null;
            List<TenantLabel>? targets = null;
            if (r.Ids != null || r.Names != null || r.ManagedOnly)
            {
                directory = await directoryTask.ConfigureAwait(false);
                targets = ResolveTargets(directory);
                if (targets != null && targets.Count == 0)
                {
                    return;
                }
            }

            bool walk = targets == null || (targets.Count >= WalkAtLeast && targets.Count * 10 >= directory!.Count);
            HashSet<string>? wanted = targets == null ? null : new HashSet<string>(targets.Select(t => t.Id), StringComparer.Ordinal);
            Func<string, bool>? keep = wanted != null ? wanted.Contains
                : r.ManagedOnly ? id => directory!.Get(id).Managed
                : null;

            // ---- Gnocchi, concurrently with Nova (the same ThrottleLimit bounds both)
            IReadOnlyCollection<string>? searchIds = wanted != null && wanted.Count <= MaxSearchIds ? wanted : null;
            Task<Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>>> gnocchi = ReadGnocchiAsync(metrics, searchIds, ct);

            // ---- servers whose Nova line may be wrong (resized, shelved): decides whether the lines are needed
            // The scan runs concurrently with Nova's usage (its few requests hide behind the walk); the walk asks
            // for totals only and reads again with the per-server lines only if the scan finds something.
            ServerLifeRater? lives = null;
            if (fromNova)
            {
                lives = new ServerLifeRater(new InstanceActionApi(_session), new ServerHistoryApi(_session), _gate, _output, r.Start, r.End);
                _scan = ScanAsync(lives, keep, ct);
            }

            _lives = lives;
            var reader = new NovaUsageReader(new UsageApi(_session), _gate) { PageSize = PageSize };
            try
            {
                if (walk)
                {
                    await WalkAsync(reader, fromNova, keep, targets, directoryTask, gnocchi, ct).ConfigureAwait(false);
                }
                else
                {
                    await PerTenantAsync(reader, fromNova, targets!, gnocchi, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                // Never leave the Gnocchi requests or the project list running unobserved.
                try
                {
                    await gnocchi.ConfigureAwait(false);
                }
                catch
                {
                    // its failure, if any, is reported where it is awaited first
                }

                try
                {
                    await _scan.ConfigureAwait(false);
                }
                catch
                {
                    // ScanAsync reports its own failure as a warning; only cancellation escapes it
                }

                try
                {
                    await directoryTask.ConfigureAwait(false);
                }
                catch
                {
                    // only cancellation escapes LoadDirectoryAsync here
                }

                _output.Progress(new ProgressRecord(ActivityId, "Get-VdcUsage", "Done") { RecordType = ProgressRecordType.Completed });
            }

            if (lives != null && lives.Rated > 0)
            {
                _output.Verbose($"{lives.Rated} servers rated over their real life (resize, shelve, rebuild or rescue in their history) instead of Nova's line.");
            }

            _output.Verbose($"Wrote {Rows} usage rows in {watch.Elapsed.TotalSeconds:0.00} s.");
        }

        private async Task<TenantDirectory> LoadDirectoryAsync(CancellationToken ct)
        {
            try
            {
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                IReadOnlyList<ProjectDto> projects;
                try
                {
                    projects = await new IdentityApi(_session).ListProjectsAsync(null, null, null, ct).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }

                _output.Verbose($"Keystone: {projects.Count} projects.");
                var directory = new TenantDirectory(projects, _request.End);
                ReportDamaged(directory);
                return directory;
            }
            catch (Exception e) when (!(e is OperationCanceledException) && _request.Names == null && !_request.ManagedOnly)
            {
                // Names, customers and plans are missing then, but the usage is still right.
                _output.Warning($"Cannot list the Keystone projects ({ErrorFactory.Unwrap(e).Message}): the rows carry tenant ids only, without names, customers or plans.");
                return new TenantDirectory(Array.Empty<ProjectDto>(), _request.End);
            }
        }

        /// <summary>The named tenants in output order, or null for every tenant.</summary>
        /// <summary>Tenants asked for (or all, without -Name/-Id) whose history cannot be read: an error each; their rows carry no plan.</summary>
        private void ReportDamaged(TenantDirectory directory)
        {
            UsageRequest r = _request;
            var patterns = r.Names?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (Tenants.TenantRecordDamagedException damaged in directory.Damaged)
            {
                bool asked = (r.Ids == null && patterns == null)
                             || (r.Ids != null && r.Ids.Contains(damaged.TenantId, StringComparer.Ordinal))
                             || (patterns != null && patterns.Any(p => p.IsMatch(damaged.TenantName)));
                if (asked)
                {
                    _output.Error(ErrorFactory.Create(damaged, ErrorIds.TenantRecordDamaged, ErrorCategory.InvalidData, damaged.TenantName,
                        "Its usage rows carry no plan. " + damaged.RecommendedAction));
                }
            }
        }

        private List<TenantLabel>? ResolveTargets(TenantDirectory directory)
        {
            UsageRequest r = _request;
            if (r.Ids == null && r.Names == null)
            {
                return null;
            }

            var byId = new Dictionary<string, TenantLabel>(StringComparer.Ordinal);
            foreach (string id in r.Ids ?? Array.Empty<string>())
            {
                // A project Keystone no longer has may still have usage in the period: it is asked for anyway.
                byId[id] = directory.Get(id);
            }

            foreach (string name in r.Names ?? Array.Empty<string>())
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                bool any = false;
                foreach (TenantLabel t in directory.All.Where(t => pattern.IsMatch(t.Name)))
                {
                    byId[t.Id] = t;
                    any = true;
                }

                if (!any && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    _output.Error(ErrorFactory.Create(new ItemNotFoundException($"Tenant '{name}' was not found."),
                        ErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound, name, "Get-VdcTenant -IncludeUnmanaged lists the projects."));
                }
            }

            var targets = byId.Values.Where(t => !r.ManagedOnly || t.Managed).ToList();
            targets.Sort(TenantDirectory.Order);
            return targets;
        }

        private async Task<Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>>> ReadGnocchiAsync(
            List<GnocchiMetric> metrics, IReadOnlyCollection<string>? projectIds, CancellationToken ct)
        {
            var result = new Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>>();
            if (metrics.Count == 0)
            {
                return result;
            }

            var api = new MetricApi(_session);
            int seconds = UsagePeriod.ResampleSeconds(_request.Start, _request.End);
            Task<VolumeTypeNames> typeNames = metrics.Any(m => m.VolumeTypeAttribute != null)
                ? LoadVolumeTypeNamesAsync(ct)
                : Task.FromResult(VolumeTypeNames.None);
            var tasks = metrics.Select(async m =>
            {
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var watch = Stopwatch.StartNew();
                    IReadOnlyList<MetricGroupSum> sums = await api.SumByGroupAsync(
                        m.ResourceType, m.Operations(seconds), _request.Start, _request.End, 3600, projectIds, m.VolumeTypeAttribute, ct).ConfigureAwait(false);
                    _output.Verbose($"Gnocchi: {m.Resource} from {m} for {sums.Select(x => x.ProjectId).Distinct().Count()} projects in {watch.ElapsedMilliseconds} ms.");
                    return (Metric: m, Sums: sums, Error: (Exception?)null);
                }
                catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                {
                    return (Metric: m, Sums: (IReadOnlyList<MetricGroupSum>?)null, Error: e);
                }
                finally
                {
                    _gate.Release();
                }
            }).ToList();

            foreach (var done in await Task.WhenAll(tasks).ConfigureAwait(false))
            {
                if (done.Error is MetricUnavailableException unavailable)
                {
                    _output.Warning($"{done.Metric.Resource} is not reported: {unavailable.Message} "
                        + $"Map it to another metric with -GnocchiMetric, or leave it out with -GnocchiMetric @{{ '{done.Metric.Resource}' = $null }}.");
                }
                else if (done.Error != null)
                {
                    _output.Error(ErrorFactory.FromException(
                        new InvalidOperationException($"{done.Metric.Resource} is not reported: Gnocchi failed: {ErrorFactory.Unwrap(done.Error).Message}", done.Error),
                        ErrorIds.UsageQueryFailed, done.Metric.Resource));
                }
                else if (done.Metric.VolumeTypeAttribute != null)
                {
                    VolumeTypeNames names = await typeNames.ConfigureAwait(false);
                    result[done.Metric] = done.Sums!.Select(x => new MetricGroupSum(x.ProjectId, names.NameOf(x.AttributeValue), x.Sum)).ToList();
                }
                else
                {
                    result[done.Metric] = done.Sums!;
                }
            }

            return result;
        }

        /// <summary>
        /// Cinder's volume types, to show each volume type by its name: Ceilometer writes the type's id
        /// (from Cinder's notifications) or its name (from the volume.size pollster) into Gnocchi.
        /// Without the block-storage service or its answer, the values stay as Gnocchi has them.
        /// </summary>
        private async Task<VolumeTypeNames> LoadVolumeTypeNamesAsync(CancellationToken ct)
        {
            if (_session.TryGetEndpoint("block-storage") == null)
            {
                _output.Verbose("No block-storage service in the catalog: volume types are shown as Gnocchi stores them.");
                return VolumeTypeNames.None;
            }

            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                IReadOnlyList<VolumeTypeInfo> types = await new BlockStorageApi(_session).ListVolumeTypesAsync(ct).ConfigureAwait(false);
                _output.Verbose($"Cinder: {types.Count} volume types.");
                return new VolumeTypeNames(types);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                _output.Warning($"Cannot list Cinder's volume types ({ErrorFactory.Unwrap(e).Message}): volume-gb-hour rows show the volume type as Gnocchi stores it, which may be the type's id.");
                return VolumeTypeNames.None;
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task ScanAsync(ServerLifeRater lives, Func<string, bool>? keep, CancellationToken ct)
        {
            await lives.ScanAsync(ct).ConfigureAwait(false);
            _request.ServerLivesToRate = lives.AnySignal(keep);
        }

        private async Task WalkAsync(
            NovaUsageReader reader, bool fromNova, Func<string, bool>? keep, List<TenantLabel>? targets, Task<TenantDirectory> directoryTask,
            Task<Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>>> gnocchiTask, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            Dictionary<string, NovaTenantTotals> nova = new Dictionary<string, NovaTenantTotals>(StringComparer.Ordinal);
            if (fromNova)
            {
                Task<Dictionary<string, NovaTenantTotals>> Read(bool lines) => reader.ReadAllAsync(_request.Start, _request.End, lines, keep,
                    (pages, servers, tenants) => _output.Progress(new ProgressRecord(ActivityId, "Get-VdcUsage",
                        servers.HasValue ? $"Nova: {pages} page(s), {servers} servers of {tenants} tenants read" : $"Nova: {pages} page(s), {tenants} tenants read")
                    { PercentComplete = -1 }),
                    ct);

                // Optimistic: what -Detailed alone needs, while the scan runs; read again with the lines if the
                // scan says some server's line may be wrong (NeedsServerLines, decided once the scan is done).
                Task<Dictionary<string, NovaTenantTotals>> optimistic = Read(_request.Detailed);
                await _scan.ConfigureAwait(false);
                if (_request.NeedsServerLines && !_request.Detailed)
                {
                    try
                    {
                        await optimistic.ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                    {
                        // the reading with lines below meets the same problem and reports it
                    }

                    nova = await Read(true).ConfigureAwait(false);
                }
                else
                {
                    nova = await optimistic.ConfigureAwait(false);
                }

                _output.Verbose($"Nova (compute microversion {reader.Microversion}, {(reader.Microversion >= ComputeVersions.UsagePaging ? "paged" : "unpaged")}): "
                    + $"{nova.Count} tenants with usage in {watch.Elapsed.TotalSeconds:0.00} s.");
                if (_request.ServerLivesToRate)
                {
                    await Task.WhenAll(nova.Values.Select(t => RateLivesAsync(t, ct))).ConfigureAwait(false);
                }
            }

            Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>> gnocchi = await gnocchiTask.ConfigureAwait(false);
            TenantDirectory directory = await directoryTask.ConfigureAwait(false);

            // Every tenant named, or every tenant with usage in any source.
            List<TenantLabel> tenants;
            if (targets != null)
            {
                tenants = targets;
            }
            else
            {
                var ids = new HashSet<string>(nova.Keys, StringComparer.Ordinal);
                foreach (IReadOnlyList<MetricGroupSum> sums in gnocchi.Values)
                {
                    ids.UnionWith(sums.Select(x => x.ProjectId));
                }

                tenants = ids.Select(directory.Get).Where(t => keep == null || keep(t.Id)).ToList();
                tenants.Sort(TenantDirectory.Order);
            }

            foreach (TenantLabel tenant in tenants)
            {
                ct.ThrowIfCancellationRequested();
                nova.TryGetValue(tenant.Id, out NovaTenantTotals? totals);
                Emit(tenant, fromNova, totals, gnocchi);
                nova.Remove(tenant.Id); // let the server lines go as soon as they are written
            }
        }

        private async Task PerTenantAsync(
            NovaUsageReader reader, bool fromNova, List<TenantLabel> targets,
            Task<Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>>> gnocchiTask, CancellationToken ct)
        {
            // A sliding window in output order: at most 2 × ThrottleLimit tenants started and not yet
            // written; the semaphore keeps at most ThrottleLimit requests on the wire.
            var window = new OrderedWindow<(TenantLabel Tenant, NovaTenantTotals? Totals, Exception? Error)>(Math.Max(2, _request.ThrottleLimit * 2));
            int next = 0, done = 0;
            Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>>? gnocchi = null;
            while (next < targets.Count || window.Count > 0)
            {
                while (next < targets.Count && !window.IsFull)
                {
                    window.Add(ReadTenantOrErrorAsync(reader, targets[next++], fromNova, ct));
                }

                gnocchi ??= await gnocchiTask.ConfigureAwait(false);
                (TenantLabel tenant, NovaTenantTotals? totals, Exception? error) = await window.TakeNextAsync().ConfigureAwait(false);
                if (error != null)
                {
                    string label = tenant.Name.Length > 0 ? tenant.Name : tenant.Id;
                    Exception inner = ErrorFactory.Unwrap(error);
                    _output.Error(inner is UsageTruncatedException
                        ? ErrorFactory.Create(inner, ErrorIds.UsageTruncated, ErrorCategory.InvalidResult, label, TruncatedAction)
                        : ErrorFactory.FromException(inner, ErrorIds.UsageQueryFailed, label));
                    done++;
                    continue;
                }

                Emit(tenant, fromNova, totals, gnocchi);
                done++;
                _output.Progress(new ProgressRecord(ActivityId, "Get-VdcUsage", $"{done} of {targets.Count} tenants")
                {
                    PercentComplete = (int)(done * 100L / targets.Count),
                    CurrentOperation = tenant.Name.Length > 0 ? tenant.Name : tenant.Id,
                });
            }

            if (fromNova)
            {
                _output.Verbose($"Nova (compute microversion {reader.Microversion}): {targets.Count} tenants read one by one.");
            }
        }

        /// <summary>One tenant's Nova totals (none when Nova is not asked), or the error that ended the read; only Ctrl+C throws.</summary>
        private async Task<(TenantLabel Tenant, NovaTenantTotals? Totals, Exception? Error)> ReadTenantOrErrorAsync(
            NovaUsageReader reader, TenantLabel tenant, bool fromNova, CancellationToken ct)
        {
            if (!fromNova)
            {
                return (tenant, null, null);
            }

            try
            {
                return (tenant, await ReadTenantAsync(reader, tenant.Id, ct).ConfigureAwait(false), null);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                return (tenant, null, e);
            }
        }

        private async Task<NovaTenantTotals?> ReadTenantAsync(NovaUsageReader reader, string id, CancellationToken ct)
        {
            // One tenant's answer always carries its server lines: they are kept, and rated once the scan says so.
            NovaTenantTotals totals = await reader.ReadTenantAsync(id, _request.Start, _request.End, keepServers: true, ct).ConfigureAwait(false);
            await _scan.ConfigureAwait(false);
            if (_request.ServerLivesToRate)
            {
                await RateLivesAsync(totals, ct).ConfigureAwait(false);
            }

            return totals;
        }

        /// <summary>Replaces the lines of servers whose life Nova gets wrong by their rated life (totals included).</summary>
        private async Task RateLivesAsync(NovaTenantTotals totals, CancellationToken ct)
        {
            if (_lives == null || totals.ServerLines == null)
            {
                return;
            }

            foreach (RatedServer rated in await _lives.RateAsync(totals.ServerLines, UtcNow(), ct).ConfigureAwait(false))
            {
                totals.Replace(rated);
            }
        }

        internal const string TruncatedAction =
            "Use a cloud whose compute API offers microversion 2.40 or later (it pages), or ask for fewer tenants or a shorter period at a time.";

        /// <summary>Writes the tenant's rows: every resource read (zero when unused), then per-server rows.</summary>
        private void Emit(TenantLabel tenant, bool fromNova, NovaTenantTotals? nova, Dictionary<GnocchiMetric, IReadOnlyList<MetricGroupSum>> gnocchi)
        {
            var rows = new List<(string Resource, string Source, string VolumeType, decimal Quantity)>();
            if (fromNova)
            {
                foreach (string resource in UsageResources.Nova)
                {
                    rows.Add((resource, UsageResources.SourceNova, string.Empty, nova?.Quantity(resource) ?? 0m));
                }
            }

            foreach (KeyValuePair<GnocchiMetric, IReadOnlyList<MetricGroupSum>> m in gnocchi)
            {
                // one row per volume type with usage (the type's name, '' for volumes without one), or one zero row
                var mine = m.Value.Where(x => x.ProjectId == tenant.Id)
                    .GroupBy(x => m.Key.VolumeTypeAttribute != null ? x.AttributeValue ?? string.Empty : string.Empty, StringComparer.Ordinal)
                    .ToList();
                if (mine.Count == 0)
                {
                    rows.Add((m.Key.Resource, UsageResources.SourceGnocchi, string.Empty, 0m));
                }

                foreach (var byType in mine)
                {
                    rows.Add((m.Key.Resource, UsageResources.SourceGnocchi, byType.Key, byType.Sum(x => x.Sum) * m.Key.Scale));
                }
            }

            foreach (var row in rows.OrderBy(x => x.Resource, StringComparer.Ordinal).ThenBy(x => x.Source, StringComparer.Ordinal).ThenBy(x => x.VolumeType, StringComparer.Ordinal))
            {
                VdcUsageRecord record = Record(tenant, row.Resource, row.Source, row.Quantity);
                record.VolumeType = row.VolumeType;
                Write(record);
            }

            if (_request.Detailed && nova?.ServerLines != null)
            {
                foreach (NovaServerUsage server in nova.ServerLines
                    .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.InstanceId, StringComparer.Ordinal))
                {
                    // A rated server: one set of rows per flavor it ran at in the period (in the order it ran at them).
                    var stretches = new List<(string Flavor, decimal Hours, decimal Vcpus, decimal MemoryMb, decimal LocalGb)>();
                    if (nova.Rated != null && nova.Rated.TryGetValue(server.InstanceId, out ServerLifeUsage? life) && life.Intervals.Count > 0)
                    {
                        foreach (var g in life.Intervals.GroupBy(i => i.Flavor.Name, StringComparer.Ordinal))
                        {
                            LifeFlavor f = g.First().Flavor;
                            stretches.Add((f.Name, g.Sum(i => i.Hours), f.Vcpus, f.MemoryMb, f.LocalGb));
                        }
                    }
                    else
                    {
                        decimal hours = nova.Rated != null && nova.Rated.ContainsKey(server.InstanceId) ? 0m : server.Hours;
                        stretches.Add((server.Flavor, hours, server.Vcpus, server.MemoryMb, server.LocalGb));
                    }

                    foreach (var st in stretches)
                    {
                        foreach (string resource in UsageResources.Nova)
                        {
                            decimal quantity = resource switch
                            {
                                UsageResources.InstanceHour => st.Hours,
                                UsageResources.VcpuHour => st.Vcpus * st.Hours,
                                UsageResources.RamGbHour => st.MemoryMb * st.Hours / UsageResources.MbPerGb,
                                _ => st.LocalGb * st.Hours,
                            };
                            VdcUsageRecord record = Record(tenant, resource, UsageResources.SourceNova, quantity);
                            record.IsDetail = true;
                            record.ServerId = server.InstanceId;
                            record.ServerName = server.Name;
                            record.Flavor = st.Flavor;
                            Write(record);
                        }
                    }
                }
            }
        }

        private VdcUsageRecord Record(TenantLabel tenant, string resource, string source, decimal quantity) => new VdcUsageRecord
        {
            TenantId = tenant.Id,
            TenantName = tenant.Name,
            CustomerId = tenant.CustomerId,
            Plan = tenant.Plan,
            PeriodStart = _request.Start,
            PeriodEnd = _request.End,
            Resource = resource,
            Quantity = Normalize(quantity),
            Unit = UsageResources.UnitOf(resource),
            Source = source,
            Cloud = _request.Cloud,
        };

        private void Write(VdcUsageRecord record)
        {
            Rows++;
            _output.Object(record);
        }

        /// <summary>The same value with no trailing zeros (1680.0000000 → 1680): what the CSV shows.</summary>
        internal static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
    }

    /// <summary>Volume type id → name (Cinder's list); a value that is no id (already a name) stays as it is.</summary>
    internal sealed class VolumeTypeNames
    {
        public static readonly VolumeTypeNames None = new VolumeTypeNames(Array.Empty<VolumeTypeInfo>());

        private readonly Dictionary<string, string> _byId;

        public VolumeTypeNames(IReadOnlyList<VolumeTypeInfo> types)
        {
            _byId = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (VolumeTypeInfo t in types)
            {
                _byId[t.Id] = t.Name;
            }
        }

        public string NameOf(string? gnocchiValue)
        {
            if (string.IsNullOrEmpty(gnocchiValue))
            {
                return string.Empty;
            }

            return _byId.TryGetValue(gnocchiValue!, out string? name) ? name : gnocchiValue!;
        }
    }
}
