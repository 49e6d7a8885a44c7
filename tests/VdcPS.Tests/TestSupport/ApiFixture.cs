using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using Xunit;

namespace VdcPS.Tests.TestSupport
{
    /// <summary>
    /// A cloud of fixtures for one API client (gophercloud's fixtures_test.go): a real HTTP server on
    /// 127.0.0.1 that issues a token with a catalog, answers the compute version document with the
    /// microversion range of the release being imitated, and answers the routes a test declares with
    /// response bodies taken from the OpenStack API reference samples (Fixtures/api/...). Every other
    /// request is a 404, so a test sees exactly which requests a client sent.
    /// </summary>
    public sealed class ApiFixture : IDisposable
    {
        private readonly List<(string Method, Regex Path, Func<SeenRequest, Reply> Answer)> _routes = new();
        private readonly List<SeenRequest> _seen = new();

        public ApiFixture(string computeMaxVersion = "2.96")
        {
            ComputeMaxVersion = computeMaxVersion;
            Server = new ScriptedHttpServer(Answer);
        }

        public ScriptedHttpServer Server { get; }

        /// <summary>The newest compute microversion the imitated cloud offers (Queens: 2.60; before 2.36 a Pike-or-older cloud).</summary>
        public string ComputeMaxVersion { get; set; }

        internal KeystoneSession Session { get; private set; } = null!;

        /// <summary>The requests sent to declared routes (not the token or the version discovery).</summary>
        public IReadOnlyList<SeenRequest> Seen
        {
            get
            {
                lock (_seen)
                {
                    return _seen.ToList();
                }
            }
        }

        public static async Task<ApiFixture> StartAsync(string computeMaxVersion = "2.96", bool system = false)
        {
            var fixture = new ApiFixture(computeMaxVersion);
            fixture.Session = await KeystoneSession.ConnectAsync(new AuthOptions
            {
                AuthUrl = new Uri(fixture.Server.BaseUrl, "v3"),
                Method = VdcAuthMethod.Password,
                UserName = "admin",
                UserDomainId = "default",
                Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
                ProjectName = system ? null : "admin",
                ProjectDomainId = system ? null : "default",
                SystemScope = system ? "all" : null,
                Region = "RegionOne",
            }, new HttpSettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
            return fixture;
        }

        /// <summary>Answers <paramref name="method"/> on paths matching <paramref name="path"/> (a regex on path and query).</summary>
        public ApiFixture On(string method, string path, int status, string body)
        {
            _routes.Add((method, new Regex(path), _ => Reply.Json(status, body)));
            return this;
        }

        /// <summary>The text of Fixtures/api/&lt;parts&gt;.</summary>
        public static string Sample(params string[] parts)
            => File.ReadAllText(Path.Combine(new[] { AppContext.BaseDirectory, "Fixtures", "api" }.Concat(parts).ToArray()));

        /// <summary>The one request sent with <paramref name="method"/> (fails when there is not exactly one).</summary>
        public SeenRequest Single(string method) => Assert.Single(Seen, r => r.Method == method);

        /// <summary>Asserts that two JSON texts hold the same document (key order and spacing aside).</summary>
        public static void AssertSameJson(string expected, string actual)
        {
            JsonNode? e = JsonNode.Parse(expected);
            JsonNode? a = JsonNode.Parse(actual);
            Assert.True(JsonNode.DeepEquals(e, a), $"expected {e?.ToJsonString()}{Environment.NewLine}  actual {a?.ToJsonString()}");
        }

        private Reply Answer(SeenRequest request)
        {
            if (request.Method == "POST" && request.Path == "/v3/auth/tokens")
            {
                return Reply.Json(201, FakeKeystone.TokenBody(Server.BaseUrl, DateTime.UtcNow.AddHours(1)), ("X-Subject-Token", "fixture-token"));
            }

            if (request.Method == "GET" && (request.Path == "/compute/v2.1" || request.Path == "/compute/v2.1/"))
            {
                // nova doc/api_samples/versions/v21-version-get-resp.json, with the imitated release's maximum
                JsonNode doc = JsonNode.Parse(Sample("compute", "v21-version-get-resp.json"))!;
                doc["version"]!["version"] = ComputeMaxVersion;
                return Reply.Json(200, doc.ToJsonString());
            }

            lock (_seen)
            {
                _seen.Add(request);
            }

            foreach (var (method, path, answer) in _routes)
            {
                if (method == request.Method && path.IsMatch(request.Path))
                {
                    return answer(request);
                }
            }

            return Reply.Json(404, "{\"error\":{\"code\":404,\"message\":\"no fixture for " + request.Method + " " + request.Path + "\"}}");
        }

        public void Dispose()
        {
            Session?.Dispose();
            Server.Dispose();
        }
    }
}
