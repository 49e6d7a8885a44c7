using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Identity;
using VdcPS.Quotas;

namespace VdcPS.Openstack.BlockStorage
{
    /// <summary>
    /// Cinder v3. The catalog URL carries the token's own project (…/v3/{token project}); the
    /// target project goes after os-quota-sets/, because Cinder refuses another project in the path.
    /// </summary>
    internal sealed class BlockStorageApi : QuotaServiceApi
    {
        public BlockStorageApi(KeystoneSession session)
            : base(session, "block-storage", QuotaResources.BlockStorage, QuotaRoutes.BlockStorage)
        {
        }

        public override async Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct)
        {
            string filter = $"all_tenants=1&project_id={Escape(projectId)}&limit=50";
            Task<JsonNode> volumes = GetJsonAsync($"volumes?{filter}", ct);
            Task<JsonNode> snapshots = GetJsonAsync($"snapshots?{filter}", ct);
            Task<JsonNode> backups = GetJsonAsync($"backups?{filter}", ct);
            await Task.WhenAll(volumes, snapshots, backups).ConfigureAwait(false);
            return Items(volumes.Result, "volumes", "volume")
                .Concat(Items(snapshots.Result, "snapshots", "snapshot"))
                .Concat(Items(backups.Result, "backups", "backup"))
                .ToList();
        }

        /// <summary>
        /// GET types?is_public=None: every volume type, public and private (an admin sees all with
        /// is_public=None; without it Cinder lists only the public ones). Usage names a volume's type
        /// by what Ceilometer wrote into Gnocchi, which is the type's id when it came from Cinder's
        /// notifications and its name when it came from the volume.size pollster: this list maps both
        /// to the name (cinder/api/v3/types.py index, api-ref block-storage v3 "List all volume types").
        /// </summary>
        public async Task<IReadOnlyList<VolumeTypeInfo>> ListVolumeTypesAsync(CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync("types?is_public=None", ct).ConfigureAwait(false);
            return ParseVolumeTypes(doc);
        }

        /// <summary>{"volume_types": [{"id": ..., "name": ..., "is_public": true, ...}, ...]}</summary>
        internal static IReadOnlyList<VolumeTypeInfo> ParseVolumeTypes(JsonNode doc)
        {
            if (!(doc["volume_types"] is JsonArray types))
            {
                throw new FormatException("Cinder's volume type list has no 'volume_types'.");
            }

            var result = new List<VolumeTypeInfo>();
            foreach (JsonNode? t in types)
            {
                string? id = t?["id"]?.GetValue<string>();
                string? name = t?["name"]?.GetValue<string>();
                if (string.IsNullOrEmpty(id) || name == null)
                {
                    continue;
                }

                bool isPublic = !(t!["is_public"] is JsonValue pub) || !pub.TryGetValue(out bool p) || p;
                result.Add(new VolumeTypeInfo(id!, name, isPublic));
            }

            return result;
        }

        /// <summary>Every volume, snapshot and backup of the project, with status.</summary>
        public async Task<IReadOnlyList<ProjectResource>> ListResourcesAsync(string projectId, CancellationToken ct)
        {
            string filter = $"all_tenants=1&project_id={Escape(projectId)}";
            Task<List<JsonNode>> volumes = GetAllPagesAsync($"volumes/detail?{filter}", "volumes", ct);
            Task<List<JsonNode>> snapshots = GetAllPagesAsync($"snapshots/detail?{filter}", "snapshots", ct);
            Task<List<JsonNode>> backups = GetAllPagesAsync($"backups/detail?{filter}", "backups", ct);
            await Task.WhenAll(volumes, snapshots, backups).ConfigureAwait(false);
            return Resources(volumes.Result, ProjectResourceKind.Volume)
                .Concat(Resources(snapshots.Result, ProjectResourceKind.VolumeSnapshot))
                .Concat(Resources(backups.Result, ProjectResourceKind.VolumeBackup))
                .ToList();
        }

        /// <summary>
        /// Deletes a volume with its snapshots (cascade). A volume stuck in a transitional status
        /// (creating, deleting, error_deleting, ...) is force-deleted, which Cinder allows an admin.
        /// </summary>
        public async Task DeleteVolumeAsync(ProjectResource volume, CancellationToken ct)
        {
            bool settled = volume.Status == "available" || volume.Status == "error" || volume.Status == "in-use"
                || volume.Status == "error_restoring" || volume.Status == "error_extending" || volume.Status == "error_managing";
            if (!settled)
            {
                await SendAsync(HttpMethod.Post, $"volumes/{Escape(volume.Id)}/action", new JsonObject { ["os-force_delete"] = new JsonObject() }, ct, NotFound).ConfigureAwait(false);
                return;
            }

            await SendAsync(HttpMethod.Delete, $"volumes/{Escape(volume.Id)}?cascade=true", null, ct, NotFound).ConfigureAwait(false);
        }

        public Task DeleteSnapshotAsync(string id, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"snapshots/{Escape(id)}", null, ct, NotFound);

        public Task DeleteBackupAsync(string id, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"backups/{Escape(id)}", null, ct, NotFound);

        private static IEnumerable<ProjectResource> Resources(IEnumerable<JsonNode> items, ProjectResourceKind kind)
            => items
                .Select(v => new ProjectResource(kind, v["id"]?.GetValue<string>() ?? string.Empty, v["name"]?.GetValue<string>() ?? string.Empty,
                    v["status"]?.GetValue<string>() ?? string.Empty));

        private IEnumerable<OwnedResource> Items(JsonNode doc, string collection, string kind)
            => ((doc[collection] as JsonArray) ?? new JsonArray()).Where(v => v != null)
                .Select(v => new OwnedResource(Service, kind, v!["id"]?.GetValue<string>() ?? string.Empty, v["name"]?.GetValue<string>() ?? string.Empty));
    }

    /// <summary>A Cinder volume type: its id, its name (what a catalog prices), whether every project may use it.</summary>
    internal sealed class VolumeTypeInfo
    {
        public VolumeTypeInfo(string id, string name, bool isPublic)
        {
            Id = id;
            Name = name;
            IsPublic = isPublic;
        }

        public string Id { get; }

        public string Name { get; }

        public bool IsPublic { get; }
    }
}
