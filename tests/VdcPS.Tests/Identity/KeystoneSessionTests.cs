using System;
using System.Linq;
using System.Net;
using System.Security;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Identity
{
    public class KeystoneSessionTests
    {
        private const string Password = "Pa55-w0rd-never-shown";

        private static SecureString Secure(string s) => new NetworkCredential(string.Empty, s).SecurePassword;

        private static AuthOptions PasswordOptions(Uri baseUrl) => new()
        {
            AuthUrl = new Uri(baseUrl, "v3"),
            Method = VdcAuthMethod.Password,
            UserName = "admin",
            UserDomainId = "default",
            Password = Secure(Password),
            ProjectName = "admin",
            ProjectDomainId = "default",
        };

        /// <summary>A Keystone that issues token-1, token-2, ... and a compute API that accepts only the newest token.</summary>
        private sealed class Cloud : IDisposable
        {
            private int _issued;
            public ScriptedHttpServer Server { get; }
            public Func<DateTime> Expiry { get; set; } = () => DateTime.UtcNow.AddHours(1);
            public string Newest => "token-" + _issued;

            public Cloud()
            {
                Server = new ScriptedHttpServer(request =>
                {
                    if (request.Method == "POST" && request.Path == "/v3/auth/tokens")
                    {
                        string body = FakeKeystone.TokenBody(Server!.BaseUrl, Expiry());
                        return Reply.Json(201, body, ("X-Subject-Token", "token-" + Interlocked.Increment(ref _issued)));
                    }

                    if (request.Path.StartsWith("/compute", StringComparison.Ordinal))
                    {
                        return request.Headers.TryGetValue("X-Auth-Token", out string? t) && t == Newest
                            ? Reply.Json(200, "{\"servers\":[]}")
                            : Reply.Json(401, "{\"error\":{\"code\":401,\"message\":\"The request you have made requires authentication.\"}}");
                    }

                    return Reply.Json(404, "{}");
                });
            }

            public int Issued => _issued;

            public void Dispose() => Server.Dispose();
        }

        [Fact]
        public async Task Connects_reads_the_token_and_resolves_endpoints_by_region_and_interface()
        {
            using var cloud = new Cloud();
            AuthOptions options = PasswordOptions(cloud.Server.BaseUrl);
            options.Region = "RegionOne";
            using KeystoneSession session = await KeystoneSession.ConnectAsync(options, new HttpSettings(), CancellationToken.None);
            Assert.Equal("token-1", session.Token.Token);
            Assert.Equal("admin", session.Token.Project!.Name);
            Assert.Equal(new Uri(cloud.Server.BaseUrl, "compute/v2.1"), session.GetEndpoint("compute"));
            // block-storage is found under its alias volumev3
            Assert.Equal(new Uri(cloud.Server.BaseUrl, "volume/v3/p-1"), session.GetEndpoint("block-storage"));
            options.Interface = "internal";
            Assert.Contains("internal.invalid", session.GetEndpoint("compute").Host);
        }

        [Fact]
        public async Task A_missing_endpoint_is_a_clear_error_naming_what_exists()
        {
            using var cloud = new Cloud();
            using KeystoneSession session = await KeystoneSession.ConnectAsync(PasswordOptions(cloud.Server.BaseUrl), new HttpSettings(), CancellationToken.None);
            var e = Assert.Throws<EndpointNotFoundException>(() => session.GetEndpoint("metric"));
            Assert.Equal("metric", e.ServiceType);
            Assert.Contains("compute", e.Message);
            Assert.Contains("RegionOne", e.Message);
        }

        [Fact]
        public async Task An_expired_token_is_renewed_on_401_without_the_caller_noticing()
        {
            using var cloud = new Cloud();
            using KeystoneSession session = await KeystoneSession.ConnectAsync(PasswordOptions(cloud.Server.BaseUrl), new HttpSettings(), CancellationToken.None);
            // The cloud revokes token-1 behind our back (as an expiry or a Keystone restart does):
            await KeystoneSession.AuthenticateAsync(session.Http, session.IdentityUrl, session.Options, CancellationToken.None);
            Assert.Equal("token-2", cloud.Newest);

            ApiResponse response = await session.SendAsync(new ApiRequest(System.Net.Http.HttpMethod.Get, session.GetEndpoint("compute"), "compute"), CancellationToken.None);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("token-3", session.Token.Token);
        }

        [Fact]
        public async Task A_token_close_to_expiry_is_renewed_before_use()
        {
            using var cloud = new Cloud { Expiry = () => DateTime.UtcNow.AddMinutes(2) };
            using KeystoneSession session = await KeystoneSession.ConnectAsync(PasswordOptions(cloud.Server.BaseUrl), new HttpSettings(), CancellationToken.None);
            cloud.Expiry = () => DateTime.UtcNow.AddHours(1);
            string token = await session.GetTokenAsync(CancellationToken.None);
            Assert.Equal("token-2", token);
            Assert.True(session.Token.ExpiresAt > DateTime.UtcNow.AddMinutes(30));
            // and a fresh token is not renewed again
            Assert.Equal("token-2", await session.GetTokenAsync(CancellationToken.None));
            Assert.Equal(2, cloud.Issued);
        }

        [Fact]
        public async Task Concurrent_callers_share_one_renewal()
        {
            using var cloud = new Cloud { Expiry = () => DateTime.UtcNow.AddMinutes(1) };
            using KeystoneSession session = await KeystoneSession.ConnectAsync(PasswordOptions(cloud.Server.BaseUrl), new HttpSettings(), CancellationToken.None);
            cloud.Expiry = () => DateTime.UtcNow.AddHours(1);
            string[] tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => session.GetTokenAsync(CancellationToken.None)));
            Assert.All(tokens, t => Assert.Equal("token-2", t));
            Assert.Equal(2, cloud.Issued);
        }

        [Fact]
        public async Task Wrong_password_is_an_authentication_error_without_the_password()
        {
            using var server = new ScriptedHttpServer(_ => Reply.Json(401, "{\"error\":{\"code\":401,\"title\":\"Unauthorized\",\"message\":\"The request you have made requires authentication.\"}}"));
            var e = await Assert.ThrowsAsync<VdcAuthenticationException>(() => KeystoneSession.ConnectAsync(PasswordOptions(server.BaseUrl), new HttpSettings(), CancellationToken.None));
            Assert.Contains("refused the password", e.Message);
            Assert.DoesNotContain(Password, e.ToString());
        }

        [Fact]
        public async Task Debug_output_names_requests_but_never_secrets()
        {
            using var cloud = new Cloud();
            var output = new CapturingOutput();
            OperationLog.Current = output;
            try
            {
                using KeystoneSession session = await KeystoneSession.ConnectAsync(PasswordOptions(cloud.Server.BaseUrl), new HttpSettings(), CancellationToken.None);
                await session.SendAsync(new ApiRequest(System.Net.Http.HttpMethod.Get, session.GetEndpoint("compute"), "compute"), CancellationToken.None);
            }
            finally
            {
                OperationLog.Current = null;
            }

            string all = output.All;
            Assert.Contains("POST", all);
            Assert.Contains("/v3/auth/tokens", all);
            Assert.Contains("-> 201", all);
            Assert.DoesNotContain(Password, all);
            Assert.DoesNotContain("token-1", all);
        }

        [Fact]
        public void Auth_bodies_follow_the_keystone_api()
        {
            var password = JsonNode.Parse(KeystoneSession.BuildAuthBody(new AuthOptions
            {
                Method = VdcAuthMethod.Password, UserName = "u", UserDomainName = "D", Password = Secure("p"), ProjectName = "pr", ProjectDomainId = "default",
            }))!["auth"]!;
            Assert.Equal("password", password["identity"]!["methods"]![0]!.GetValue<string>());
            Assert.Equal("u", password["identity"]!["password"]!["user"]!["name"]!.GetValue<string>());
            Assert.Equal("D", password["identity"]!["password"]!["user"]!["domain"]!["name"]!.GetValue<string>());
            Assert.Equal("pr", password["scope"]!["project"]!["name"]!.GetValue<string>());
            Assert.Equal("default", password["scope"]!["project"]!["domain"]!["id"]!.GetValue<string>());

            var appcred = JsonNode.Parse(KeystoneSession.BuildAuthBody(new AuthOptions
            {
                Method = VdcAuthMethod.ApplicationCredential, ApplicationCredentialName = "ci", UserName = "u", UserDomainId = "default", ApplicationCredentialSecret = Secure("s"),
            }))!["auth"]!;
            Assert.Equal("application_credential", appcred["identity"]!["methods"]![0]!.GetValue<string>());
            Assert.Equal("ci", appcred["identity"]!["application_credential"]!["name"]!.GetValue<string>());
            Assert.Equal("u", appcred["identity"]!["application_credential"]!["user"]!["name"]!.GetValue<string>());
            Assert.Null(appcred["scope"]);

            var system = JsonNode.Parse(KeystoneSession.BuildAuthBody(new AuthOptions
            {
                Method = VdcAuthMethod.Token, Token = Secure("t"), SystemScope = "all",
            }))!["auth"]!;
            Assert.Equal("t", system["identity"]!["token"]!["id"]!.GetValue<string>());
            Assert.True(system["scope"]!["system"]!["all"]!.GetValue<bool>());

            var domain = JsonNode.Parse(KeystoneSession.BuildAuthBody(new AuthOptions
            {
                Method = VdcAuthMethod.Token, Token = Secure("t"), DomainName = "dom",
            }))!["auth"]!;
            Assert.Equal("dom", domain["scope"]!["domain"]!["name"]!.GetValue<string>());
        }

        [Theory]
        [InlineData(VdcAuthMethod.Password, "needs a user name")]
        [InlineData(VdcAuthMethod.ApplicationCredential, "needs the secret")]
        [InlineData(VdcAuthMethod.Token, "needs the token")]
        public void Incomplete_options_are_refused_before_any_request(VdcAuthMethod method, string message)
        {
            var options = new AuthOptions { AuthUrl = new Uri("http://127.0.0.1:1/v3"), Method = method };
            var e = Assert.Throws<ArgumentException>(options.Validate);
            Assert.Contains(message, e.Message);
        }

        [Fact]
        public void Two_scopes_at_once_are_refused()
        {
            var options = PasswordOptions(new Uri("http://127.0.0.1:1/"));
            options.SystemScope = "all";
            var e = Assert.Throws<ArgumentException>(options.Validate);
            Assert.Contains("exactly one", e.Message);
        }

        [Fact]
        public async Task Version_discovery_finds_v3_from_a_bare_auth_url()
        {
            using var server = new ScriptedHttpServer(r => r.Path == "/"
                ? Reply.Json(300, "{\"versions\":{\"values\":[{\"id\":\"v3.14\",\"status\":\"stable\",\"links\":[{\"rel\":\"self\",\"href\":\"http://127.0.0.1:1/identity/v3/\"}]}]}}")
                : Reply.Json(404, "{}"));
            using var http = new OpenStackHttpClient(new HttpSettings());
            Uri v3 = await KeystoneSession.DiscoverV3Async(http, server.BaseUrl, CancellationToken.None);
            Assert.Equal("http://127.0.0.1:1/identity/v3/", v3.AbsoluteUri);
        }
    }
}
