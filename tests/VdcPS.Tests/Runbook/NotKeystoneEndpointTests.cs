using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Runbook
{
    /// <summary>Issue 20: an auth URL that answers, but not as Keystone does, says so (not a JSON parse error).</summary>
    public sealed class NotKeystoneEndpointTests
    {
        private const string Page = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>It works</h1></body></html>";

        private static Reply Html(int status = 200) => new() { Status = status, Body = Page, Headers = new() { ["Content-Type"] = "text/html; charset=utf-8" } };

        private static Task<KeystoneSession> Connect(Uri authUrl) => KeystoneSession.ConnectAsync(new AuthOptions
        {
            AuthUrl = authUrl,
            Method = VdcAuthMethod.Password,
            UserName = "admin",
            UserDomainId = "default",
            Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
            ProjectName = "admin",
            ProjectDomainId = "default",
        }, new HttpSettings { MaxRetries = 0, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);

        [Fact]
        public async Task A_web_page_at_the_auth_url_is_not_a_keystone_endpoint()
        {
            using var server = new ScriptedHttpServer(_ => Html());

            var e = await Assert.ThrowsAsync<VdcNotKeystoneEndpointException>(() => Connect(server.BaseUrl));

            Assert.Contains("is not a Keystone endpoint", e.Message);
            Assert.Contains("GET answered HTTP 200 with text/html", e.Message);
            Assert.Equal(1, server.Count); // no token request sent to a web server
        }

        [Fact]
        public async Task A_v3_url_whose_token_request_gets_a_web_page_is_not_a_keystone_endpoint()
        {
            using var server = new ScriptedHttpServer(_ => Html());

            var e = await Assert.ThrowsAsync<VdcNotKeystoneEndpointException>(() => Connect(new Uri(server.BaseUrl, "v3")));

            Assert.Contains("POST answered HTTP 200 with text/html", e.Message);
            Assert.Equal("POST", server.Requests.Single().Method);
        }

        [Fact]
        public async Task Json_without_a_token_is_not_a_keystone_endpoint_either()
        {
            using var server = new ScriptedHttpServer(_ => Reply.Json(200, "{\"status\": \"ok\"}"));

            var e = await Assert.ThrowsAsync<VdcNotKeystoneEndpointException>(() => Connect(new Uri(server.BaseUrl, "v3")));

            Assert.Contains("without a token", e.Message);
        }

        [Fact]
        public void The_error_is_categorized_as_an_invalid_argument()
        {
            var record = VdcPS.Internal.ErrorFactory.FromException(new VdcNotKeystoneEndpointException("x"), VdcPS.Internal.ErrorIds.NotKeystoneEndpoint, "http://h/");
            Assert.Equal("NotKeystoneEndpoint", record.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        }
    }
}
