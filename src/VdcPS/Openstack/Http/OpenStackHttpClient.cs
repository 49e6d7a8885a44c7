using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Flurl.Http;
using VdcPS.Internal;

namespace VdcPS.Openstack.Http
{
    /// <summary>Supplies the token for authenticated requests and renews it on demand.</summary>
    internal interface ITokenSource
    {
        /// <summary>A valid token, renewed first when it is about to expire.</summary>
        Task<string> GetTokenAsync(CancellationToken cancellationToken);

        /// <summary>Called once after a 401 with the token that was refused: get a new one.</summary>
        Task<string> RenewAsync(string refusedToken, CancellationToken cancellationToken);
    }

    /// <summary>
    /// The HTTP layer every service client uses: one pooled connection set per context, a time-out
    /// per attempt, cancellation, retries with exponential back-off and jitter on 429/502/503/504 and
    /// on broken connections (only where repeating the request is safe), Retry-After honoured, one
    /// transparent token renewal on 401, and OpenStack error bodies turned into
    /// <see cref="OpenStackApiException"/>. Debug output names method, URL, status and time: never
    /// headers or bodies, which carry tokens and passwords.
    /// </summary>
    internal sealed class OpenStackHttpClient : IDisposable
    {
        private static readonly HashSet<int> RetryableStatus = new HashSet<int> { 429, 502, 503, 504 };
        private readonly HttpSettings _settings;
        private readonly IFlurlClient _client;
        private readonly Random _jitter = new Random();
        private readonly object _jitterGate = new object();

