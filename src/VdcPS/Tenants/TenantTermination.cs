using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Openstack;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Image;
using VdcPS.Openstack.Network;

namespace VdcPS.Tenants
{
    /// <summary>
    /// Deletes everything a tenant's project owns, in dependency order, level by level; the deletes
    /// of one level are independent and run in parallel (at most <see cref="Throttle"/> at a time).
    /// Every delete treats "gone already" as done, so a rerun after a failure or a killed process
    /// reads the inventory again and finishes what is left. Nothing is skipped silently: a resource
    /// that cannot be deleted fails the run, and the tenant stays in state "removing" for the rerun.
    /// </summary>
    internal sealed class TenantTermination
    {
        internal const int Throttle = 4;

        /// <summary>How long a deleted server or volume may take to disappear.</summary>
        internal static TimeSpan GoneTimeout = TimeSpan.FromMinutes(15);

        internal static TimeSpan PollInterval = TimeSpan.FromSeconds(2);

        /// <summary>The deletion order: a level starts when the one before it is gone.</summary>
        internal static int LevelOf(ProjectResourceKind kind) => kind switch
        {
            ProjectResourceKind.Server => 0,
            ProjectResourceKind.FloatingIp => 0,
            ProjectResourceKind.Image => 0,
            ProjectResourceKind.VolumeBackup => 0,
            ProjectResourceKind.Keypair => 0,
            ProjectResourceKind.ApplicationCredential => 0,
            ProjectResourceKind.RouterInterface => 1, // after the floating IPs that route through them
            ProjectResourceKind.RouterGateway => 1,
            ProjectResourceKind.VolumeSnapshot => 1, // after the backups made from them
            ProjectResourceKind.Volume => 2,         // after the servers they were attached to, and their snapshots
            ProjectResourceKind.Router => 2,
            ProjectResourceKind.Port => 2,           // ports of deleted servers are gone with them; the rest now
            ProjectResourceKind.Subnet => 3,
            ProjectResourceKind.Network => 4,
            ProjectResourceKind.SecurityGroup => 4,  // after the ports that used them
            _ => 5,
        };

        /// <summary>
        /// The project's "default" security group, which Neutron creates again whenever the project's
        /// groups are listed (neutron/db/securitygroups_db.py get_security_groups ensures it for the
        /// project in the filter): termination deletes it last and does not treat its return as a leftover.
        /// </summary>
        internal static bool IsRecreatedDefaultGroup(ProjectResource r)
            => r.Kind == ProjectResourceKind.SecurityGroup && r.Name == "default";

        private readonly ComputeApi _compute;
        private readonly BlockStorageApi _blockStorage;
        private readonly NetworkApi _network;
        private readonly ImageApi _image;
        private readonly IdentityApi _identity;

        public TenantTermination(KeystoneSession session, IdentityApi identity)
        {
            _compute = new ComputeApi(session);
            _blockStorage = new BlockStorageApi(session);
            _network = new NetworkApi(session);
            _image = new ImageApi(session);
            _identity = identity;
        }

