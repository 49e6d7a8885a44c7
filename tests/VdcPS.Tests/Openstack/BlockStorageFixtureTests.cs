using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Cinder v3 deletes of termination not covered by TerminationFixtureTests: a snapshot and a
    /// backup, under the catalog's project-scoped endpoint (…/v3/{token project}); Cinder answers
    /// 202 with no body (api-ref block-storage v3 snapshots-v3.inc, ext-backups.inc). A thing already
    /// gone (404) is no error; any other refusal is. And the volume types list (api-ref block-storage v3
    /// volume-types-list-response.json, Fixtures/api/block-storage).
    /// </summary>
    public class BlockStorageFixtureTests
    {
        private const string SnapshotId = "3fbbcccf-d058-4502-8844-6feeffdf4cb5";
        private const string BackupId = "2ef47aee-8844-490c-804d-2a8efe561c65";

        [Fact]
        public async Task A_projects_volumes_snapshots_and_backups_are_read_past_Cinders_page_limit()
        {
            // Cinder caps a listing at osapi_max_limit (1000 by default, often less) and links the next page
            // (api-ref block-storage v3 volumes-list-detailed-response: "volumes_links" rel=next, marker = last id).
            using ApiFixture cloud = await ApiFixture.StartAsync();
            const string Filter = @"all_tenants=1&project_id=p-9";
            cloud.On("GET", @"^/volume/v3/p-1/volumes/detail\?" + Filter + "$", 200,
                "{\"volumes\": [{\"id\": \"v-1\", \"name\": \"data\", \"status\": \"available\"}, {\"id\": \"v-2\", \"name\": null, \"status\": \"in-use\"}],"
                + " \"volumes_links\": [{\"href\": \"http://internal:8776/v3/p-1/volumes/detail?all_tenants=1&limit=2&marker=v-2&project_id=p-9\", \"rel\": \"next\"}]}");
            cloud.On("GET", @"^/volume/v3/p-1/volumes/detail\?" + Filter + "&marker=v-2$", 200,
                "{\"volumes\": [{\"id\": \"v-3\", \"name\": \"logs\", \"status\": \"error_deleting\"}]}");
            cloud.On("GET", @"^/volume/v3/p-1/snapshots/detail\?" + Filter + "$", 200,
                "{\"snapshots\": [{\"id\": \"s-1\", \"name\": \"nightly\", \"status\": \"available\", \"volume_id\": \"v-1\"}]}");
            cloud.On("GET", @"^/volume/v3/p-1/backups/detail\?" + Filter + "$", 200, "{\"backups\": []}");

            IReadOnlyList<ProjectResource> found = await new BlockStorageApi(cloud.Session).ListResourcesAsync("p-9", CancellationToken.None);

            Assert.Equal(
                new[] { "Volume v-1 data available", "Volume v-2  in-use", "Volume v-3 logs error_deleting", "VolumeSnapshot s-1 nightly available" },
                found.Select(r => $"{r.Kind} {r.Id} {r.Name} {r.Status}"));
            Assert.Equal(4, cloud.Seen.Count); // two pages of volumes, one of snapshots, one of backups; the next link's host (an internal name) is never called: the marker is sent to the catalog's endpoint
        }

        [Fact]
        public async Task A_snapshot_and_a_backup_are_deleted_and_ones_already_gone_are_no_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/volume/v3/p-1/snapshots/" + SnapshotId + "$", 202, "");
            cloud.On("DELETE", "^/volume/v3/p-1/backups/" + BackupId + "$", 202, "");
            cloud.On("DELETE", "^/volume/v3/p-1/snapshots/gone$", 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Snapshot gone could not be found.\"}}");
            cloud.On("DELETE", "^/volume/v3/p-1/backups/gone$", 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Backup gone could not be found.\"}}");
            var api = new BlockStorageApi(cloud.Session);

            await api.DeleteSnapshotAsync(SnapshotId, CancellationToken.None);
            await api.DeleteBackupAsync(BackupId, CancellationToken.None);
            await api.DeleteSnapshotAsync("gone", CancellationToken.None);
            await api.DeleteBackupAsync("gone", CancellationToken.None);

            Assert.Equal(
                new[]
                {
                    "DELETE /volume/v3/p-1/snapshots/" + SnapshotId,
                    "DELETE /volume/v3/p-1/backups/" + BackupId,
                    "DELETE /volume/v3/p-1/snapshots/gone",
                    "DELETE /volume/v3/p-1/backups/gone",
                },
                cloud.Seen.Select(r => r.Method + " " + r.Path));
            Assert.All(cloud.Seen, r => Assert.Equal(string.Empty, r.Body));
        }

        [Fact]
        public async Task A_backup_Cinder_refuses_to_delete_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/volume/v3/p-1/backups/", 400, "{\"badRequest\": {\"code\": 400, \"message\": \"Invalid backup: Backup status must be available or error\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new BlockStorageApi(cloud.Session).DeleteBackupAsync(BackupId, CancellationToken.None));
            Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        }

        [Fact]
        public async Task Volume_types_are_listed_public_and_private_without_a_microversion()
        {
            // cinder api-ref volume-types-list-response.json, with a third type that is private
            // ("is_public": false) and one whose is_public is missing (counted public).
            JsonNode doc = JsonNode.Parse(ApiFixture.Sample("block-storage", "volume-types-list-response.json"))!;
            doc["volume_types"]!.AsArray().Add(new JsonObject { ["name"] = "gold", ["id"] = "b7d1c0a2-6e52-4d9e-9f7c-0c35a5d3f0e1", ["is_public"] = false, ["os-volume-type-access:is_public"] = false, ["description"] = null, ["qos_specs_id"] = null, ["extra_specs"] = new JsonObject() });
            doc["volume_types"]![1]!.AsObject().Remove("is_public");
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/volume/v3/p-1/types\?is_public=None$", 200, doc.ToJsonString());

            IReadOnlyList<VolumeTypeInfo> types = await new BlockStorageApi(cloud.Session).ListVolumeTypesAsync(CancellationToken.None);

            SeenRequest get = cloud.Single("GET");
            Assert.Equal("/volume/v3/p-1/types?is_public=None", get.Path);
            Assert.False(get.Headers.ContainsKey("OpenStack-API-Version")); // Cinder's base 3.0 lists them
            Assert.Equal(
                new[] { "6685584b-1eac-4da6-b5c3-555430cf68ff=SSD public", "8eb69a46-df97-4e41-9586-9a40a7533803=SATA public", "b7d1c0a2-6e52-4d9e-9f7c-0c35a5d3f0e1=gold private" },
                types.Select(t => $"{t.Id}={t.Name} {(t.IsPublic ? "public" : "private")}"));
        }

        [Fact]
        public async Task A_volume_type_answer_without_the_list_is_a_format_error_and_a_refusal_an_api_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/volume/v3/p-1/types\?is_public=None$", 200, "{\"volume_type\": {\"id\": \"6685584b-1eac-4da6-b5c3-555430cf68ff\", \"name\": \"SSD\"}}");
            var api = new BlockStorageApi(cloud.Session);

            await Assert.ThrowsAsync<FormatException>(() => api.ListVolumeTypesAsync(CancellationToken.None));

            using ApiFixture refusing = await ApiFixture.StartAsync();
            refusing.On("GET", "^/volume/v3/p-1/types", 403, "{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow volume_extension:type_get_all to be performed.\"}}");
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new BlockStorageApi(refusing.Session).ListVolumeTypesAsync(CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }
    }
}
