using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Http
{
    public class OpenStackHttpClientTests
    {
        private static (OpenStackHttpClient Client, List<TimeSpan> Waits) NewClient(int maxRetries = 3, TimeSpan? timeout = null)
        {
            var waits = new List<TimeSpan>();
            var client = new OpenStackHttpClient(new HttpSettings { MaxRetries = maxRetries, Timeout = timeout ?? TimeSpan.FromSeconds(10) })
            {
                Delay = (t, ct) => { waits.Add(t); return Task.CompletedTask; },
            };
            return (client, waits);
        }

        private static ApiRequest Get(ScriptedHttpServer server, string path = "thing")
            => new(HttpMethod.Get, new Uri(server.BaseUrl, path), "compute") { Authenticated = false };

        private static ApiRequest Post(ScriptedHttpServer server, string path = "thing")
            => new(HttpMethod.Post, new Uri(server.BaseUrl, path), "identity") { Authenticated = false, JsonBody = "{\"a\":1}" };

        [Theory]
        [InlineData(null, 500)]
        [InlineData("", 500)]
        [InlineData("20", 20)]
        [InlineData("0", 0)]
        [InlineData("60000", 60000)]
        [InlineData("60001", 500)]
        [InlineData("-5", 500)]
        [InlineData("1.5", 500)]
        [InlineData("soon", 500)]
        public void The_first_backoff_step_comes_from_VDCPS_RETRY_DELAY_MS_when_it_is_valid(string? value, int ms)
            => Assert.Equal(TimeSpan.FromMilliseconds(ms), HttpSettings.ParseRetryDelay(value));

        [Fact]
        public async Task Retries_503_with_RetryAfter_and_honours_the_delay()
        {
            using var server = ScriptedHttpServer.FromScript(
                Reply.Json(503, "{}", ("Retry-After", "7")),
                Reply.Json(200, "{\"ok\":true}"));
            var (client, waits) = NewClient();
            using (client)
            {
                ApiResponse response = await client.SendAsync(Get(server), null, CancellationToken.None);
                Assert.Equal(200, response.StatusCode);
                Assert.Equal(2, server.Count);
                Assert.Equal(new[] { TimeSpan.FromSeconds(7) }, waits);
            }
        }

        [Fact]
        public async Task Retries_a_reset_connection_for_an_idempotent_request()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.ConnectionReset(), Reply.Json(200, "{}"));
            var (client, waits) = NewClient();
            using (client)
            {
                ApiResponse response = await client.SendAsync(Get(server), null, CancellationToken.None);
                Assert.Equal(200, response.StatusCode);
                Assert.Equal(2, server.Count);
                Assert.Single(waits);
            }
        }

        [Fact]
        public async Task Does_not_repeat_a_POST_after_a_reset()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.ConnectionReset(), Reply.Json(201, "{}"));
            var (client, _) = NewClient();
            using (client)
            {
                var e = await Assert.ThrowsAsync<VdcServiceUnreachableException>(() => client.SendAsync(Post(server), null, CancellationToken.None));
                Assert.Equal(1, server.Count);
                Assert.Contains("not safe to repeat", e.Message);
            }
        }

        [Fact]
        public async Task Does_not_repeat_a_POST_after_503()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.Json(503, "{}", ("Retry-After", "1")), Reply.Json(201, "{}"));
            var (client, _) = NewClient();
            using (client)
            {
                var e = await Assert.ThrowsAsync<OpenStackApiException>(() => client.SendAsync(Post(server), null, CancellationToken.None));
                Assert.Equal(503, (int)e.StatusCode);
                Assert.Equal(1, server.Count);
            }
        }

        [Fact]
        public async Task Repeats_a_POST_after_429_because_the_server_did_not_act()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.Json(429, "{}", ("Retry-After", "2")), Reply.Json(201, "{}"));
            var (client, waits) = NewClient();
            using (client)
            {
                ApiResponse response = await client.SendAsync(Post(server), null, CancellationToken.None);
                Assert.Equal(201, response.StatusCode);
                Assert.Equal(2, server.Count);
                Assert.Equal(TimeSpan.FromSeconds(2), waits.Single());
            }
        }

        [Fact]
        public async Task Repeats_a_POST_when_the_connection_was_refused()
        {
            // Nothing listens on this port: the request never left, so repeating it is safe.
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var (client, waits) = NewClient(maxRetries: 2);
            using (client)
            {
                var request = new ApiRequest(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/x"), "identity") { Authenticated = false };
                await Assert.ThrowsAsync<VdcServiceUnreachableException>(() => client.SendAsync(request, null, CancellationToken.None));
                Assert.Equal(2, waits.Count);
            }
        }

        [Fact]
        public async Task Gives_up_after_the_retry_budget_with_the_last_error()
        {
            using var server = new ScriptedHttpServer(_ => Reply.Json(503, "{\"computeFault\":{\"code\":503,\"message\":\"Nova is down\"}}"));
            var (client, waits) = NewClient(maxRetries: 3);
            using (client)
            {
                var e = await Assert.ThrowsAsync<OpenStackApiException>(() => client.SendAsync(Get(server), null, CancellationToken.None));
                Assert.Equal(4, server.Count);
                Assert.Equal(3, waits.Count);
                Assert.Equal("Nova is down", e.ServerMessage);
                // exponential: each ceiling doubles, jitter keeps each wait within [ceiling/2, ceiling]
                Assert.InRange(waits[0].TotalMilliseconds, 250, 500);
                Assert.InRange(waits[1].TotalMilliseconds, 500, 1000);
                Assert.InRange(waits[2].TotalMilliseconds, 1000, 2000);
            }
        }

        [Fact]
        public async Task Refuses_a_Retry_After_longer_than_the_limit()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.Json(503, "{}", ("Retry-After", "3600")));
            var (client, waits) = NewClient();
            using (client)
            {
                var e = await Assert.ThrowsAsync<OpenStackApiException>(() => client.SendAsync(Get(server), null, CancellationToken.None));
                Assert.Contains("3600 s", e.Message);
                Assert.Empty(waits);
            }
        }

        [Fact]
        public async Task A_slow_answer_times_out_and_is_retried_for_GET()
        {
            using var server = ScriptedHttpServer.FromScript(new Reply { Delay = TimeSpan.FromSeconds(3) }, Reply.Json(200, "{}"));
            var (client, waits) = NewClient(timeout: TimeSpan.FromMilliseconds(300));
            using (client)
            {
                ApiResponse response = await client.SendAsync(Get(server), null, CancellationToken.None);
                Assert.Equal(200, response.StatusCode);
                Assert.Single(waits);
            }
        }

        [Fact]
        public async Task Cancellation_stops_the_request_promptly()
        {
            using var server = new ScriptedHttpServer(_ => new Reply { Delay = TimeSpan.FromSeconds(30) });
            var (client, _) = NewClient();
            using (client)
            using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(Get(server), null, cts.Token));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "cancellation must not wait for the server");
            }
        }

        private sealed class CountingTokens : ITokenSource
        {
            public string Current = "old-token";
            public int Renewals;

            public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(Current);

            public Task<string> RenewAsync(string refusedToken, CancellationToken cancellationToken)
            {
                Renewals++;
                Current = "new-token";
                return Task.FromResult(Current);
            }
        }

        [Fact]
        public async Task A_401_renews_the_token_once_and_repeats_even_a_POST()
        {
            using var server = new ScriptedHttpServer(r => r.Headers["X-Auth-Token"] == "new-token" ? Reply.Json(201, "{}") : Reply.Json(401, "{\"error\":{\"code\":401,\"message\":\"The request you have made requires authentication.\"}}"));
            var (client, _) = NewClient();
            var tokens = new CountingTokens();
            using (client)
            {
                var request = new ApiRequest(HttpMethod.Post, new Uri(server.BaseUrl, "x"), "compute") { JsonBody = "{}" };
                ApiResponse response = await client.SendAsync(request, tokens, CancellationToken.None);
                Assert.Equal(201, response.StatusCode);
                Assert.Equal(1, tokens.Renewals);
                Assert.Equal(new[] { "old-token", "new-token" }, server.Requests.Select(r => r.Headers["X-Auth-Token"]));
            }
        }

        [Fact]
        public async Task A_second_401_is_an_error_not_a_loop()
        {
            using var server = new ScriptedHttpServer(_ => Reply.Json(401, "{\"error\":{\"code\":401,\"message\":\"nope\"}}"));
            var (client, _) = NewClient();
            var tokens = new CountingTokens();
            using (client)
            {
                var e = await Assert.ThrowsAsync<OpenStackApiException>(() => client.SendAsync(new ApiRequest(HttpMethod.Get, new Uri(server.BaseUrl, "x"), "compute"), tokens, CancellationToken.None));
                Assert.Equal(401, (int)e.StatusCode);
                Assert.Equal(1, tokens.Renewals);
                Assert.Equal(2, server.Count);
            }
        }

        [Fact]
        public async Task The_error_carries_method_url_status_request_id_and_message()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.Json(404, "{\"itemNotFound\":{\"code\":404,\"message\":\"Flavor x could not be found.\"}}", ("X-OpenStack-Request-ID", "req-123")));
            var (client, _) = NewClient();
            using (client)
            {
                var e = await Assert.ThrowsAsync<OpenStackApiException>(() => client.SendAsync(Get(server, "flavors/x?secret=no"), null, CancellationToken.None));
                Assert.Equal("GET", e.Method);
                Assert.Equal(404, (int)e.StatusCode);
                Assert.Equal("req-123", e.RequestId);
                Assert.Equal("Flavor x could not be found.", e.ServerMessage);
                Assert.EndsWith("/flavors/x", e.Url.AbsoluteUri);
                Assert.DoesNotContain("secret", e.Message);
                Assert.Contains("req-123", e.Message);
            }
        }

        [Theory]
        [InlineData("{\"error\":{\"code\":401,\"title\":\"Unauthorized\",\"message\":\"The request you have made requires authentication.\"}}", "The request you have made requires authentication.")]
        [InlineData("{\"badRequest\":{\"code\":400,\"message\":\"Quota limit 1 for cores must be greater than or equal to already used and reserved 4.\"}}", "Quota limit 1 for cores must be greater than or equal to already used and reserved 4.")]
        [InlineData("{\"NeutronError\":{\"type\":\"HTTPBadRequest\",\"message\":\"Unrecognized attribute(s) 'router'\",\"detail\":\"\"}}", "Unrecognized attribute(s) 'router'")]
        [InlineData("{\"errors\":[{\"status\":409,\"title\":\"Conflict\",\"detail\":\"There was a conflict.\"}]}", "There was a conflict.")]
        [InlineData("{\"faultstring\":\"Rating module not found\",\"faultcode\":\"Client\"}", "Rating module not found")]
        [InlineData("{\"code\":404,\"description\":\"Metric x does not exist\",\"title\":\"Not Found\"}", "Metric x does not exist")]
        [InlineData("<html><body><h1>503 Service Unavailable</h1>No server is available.</body></html>", "503 Service Unavailable No server is available.")]
        [InlineData("404 Not Found\n\nThe resource could not be found.\n\n   ", "404 Not Found The resource could not be found.")]
        public void Parses_every_services_error_format(string body, string expected)
        {
            Assert.Equal(expected, ErrorBodyParser.ExtractMessage(body));
        }

        [Theory]
        [InlineData("5", 5.0)]
        [InlineData("0", 0.0)]
        [InlineData("1.5", 1.5)]
        public void Parses_Retry_After_seconds(string header, double seconds)
            => Assert.Equal(TimeSpan.FromSeconds(seconds), OpenStackHttpClient.ParseRetryAfter(header));

        [Fact]
        public void Parses_Retry_After_http_date()
        {
            TimeSpan? wait = OpenStackHttpClient.ParseRetryAfter(DateTime.UtcNow.AddSeconds(30).ToString("R"));
            Assert.NotNull(wait);
            Assert.InRange(wait!.Value.TotalSeconds, 25, 31);
            Assert.Null(OpenStackHttpClient.ParseRetryAfter("soon"));
        }

        private static ApiRequest Streamed(ScriptedHttpServer server, List<string> read)
            => new(HttpMethod.Get, new Uri(server.BaseUrl, "big"), "compute")
            {
                Authenticated = false,
                ReadBody = async (stream, ct) =>
                {
                    using var doc = await System.Text.Json.JsonDocument.ParseAsync(stream, default, ct);
                    string value = doc.RootElement.GetProperty("items").GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    read.Add(value);
                    return value;
                },
            };

        private static string Items(int n) => "{\"items\":[" + string.Join(",", Enumerable.Range(0, n).Select(i => $"{{\"id\":\"server-{i:D6}\",\"hours\":{i}.5}}")) + "]}";

        [Fact]
        public async Task A_streamed_2xx_body_goes_to_the_reader_and_is_not_kept_as_text()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.Json(200, Items(5000)));
            var (client, _) = NewClient();
            var read = new List<string>();
            using (client)
            {
                ApiResponse response = await client.SendAsync(Streamed(server, read), null, CancellationToken.None);
                Assert.Equal(200, response.StatusCode);
                Assert.Equal("5000", response.Value);
                Assert.Equal(string.Empty, response.Body);
                Assert.Equal(new[] { "5000" }, read);
            }
        }

        [Fact]
        public async Task A_streamed_request_still_reads_an_error_body_as_text()
        {
            using var server = ScriptedHttpServer.FromScript(Reply.Json(404, "{\"itemNotFound\":{\"code\":404,\"message\":\"No such page\"}}"));
            var (client, _) = NewClient();
            var read = new List<string>();
            using (client)
            {
                var e = await Assert.ThrowsAsync<OpenStackApiException>(() => client.SendAsync(Streamed(server, read), null, CancellationToken.None));
                Assert.Equal("No such page", e.ServerMessage);
                Assert.Empty(read);
            }
        }

        [Fact]
        public async Task A_connection_dropped_in_the_middle_of_a_streamed_body_is_retried()
        {
            string body = Items(5000);
            using var server = ScriptedHttpServer.FromScript(
                new Reply { Status = 200, Body = body, CutBodyAfter = body.Length / 2 },
                Reply.Json(200, body));
            var (client, waits) = NewClient();
            var read = new List<string>();
            using (client)
            {
                ApiResponse response = await client.SendAsync(Streamed(server, read), null, CancellationToken.None);
                Assert.Equal("5000", response.Value);
                Assert.Equal(2, server.Count);
                Assert.Single(waits);
                Assert.Equal(new[] { "5000" }, read); // the cut copy never reached the caller
            }
        }
    }
}
