using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Http;

namespace VdcPS.Openstack.Identity
{
    /// <summary>
    /// An authenticated connection to one cloud: the options to authenticate again, the current
    /// token (renewed before it expires and once after a 401), the catalog, and the HTTP client
    /// (one connection pool) that every service client of this connection shares.
    /// </summary>
    internal sealed class KeystoneSession : ITokenSource, IDisposable
    {
        private readonly SemaphoreSlim _renewLock = new SemaphoreSlim(1, 1);
        private TokenInfo _token;

        private KeystoneSession(AuthOptions options, Uri identityUrl, OpenStackHttpClient http, TokenInfo token)
        {
            Options = options;
            IdentityUrl = identityUrl;
            Http = http;
            _token = token;
        }

        internal AuthOptions Options { get; }

        /// <summary>The Keystone v3 root, e.g. https://keystone.example:5000/v3.</summary>
        internal Uri IdentityUrl { get; }

        internal OpenStackHttpClient Http { get; }

        internal TokenInfo Token => _token;

        /// <summary>Renew when less than this is left of the token's life.</summary>
        internal TimeSpan RenewBefore { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Microversion range of the compute API, once discovered.</summary>
        internal (Version Min, Version Max)? ComputeVersions { get; set; }

        internal Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        internal static async Task<KeystoneSession> ConnectAsync(AuthOptions options, HttpSettings settings, CancellationToken cancellationToken, HttpMessageHandler? handler = null)
        {
            options.Validate();
            var http = new OpenStackHttpClient(settings, handler);
            try
            {
                Uri identity = await DiscoverV3Async(http, options.AuthUrl!, cancellationToken).ConfigureAwait(false);
                TokenInfo token = await AuthenticateAsync(http, identity, options, cancellationToken).ConfigureAwait(false);
                return new KeystoneSession(options, identity, http, token);
            }
            catch
            {
                http.Dispose();
                throw;
            }
        }

        public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            TokenInfo current = _token;
            if (current.ExpiresAt - UtcNow() > RenewBefore || !CanRenew)
            {
                return current.Token;
            }

            return await RenewAsync(current.Token, cancellationToken).ConfigureAwait(false);
        }

        public async Task<string> RenewAsync(string refusedToken, CancellationToken cancellationToken)
        {
            await _renewLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller may have renewed while this one waited.
                if (!string.Equals(_token.Token, refusedToken, StringComparison.Ordinal))
                {
                    return _token.Token;
                }

                OperationLog.Debug($"Renewing the Keystone token (expires {_token.ExpiresAt:u})");
                TokenInfo fresh = await AuthenticateAsync(Http, IdentityUrl, Options, cancellationToken).ConfigureAwait(false);
                _token = fresh;
                return fresh.Token;
            }
            finally
            {
                _renewLock.Release();
            }
        }

        /// <summary>A token given by the caller cannot be renewed beyond its own expiry.</summary>
        internal bool CanRenew => Options.Method != VdcAuthMethod.Token;

        /// <summary>The endpoint for a service type, or an <see cref="EndpointNotFoundException"/>.</summary>
        internal Uri GetEndpoint(string serviceType)
        {
            Uri? url = TryGetEndpoint(serviceType);
            if (url != null)
            {
                return url;
            }

            IReadOnlyList<string> regions = ServiceCatalog.Regions(_token.Catalog);
            string available = string.Join(", ", _token.Catalog.Select(s => s.Type).Distinct().OrderBy(t => t));
            throw new EndpointNotFoundException(
                serviceType,
                $"The cloud's catalog has no '{serviceType}' endpoint for interface '{Options.Interface}'"
                + (string.IsNullOrEmpty(Options.Region) ? string.Empty : $" in region '{Options.Region}'")
                + $". Services in the catalog: {(available.Length == 0 ? "none" : available)}"
                + (regions.Count == 0 ? "." : $"; regions: {string.Join(", ", regions)}."));
        }

