using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Quotas
{
    /// <summary>What one Set-VdcQuota change did under the tenant's lease.</summary>
    internal sealed class QuotaChangeOutcome
    {
        public QuotaChangeOutcome(QuotaTenant tenant, List<QuotaChange> changes, TenantQuotas current, QuotaWriteResult? written)
        {
            Tenant = tenant;
            Changes = changes;
            Current = current;
            Written = written;
        }

        public QuotaTenant Tenant { get; }

        /// <summary>The changes made, planned from the values read under the lease (empty: nothing to change).</summary>
        public List<QuotaChange> Changes { get; }

        /// <summary>The values read under the lease, before the write.</summary>
        public TenantQuotas Current { get; }

        /// <summary>The read-back of what was written; null when nothing changed.</summary>
        public QuotaWriteResult? Written { get; }
    }

    /// <summary>
    /// The quota change of one tenant as it runs under the tenant's lease: the record, the limits and
    /// usage are read again after the lease was taken (another run may have changed the plan or the
    /// quotas while this one waited), the change is planned and validated against those, then
    /// written and read back by <see cref="QuotaWriter"/>. A refusal changes nothing.
    /// </summary>
    internal sealed class QuotaChangeRun
    {
        private readonly QuotaReader _reader;
        private readonly PlanCatalog _catalog;
        private readonly IReadOnlyList<QuotaTarget> _targets;
        private readonly bool _force;
        private readonly string _cloud;
        private readonly Func<IReadOnlyList<QuotaChange>, CancellationToken, Task>? _record;

        /// <param name="record">Records the changes written (the tenant's quota history); its failure undoes the writes.</param>
        public QuotaChangeRun(QuotaReader reader, PlanCatalog catalog, IReadOnlyList<QuotaTarget> targets, bool force, string cloud,
            Func<IReadOnlyList<QuotaChange>, CancellationToken, Task>? record = null)
        {
            _record = record;
            _reader = reader;
            _catalog = catalog;
            _targets = targets;
            _force = force;
            _cloud = cloud;
        }

        public async Task<QuotaChangeOutcome> ApplyAsync(ProjectDto project, CancellationToken ct)
        {
            TenantRecord.Validate(project);
            VdcTenantState state = TenantRecord.StateOf(project);
            if (state != VdcTenantState.Active && state != VdcTenantState.Suspended)
            {
                throw new TenantRefusedException(ErrorIds.TenantStateInvalid, ErrorCategory.InvalidOperation,
                    $"Tenant '{project.Name}' is {TenantRecord.StateText(state)}: only the quotas of an active or suspended tenant can be set. Nothing was changed.");
            }

            string planName = TenantRecord.PlanOf(project);
            PlanDefinition plan = _catalog.Find(planName)
                ?? throw new TenantRefusedException(ErrorIds.PlanNotFound, ErrorCategory.ObjectNotFound,
                    $"Plan '{planName}' of tenant '{project.Name}' is not in the catalog {_catalog.Path}: its quota bounds are unknown, so nothing is changed.",
                    "Get-VdcPlan lists the plans; Set-VdcTenant -Plan moves the tenant to another plan.");
            var tenant = new QuotaTenant(project.Id, project.Name, planName, plan);

            TenantQuotas current = await _reader.ReadAsync(tenant, allLimitsAtOnce: false, ct).ConfigureAwait(false);
            if (current.Failures.Count > 0)
            {
                QuotaReadFailure failure = current.Failures[0];
                throw new TenantRefusedException(ErrorIds.QuotaReadFailed, ErrorCategory.ReadError,
                    $"Reading the {failure.Service} quotas of tenant '{project.Name}' failed, so nothing is changed: {ErrorFactory.Unwrap(failure.Error).Message}");
            }

            var problems = new List<QuotaProblem>();
            List<QuotaChange> changes = QuotaChangeCalculator.Calculate(plan, _targets, current.Values, _reader.ComputeMicroversion, _force,
                _reader.Unified, current.ProjectLimits, problems);
            if (problems.Count > 0)
            {
                throw new TenantRefusedException(problems[0].ErrorId,
                    problems[0].ErrorId == ErrorIds.QuotaBelowUsage ? ErrorCategory.LimitsExceeded : ErrorCategory.InvalidArgument,
                    $"Tenant '{project.Name}': {string.Join(" ", problems.Select(p => p.Message))} Nothing was changed.",
                    problems[0].ErrorId == ErrorIds.QuotaOutOfPlan ? $"Stay within plan '{plan.Name}' (Get-VdcPlan -Name {plan.Name} -Quota), or move the tenant to another plan with Set-VdcTenant -Plan." : null);
            }

            if (changes.Count == 0)
            {
                return new QuotaChangeOutcome(tenant, changes, current, null);
            }

            var writer = new QuotaWriter(_reader.Apis, _reader.Unified, _cloud);
            QuotaWriteResult written = await writer.ApplyAsync(tenant, changes, _force, ct,
                _record == null ? null : t => _record(changes, t)).ConfigureAwait(false);
            return new QuotaChangeOutcome(tenant, changes, current, written);
        }
    }
}