        /// <summary>Everything the project (and the tenant's user) owns, in deletion order.</summary>
        public async Task<IReadOnlyList<ProjectResource>> InventoryAsync(string projectId, string? userId, CancellationToken ct)
        {
            Task<IReadOnlyList<ServerInfo>> servers = _compute.ListServersAsync(projectId, ct);
            Task<IReadOnlyList<ProjectResource>> volumes = _blockStorage.ListResourcesAsync(projectId, ct);
            Task<IReadOnlyList<ProjectResource>> network = _network.ListResourcesAsync(projectId, ct);
            Task<IReadOnlyList<ProjectResource>> images = _image.Available ? _image.ListOwnedImagesAsync(projectId, ct) : Task.FromResult<IReadOnlyList<ProjectResource>>(Array.Empty<ProjectResource>());
            Task<IReadOnlyList<ProjectResource>> keypairs = string.IsNullOrEmpty(userId) ? Task.FromResult<IReadOnlyList<ProjectResource>>(Array.Empty<ProjectResource>()) : _compute.ListKeypairsAsync(userId!, ct);
            Task<IReadOnlyList<ProjectResource>> credentials = string.IsNullOrEmpty(userId) ? Task.FromResult<IReadOnlyList<ProjectResource>>(Array.Empty<ProjectResource>()) : _identity.ListApplicationCredentialsAsync(userId!, ct);
            await Task.WhenAll(servers, volumes, network, images, keypairs, credentials).ConfigureAwait(false);

            return servers.Result.Select(s => new ProjectResource(ProjectResourceKind.Server, s.Id, s.Name, s.Status))
                .Concat(volumes.Result).Concat(network.Result).Concat(images.Result).Concat(keypairs.Result).Concat(credentials.Result)
                .OrderBy(r => LevelOf(r.Kind)).ThenBy(r => r.Kind).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>The service a kind of resource belongs to, in VdcPS's names (as in quota keys).</summary>
        internal static string ServiceOf(ProjectResourceKind kind) => kind switch
        {
            ProjectResourceKind.Server => "compute",
            ProjectResourceKind.Keypair => "compute",
            ProjectResourceKind.Volume => "block-storage",
            ProjectResourceKind.VolumeSnapshot => "block-storage",
            ProjectResourceKind.VolumeBackup => "block-storage",
            ProjectResourceKind.Image => "image",
            ProjectResourceKind.ApplicationCredential => "identity",
            _ => "network",
        };

        /// <summary>The inventory as VdcPS's own flat objects (Get-VdcTenantResource), in deletion order.</summary>
        internal static IReadOnlyList<Models.VdcTenantResource> ToResources(IEnumerable<ProjectResource> inventory, string tenantId, string tenantName, string cloud)
            => inventory.Select(r => new Models.VdcTenantResource
            {
                TenantName = tenantName,
                TenantId = tenantId,
                Service = ServiceOf(r.Kind),
                Type = r.Kind.ToString(),
                Id = r.Id,
                Name = r.Name,
                Status = r.Status ?? string.Empty,
                Level = LevelOf(r.Kind),
                ParentId = r.ParentId ?? string.Empty,
                Cloud = cloud,
            }).ToList();

        /// <summary>Deletes the inventory level by level; returns how many resources were deleted.</summary>
        public async Task<int> DeleteAllAsync(IReadOnlyList<ProjectResource> inventory, CancellationToken ct)
        {
            foreach (IGrouping<int, ProjectResource> level in inventory.GroupBy(r => LevelOf(r.Kind)).OrderBy(g => g.Key))
            {
                await BoundedParallel.RunAllAsync(level.ToList(), Throttle, r => DeleteAsync(r, ct), ct).ConfigureAwait(false);
            }

            return inventory.Count;
        }

        private async Task DeleteAsync(ProjectResource r, CancellationToken ct)
        {
            switch (r.Kind)
            {
                case ProjectResourceKind.Server:
                    await _compute.DeleteServerAsync(r.Id, ct).ConfigureAwait(false);
                    await WaitGoneAsync(r, async t => await _compute.GetServerAsync(r.Id, t).ConfigureAwait(false) != null, ct).ConfigureAwait(false);
                    break;
                case ProjectResourceKind.Volume:
                    await _blockStorage.DeleteVolumeAsync(r, ct).ConfigureAwait(false);
                    break;
                case ProjectResourceKind.VolumeSnapshot:
                    await _blockStorage.DeleteSnapshotAsync(r.Id, ct).ConfigureAwait(false);
                    break;
                case ProjectResourceKind.VolumeBackup:
                    await _blockStorage.DeleteBackupAsync(r.Id, ct).ConfigureAwait(false);
                    break;
                case ProjectResourceKind.Image:
                    await _image.DeleteImageAsync(r.Id, ct).ConfigureAwait(false);
                    break;
                case ProjectResourceKind.Keypair:
                    await _compute.DeleteKeypairAsync(r.Id, r.ParentId, ct).ConfigureAwait(false);
                    break;
                case ProjectResourceKind.ApplicationCredential:
                    await _identity.DeleteApplicationCredentialAsync(r.ParentId, r.Id, ct).ConfigureAwait(false);
                    break;
                default:
                    await _network.DeleteAsync(r, ct).ConfigureAwait(false);
                    break;
            }

            OperationLog.Verbose($"Deleted {r}.");
        }

        private static async Task WaitGoneAsync(ProjectResource r, Func<CancellationToken, Task<bool>> stillThere, CancellationToken ct)
        {
            DateTime deadline = DateTime.UtcNow + GoneTimeout;
            while (await stillThere(ct).ConfigureAwait(false))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{r} was still there {GoneTimeout.TotalMinutes:0} minutes after it was deleted.");
                }

                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
        }
    }
}
