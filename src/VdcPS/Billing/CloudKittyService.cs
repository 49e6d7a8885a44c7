using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Rating;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Billing
{
    /// <summary>CloudKitty's rated totals of a period, with what is known about their projects.</summary>
    internal sealed class CloudKittyTotals
    {
        private readonly IReadOnlyList<RatedTotal> _totals;
        private readonly IReadOnlyDictionary<string, TenantLabel> _projects;

        internal CloudKittyTotals(IReadOnlyList<RatedTotal> totals, IReadOnlyDictionary<string, TenantLabel> projects, string apiVersion)
        {
            _totals = totals;
            _projects = projects;
            ApiVersion = apiVersion;
        }

        /// <summary>v1 or v2: the CloudKitty API that answered.</summary>
        public string ApiVersion { get; }

        /// <summary>Project and type totals.</summary>
        public int Count => _totals.Count;

        /// <summary>The charge lines of the totals of <paramref name="tenantIds"/> (all when empty).</summary>
        public (List<VdcChargeLine> Lines, List<RatingIssue> Issues) ToLines(
            ICollection<string> tenantIds, DateTime start, DateTime end, string? currency, Func<string, PlanDefinition?> findPlan, IReadOnlyDictionary<string, string> units)
        {
            IEnumerable<RatedTotal> selected = tenantIds.Count == 0 ? _totals : _totals.Where(t => tenantIds.Contains(t.ProjectId));
            return CloudKittyCharges.ToLines(selected, start, end, id => _projects.TryGetValue(id, out TenantLabel? p) ? p : null, currency, findPlan, units);
        }
    }

    /// <summary>Reads CloudKitty's rating of a period and the projects it names (the I/O of Get-VdcCloudKittyCharge).</summary>
    internal sealed class CloudKittyService
    {
        private readonly VdcContext _context;

        public CloudKittyService(VdcContext context)
        {
            _context = context;
        }

        /// <summary>Whether the connection's catalog has a rating (CloudKitty) endpoint.</summary>
        public bool HasEndpoint => _context.Session.TryGetEndpoint("rating") != null;

        /// <summary>The rated totals; projects that cannot be listed only cost the names (a warning).</summary>
        public async Task<CloudKittyTotals> ReadAsync(DateTime start, DateTime end, ICmdletOutput output, CancellationToken ct)
        {
            var api = new RatingApi(_context.Session);
            IReadOnlyList<RatedTotal> rated = await api.GetSummaryAsync(start, end, ct).ConfigureAwait(false);
            IReadOnlyList<TenantRecord> projects = Array.Empty<TenantRecord>();
            try
            {
                projects = await new TenantService(_context).ListAsync(null, null, null, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                output.Warning($"The projects could not be listed ({ErrorFactory.Unwrap(e).Message}): lines carry project ids only.");
            }

            var byId = projects.GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => Label(g.First()), StringComparer.OrdinalIgnoreCase);
            return new CloudKittyTotals(rated, byId, api.ApiVersion);
        }

        private static TenantLabel Label(TenantRecord tenant)
            => new TenantLabel(tenant.Id, tenant.Name, tenant.CustomerId, tenant.Plan, tenant.Managed, known: true);
    }
}
