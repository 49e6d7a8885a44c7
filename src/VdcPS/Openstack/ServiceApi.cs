using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack
{
    /// <summary>Common plumbing of the per-service clients: endpoint, JSON in and out.</summary>
    internal abstract class ServiceApi
    {
        private readonly string? _version;
        private Uri? _root;

        /// <param name="version">
        /// The API version path the service's calls go under (Neutron "v2.0", Glance "v2"): catalogs
        /// usually register those services without it, so it is added unless the endpoint ends with it.
        /// Null: the catalog's endpoint is the root as it is.
        /// </param>
        protected ServiceApi(KeystoneSession session, string serviceType, string? version = null)
        {
            Session = session;
            ServiceType = serviceType;
            _version = version;
        }

        protected KeystoneSession Session { get; }

        protected string ServiceType { get; }

        /// <summary>The service root with a trailing slash (resolved once from the catalog).</summary>
        protected virtual Uri Root
        {
            get
            {
                if (_root == null)
                {
                    string endpoint = Session.GetEndpoint(ServiceType).AbsoluteUri;
                    if (_version != null)
                    {
                        endpoint = endpoint.TrimEnd('/');
                        endpoint = endpoint.EndsWith("/" + _version, StringComparison.Ordinal) ? endpoint : endpoint + "/" + _version;
                    }

                    _root = new Uri(endpoint.EndsWith("/", StringComparison.Ordinal) ? endpoint : endpoint + "/");
                }

                return _root;
            }
        }

        protected Uri Url(string relative) => new Uri(Root, relative);

        /// <summary>Headers every request of this service carries (microversions).</summary>
        protected virtual Task AddHeadersAsync(ApiRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        protected async Task<ApiResponse> SendAsync(
            HttpMethod method, string relative, JsonNode? body, CancellationToken cancellationToken, ISet<int>? alsoAccept = null, bool? idempotent = null)
        {
            var request = new ApiRequest(method, Url(relative), ServiceType)
            {
                JsonBody = body?.ToJsonString(),
                AlsoAccept = alsoAccept,
                Idempotent = idempotent,
            };
            return await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Adds this service's headers and sends.</summary>
        private async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
        {
            await AddHeadersAsync(request, cancellationToken).ConfigureAwait(false);
            return await Session.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        protected async Task<JsonNode> GetJsonAsync(string relative, CancellationToken cancellationToken)
        {
            ApiResponse response = await SendAsync(HttpMethod.Get, relative, null, cancellationToken).ConfigureAwait(false);
            return Parse(response);
        }

        /// <summary>
        /// GET of a large listing, parsed while it arrives: the body goes from the connection into
        /// pooled buffers and <paramref name="read"/> turns the document into the caller's shape, so
        /// a long walk of big pages allocates the same few buffers again instead of a new copy (and
        /// its text) per page.
        /// </summary>
        protected async Task<T> GetStreamedAsync<T>(string relative, Func<JsonElement, T> read, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Get, Url(relative), ServiceType)
            {
                ReadBody = async (stream, ct) =>
                {
                    using JsonDocument doc = await JsonDocument.ParseAsync(stream, default, ct).ConfigureAwait(false);
                    return read(doc.RootElement);
                },
            };
            ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (T)response.Value!;
        }

        /// <summary>
        /// Every item of a listing that the service pages (Nova and Cinder cap a page at their
        /// max_limit, 1000 by default and often less, and link the next one as "&lt;collection&gt;_links"
        /// rel=next): the next page is asked with the marker of that link (<see cref="MarkerOf"/>, the rule
        /// of the other Nova walks) until a page has no next link or no items, or a marker comes again.
        /// <paramref name="path"/> already has its query.
        /// </summary>
        protected async Task<List<JsonNode>> GetAllPagesAsync(string path, string collection, CancellationToken cancellationToken)
        {
            var items = new List<JsonNode>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? marker = null;
            while (true)
            {
                JsonNode doc = await GetJsonAsync(marker == null ? path : $"{path}&marker={Escape(marker)}", cancellationToken).ConfigureAwait(false);
                List<JsonNode> page = ((doc[collection] as JsonArray) ?? new JsonArray()).Where(i => i != null).Select(i => i!).ToList();
                items.AddRange(page);
                string? next = (doc[collection + "_links"] as JsonArray)?.FirstOrDefault(l => l?["rel"]?.GetValue<string>() == "next")?["href"]?.GetValue<string>();
                if (next == null || page.Count == 0)
                {
                    return items;
                }

                marker = MarkerOf(next) ?? throw new FormatException($"The next link in '{collection}_links' has no marker.");
                if (!seen.Add(marker))
                {
                    return items;
                }
            }
        }

        /// <summary>The marker query parameter of a next link (the link's host is not used: it may be an internal name).</summary>
        internal static string? MarkerOf(string href)
        {
            int q = href.IndexOf('?');
            if (q < 0)
            {
                return null;
            }

            foreach (string part in href.Substring(q + 1).Split('&'))
            {
                int eq = part.IndexOf('=');
                string key = eq < 0 ? part : part.Substring(0, eq);
                if (key == "marker" && eq >= 0)
                {
                    string value = Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
                    return value.Length == 0 ? null : value;
                }
            }

            return null;
        }

        /// <summary>GET that answers null for 404 (the thing does not exist).</summary>
        protected async Task<JsonNode?> GetJsonOrNullAsync(string relative, CancellationToken cancellationToken)
        {
            ApiResponse response = await SendAsync(HttpMethod.Get, relative, null, cancellationToken, NotFound).ConfigureAwait(false);
            return response.StatusCode == 404 ? null : Parse(response);
        }

        protected static readonly ISet<int> NotFound = new HashSet<int> { 404 };

        protected static JsonNode Parse(ApiResponse response)
        {
            if (string.IsNullOrWhiteSpace(response.Body))
            {
                return new JsonObject();
            }

            return JsonNode.Parse(response.Body) ?? new JsonObject();
        }

        protected static string Escape(string value) => Uri.EscapeDataString(value);

        internal static long Long(JsonNode? node)
            => node is JsonValue v && v.TryGetValue(out long n) ? n : 0;
    }
}