        /// <summary>The endpoint override for the type (if any, with %(project_id)s filled in), else the catalog's.</summary>
        internal Uri? TryGetEndpoint(string serviceType)
        {
            foreach (string type in ServiceCatalog.TypesFor(serviceType))
            {
                if (Options.EndpointOverrides.TryGetValue(type, out string? overridden))
                {
                    string url = overridden.Replace("%(project_id)s", _token.Project?.Id ?? string.Empty)
                        .Replace("$(project_id)s", _token.Project?.Id ?? string.Empty);
                    if (Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
                    {
                        return uri;
                    }
                }
            }

            return ServiceCatalog.Find(_token.Catalog, serviceType, Options.Region, Options.Interface);
        }

        internal Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
            => Http.SendAsync(request, this, cancellationToken);

        /// <summary>Revokes the token this session created (not a token the caller gave).</summary>
        internal async Task RevokeAsync(CancellationToken cancellationToken)
        {
            if (!CanRenew)
            {
                return;
            }

            var request = new ApiRequest(HttpMethod.Delete, new Uri(IdentityUrl, "auth/tokens"), "identity")
            {
                AlsoAccept = new HashSet<int> { 401, 404 },
                Authenticated = false,
            };
            request.Headers["X-Auth-Token"] = _token.Token;
            request.Headers["X-Subject-Token"] = _token.Token;
            await Http.SendAsync(request, null, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Finds the v3 API from the auth URL as the OpenStack tools do: a URL ending in /v3 is used
        /// as is; otherwise the version document at the URL names the v3 root.
        /// </summary>
        internal static async Task<Uri> DiscoverV3Async(OpenStackHttpClient http, Uri authUrl, CancellationToken cancellationToken)
        {
            string path = authUrl.AbsolutePath.TrimEnd('/');
            if (path.EndsWith("/v3", StringComparison.OrdinalIgnoreCase))
            {
                return WithSlash(authUrl);
            }

            if (path.EndsWith("/v2.0", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The auth URL '{authUrl}' is Keystone v2.0, which VdcPS does not support: use the v3 URL.");
            }

            var request = new ApiRequest(HttpMethod.Get, authUrl, "identity") { Authenticated = false, AlsoAccept = new HashSet<int> { 300 } };
            ApiResponse response = await http.SendAsync(request, null, cancellationToken).ConfigureAwait(false);
            JsonNode? doc = ParseOrNotKeystone(response, "GET", authUrl);
            IEnumerable<JsonNode?> versions = doc?["versions"]?["values"] as JsonArray
                ?? (IEnumerable<JsonNode?>?)(doc?["versions"] as JsonArray)
                ?? (doc?["version"] != null ? new[] { doc["version"] } : Array.Empty<JsonNode?>());
            foreach (JsonNode? version in versions)
            {
                string? id = version?["id"]?.GetValue<string>();
                if (id != null && id.StartsWith("v3", StringComparison.OrdinalIgnoreCase) && version!["links"] is JsonArray links)
                {
                    string? self = links.FirstOrDefault(l => l?["rel"]?.GetValue<string>() == "self")?["href"]?.GetValue<string>();
                    if (self != null && Uri.TryCreate(self, UriKind.Absolute, out Uri? v3))
                    {
                        return WithSlash(v3);
                    }
                }
            }

            return new Uri(WithSlash(authUrl), "v3/");
        }

        /// <summary>
        /// The answer as JSON, or <see cref="VdcNotKeystoneEndpointException"/> when it is not JSON at all (a web
        /// page answering 200: a wrong port, a dashboard, a captive portal). An empty body stays empty.
        /// </summary>
        internal static JsonNode? ParseOrNotKeystone(ApiResponse response, string method, Uri url)
        {
            if (string.IsNullOrWhiteSpace(response.Body))
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(response.Body);
            }
            catch (System.Text.Json.JsonException e)
            {
                string type = response.Header("Content-Type") is string ct && ct.Length > 0 ? ct.Split(';')[0].Trim() : "a body that is not JSON";
                throw new VdcNotKeystoneEndpointException(
                    $"The auth URL {url.GetLeftPart(UriPartial.Path)} is not a Keystone endpoint: {method} answered HTTP {response.StatusCode} with {type}, "
                    + "not Keystone's JSON.", e);
            }
        }

        private static Uri WithSlash(Uri uri)
            => uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");

        internal static async Task<TokenInfo> AuthenticateAsync(OpenStackHttpClient http, Uri identity, AuthOptions options, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Post, new Uri(identity, "auth/tokens"), "identity")
            {
                Authenticated = false,
                JsonBody = BuildAuthBody(options),
            };
            ApiResponse response;
            try
            {
                response = await http.SendAsync(request, null, cancellationToken).ConfigureAwait(false);
            }
            catch (OpenStackApiException e) when ((int)e.StatusCode == 401)
            {
                throw new VdcAuthenticationException(
                    $"Keystone refused the {Describe(options.Method)} at {identity.GetLeftPart(UriPartial.Path)}: {e.ServerMessage ?? "unauthorized"}", e);
            }

            string? subject = response.Header("X-Subject-Token");
            if (string.IsNullOrEmpty(subject))
            {
                JsonNode? doc = ParseOrNotKeystone(response, "POST", request.Url);
                if (!(doc?["token"] is JsonObject))
                {
                    throw new VdcNotKeystoneEndpointException(
                        $"The auth URL {identity.GetLeftPart(UriPartial.Path)} is not a Keystone endpoint: POST auth/tokens answered HTTP {response.StatusCode} without a token.");
                }

                throw new FormatException("Keystone answered without an X-Subject-Token header.");
            }

            return TokenInfo.Parse(subject!, response.Body);
        }

        private static string Describe(VdcAuthMethod method) => method switch
        {
            VdcAuthMethod.ApplicationCredential => "application credential",
            VdcAuthMethod.Token => "token",
            _ => "password",
        };

        /// <summary>The JSON body of POST /v3/auth/tokens. Holds the secret: never log it.</summary>
        internal static string BuildAuthBody(AuthOptions o)
        {
            var identity = new JsonObject();
            switch (o.Method)
            {
                case VdcAuthMethod.Password:
                    identity["methods"] = new JsonArray("password");
                    JsonObject user = UserRef(o);
                    user["password"] = AuthOptions.Plain(o.Password);
                    identity["password"] = new JsonObject { ["user"] = user };
                    break;
                case VdcAuthMethod.ApplicationCredential:
                    identity["methods"] = new JsonArray("application_credential");
                    var credential = new JsonObject();
                    if (!string.IsNullOrEmpty(o.ApplicationCredentialId))
                    {
                        credential["id"] = o.ApplicationCredentialId;
                    }
                    else
                    {
                        credential["name"] = o.ApplicationCredentialName;
                        credential["user"] = UserRef(o);
                    }

                    credential["secret"] = AuthOptions.Plain(o.ApplicationCredentialSecret);
                    identity["application_credential"] = credential;
                    break;
                case VdcAuthMethod.Token:
                    identity["methods"] = new JsonArray("token");
                    identity["token"] = new JsonObject { ["id"] = AuthOptions.Plain(o.Token) };
                    break;
            }

            var auth = new JsonObject { ["identity"] = identity };
            JsonObject? scope = Scope(o);
            if (scope != null)
            {
                auth["scope"] = scope;
            }

            return new JsonObject { ["auth"] = auth }.ToJsonString();
        }

        private static JsonObject UserRef(AuthOptions o)
        {
            var user = new JsonObject();
            if (!string.IsNullOrEmpty(o.UserId))
            {
                user["id"] = o.UserId;
            }
            else
            {
                user["name"] = o.UserName;
                user["domain"] = DomainRef(o.UserDomainId, o.UserDomainName);
            }

            return user;
        }

        private static JsonObject DomainRef(string? id, string? name)
            => !string.IsNullOrEmpty(id) ? new JsonObject { ["id"] = id } : new JsonObject { ["name"] = name };

        private static JsonObject? Scope(AuthOptions o)
        {
            if (o.Method == VdcAuthMethod.ApplicationCredential)
            {
                return null;
            }

            if (!string.IsNullOrEmpty(o.SystemScope))
            {
                return new JsonObject { ["system"] = new JsonObject { [o.SystemScope!] = true } };
            }

            if (!string.IsNullOrEmpty(o.ProjectId))
            {
                return new JsonObject { ["project"] = new JsonObject { ["id"] = o.ProjectId } };
            }

            if (!string.IsNullOrEmpty(o.ProjectName))
            {
                return new JsonObject
                {
                    ["project"] = new JsonObject { ["name"] = o.ProjectName, ["domain"] = DomainRef(o.ProjectDomainId, o.ProjectDomainName) },
                };
            }

            if (!string.IsNullOrEmpty(o.DomainId) || !string.IsNullOrEmpty(o.DomainName))
            {
                return new JsonObject { ["domain"] = DomainRef(o.DomainId, o.DomainName) };
            }

            return null;
        }

        public void Dispose()
        {
            Http.Dispose();
            _renewLock.Dispose();
        }
    }
}
