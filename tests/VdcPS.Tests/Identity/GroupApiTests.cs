using System;
using System.Collections.Generic;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Identity
{
    /// <summary>Keystone v3 groups (the tenant lease): the requests sent and the api-ref's response bodies parsed.</summary>
    public class GroupApiTests : IDisposable
    {
        // keystone api-ref/source/v3/samples/admin/group-create-response.json
        private const string CreateResponse = @"{
    ""group"": {
        ""domain_id"": ""default"",
        ""description"": ""Contract developers"",
        ""id"": ""c0d675eac29945ad9dfd08aa1bb75751"",
        ""links"": {
            ""self"": ""http://localhost:5000/v3/groups/c0d675eac29945ad9dfd08aa1bb75751""
        },
        ""name"": ""Contract developers""
    }
}";

        // keystone api-ref/source/v3/samples/admin/groups-list-response.json
        private const string ListResponse = @"{
    ""links"": { ""self"": ""http://localhost:5000/v3/groups"", ""previous"": null, ""next"": null },
    ""groups"": [
        { ""domain_id"": ""default"", ""description"": ""non-admin group"", ""id"": ""96372bbb152f475aa37e9a76a25a029c"",
          ""links"": { ""self"": ""http://localhost:5000/v3/groups/96372bbb152f475aa37e9a76a25a029c"" }, ""name"": ""nonadmins"" },
        { ""domain_id"": ""default"", ""description"": ""openstack admin group"", ""id"": ""9ce0ad4e58a84d7a97b92f7955d10c92"",
          ""links"": { ""self"": ""http://localhost:5000/v3/groups/9ce0ad4e58a84d7a97b92f7955d10c92"" }, ""name"": ""admins"" }
    ]
}";

        private readonly List<SeenRequest> _seen = new();
        private readonly ScriptedHttpServer _server;
        private KeystoneSession? _session;
        private Func<SeenRequest, Reply> _reply = _ => Reply.Json(500, "{}");

        public GroupApiTests()
        {
            _server = new ScriptedHttpServer(r =>
            {
                if (r.Method == "POST" && r.Path.StartsWith("/v3/auth/tokens", StringComparison.Ordinal))
                {
                    return Reply.Json(201, FakeKeystone.TokenBody(_server!.BaseUrl, DateTime.UtcNow.AddHours(1)), ("X-Subject-Token", "tok-1"));
                }

                lock (_seen)
                {
                    _seen.Add(r);
                }

                return _reply(r);
            });
        }

        public void Dispose()
        {
            _session?.Dispose();
            _server.Dispose();
        }

        private async Task<IdentityApi> ApiAsync()
        {
            _session ??= await KeystoneSession.ConnectAsync(new AuthOptions
            {
                AuthUrl = new Uri(_server.BaseUrl, "v3"),
                Method = VdcAuthMethod.Password,
                UserName = "admin",
                UserDomainId = "default",
                Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
                ProjectName = "admin",
                ProjectDomainId = "default",
            }, new HttpSettings { MaxRetries = 0, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
            return new IdentityApi(_session);
        }

        [Fact]
        public async Task Create_posts_name_domain_and_description_and_reads_the_group()
        {
            _reply = _ => Reply.Json(201, CreateResponse);
            IdentityApi api = await ApiAsync();
            GroupDto group = await api.CreateGroupAsync("Contract developers", "default", "Contract developers", CancellationToken.None);

            SeenRequest sent = Assert.Single(_seen);
            Assert.Equal("POST", sent.Method);
            Assert.Equal("/v3/groups", sent.Path);
            Assert.Equal("tok-1", sent.Headers["X-Auth-Token"]);
            Assert.True(JsonNode.DeepEquals(
                JsonNode.Parse(@"{""group"": {""name"": ""Contract developers"", ""domain_id"": ""default"", ""description"": ""Contract developers""}}"),
                JsonNode.Parse(sent.Body)));
            Assert.Equal(("c0d675eac29945ad9dfd08aa1bb75751", "Contract developers", "default", "Contract developers"),
                (group.Id, group.Name, group.DomainId, group.Description));
        }

        [Fact]
        public async Task A_second_group_of_the_same_name_is_a_conflict()
        {
            _reply = _ => Reply.Json(409, @"{""error"": {""code"": 409, ""message"": ""Conflict occurred attempting to store group - Duplicate entry."", ""title"": ""Conflict""}}");
            IdentityApi api = await ApiAsync();
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => api.CreateGroupAsync("vdcps-lease-p1", "default", "x", CancellationToken.None));
            Assert.Equal(HttpStatusCode.Conflict, e.StatusCode);
        }

        [Fact]
        public async Task Find_filters_by_name_and_domain_and_takes_the_group_of_that_name()
        {
            _reply = _ => Reply.Json(200, ListResponse);
            IdentityApi api = await ApiAsync();
            GroupDto? group = await api.FindGroupAsync("admins", "default", CancellationToken.None);

            Assert.Equal("GET /v3/groups?name=admins&domain_id=default", Assert.Single(_seen).Method + " " + _seen[0].Path);
            Assert.Equal(("9ce0ad4e58a84d7a97b92f7955d10c92", "openstack admin group"), (group!.Id, group.Description));
            Assert.Null(await api.FindGroupAsync("nobody", "default", CancellationToken.None));
        }

        [Fact]
        public async Task Delete_says_whether_the_group_existed()
        {
            _reply = r => r.Path.EndsWith("/gone", StringComparison.Ordinal)
                ? Reply.Json(404, @"{""error"": {""code"": 404, ""message"": ""Could not find group: gone."", ""title"": ""Not Found""}}")
                : new Reply { Status = 204, Body = string.Empty };
            IdentityApi api = await ApiAsync();
            Assert.True(await api.DeleteGroupAsync("c0d675eac29945ad9dfd08aa1bb75751", CancellationToken.None));
            Assert.False(await api.DeleteGroupAsync("gone", CancellationToken.None));
            Assert.Equal("DELETE /v3/groups/c0d675eac29945ad9dfd08aa1bb75751", _seen[0].Method + " " + _seen[0].Path);
        }
    }
}