        internal OpenStackHttpClient(HttpSettings settings, HttpMessageHandler? handler = null)
        {
            _settings = settings;
            var http = new HttpClient(handler ?? CreateHandler(settings), disposeHandler: true)
            {
                // Time-outs are per attempt, enforced below with the cancellation token.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _client = new FlurlClient(http, null);
            _client.Settings.Timeout = null;
            _client.Settings.AllowedHttpStatusRange = "*";
        }

        /// <summary>Hook for tests: how long to wait (defaults to Task.Delay).</summary>
        internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (t, ct) => Task.Delay(t, ct);

        internal HttpSettings Settings => _settings;

        internal async Task<ApiResponse> SendAsync(ApiRequest request, ITokenSource? tokens, CancellationToken cancellationToken)
        {
            bool renewed = false;
            int retries = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string? token = request.Authenticated && tokens != null
                    ? await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false)
                    : null;

                var watch = Stopwatch.StartNew();
                ApiResponse response;
                try
                {
                    response = await SendOnceAsync(request, token, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsTransportFailure(e, cancellationToken))
                {
                    bool neverSent = IsConnectFailure(e);
                    string reason = DescribeTransportFailure(e);
                    Log($"HTTP {request.Describe()} -> {reason} after {watch.ElapsedMilliseconds} ms");
                    if ((request.IsIdempotent || neverSent) && retries < _settings.MaxRetries)
                    {
                        TimeSpan wait = Backoff(retries++);
                        Log($"HTTP retry {retries}/{_settings.MaxRetries} of {request.Method.Method} in {wait.TotalMilliseconds:0} ms");
                        await Delay(wait, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    string unsure = request.IsIdempotent || neverSent
                        ? string.Empty
                        : " The request was not repeated because it is not safe to repeat; the service may or may not have acted on it.";
                    throw new VdcServiceUnreachableException(
                        $"Cannot reach the {request.Service} service: {reason} ({request.Method.Method} {request.Url.GetLeftPart(UriPartial.Path)}).{unsure}",
                        e);
                }

                string? requestId = RequestIdOf(response);
                Log($"HTTP {request.Describe()} -> {response.StatusCode} in {watch.ElapsedMilliseconds} ms{(requestId == null ? string.Empty : " (" + requestId + ")")}");

                if (response.IsSuccess || (request.AlsoAccept?.Contains(response.StatusCode) ?? false))
                {
                    return response;
                }

                if (response.StatusCode == 401 && token != null && tokens != null && !renewed)
                {
                    // The token expired or was revoked: a 401 means the request was not processed,
                    // so one renewal and one repeat is safe for any method.
                    renewed = true;
                    Log("HTTP 401: renewing the token and repeating the request once");
                    await tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                bool mayRetry = RetryableStatus.Contains(response.StatusCode)
                    && (request.IsIdempotent || response.StatusCode == 429)
                    && retries < _settings.MaxRetries;
                if (mayRetry)
                {
                    TimeSpan? retryAfter = ParseRetryAfter(response.Header("Retry-After"));
                    if (retryAfter.HasValue && retryAfter.Value > _settings.MaxRetryAfter)
                    {
                        throw ToException(request, response, requestId,
                            $" The service asked to retry after {retryAfter.Value.TotalSeconds:0} s, longer than the {_settings.MaxRetryAfter.TotalSeconds:0} s VdcPS waits.");
                    }

                    TimeSpan wait = retryAfter ?? Backoff(retries);
                    retries++;
                    Log($"HTTP retry {retries}/{_settings.MaxRetries} of {request.Method.Method} after {response.StatusCode} in {wait.TotalMilliseconds:0} ms{(retryAfter.HasValue ? " (Retry-After)" : string.Empty)}");
                    await Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw ToException(request, response, requestId, null);
            }
        }

        private async Task<ApiResponse> SendOnceAsync(ApiRequest request, string? token, CancellationToken cancellationToken)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_settings.Timeout);
            IFlurlRequest flurl = _client.Request(request.Url.AbsoluteUri)
                .WithHeader("Accept", "application/json")
                .WithHeader("User-Agent", _settings.UserAgent);
            foreach (KeyValuePair<string, string> header in request.Headers)
            {
                flurl = flurl.WithHeader(header.Key, header.Value);
            }

            if (token != null)
            {
                flurl = flurl.WithHeader("X-Auth-Token", token);
            }

            HttpContent? content = request.JsonBody == null
                ? null
                : new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
            try
            {
                HttpCompletionOption completion = request.ReadBody == null ? HttpCompletionOption.ResponseContentRead : HttpCompletionOption.ResponseHeadersRead;
                using IFlurlResponse response = await flurl
                    .SendAsync(request.Method, content, completion, attempt.Token)
                    .ConfigureAwait(false);
                string body = string.Empty;
                object? parsed = null;
                if (request.ReadBody != null && response.StatusCode >= 200 && response.StatusCode < 300)
                {
                    // Parsed while it arrives; the attempt's time-out covers the whole body.
                    using Stream stream = await response.ResponseMessage.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    parsed = await request.ReadBody(stream, attempt.Token).ConfigureAwait(false);
                }
                else
                {
                    body = await response.ResponseMessage.Content.ReadAsStringAsync().ConfigureAwait(false);
                }

                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var (name, value) in response.Headers)
                {
                    if (!headers.ContainsKey(name))
                    {
                        headers[name] = value;
                    }
                }

                return new ApiResponse(response.StatusCode, headers, body, parsed);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && !(e is OperationCanceledException))
            {
                // Flurl wraps a cancelled call in FlurlHttpException: surface it as a cancellation.
                throw new OperationCanceledException("The operation was cancelled.", e, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && attempt.IsCancellationRequested)
            {
                throw new TimeoutException($"No answer within {_settings.Timeout.TotalSeconds:0} s.", e);
            }
            finally
            {
                content?.Dispose();
            }
        }

        private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            return e is TimeoutException || e is FlurlHttpException || e is HttpRequestException || e is IOException || e is SocketException;
        }

        /// <summary>True when no connection was made, so the server cannot have seen the request.</summary>
        private static bool IsConnectFailure(Exception e)
        {
            for (Exception? inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket)
                {
                    return socket.SocketErrorCode == SocketError.ConnectionRefused
                        || socket.SocketErrorCode == SocketError.HostNotFound
                        || socket.SocketErrorCode == SocketError.HostUnreachable
                        || socket.SocketErrorCode == SocketError.NetworkUnreachable
                        || socket.SocketErrorCode == SocketError.TryAgain;
                }
            }

            return false;
        }

