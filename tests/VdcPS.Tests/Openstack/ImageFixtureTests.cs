using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Image;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Glance v2 image delete (api-ref image v2 images-images-v2.inc: DELETE /v2/images/{image_id},
    /// 204 with no body; 404 when there is no such image, 403 when it is protected). The catalog
    /// registers Glance without its version, the client adds /v2. The listing is in TerminationFixtureTests.
    /// </summary>
    public class ImageFixtureTests
    {
        private const string ImageId = "1bea47ed-f6a9-463b-b423-14b9cca9ad27";

        [Fact]
        public async Task An_image_is_deleted_under_v2_and_one_already_gone_is_no_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/image/v2/images/" + ImageId + "$", 204, "");
            cloud.On("DELETE", "^/image/v2/images/gone$", 404, "<html><body><h1>404 Not Found</h1>No image found with ID gone</body></html>");
            var api = new ImageApi(cloud.Session);

            await api.DeleteImageAsync(ImageId, CancellationToken.None);
            await api.DeleteImageAsync("gone", CancellationToken.None);

            Assert.Equal(new[] { "DELETE /image/v2/images/" + ImageId, "DELETE /image/v2/images/gone" }, cloud.Seen.Select(r => r.Method + " " + r.Path));
        }

        [Fact]
        public async Task A_protected_image_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/image/v2/images/", 403, "<html><body><h1>403 Forbidden</h1>Image " + ImageId + " is protected and cannot be deleted.</body></html>");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new ImageApi(cloud.Session).DeleteImageAsync(ImageId, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }
    }
}
