using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Compute
{
    /// <summary>One Nova migration record (os-migrations), here of type resize.</summary>
    internal sealed class ServerMigration
    {
        public long Id { get; set; }
        public string InstanceUuid { get; set; } = string.Empty;

        /// <summary>
        /// Nova's internal flavor ids (the flavors table's key), NOT the flavor id of the flavors API:
        /// api-ref os-migrations says no other API exposes them.
        /// </summary>
        public long OldFlavorKey { get; set; }

        public long NewFlavorKey { get; set; }

        /// <summary>migrating, post-migrating, finished (awaiting confirm), confirmed, reverted, error, failed, ...</summary>
        public string Status { get; set; } = string.Empty;

        public string MigrationType { get; set; } = string.Empty;
        public DateTime CreatedAt { get; set; }
        public DateTime? UpdatedAt { get; set; }
    }

    /// <summary>A flavor as the flavors API shows it (the flavor id is the API's, not Nova's internal key).</summary>
    internal sealed class FlavorInfo
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public decimal Vcpus { get; set; }
        public decimal RamMb { get; set; }
        public decimal DiskGb { get; set; }
    }

    /// <summary>
    /// What Nova still knows about servers' past, for rating their real life: resize migrations
    /// (<c>GET /os-migrations?migration_type=resize</c>, with changes-since and paging from 2.59), every
    /// flavor in the order of Nova's internal key (<c>GET /flavors/detail?is_public=None&amp;sort_key=id</c>:
    /// "id" is the database key among Nova's sort keys), and the servers shelved now
    /// (<c>GET /servers/detail?all_tenants=1&amp;status=SHELVED_OFFLOADED</c>). Nova soft-deletes a server's
    /// migration records with the server, so os-migrations lists only servers that still exist.
    /// </summary>
    internal sealed class ServerHistoryApi : ServiceApi
    {
        /// <summary>os-migrations: limit, marker and changes-since arrived with 2.59.</summary>
        internal static readonly Version MigrationPaging = new Version(2, 59);

        internal const int PageSize = 1000;

        public ServerHistoryApi(KeystoneSession session)
            : base(session, "compute")
        {
        }

        protected override Task AddHeadersAsync(ApiRequest request, CancellationToken ct)
            => ComputeVersions.AddHeadersAsync(Session, request, ct);

        /// <summary>Resize migrations changed since <paramref name="since"/> (every page; filtered here below 2.59).</summary>
        public async Task<List<ServerMigration>> ListResizesAsync(DateTime since, CancellationToken ct)
        {
            Version v = await ComputeVersions.NegotiateAsync(Session, ct).ConfigureAwait(false);
            var all = new List<ServerMigration>();
            string? marker = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                (List<ServerMigration> page, string? next) = await GetStreamedAsync(MigrationsPath(v, since, marker), ParseMigrations, ct).ConfigureAwait(false);
                foreach (ServerMigration m in page)
                {
                    if (m.MigrationType == "resize" && (m.UpdatedAt ?? m.CreatedAt) >= since)
                    {
                        all.Add(m);
                    }
                }

                if (v < MigrationPaging || next == null || page.Count == 0 || !seen.Add(next))
                {
                    return all;
                }

                marker = next;
            }
        }

        internal static string MigrationsPath(Version v, DateTime since, string? marker)
        {
            var q = new StringBuilder("os-migrations?migration_type=resize");
            if (v >= MigrationPaging)
            {
                q.Append("&changes-since=").Append(Escape(UsageApi.FormatTime(since)));
                q.Append("&limit=").Append(PageSize.ToString(CultureInfo.InvariantCulture));
                if (marker != null)
                {
                    q.Append("&marker=").Append(Escape(marker));
                }
            }

            return q.ToString();
        }

        internal static (List<ServerMigration> Page, string? NextMarker) ParseMigrations(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("migrations", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("Nova's os-migrations answer has no 'migrations' list.");
            }

            var page = new List<ServerMigration>();
            foreach (JsonElement m in list.EnumerateArray())
            {
                page.Add(new ServerMigration
                {
                    Id = m.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : 0,
                    InstanceUuid = NovaJson.Text(m, "instance_uuid"),
                    OldFlavorKey = Key(m, "old_instance_type_id"),
                    NewFlavorKey = Key(m, "new_instance_type_id"),
                    Status = NovaJson.Text(m, "status"),
                    MigrationType = NovaJson.Text(m, "migration_type"),
                    CreatedAt = NovaJson.Time(m, "created_at") ?? throw new FormatException("A Nova migration has no created_at."),
                    UpdatedAt = NovaJson.Time(m, "updated_at"),
                });
            }

            return (page, NextMarker(root, "migrations_links"));
        }

        /// <summary>Every flavor (public and private: admin), in the order of Nova's internal key.</summary>
        public async Task<List<FlavorInfo>> ListFlavorsByKeyAsync(CancellationToken ct)
        {
            var all = new List<FlavorInfo>();
            string? marker = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                (List<FlavorInfo> page, string? next) = await GetStreamedAsync(FlavorsPath(marker), ParseFlavors, ct).ConfigureAwait(false);
                all.AddRange(page);
                if (next == null || page.Count == 0 || !seen.Add(next))
                {
                    return all;
                }

                marker = next;
            }
        }

        internal static string FlavorsPath(string? marker)
            => "flavors/detail?is_public=None&sort_key=id&sort_dir=asc" + (marker == null ? string.Empty : "&marker=" + Escape(marker));

        internal static (List<FlavorInfo> Page, string? NextMarker) ParseFlavors(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("flavors", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("Nova's flavors answer has no 'flavors' list.");
            }

            var page = new List<FlavorInfo>();
            foreach (JsonElement f in list.EnumerateArray())
            {
                page.Add(new FlavorInfo
                {
                    Id = NovaJson.Text(f, "id"),
                    Name = NovaJson.Text(f, "name"),
                    Vcpus = UsageApi.Number(f, "vcpus"),
                    RamMb = UsageApi.Number(f, "ram"),
                    DiskGb = UsageApi.Number(f, "disk"),
                });
            }

            return (page, NextMarker(root, "flavors_links"));
        }

        /// <summary>Ids of the servers shelved now (SHELVED and SHELVED_OFFLOADED), with their project.</summary>
        public async Task<List<(string ServerId, string ProjectId)>> ListShelvedAsync(CancellationToken ct)
        {
            var all = new List<(string, string)>();
            foreach (string status in new[] { "SHELVED_OFFLOADED", "SHELVED" })
            {
                string? marker = null;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (true)
                {
                    (List<(string, string)> page, string? next) = await GetStreamedAsync(ShelvedPath(status, marker), ParseServerOwners, ct).ConfigureAwait(false);
                    all.AddRange(page);
                    if (next == null || page.Count == 0 || !seen.Add(next))
                    {
                        break;
                    }

                    marker = next;
                }
            }

            return all;
        }

        internal static string ShelvedPath(string status, string? marker)
            => $"servers/detail?all_tenants=1&status={Escape(status)}&limit={PageSize}" + (marker == null ? string.Empty : "&marker=" + Escape(marker));

        internal static (List<(string ServerId, string ProjectId)> Page, string? NextMarker) ParseServerOwners(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("servers", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("Nova's servers answer has no 'servers' list.");
            }

            var page = new List<(string, string)>();
            foreach (JsonElement s in list.EnumerateArray())
            {
                page.Add((NovaJson.Text(s, "id"), NovaJson.Text(s, "tenant_id")));
            }

            return (page, NextMarker(root, "servers_links"));
        }

        private static string? NextMarker(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out JsonElement links) || links.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (JsonElement link in links.EnumerateArray())
            {
                if (link.ValueKind == JsonValueKind.Object && NovaJson.Text(link, "rel") == "next")
                {
                    return MarkerOf(NovaJson.Text(link, "href")) ?? throw new FormatException($"Nova's next link in '{name}' has no marker.");
                }
            }

            return null;
        }

        private static long Key(JsonElement e, string name)
            => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
    }
}
