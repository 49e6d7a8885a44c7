using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Network;

namespace VdcPS.Quotas
{
    /// <summary>One service of one tenant that could not be read.</summary>
    internal sealed class QuotaReadFailure
    {
        public QuotaReadFailure(string service, Exception error)
        {
            Service = service;
            Error = error;
        }

        public string Service { get; }
        public Exception Error { get; }
    }

    /// <summary>Everything read for one tenant: its rows, and the services that failed.</summary>
    internal sealed class TenantQuotas
    {
        public TenantQuotas(QuotaTenant tenant)
        {
            Tenant = tenant;
        }

        public QuotaTenant Tenant { get; }
        public List<VdcQuota> Rows { get; } = new List<VdcQuota>();
        public List<QuotaReadFailure> Failures { get; } = new List<QuotaReadFailure>();

        /// <summary>The raw values per service (for validation before a write).</summary>
        public Dictionary<string, IReadOnlyDictionary<string, QuotaValue>> Values { get; } = new Dictionary<string, IReadOnlyDictionary<string, QuotaValue>>(StringComparer.Ordinal);

        /// <summary>The project's own Keystone limits per service (only for services with registered limits, when readable).</summary>
        public Dictionary<string, IReadOnlyList<ProjectLimitDto>> ProjectLimits { get; } = new Dictionary<string, IReadOnlyList<ProjectLimitDto>>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads the quotas of many tenants over one connection (one connection pool), with at most
    /// <c>throttle</c> requests in flight however many tenants are being read: Nova
    /// os-quota-sets/{id}/detail, Cinder os-quota-sets/{id}?usage=true and Neutron
    /// quotas/{id}/details.json, plus Keystone project limits for services that have registered
    /// (unified) limits.
    /// </summary>
    internal sealed class QuotaReader
    {
        private readonly SemaphoreSlim _gate;
        private readonly string _cloud;
        private readonly KeystoneSession _session;
        private readonly KeystoneSession? _systemSession;
        private readonly List<IQuotaApi> _apis = new List<IQuotaApi>();
        private readonly object _allLimitsLock = new object();
        private Task<ILookup<string, ProjectLimitDto>>? _allLimits;

        public QuotaReader(KeystoneSession session, KeystoneSession? systemSession, string cloud, IEnumerable<string> services, int throttle)
        {
            _session = session;
            _systemSession = systemSession ?? (session.Token.System ? session : null);
            _cloud = cloud;
            _gate = new SemaphoreSlim(Math.Max(1, throttle), Math.Max(1, throttle));
            Compute = new ComputeApi(session);
            var wanted = new HashSet<string>(services, StringComparer.Ordinal);
            foreach (IQuotaApi api in new IQuotaApi[] { Compute, new BlockStorageApi(session), new NetworkApi(session) })
            {
                if (wanted.Contains(api.Service))
                {
                    _apis.Add(api);
                }
            }
        }

        internal ComputeApi Compute { get; }

        /// <summary>The services that will be read (those asked for that have an endpoint).</summary>
        public IReadOnlyList<IQuotaApi> Apis => _apis;

        /// <summary>The negotiated compute microversion (null when compute is not read).</summary>
        public Version? ComputeMicroversion { get; private set; }

        public UnifiedLimitsState Unified { get; private set; } = UnifiedLimitsState.None;

        /// <summary>
        /// Once per command: drops services without an endpoint (with a warning, so a cloud without
        /// Cinder still reports Nova and Neutron), negotiates the compute microversion and detects
        /// Keystone unified limits.
        /// </summary>
        public async Task InitializeAsync(bool readKeystone, CancellationToken ct)
        {
            foreach (IQuotaApi api in _apis.ToList())
            {
                if (_session.TryGetEndpoint(api.Service) == null)
                {
                    OperationLog.Warning($"The cloud's catalog has no {api.Service} endpoint: its quotas are skipped.");
                    _apis.Remove(api);
                }
            }

            Task<Version>? microversion = _apis.Contains(Compute) ? Compute.MicroversionAsync(ct) : null;
            if (readKeystone && _apis.Count > 0)
            {
                LimitsApi? system = _systemSession == null ? null : new LimitsApi(_systemSession);
                Unified = await UnifiedLimitsState.DetectAsync(system ?? new LimitsApi(_session), system, _session.Options.Region, _apis.Select(a => a.Service), ct).ConfigureAwait(false);
                if (Unified.Problem != null)
                {
                    OperationLog.Verbose(Unified.Problem + " Reading the service quota APIs only.");
                }
                else if (Unified.Any)
                {
                    OperationLog.Verbose($"Keystone unified limits (model {Unified.Model ?? "unknown"}): registered limits for "
                        + string.Join(", ", Unified.Services.Values.Select(s => $"{s.Service} ({string.Join(", ", s.Registered.Select(r => r.ResourceName))})")) + ".");
                    if (Unified.ProjectLimits == null)
                    {
                        OperationLog.Warning(Unified.NeedSystemScopeMessage + " Only the service quota APIs are read.");
                    }
                }
            }

            if (microversion != null)
            {
                ComputeMicroversion = await microversion.ConfigureAwait(false);
            }
        }

