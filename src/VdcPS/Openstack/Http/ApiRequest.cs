using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace VdcPS.Openstack.Http
{
    /// <summary>One call to an OpenStack API, before authentication headers are added.</summary>
    internal sealed class ApiRequest
    {
        public ApiRequest(HttpMethod method, Uri url, string service)
        {
            Method = method;
            Url = url;
            Service = service;
        }

        public HttpMethod Method { get; }

        public Uri Url { get; }

        /// <summary>Service type for messages ("identity", "compute", ...).</summary>
        public string Service { get; }

        /// <summary>JSON text of the body, or null for none.</summary>
        public string? JsonBody { get; set; }

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Send the context's token (and renew it once on a 401).</summary>
        public bool Authenticated { get; set; } = true;

        /// <summary>
        /// Whether sending the request twice is harmless. Defaults from the method: GET, HEAD,
        /// OPTIONS, PUT and DELETE are; POST and PATCH are not, and are retried only when the
        /// server cannot have acted on them (no connection made, 429 Too Many Requests).
        /// </summary>
        public bool? Idempotent { get; set; }

        /// <summary>Status codes treated as success besides 2xx (e.g. 404 for "does it exist").</summary>
        public ISet<int>? AlsoAccept { get; set; }

        /// <summary>
        /// For large answers: reads a 2xx body straight from the connection (its result becomes
        /// <see cref="ApiResponse.Value"/>, and <see cref="ApiResponse.Body"/> stays empty), so no
        /// copy of the whole body is ever held as bytes or text. Other answers are read as text.
        /// </summary>
        public Func<Stream, CancellationToken, Task<object?>>? ReadBody { get; set; }

        /// <summary>Text for logs: never carries the body (it may hold a password).</summary>
        public string Describe() => $"{Method.Method} {Url.GetLeftPart(UriPartial.Path)}{(string.IsNullOrEmpty(Url.Query) ? string.Empty : Url.Query)}";

        internal bool IsIdempotent
        {
            get
            {
                if (Idempotent.HasValue)
                {
                    return Idempotent.Value;
                }

                string m = Method.Method.ToUpperInvariant();
                return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "PUT" || m == "DELETE";
            }
        }
    }

    /// <summary>What came back: status, headers, body text (or what the request's reader made of it).</summary>
    internal sealed class ApiResponse
    {
        public ApiResponse(int statusCode, IReadOnlyDictionary<string, string> headers, string body, object? value = null)
        {
            StatusCode = statusCode;
            Headers = headers;
            Body = body;
            Value = value;
        }

        public int StatusCode { get; }

        public IReadOnlyDictionary<string, string> Headers { get; }

        public string Body { get; }

        /// <summary>What <see cref="ApiRequest.ReadBody"/> made of a 2xx body (null otherwise).</summary>
        public object? Value { get; }

        public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

        public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;
    }
}
