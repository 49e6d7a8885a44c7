using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;

namespace VdcPS.Tenants
{
    // TenantService, part: termination, purge and the inventory of what a tenant owns (Remove-VdcTenant, Get-VdcTenantResource) (the class is described in TenantService.cs).
    internal sealed partial class TenantService
    {
        // ================================================================ remove
        /// <summary>What the project still owns in every service (servers, volumes, networks, ...).</summary>
        public async Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct)
        {
            IReadOnlyList<OwnedResource>[] lists = await Task.WhenAll(_quotaApis.Select(api => api.ListOwnedAsync(projectId, ct))).ConfigureAwait(false);
            return lists.SelectMany(l => l).ToList();
        }

        /// <summary>
        /// Removes role assignments, the tenant's user, its quotas and the project. Marks the project
        /// "removing" (and disabled) first, so an interrupted removal is finished by a rerun (roll forward).
        /// </summary>
        public Task<TenantChange> RemoveAsync(TenantRecord tenant, CancellationToken ct, Action<TenantChange>? whileHeld = null, bool deleteResources = false)
            => Leases.RunAsync(tenant.Project, "Remove-VdcTenant", async (fresh, t) =>
            {
                TenantRecord.Validate(fresh);
                if (TenantRecord.StateOf(fresh) == VdcTenantState.Terminated)
                {
                    return new TenantChange(fresh, fresh, changed: false); // another run finished it meanwhile
                }

                ProjectDto kept = await RemoveLeasedAsync(fresh, deleteResources, t).ConfigureAwait(false);
                return new TenantChange(fresh, kept, changed: true);
            }, ct, whileHeld);

        /// <summary>The kept records of terminated tenants that had this name (see <see cref="TenantTerminationRecord"/>).</summary>
        public async Task<IReadOnlyList<TenantRecord>> FindTerminatedAsync(string name, string domainId, CancellationToken ct)
            => (await TenantTerminationRecord.FindAsync(_identity, name, domainId, ct).ConfigureAwait(false)).Select(p => new TenantRecord(p)).ToList();

        /// <summary>Deletes the kept project of a terminated tenant for good (see <see cref="TenantTerminationRecord"/>).</summary>
        public Task<TenantChange> PurgeAsync(TenantRecord tenant, CancellationToken ct, Action<TenantChange>? whileHeld = null)
            => Leases.RunAsync(tenant.Project, "Remove-VdcTenant -Purge", async (fresh, t) =>
            {
                TenantRecord.Validate(fresh);
                bool existed = await TenantTerminationRecord.PurgeAsync(_identity, fresh, t).ConfigureAwait(false);
                return new TenantChange(fresh, fresh, changed: existed);
            }, ct, whileHeld);

        /// <summary>Everything the tenant's project and user own, in the order termination deletes it.</summary>
        public async Task<IReadOnlyList<TenantResource>> InventoryAsync(TenantRecord tenant, CancellationToken ct)
            => (await InventoryAsync(tenant.Project, ct).ConfigureAwait(false)).Select(r => new TenantResource(r.Kind.ToString(), r.ToString())).ToList();

        private Task<IReadOnlyList<ProjectResource>> InventoryAsync(ProjectDto project, CancellationToken ct)
            => Termination.InventoryAsync(project.Id, project.ExtraString(TenantRecord.UserIdKey), ct);

        /// <summary>The inventory as flat objects (Get-VdcTenantResource): what a termination would delete, in its order.</summary>
        public async Task<IReadOnlyList<VdcTenantResource>> ResourcesAsync(TenantRecord tenant, string cloud, CancellationToken ct)
            => TenantTermination.ToResources(await InventoryAsync(tenant.Project, ct).ConfigureAwait(false), tenant.Id, tenant.TenantName, cloud);

        private TenantTermination Termination => _termination ??= new TenantTermination(_session, _identity);

        private async Task<ProjectDto> RemoveLeasedAsync(ProjectDto project, bool deleteResources, CancellationToken ct)
        {
            string step = "Marking the tenant as being removed";
            try
            {
                if (TenantTerminationRecord.NeedsMarking(project))
                {
                    project = await _identity.UpdateProjectAsync(project.Id, TenantTerminationRecord.MarkRemoving(project, DateTime.UtcNow), ct).ConfigureAwait(false);
                }

                DateTime terminatedAt = TenantRecord.TerminatedAt(project) ?? DateTime.UtcNow;

                if (deleteResources)
                {
                    // Read again under the lease (a rerun finds only what is left), delete level by level, then check.
                    step = "Deleting what the tenant owns";
                    IReadOnlyList<ProjectResource> inventory = await InventoryAsync(project, ct).ConfigureAwait(false);
                    int deleted = await Termination.DeleteAllAsync(inventory, ct).ConfigureAwait(false);
                    IReadOnlyList<ProjectResource> left = await InventoryAsync(project, ct).ConfigureAwait(false);
                    var blocking = left.Where(r => !TenantTermination.IsRecreatedDefaultGroup(r)).ToList();
                    if (blocking.Count > 0)
                    {
                        throw new InvalidOperationException($"{blocking.Count} resource(s) are still there after the deletes: {string.Join(", ", blocking)}.");
                    }

                    // Neutron makes the project's "default" security group again whenever the project's
                    // groups are listed (as the check above just did): delete it last, with no listing after.
                    await Termination.DeleteAllAsync(left, ct).ConfigureAwait(false);

                    OperationLog.Verbose($"Deleted {deleted} resource(s) of tenant '{project.Name}'.");
                }

                step = "Removing quotas and role assignments";
                Task quotas = Task.WhenAll(_quotaApis.Select(api => api.ResetAsync(project.Id, ct)));
                IReadOnlyList<RoleAssignmentDto> assignments = await _identity.ListProjectRoleAssignmentsAsync(project.Id, ct).ConfigureAwait(false);
                await Task.WhenAll(assignments.Where(a => a.UserId != null)
                    .Select(a => _identity.RevokeProjectRoleAsync(project.Id, a.UserId!, a.RoleId, ct))).ConfigureAwait(false);
                await quotas.ConfigureAwait(false);

                string? userId = project.ExtraString(TenantRecord.UserIdKey);
                if (string.IsNullOrEmpty(userId))
                {
                    // interrupted before the commit: the user (if any) is found by name and default project
                    string? userName = project.ExtraString(TenantRecord.UserNameKey);
                    if (!string.IsNullOrEmpty(userName))
                    {
                        UserDto? user = await _identity.FindUserAsync(userName!, project.DomainId, ct).ConfigureAwait(false);
                        userId = user != null && user.DefaultProjectId == project.Id ? user.Id : null;
                    }
                }

                if (!string.IsNullOrEmpty(userId))
                {
                    step = "Deleting the tenant's user";
                    await _identity.DeleteUserAsync(userId!, ct).ConfigureAwait(false);
                }

                // The project stays, disabled and renamed, with the record the last invoice is rated from.
                step = "Keeping the terminated tenant's record";
                ProjectDto kept = await _identity.UpdateProjectAsync(project.Id, TenantTerminationRecord.Commit(project, terminatedAt), ct).ConfigureAwait(false);
                OperationLog.Verbose($"Terminated tenant '{TenantRecord.NameOf(project)}' ({project.Id}) as of {TenantRecord.Format(terminatedAt)}; its record is kept as project '{kept.Name}' until Remove-VdcTenant -Purge.");
                return kept;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw new VdcOperationFailedException(step, e,
                    $"The tenant is marked 'removing' and disabled: run Remove-VdcTenant again to finish the removal.");
            }
        }
    }
}