        /// <summary>Reads one tenant: every service concurrently (each request waits for a free slot of the throttle).</summary>
        public async Task<TenantQuotas> ReadAsync(QuotaTenant tenant, bool allLimitsAtOnce, CancellationToken ct)
        {
            var result = new TenantQuotas(tenant);
            var reads = _apis.Select(api => ReadServiceAsync(api, tenant.Id, ct)).ToList();
            var unified = Unified.ProjectLimits == null
                ? new List<(ServiceUnifiedLimits, Task<IReadOnlyList<ProjectLimitDto>>)>()
                : Unified.Services.Values.Select(s => (s, ReadProjectLimitsAsync(s, tenant.Id, allLimitsAtOnce, ct))).ToList();

            for (int i = 0; i < _apis.Count; i++)
            {
                try
                {
                    IReadOnlyDictionary<string, QuotaValue> values = await reads[i].ConfigureAwait(false);
                    result.Values[_apis[i].Service] = values;
                    result.Rows.AddRange(QuotaRows.FromService(tenant, _apis[i].Service, values, ComputeMicroversion, _cloud));
                }
                catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                {
                    result.Failures.Add(new QuotaReadFailure(_apis[i].Service, ErrorFactory.Unwrap(e)));
                }

                foreach (var (limits, task) in unified.Where(u => u.Item1.Service == _apis[i].Service))
                {
                    try
                    {
                        IReadOnlyList<ProjectLimitDto> own = await task.ConfigureAwait(false);
                        result.ProjectLimits[limits.Service] = own;
                        result.Values.TryGetValue(limits.Service, out IReadOnlyDictionary<string, QuotaValue>? values);
                        result.Rows.AddRange(QuotaRows.FromKeystone(tenant, limits, own, values, _cloud));
                    }
                    catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                    {
                        result.Failures.Add(new QuotaReadFailure(limits.Service + " (Keystone unified limits)", ErrorFactory.Unwrap(e)));
                    }
                }
            }

            return result;
        }

        private async Task<IReadOnlyDictionary<string, QuotaValue>> ReadServiceAsync(IQuotaApi api, string projectId, CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await api.GetAsync(projectId, ct).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>
        /// The project's limits of one service. For many tenants, every project's limits of the
        /// service are read once (one request per service; a system-scoped token sees them all)
        /// instead of one request per tenant.
        /// </summary>
        private async Task<IReadOnlyList<ProjectLimitDto>> ReadProjectLimitsAsync(ServiceUnifiedLimits limits, string projectId, bool allAtOnce, CancellationToken ct)
        {
            LimitsApi api = Unified.ProjectLimits!;
            if (!allAtOnce)
            {
                await _gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var own = new List<ProjectLimitDto>();
                    foreach (string serviceId in limits.ServiceIds)
                    {
                        own.AddRange(await api.ListLimitsAsync(projectId, serviceId, ct).ConfigureAwait(false));
                    }

                    return own;
                }
                finally
                {
                    _gate.Release();
                }
            }

            Task<ILookup<string, ProjectLimitDto>> all;
            lock (_allLimitsLock)
            {
                all = _allLimits ??= LoadAllLimitsAsync(api, ct);
            }

            return (await all.ConfigureAwait(false))[projectId].ToList();
        }

        private async Task<ILookup<string, ProjectLimitDto>> LoadAllLimitsAsync(LimitsApi api, CancellationToken ct)
        {
            var all = new List<ProjectLimitDto>();
            foreach (string serviceId in Unified.Services.Values.SelectMany(s => s.ServiceIds).Distinct())
            {
                all.AddRange(await api.ListLimitsAsync(null, serviceId, ct).ConfigureAwait(false));
            }

            return all.Where(l => l.ProjectId != null).ToLookup(l => l.ProjectId!, StringComparer.Ordinal);
        }
    }
}