        private static string DescribeTransportFailure(Exception e)
        {
            if (e is TimeoutException)
            {
                return e.Message;
            }

            Exception innermost = e;
            while (innermost.InnerException != null)
            {
                innermost = innermost.InnerException;
            }

            if (innermost is System.Security.Authentication.AuthenticationException)
            {
                return "the TLS handshake failed (" + innermost.Message + ") - check -CaCertificatePath";
            }

            return innermost.Message;
        }

        private TimeSpan Backoff(int retry)
        {
            // Exponential with "equal jitter": half fixed, half random, so retries of many clients spread out.
            double ceiling = Math.Min(_settings.MaxDelay.TotalMilliseconds, _settings.BaseDelay.TotalMilliseconds * Math.Pow(2, retry));
            double random;
            lock (_jitterGate)
            {
                random = _jitter.NextDouble();
            }

            return TimeSpan.FromMilliseconds((ceiling / 2) + (random * ceiling / 2));
        }

        internal static TimeSpan? ParseRetryAfter(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
            {
                TimeSpan delta = when - DateTimeOffset.UtcNow;
                return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
            }

            return null;
        }

        private static string? RequestIdOf(ApiResponse response)
            => response.Header("X-OpenStack-Request-ID") ?? response.Header("X-Compute-Request-Id") ?? response.Header("X-Request-Id");

        private static OpenStackApiException ToException(ApiRequest request, ApiResponse response, string? requestId, string? suffix)
        {
            string? message = ErrorBodyParser.ExtractMessage(response.Body);
            return new OpenStackApiException(
                request.Method.Method,
                new Uri(request.Url.GetLeftPart(UriPartial.Path)),
                (HttpStatusCode)response.StatusCode,
                requestId,
                message + suffix,
                request.Service);
        }

        private static void Log(string message) => OperationLog.Debug(message);

        internal static HttpMessageHandler CreateHandler(HttpSettings settings)
        {
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = settings.MaxConnectionsPerServer,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseCookies = false,
            };
            if (settings.SkipCertificateCheck)
            {
                handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
            }
            else if (!string.IsNullOrEmpty(settings.CaCertificatePath))
            {
                X509Certificate2Collection authorities = LoadAuthorities(settings.CaCertificatePath!);
                handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                    ValidateAgainst(authorities, certificate, errors);
            }

            return handler;
        }

        private static X509Certificate2Collection LoadAuthorities(string path)
        {
            var collection = new X509Certificate2Collection();
            string text = File.ReadAllText(path);
            const string begin = "-----BEGIN CERTIFICATE-----";
            const string end = "-----END CERTIFICATE-----";
            int start = text.IndexOf(begin, StringComparison.Ordinal);
            if (start < 0)
            {
                collection.Import(path);
                return collection;
            }

            while (start >= 0)
            {
                int stop = text.IndexOf(end, start, StringComparison.Ordinal);
                if (stop < 0)
                {
                    break;
                }

                string base64 = text.Substring(start + begin.Length, stop - start - begin.Length);
                collection.Add(new X509Certificate2(Convert.FromBase64String(base64.Replace("\r", string.Empty).Replace("\n", string.Empty).Trim())));
                start = text.IndexOf(begin, stop, StringComparison.Ordinal);
            }

            return collection;
        }

        private static bool ValidateAgainst(X509Certificate2Collection authorities, X509Certificate2? certificate, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate == null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false; // name mismatch or no certificate: a custom CA does not excuse those
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.ExtraStore.AddRange(authorities);
            if (!chain.Build(certificate))
            {
                return false;
            }

            X509Certificate2 root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
            foreach (X509Certificate2 authority in authorities)
            {
                if (string.Equals(authority.Thumbprint, root.Thumbprint, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        public void Dispose() => _client.Dispose();
    }
}
