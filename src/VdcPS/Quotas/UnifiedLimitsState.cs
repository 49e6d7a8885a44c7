using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Openstack.Identity;

namespace VdcPS.Quotas
{
    /// <summary>The registered limits of one of VdcPS's services in the context's region.</summary>
    internal sealed class ServiceUnifiedLimits
    {
        public ServiceUnifiedLimits(string service, IReadOnlyList<string> serviceIds, IReadOnlyList<RegisteredLimitDto> registered)
        {
            Service = service;
            ServiceIds = serviceIds;
            Registered = registered;
        }

        /// <summary>compute, block-storage or network.</summary>
        public string Service { get; }

        /// <summary>The Keystone service ids of the service's types (compute; block-storage, volumev3, ...).</summary>
        public IReadOnlyList<string> ServiceIds { get; }

        /// <summary>One registered limit per resource name (a region-specific one wins over a global one).</summary>
        public IReadOnlyList<RegisteredLimitDto> Registered { get; }

        public RegisteredLimitDto? Find(string resourceName)
            => Registered.FirstOrDefault(r => string.Equals(r.ResourceName, resourceName, StringComparison.Ordinal));

        /// <summary>The project's own limit for a registered limit (same service, region and resource), or null.</summary>
        public static ProjectLimitDto? ProjectLimitFor(RegisteredLimitDto registered, IEnumerable<ProjectLimitDto> projectLimits)
            => projectLimits.FirstOrDefault(l => l.ServiceId == registered.ServiceId
                                                 && string.Equals(l.ResourceName, registered.ResourceName, StringComparison.Ordinal)
                                                 && string.Equals(l.RegionId ?? string.Empty, registered.RegionId ?? string.Empty, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// What Keystone says about unified limits in this cloud, read once per command: the enforcement
    /// model and, per service, the registered limits. A service with registered limits is read (and
    /// written) in Keystone as well as through its own quota API; reading and writing project limits
    /// needs a system-scoped connection (<see cref="ProjectLimits"/> is null without one).
    /// </summary>
    internal sealed class UnifiedLimitsState
    {
        public static readonly UnifiedLimitsState None = new UnifiedLimitsState(null, new Dictionary<string, ServiceUnifiedLimits>(), null, null);

        public UnifiedLimitsState(string? model, IReadOnlyDictionary<string, ServiceUnifiedLimits> services, LimitsApi? projectLimits, string? problem)
        {
            Model = model;
            Services = services;
            ProjectLimits = projectLimits;
            Problem = problem;
        }

        /// <summary>flat or strict-two-level (GET /v3/limits/model); null when unknown.</summary>
        public string? Model { get; }

        /// <summary>Only the services that have registered limits.</summary>
        public IReadOnlyDictionary<string, ServiceUnifiedLimits> Services { get; }

        /// <summary>The system-scoped client that can read and write any project's limits; null when there is none.</summary>
        public LimitsApi? ProjectLimits { get; }

        /// <summary>Why detection failed (Keystone refused or has no limits API); null when it worked.</summary>
        public string? Problem { get; }

        public bool Any => Services.Count > 0;

        public ServiceUnifiedLimits? For(string service) => Services.TryGetValue(service, out ServiceUnifiedLimits? s) ? s : null;

        /// <summary>The message for a run that must skip Keystone because it has no system-scoped connection.</summary>
        public string NeedSystemScopeMessage
            => $"Keystone has registered (unified) limits for {string.Join(", ", Services.Keys)}, but reading or writing a project's limits there needs a system-scoped connection: "
               + "connect with 'Connect-VdcCloud -System -NoSetCurrent' and pass it with -SystemContext.";

        /// <summary>
        /// Reads the registered limits (one request; with none, that is all) and, when there are some,
        /// the services list and the enforcement model. Keystone refusing is not fatal: the run
        /// continues with the service quota APIs only and <see cref="Problem"/> says why.
        /// </summary>
        public static async Task<UnifiedLimitsState> DetectAsync(
            LimitsApi reader, LimitsApi? system, string? region, IEnumerable<string> services, CancellationToken ct)
        {
            IReadOnlyList<RegisteredLimitDto> registered;
            try
            {
                registered = await reader.ListRegisteredLimitsAsync(null, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                return new UnifiedLimitsState(null, new Dictionary<string, ServiceUnifiedLimits>(), system, "Keystone did not list registered limits: " + ErrorFactory.Unwrap(e).Message);
            }

            if (registered.Count == 0)
            {
                return new UnifiedLimitsState(null, new Dictionary<string, ServiceUnifiedLimits>(), system, null);
            }

            Task<string?> model = SafeModelAsync(reader, ct);
            IReadOnlyList<ServiceDto> catalog;
            try
            {
                catalog = await reader.ListServicesAsync(null, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                return new UnifiedLimitsState(await model.ConfigureAwait(false), new Dictionary<string, ServiceUnifiedLimits>(), system,
                    "Keystone has registered limits, but did not list its services: " + ErrorFactory.Unwrap(e).Message);
            }

            var result = new Dictionary<string, ServiceUnifiedLimits>(StringComparer.Ordinal);
            foreach (string service in services)
            {
                var types = ServiceCatalog.TypesFor(service);
                var ids = catalog.Where(s => types.Contains(s.Type, StringComparer.OrdinalIgnoreCase)).Select(s => s.Id).ToList();
                var mine = Select(registered.Where(r => ids.Contains(r.ServiceId)), region);
                if (mine.Count > 0)
                {
                    result[service] = new ServiceUnifiedLimits(service, ids, mine);
                }
            }

            return new UnifiedLimitsState(await model.ConfigureAwait(false), result, system, null);
        }

        /// <summary>Per resource name: the limit of the region, else the one for every region; none from other regions.</summary>
        internal static List<RegisteredLimitDto> Select(IEnumerable<RegisteredLimitDto> registered, string? region)
        {
            return registered
                .Where(r => string.IsNullOrEmpty(r.RegionId) || string.IsNullOrEmpty(region) || string.Equals(r.RegionId, region, StringComparison.OrdinalIgnoreCase))
                .GroupBy(r => r.ResourceName, StringComparer.Ordinal)
                .Select(g => g.OrderBy(r => string.IsNullOrEmpty(r.RegionId) ? 1 : 0).First())
                .OrderBy(r => r.ResourceName, StringComparer.Ordinal)
                .ToList();
        }

        private static async Task<string?> SafeModelAsync(LimitsApi api, CancellationToken ct)
        {
            try
            {
                return await api.GetModelAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                OperationLog.Debug("Keystone did not answer GET /v3/limits/model: " + ErrorFactory.Unwrap(e).Message);
                return null;
            }
        }
    }
}
