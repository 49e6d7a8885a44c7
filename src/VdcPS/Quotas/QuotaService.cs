using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Quotas
{
    /// <summary>What Set-VdcQuota would do to one tenant: read, validated, not yet written.</summary>
    internal sealed class QuotaProposal
    {
        public QuotaProposal(QuotaTenant tenant, TenantQuotas current)
        {
            Tenant = tenant;
            Current = current;
        }

        public QuotaTenant Tenant { get; }

        /// <summary>What was read (rows, and the services that could not be read: then nothing is planned).</summary>
        public TenantQuotas Current { get; }

        /// <summary>Values refused (nothing is sent when there is any).</summary>
        public List<QuotaProblem> Problems { get; } = new List<QuotaProblem>();

        /// <summary>The values that differ from what the cloud has.</summary>
        public List<QuotaChange> Changes { get; } = new List<QuotaChange>();

        /// <summary>Keystone registered limits that cannot be written without a system-scoped connection.</summary>
        public List<string> Unwritable { get; } = new List<string>();

        /// <summary>"compute.cores: 4 -> 8; ..." for the confirmation and verbose output.</summary>
        public string Describe() => string.Join("; ", Changes.Select(c => c.Describe()));

        /// <summary>The audit journal's before and after of the changes (Keystone's own values under keystone.*).</summary>
        public (AuditSnapshot Before, AuditSnapshot After) Snapshots() => QuotaService.Snapshots(Changes);
    }

    /// <summary>
    /// The quota feature for Get-VdcQuota and Set-VdcQuota: finds the tenants, reads Nova, Cinder,
    /// Neutron and Keystone unified limits concurrently (<see cref="QuotaReader"/>), validates changes
    /// against the plan and usage (<see cref="QuotaChangeCalculator"/>) and writes them all or none
    /// (<see cref="QuotaWriter"/>). It builds every client it needs from the connection.
    /// </summary>
    internal sealed class QuotaService
    {
        private readonly VdcContext _context;
        private readonly QuotaReader _reader;

        public QuotaService(VdcContext context, VdcContext? systemContext, IReadOnlyList<string> services, int throttle)
        {
            _context = context;
            Tenants = new TenantService(context);
            _reader = new QuotaReader(context.Session, systemContext?.Session, context.Name, services, throttle);
        }

        /// <summary>Tenant lookups (by id, name or listing) over the same connection.</summary>
        public TenantService Tenants { get; }

        /// <summary>The services that are read and written (those asked for that have an endpoint, after <see cref="InitializeAsync"/>).</summary>
        public IReadOnlyList<string> Services => _reader.Apis.Select(a => a.Service).ToList();

        /// <summary>Once per command: endpoints, the compute microversion, Keystone unified limits (when <paramref name="readKeystone"/>).</summary>
        public Task InitializeAsync(bool readKeystone, CancellationToken ct) => _reader.InitializeAsync(readKeystone, ct);

        /// <summary>The quota tenant of a tenant record, with its plan from <paramref name="catalog"/> (null when not in it).</summary>
        public static QuotaTenant ToQuotaTenant(TenantRecord tenant, PlanCatalog? catalog)
            => new QuotaTenant(tenant.Id, tenant.Name, tenant.Plan, string.IsNullOrEmpty(tenant.Plan) ? null : catalog?.Find(tenant.Plan));

        /// <summary>Reads one tenant's quotas (every service concurrently, within the throttle).</summary>
        public Task<TenantQuotas> ReadAsync(QuotaTenant tenant, bool allLimitsAtOnce, CancellationToken ct) => _reader.ReadAsync(tenant, allLimitsAtOnce, ct);

        /// <summary>Reads the tenant and validates <paramref name="targets"/> against its plan, the cloud's keys and usage. Nothing is sent.</summary>
        public async Task<QuotaProposal> ProposeAsync(QuotaTenant tenant, PlanDefinition plan, IReadOnlyList<QuotaTarget> targets, bool force, CancellationToken ct)
        {
            TenantQuotas current = await _reader.ReadAsync(tenant, allLimitsAtOnce: false, ct).ConfigureAwait(false);
            var proposal = new QuotaProposal(tenant, current);
            if (current.Failures.Count > 0)
            {
                return proposal;
            }

            proposal.Changes.AddRange(QuotaChangeCalculator.Calculate(plan, targets, current.Values, _reader.ComputeMicroversion, force,
                _reader.Unified, current.ProjectLimits, proposal.Problems));
            proposal.Unwritable.AddRange(targets.Select(t => (t, r: UnifiedLimitNames.UnifiedFor(t.Service, t.Key)))
                .Where(x => x.r != null && _reader.Unified.For(x.t.Service)?.Find(x.r!) != null && _reader.Unified.ProjectLimits == null)
                .Select(x => x.r!).Distinct());
            return proposal;
        }

        /// <summary>
        /// Under the tenant's lease (another run's change of this tenant waits, or this one does): reads
        /// again, plans again, writes (all services or none), reads back and compares, and records the
        /// new values in the tenant's quota history (the rating prices the allocation from it); when
        /// recording fails, the writes are undone. <paramref name="whileHeld"/> runs before the lease is given back.
        /// </summary>
        public Task<QuotaChangeOutcome> ApplyAsync(
            TenantRecord tenant, PlanCatalog catalog, IReadOnlyList<QuotaTarget> targets, bool force, CancellationToken ct, Action<QuotaChangeOutcome>? whileHeld = null)
        {
            string tenantId = tenant.Id;
            var run = new QuotaChangeRun(_reader, catalog, targets, force, _context.Name,
                (written, t) => Tenants.RecordQuotasAsync(tenantId, QuotaHistory.SetQuota,
                    written.Where(c => c.Changes).Select(c => new KeyValuePair<string, long>(c.Service + "." + c.Key, c.After)).ToList(), t));
            return Tenants.Leases.RunAsync(tenant.Project, "Set-VdcQuota", run.ApplyAsync, ct, whileHeld);
        }

        /// <summary>The audit journal's before and after of a set of changes (service values, and Keystone's where written).</summary>
        public static (AuditSnapshot Before, AuditSnapshot After) Snapshots(IEnumerable<QuotaChange> changes)
        {
            var before = new AuditSnapshot();
            var after = new AuditSnapshot();
            foreach (QuotaChange c in changes)
            {
                before[c.Name] = c.Before;
                after[c.Name] = c.After;
                if (c.UnifiedChanges)
                {
                    before[$"keystone.{c.Service}.{c.Registered!.ResourceName}"] = c.UnifiedBefore;
                    after[$"keystone.{c.Service}.{c.Registered.ResourceName}"] = c.After;
                }
            }

            return (before, after);
        }
    }
}
