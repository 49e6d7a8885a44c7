using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Cinder v3 deletes of termination not covered by TerminationFixtureTests: a snapshot and a
    /// backup, under the catalog's project-scoped endpoint (…/v3/{token project}); Cinder answers
    /// 202 with no body (api-ref block-storage v3 snapshots-v3.inc, ext-backups.inc). A thing already
    /// gone (404) is no error; any other refusal is.
    /// </summary>
    public class BlockStorageFixtureTests
    {
        private const string SnapshotId = "3fbbcccf-d058-4502-8844-6feeffdf4cb5";
        private const string BackupId = "2ef47aee-8844-490c-804d-2a8efe561c65";

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
    }
}
