using System;
using System.Linq;
using System.Text.Json;
using VdcPS.Openstack.Compute;
using Xunit;

namespace VdcPS.Tests.Usage
{
    /// <summary>
    /// The calls that find servers whose Nova usage line may be wrong, with bodies recorded from the lab
    /// (Nova 26 Zed, fake driver, microversion 2.93): a server created at m1.tiny, resized to m1.small and
    /// confirmed (os-migrations keeps the record while the server exists; Nova soft-deletes it with the server),
    /// the flavors sorted by Nova's internal key, the servers shelved now.
    /// </summary>
    public class ServerHistoryApiTests
    {
        private static JsonElement Root(string name) => JsonDocument.Parse(UsageApiTests.Fixture(name)).RootElement;

        [Fact]
        public void Migrations_are_asked_by_type_and_from_2_59_since_the_start_and_paged()
        {
            var since = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
            Assert.Equal("os-migrations?migration_type=resize&changes-since=2026-12-01T00%3A00%3A00&limit=1000",
                ServerHistoryApi.MigrationsPath(new Version(2, 93), since, null));
            Assert.Equal("os-migrations?migration_type=resize&changes-since=2026-12-01T00%3A00%3A00&limit=1000&marker=abc-1",
                ServerHistoryApi.MigrationsPath(new Version(2, 59), since, "abc-1"));
            Assert.Equal("os-migrations?migration_type=resize", ServerHistoryApi.MigrationsPath(new Version(2, 58), since, "ignored"));
        }

        [Fact]
        public void A_recorded_resize_migration_gives_nova_s_internal_flavor_keys()
        {
            var (page, next) = ServerHistoryApi.ParseMigrations(Root("lab-migrations-resize.json"));

            ServerMigration m = Assert.Single(page);
            Assert.Equal("50b6e997-9ea5-4527-82a8-1f27a5dc4073", m.InstanceUuid);
            Assert.Equal((1L, 2L), (m.OldFlavorKey, m.NewFlavorKey));
            Assert.Equal(("confirmed", "resize"), (m.Status, m.MigrationType));
            Assert.Equal(new DateTime(2026, 12, 6, 16, 17, 17, DateTimeKind.Utc).AddTicks(3423460), m.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, m.CreatedAt.Kind);
            Assert.Null(next);
        }

        [Fact]
        public void The_next_link_of_migrations_gives_the_marker()
        {
            string body = "{\"migrations\": [], \"migrations_links\": [{\"href\": \"http://nova/v2.1/os-migrations?limit=1&marker=42341d4b-346a-40d0-83c6-5f4f6892b650\", \"rel\": \"next\"}]}";
            var (_, next) = ServerHistoryApi.ParseMigrations(JsonDocument.Parse(body).RootElement);
            Assert.Equal("42341d4b-346a-40d0-83c6-5f4f6892b650", next);
            Assert.Throws<FormatException>(() => ServerHistoryApi.ParseMigrations(JsonDocument.Parse("{\"servers\": []}").RootElement));
        }

        [Fact]
        public void Flavors_are_listed_public_and_private_in_key_order()
        {
            Assert.Equal("flavors/detail?is_public=None&sort_key=id&sort_dir=asc", ServerHistoryApi.FlavorsPath(null));
            Assert.Equal("flavors/detail?is_public=None&sort_key=id&sort_dir=asc&marker=m1%2Ftiny", ServerHistoryApi.FlavorsPath("m1/tiny"));

            var (page, next) = ServerHistoryApi.ParseFlavors(Root("lab-flavors-by-key.json"));

            Assert.Equal(new[] { "m1.tiny", "m1.small", "m1.medium", "m1.large" }, page.Select(f => f.Name));
            FlavorInfo small = page[1];
            Assert.Equal(("2", 1m, 2048m, 20m), (small.Id, small.Vcpus, small.RamMb, small.DiskGb));
            Assert.Null(next);
        }

        [Fact]
        public void Shelved_servers_are_listed_with_their_project()
        {
            Assert.Equal("servers/detail?all_tenants=1&status=SHELVED_OFFLOADED&limit=1000", ServerHistoryApi.ShelvedPath("SHELVED_OFFLOADED", null));

            var (page, _) = ServerHistoryApi.ParseServerOwners(Root("lab-servers-shelved.json"));

            Assert.Contains(page, s => s.ServerId == "50b6e997-9ea5-4527-82a8-1f27a5dc4073" && s.ProjectId.Length == 32);
        }

        [Fact]
        public void Usage_lines_carry_started_at_and_ended_at_as_utc()
        {
            var page = UsageApi.ParsePage(UsageApiTests.Fixture("list-v21-truncated.json"), keepServers: true, single: false);
            NovaServerUsage s = page.Tenants[0].Servers![0];
            Assert.Equal(new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc), s.StartedAt);
            Assert.Equal(DateTimeKind.Utc, s.StartedAt!.Value.Kind);
            Assert.Null(s.EndedAt);
            Assert.Equal("active", s.State);
        }
    }
}
