using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VdcPS.Openstack
{
    /// <summary>The quota API of one service (Nova, Cinder, Neutron), in one shape.</summary>
    internal interface IQuotaApi
    {
        /// <summary>compute, block-storage or network.</summary>
        string Service { get; }

        /// <summary>Limits with usage, keyed by the service's own resource names.</summary>
        Task<IReadOnlyDictionary<string, QuotaValue>> GetAsync(string projectId, CancellationToken ct);

        /// <summary>Writes the given limits in one request; returns the limits the service answered with.</summary>
        Task<IReadOnlyDictionary<string, long>> SetAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken ct);

        /// <summary>Removes the project's own limits (back to the defaults).</summary>
        Task ResetAsync(string projectId, CancellationToken ct);

        /// <summary>What the project still owns in this service (up to a few per kind).</summary>
        Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct);
    }
}
