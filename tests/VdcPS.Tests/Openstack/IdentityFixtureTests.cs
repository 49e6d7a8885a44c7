using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Keystone v3 calls of IdentityApi and LimitsApi not covered elsewhere: projects and users found
    /// by name, read and deleted; application credentials deleted; global roles found by name, granted,
    /// checked and revoked; a user's application credentials and a project's role assignments listed;
    /// project limits deleted, registered limits, services and the enforcement model read. The requests sent
    /// (method, path with query) and the parsing of the keystone api-ref samples
    /// (api-ref/source/v3/samples/admin, Fixtures/api/identity/api-ref__*.json and the older
    /// project-*.json), plus what each call makes of 404.
    /// </summary>
    public class IdentityFixtureTests
    {
        private const string ProjectId = "0c4e939acacf4376bdcd1129f1a054ad";
        private const string UserId = "9fe1d3";
        private const string RoleId = "9fe2ff9ee4384b1894a90878d3e92bab";

        private const string NotFoundBody = "{\"error\":{\"code\":404,\"message\":\"Could not find project: x.\",\"title\":\"Not Found\"}}";

        /// <summary>A list sample cut down to the items Keystone's exact-name filter would return.</summary>
        private static string Only(string sample, string collection, string name)
        {
            JsonNode doc = JsonNode.Parse(ApiFixture.Sample("identity", sample))!;
            JsonArray items = doc[collection]!.AsArray();
            foreach (JsonNode? other in items.Where(i => i!["name"]!.GetValue<string>() != name).ToList())
            {
                items.Remove(other);
            }

            return doc.ToJsonString();
        }

        // ------------------------------------------------------------------ projects

        [Theory]
        [InlineData(204)]
        [InlineData(404)] // already revoked or expired: nothing left to do
        [InlineData(401)]
        public async Task Disconnecting_revokes_the_token_the_session_made(int status)
        {
            // keystone api-ref "Revoke token": DELETE /v3/auth/tokens with the token in X-Subject-Token, 204 No Content
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/v3/auth/tokens$", status, "");

            await cloud.Session.RevokeAsync(CancellationToken.None);

            SeenRequest revoke = cloud.Single("DELETE");
            Assert.Equal("/v3/auth/tokens", revoke.Path);
            Assert.Equal("fixture-token", revoke.Headers["X-Subject-Token"]);
        }

        [Fact]
        public async Task A_refused_revocation_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/v3/auth/tokens$", 403, "{\"error\": {\"code\": 403, \"message\": \"You are not authorized to perform the requested action: identity:revoke_token.\", \"title\": \"Forbidden\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => cloud.Session.RevokeAsync(CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }

        [Fact]
        public async Task A_project_is_found_by_name_in_its_domain()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/v3/projects", 200, Only("projects-list-response.json", "projects", "admin"));

            ProjectDto? found = await new IdentityApi(cloud.Session).FindProjectAsync("admin", "default", CancellationToken.None);

            Assert.Equal("/v3/projects?name=admin&domain_id=default", cloud.Single("GET").Path);
            Assert.NotNull(found);
            Assert.Equal("admin", found!.Name);
            Assert.Equal("default", found.DomainId);
            Assert.False(string.IsNullOrEmpty(found.Id));
        }

        [Fact]
        public async Task A_project_name_is_escaped_and_no_match_is_null()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/v3/projects", 200, "{\"links\":{\"next\":null,\"previous\":null,\"self\":\"http://example.com/identity/v3/projects\"},\"projects\":[]}");

            ProjectDto? found = await new IdentityApi(cloud.Session).FindProjectAsync("acme & co/eu", "d 1", CancellationToken.None);

            Assert.Null(found);
            Assert.Equal("/v3/projects?name=acme%20%26%20co%2Feu&domain_id=d%201", cloud.Single("GET").Path);
        }

        [Fact]
        public async Task A_name_lookup_takes_the_item_with_that_name_never_just_the_first()
        {
            // A backend or proxy that ignores ?name= answers with every project / user.
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/v3/projects\?name=acme&", 200, "{\"projects\":[{\"id\":\"p-1\",\"name\":\"other\",\"domain_id\":\"default\"},{\"id\":\"p-2\",\"name\":\"Acme\",\"domain_id\":\"default\"},{\"id\":\"p-3\",\"name\":\"acme\",\"domain_id\":\"default\"}]}");
            cloud.On("GET", @"^/v3/projects\?name=ACME&", 200, "{\"projects\":[{\"id\":\"p-1\",\"name\":\"other\",\"domain_id\":\"default\"},{\"id\":\"p-2\",\"name\":\"Acme\",\"domain_id\":\"default\"}]}");
            cloud.On("GET", @"^/v3/projects\?name=zzz&", 200, "{\"projects\":[{\"id\":\"p-1\",\"name\":\"other\",\"domain_id\":\"default\"}]}");
            cloud.On("GET", @"^/v3/users\?name=bob&", 200, "{\"users\":[{\"id\":\"u-1\",\"name\":\"alice\",\"domain_id\":\"default\",\"enabled\":true},{\"id\":\"u-2\",\"name\":\"bob\",\"domain_id\":\"default\",\"enabled\":true}]}");
            cloud.On("GET", @"^/v3/users\?name=carol&", 200, "{\"users\":[{\"id\":\"u-1\",\"name\":\"alice\",\"domain_id\":\"default\",\"enabled\":true}]}");
            var api = new IdentityApi(cloud.Session);

            Assert.Equal("p-3", (await api.FindProjectAsync("acme", "default", CancellationToken.None))?.Id);  // the exact name wins
            Assert.Equal("p-2", (await api.FindProjectAsync("ACME", "default", CancellationToken.None))?.Id);  // only case differs: the same name to a case-insensitive Keystone
            Assert.Null(await api.FindProjectAsync("zzz", "default", CancellationToken.None));
            Assert.Equal("u-2", (await api.FindUserAsync("bob", "default", CancellationToken.None))?.Id);
            Assert.Null(await api.FindUserAsync("carol", "default", CancellationToken.None));
        }

        [Fact]
        public async Task A_project_is_read_by_id_and_a_missing_one_is_null()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/v3/projects/" + ProjectId + "$", 200, ApiFixture.Sample("identity", "project-show-response.json"));
            cloud.On("GET", "^/v3/projects/gone$", 404, NotFoundBody);
            var api = new IdentityApi(cloud.Session);

            ProjectDto? project = await api.GetProjectAsync(ProjectId, CancellationToken.None);
            ProjectDto? gone = await api.GetProjectAsync("gone", CancellationToken.None);

            Assert.NotNull(project);
            Assert.Equal(ProjectId, project!.Id);
            Assert.Equal("admin", project.Name);
            Assert.Equal("default", project.DomainId);
            Assert.Equal(string.Empty, project.Description); // the sample's "description": null
            Assert.True(project.Enabled);
            Assert.Empty(project.Extra); // is_domain, parent_id, links, options are Keystone's own
            Assert.Null(gone);
            Assert.Equal(new[] { "/v3/projects/" + ProjectId, "/v3/projects/gone" }, cloud.Seen.Select(r => r.Path));
        }

        [Fact]
        public async Task Deleting_a_project_is_true_and_a_project_already_gone_is_false()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/v3/projects/" + ProjectId + "$", 204, "");
            cloud.On("DELETE", "^/v3/projects/gone$", 404, NotFoundBody);
            var api = new IdentityApi(cloud.Session);

            Assert.True(await api.DeleteProjectAsync(ProjectId, CancellationToken.None));
            Assert.False(await api.DeleteProjectAsync("gone", CancellationToken.None));

            Assert.Equal(new[] { "DELETE /v3/projects/" + ProjectId, "DELETE /v3/projects/gone" }, cloud.Seen.Select(r => r.Method + " " + r.Path));
            Assert.All(cloud.Seen, r => Assert.Equal(string.Empty, r.Body));
        }

        [Fact]
        public async Task A_refused_delete_is_an_error_not_already_gone()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/v3/projects/", 403, "{\"error\":{\"code\":403,\"message\":\"You are not authorized to perform the requested action: identity:delete_project.\",\"title\":\"Forbidden\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new IdentityApi(cloud.Session).DeleteProjectAsync(ProjectId, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }

        // ------------------------------------------------------------------ users

        [Fact]
        public async Task A_user_is_found_by_name_in_its_domain_or_null()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/v3/users\?name=demo&", 200, Only("api-ref__users-list-response.json", "users", "demo"));
            cloud.On("GET", @"^/v3/users\?name=nobody&", 200, Only("api-ref__users-list-response.json", "users", "nobody"));
            var api = new IdentityApi(cloud.Session);

            UserDto? demo = await api.FindUserAsync("demo", "default", CancellationToken.None);
            UserDto? nobody = await api.FindUserAsync("nobody", "default", CancellationToken.None);

            Assert.Equal(new[] { "/v3/users?name=demo&domain_id=default", "/v3/users?name=nobody&domain_id=default" }, cloud.Seen.Select(r => r.Path));
            Assert.NotNull(demo);
            Assert.Equal("7596e862b1af473c8ed6ae99d35b51e3", demo!.Id);
            Assert.Equal("default", demo.DomainId);
            Assert.True(demo.Enabled);
            Assert.Null(demo.Email);
            Assert.Null(nobody);
        }

        [Fact]
        public async Task A_user_is_read_by_id_and_a_missing_one_is_null()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/v3/users/" + UserId + "$", 200, ApiFixture.Sample("identity", "api-ref__user-show-response.json"));
            cloud.On("GET", "^/v3/users/gone$", 404, NotFoundBody);
            var api = new IdentityApi(cloud.Session);

            UserDto? user = await api.GetUserAsync(UserId, CancellationToken.None);
            UserDto? gone = await api.GetUserAsync("gone", CancellationToken.None);

            Assert.NotNull(user);
            Assert.Equal(UserId, user!.Id);
            Assert.Equal("jsmith", user.Name);
            Assert.Equal("1789d1", user.DomainId);
            Assert.Equal("263fd9", user.DefaultProjectId);
            Assert.True(user.Enabled);
            Assert.Null(gone);
            Assert.Equal(new[] { "/v3/users/" + UserId, "/v3/users/gone" }, cloud.Seen.Select(r => r.Path));
        }

        [Fact]
        public async Task Deleting_a_user_is_true_and_a_user_already_gone_is_false()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/v3/users/" + UserId + "$", 204, "");
            cloud.On("DELETE", "^/v3/users/gone$", 404, NotFoundBody);
            var api = new IdentityApi(cloud.Session);

            Assert.True(await api.DeleteUserAsync(UserId, CancellationToken.None));
            Assert.False(await api.DeleteUserAsync("gone", CancellationToken.None));

            Assert.Equal(new[] { "DELETE /v3/users/" + UserId, "DELETE /v3/users/gone" }, cloud.Seen.Select(r => r.Method + " " + r.Path));
        }

        [Fact]
        public async Task An_application_credential_is_deleted_under_its_user_and_one_already_gone_is_no_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("DELETE", "^/v3/users/" + UserId + "/application_credentials/58d61ff8e6e34accb35874016d1dba8b$", 204, "");
            cloud.On("DELETE", "^/v3/users/" + UserId + "/application_credentials/gone$", 404, NotFoundBody);
            var api = new IdentityApi(cloud.Session);

            await api.DeleteApplicationCredentialAsync(UserId, "58d61ff8e6e34accb35874016d1dba8b", CancellationToken.None);
            await api.DeleteApplicationCredentialAsync(UserId, "gone", CancellationToken.None);

            Assert.Equal(
                new[] { "DELETE /v3/users/9fe1d3/application_credentials/58d61ff8e6e34accb35874016d1dba8b", "DELETE /v3/users/9fe1d3/application_credentials/gone" },
                cloud.Seen.Select(r => r.Method + " " + r.Path));
        }

        // ------------------------------------------------------------------ roles

        [Fact]
        public async Task A_global_role_is_found_by_name_once_per_connection()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/v3/roles\?name=_member_$", 200, Only("api-ref__roles-list-response.json", "roles", "_member_"));
            var api = new IdentityApi(cloud.Session);

            string? first = await api.FindRoleIdAsync("_member_", CancellationToken.None);
            string? again = await new IdentityApi(cloud.Session).FindRoleIdAsync("_member_", CancellationToken.None);

            Assert.Equal(RoleId, first);
            Assert.Equal(RoleId, again);
            Assert.Equal("/v3/roles?name=_member_", cloud.Single("GET").Path); // the second answer came from the cache
        }

        [Fact]
        public async Task A_domain_role_of_the_same_name_is_passed_over_and_no_role_is_null()
        {
            // api-ref role-show-response (a domain-specific role "Developer") listed before a global "Developer"
            JsonNode domainRole = JsonNode.Parse(ApiFixture.Sample("identity", "api-ref__role-show-response.json"))!["role"]!;
            var global = new JsonObject { ["id"] = "a1b2c3", ["name"] = "Developer", ["domain_id"] = null, ["links"] = new JsonObject { ["self"] = "http://example.com/identity/v3/roles/a1b2c3" } };
            string both = new JsonObject { ["roles"] = new JsonArray(JsonNode.Parse(domainRole.ToJsonString()), global) }.ToJsonString();
            string onlyDomain = new JsonObject { ["roles"] = new JsonArray(JsonNode.Parse(domainRole.ToJsonString())) }.ToJsonString();
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/v3/roles\?name=Developer$", 200, both);
            cloud.On("GET", @"^/v3/roles\?name=rating$", 200, "{\"roles\":[]}");
            cloud.On("GET", @"^/v3/roles\?name=domain-only$", 200, onlyDomain);
            var api = new IdentityApi(cloud.Session);

            Assert.Equal("a1b2c3", await api.FindRoleIdAsync("Developer", CancellationToken.None));
            Assert.Null(await api.FindRoleIdAsync("rating", CancellationToken.None));
            Assert.Null(await api.FindRoleIdAsync("domain-only", CancellationToken.None));
            // a miss is not cached: the role may be created later in the same connection
            Assert.Null(await api.FindRoleIdAsync("rating", CancellationToken.None));
            Assert.Equal(2, cloud.Seen.Count(r => r.Path == "/v3/roles?name=rating"));
        }

        [Fact]
        public async Task A_project_role_is_granted_checked_and_revoked_on_the_assignment_path()
        {
            const string Path = "/v3/projects/" + ProjectId + "/users/" + UserId + "/roles/" + RoleId;
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("PUT", "^" + Path + "$", 204, "");
            cloud.On("HEAD", "^" + Path + "$", 204, "");
            cloud.On("DELETE", "^" + Path + "$", 204, "");
            var api = new IdentityApi(cloud.Session);

            await api.GrantProjectRoleAsync(ProjectId, UserId, RoleId, CancellationToken.None);
            bool has = await api.HasProjectRoleAsync(ProjectId, UserId, RoleId, CancellationToken.None);
            bool revoked = await api.RevokeProjectRoleAsync(ProjectId, UserId, RoleId, CancellationToken.None);

            Assert.True(has);
            Assert.True(revoked);
            Assert.Equal(new[] { "PUT " + Path, "HEAD " + Path, "DELETE " + Path }, cloud.Seen.Select(r => r.Method + " " + r.Path));
            Assert.Equal(string.Empty, cloud.Single("PUT").Body); // Keystone's grant takes no body
        }

        [Fact]
        public async Task A_missing_assignment_is_false_for_the_check_and_the_revoke()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("HEAD", "/roles/", 404, "");
            cloud.On("DELETE", "/roles/", 404, "{\"error\":{\"code\":404,\"message\":\"Could not find role assignment.\",\"title\":\"Not Found\"}}");
            var api = new IdentityApi(cloud.Session);

            Assert.False(await api.HasProjectRoleAsync(ProjectId, UserId, RoleId, CancellationToken.None));
            Assert.False(await api.RevokeProjectRoleAsync(ProjectId, UserId, RoleId, CancellationToken.None));
        }

        [Fact]
        public async Task A_grant_Keystone_refuses_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("PUT", "/roles/", 404, "{\"error\":{\"code\":404,\"message\":\"Could not find role: " + RoleId + ".\",\"title\":\"Not Found\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new IdentityApi(cloud.Session).GrantProjectRoleAsync(ProjectId, UserId, RoleId, CancellationToken.None));
            Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        }

        // ------------------------------------------------------------------ application credentials

        [Fact]
        public async Task A_users_application_credentials_are_listed_and_a_user_already_gone_has_none()
        {
            // keystone api-ref application-credential-list-response.json (Fixtures/api/identity/api-ref__application-credential-list-response.json)
            const string Owner = "fd786d56402c4d1691372e7dee0d00b5";
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/v3/users/" + Owner + "/application_credentials$", 200, ApiFixture.Sample("identity", "api-ref__application-credential-list-response.json"));
            cloud.On("GET", "^/v3/users/gone/application_credentials$", 404, "{\"error\":{\"code\":404,\"message\":\"Could not find user: gone.\",\"title\":\"Not Found\"}}");
            var api = new IdentityApi(cloud.Session);

            IReadOnlyList<ProjectResource> credentials = await api.ListApplicationCredentialsAsync(Owner, CancellationToken.None);
            IReadOnlyList<ProjectResource> none = await api.ListApplicationCredentialsAsync("gone", CancellationToken.None);

            Assert.Equal(
                new[]
                {
                    "ApplicationCredential 308a7e905eee4071aac5971744c061f6 backups " + Owner,
                    "ApplicationCredential 58d61ff8e6e34accb35874016d1dba8b monitoring " + Owner,
                },
                credentials.Select(c => $"{c.Kind} {c.Id} {c.Name} {c.ParentId}"));
            Assert.All(credentials, c => Assert.Equal(string.Empty, c.Status));
            Assert.Empty(none);
            Assert.Equal(
                new[] { "GET /v3/users/" + Owner + "/application_credentials", "GET /v3/users/gone/application_credentials" },
                cloud.Seen.Select(r => r.Method + " " + r.Path));
        }

        [Fact]
        public async Task Listing_application_credentials_Keystone_refuses_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "/application_credentials$", 403, "{\"error\":{\"code\":403,\"message\":\"You are not authorized to perform the requested action: identity:list_application_credentials.\",\"title\":\"Forbidden\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new IdentityApi(cloud.Session).ListApplicationCredentialsAsync(UserId, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
            Assert.Equal("/v3/users/" + UserId + "/application_credentials", cloud.Single("GET").Path);
        }

        // ------------------------------------------------------------------ role assignments

        [Fact]
        public async Task A_projects_role_assignments_are_listed_for_users_and_groups()
        {
            // keystone api-ref role-assignments-list-response.json (Fixtures/api/identity/api-ref__role-assignments-list-response.json):
            // a user assignment of role 123456 on domain 161718 and a group assignment on project 456789. Keystone's
            // scope.project.id filter would not return the first; the client also reads "scope" itself and keeps only
            // what is scoped to the project, so a filter ignored on the way cannot bring in another scope.
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/v3/role_assignments\?scope\.project\.id=456789$", 200, ApiFixture.Sample("identity", "api-ref__role-assignments-list-response.json"));

            IReadOnlyList<RoleAssignmentDto> assignments = await new IdentityApi(cloud.Session).ListProjectRoleAssignmentsAsync("456789", CancellationToken.None);

            Assert.Equal("/v3/role_assignments?scope.project.id=456789", cloud.Single("GET").Path);
            Assert.Equal(
                new[] { "role 123456 user - group 101112" },
                assignments.Select(a => $"role {a.RoleId} user {a.UserId ?? "-"} group {a.GroupId ?? "-"}"));
        }

        [Fact]
        public async Task Role_assignments_of_a_project_without_any_are_empty_and_a_refusal_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", @"^/v3/role_assignments\?scope\.project\.id=p%261$", 200, "{\"role_assignments\":[],\"links\":{\"self\":\"http://example.com/identity/v3/role_assignments\",\"previous\":null,\"next\":null}}");
            cloud.On("GET", @"^/v3/role_assignments\?scope\.project\.id=secret$", 403, "{\"error\":{\"code\":403,\"message\":\"You are not authorized to perform the requested action: identity:list_role_assignments.\",\"title\":\"Forbidden\"}}");
            var api = new IdentityApi(cloud.Session);

            Assert.Empty(await api.ListProjectRoleAssignmentsAsync("p&1", CancellationToken.None));
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => api.ListProjectRoleAssignmentsAsync("secret", CancellationToken.None));

            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
            Assert.Equal(new[] { "/v3/role_assignments?scope.project.id=p%261", "/v3/role_assignments?scope.project.id=secret" }, cloud.Seen.Select(r => r.Path));
        }

        // ------------------------------------------------------------------ unified limits

        [Fact]
        public async Task The_limit_model_is_read_and_a_Keystone_without_unified_limits_is_null()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync(system: true);
            cloud.On("GET", "^/v3/limits/model$", 200, ApiFixture.Sample("identity", "api-ref__limit-flat-model-response.json"));

            Assert.Equal("flat", await new LimitsApi(cloud.Session).GetModelAsync(CancellationToken.None));
            Assert.Equal("/v3/limits/model", cloud.Single("GET").Path);

            using ApiFixture pike = await ApiFixture.StartAsync(system: true); // before Queens: no route, 404
            Assert.Null(await new LimitsApi(pike.Session).GetModelAsync(CancellationToken.None));
            Assert.Equal("/v3/limits/model", pike.Single("GET").Path);
        }

        [Fact]
        public async Task Deleting_a_project_limit_is_true_and_one_already_gone_is_false()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync(system: true);
            cloud.On("DELETE", "^/v3/limits/3229b3849f584faea483d6851f7aab05$", 204, "");
            cloud.On("DELETE", "^/v3/limits/gone$", 404, "{\"error\":{\"code\":404,\"message\":\"Could not find limit for gone.\",\"title\":\"Not Found\"}}");
            var api = new LimitsApi(cloud.Session);

            Assert.True(await api.DeleteLimitAsync("3229b3849f584faea483d6851f7aab05", CancellationToken.None));
            Assert.False(await api.DeleteLimitAsync("gone", CancellationToken.None));

            Assert.Equal(new[] { "DELETE /v3/limits/3229b3849f584faea483d6851f7aab05", "DELETE /v3/limits/gone" }, cloud.Seen.Select(r => r.Method + " " + r.Path));
        }

        [Fact]
        public async Task Registered_limits_are_listed_for_a_service_or_all_and_a_Keystone_without_them_has_none()
        {
            // keystone api-ref registered-limits-list-response.json (Fixtures/api/identity), both limits of service 9408080f...
            const string Cinder = "9408080f1970482aa0e38bc2d4ea34b7";
            using ApiFixture cloud = await ApiFixture.StartAsync(system: true);
            cloud.On("GET", "^/v3/registered_limits", 200, ApiFixture.Sample("identity", "registered-limits-list-response.json"));
            var api = new LimitsApi(cloud.Session);

            IReadOnlyList<RegisteredLimitDto> ofCinder = await api.ListRegisteredLimitsAsync(Cinder, CancellationToken.None);
            IReadOnlyList<RegisteredLimitDto> all = await api.ListRegisteredLimitsAsync(null, CancellationToken.None);

            Assert.Equal(new[] { "/v3/registered_limits?service_id=" + Cinder, "/v3/registered_limits" }, cloud.Seen.Select(r => r.Path));
            Assert.Equal(
                new[]
                {
                    "195acb8a093e43e9afb23d6628361e7c " + Cinder + " (all regions) snapshot=10",
                    "ea7f74f15cba4c6db1406fe52532f98d " + Cinder + " RegionOne volume=5",
                },
                ofCinder.Select(l => $"{l.Id} {l.ServiceId} {l.RegionId ?? "(all regions)"} {l.ResourceName}={l.DefaultLimit}"));
            Assert.Equal(2, all.Count);

            using ApiFixture pike = await ApiFixture.StartAsync(system: true); // before Queens: no unified limits, 404
            Assert.Empty(await new LimitsApi(pike.Session).ListRegisteredLimitsAsync(Cinder, CancellationToken.None));
            Assert.Equal("/v3/registered_limits?service_id=" + Cinder, pike.Single("GET").Path);
        }

        [Fact]
        public async Task Registered_limits_Keystone_refuses_are_an_error_not_none()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/v3/registered_limits", 403, "{\"error\":{\"code\":403,\"message\":\"You are not authorized to perform the requested action: identity:list_registered_limits.\",\"title\":\"Forbidden\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new LimitsApi(cloud.Session).ListRegisteredLimitsAsync(null, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }

        [Fact]
        public async Task Services_are_listed_by_type_or_all_with_their_enabled_flag()
        {
            // keystone api-ref services-list-response.json (Fixtures/api/identity/api-ref__services-list-response.json);
            // for ?type=volume Keystone answers only the services of that type. One service is
            // disabled and one has no "enabled" key, as Keystone shows a service created without it.
            JsonNode all = JsonNode.Parse(ApiFixture.Sample("identity", "api-ref__services-list-response.json"))!;
            all["services"]![1]!["enabled"] = false;
            all["services"]![2]!.AsObject().Remove("enabled");
            JsonNode volume = JsonNode.Parse(all.ToJsonString())!;
            JsonArray items = volume["services"]!.AsArray();
            foreach (JsonNode? other in items.Where(i => i!["type"]!.GetValue<string>() != "volume").ToList())
            {
                items.Remove(other);
            }

            using ApiFixture cloud = await ApiFixture.StartAsync(system: true);
            cloud.On("GET", @"^/v3/services\?type=volume$", 200, volume.ToJsonString());
            cloud.On("GET", "^/v3/services$", 200, all.ToJsonString());
            var api = new LimitsApi(cloud.Session);

            IReadOnlyList<ServiceDto> cinder = await api.ListServicesAsync("volume", CancellationToken.None);
            IReadOnlyList<ServiceDto> every = await api.ListServicesAsync(null, CancellationToken.None);

            Assert.Equal(new[] { "/v3/services?type=volume", "/v3/services" }, cloud.Seen.Select(r => r.Path));
            ServiceDto only = Assert.Single(cinder);
            Assert.Equal(("cdda3bea0742407f95e70f4758f46558", "volume", "cinder", true), (only.Id, only.Type, only.Name, only.Enabled));
            Assert.Equal(9, every.Count);
            Assert.Equal(("1999c3a858c7408fb586817620695098", "compute", "nova", true), (every[0].Id, every[0].Type, every[0].Name, every[0].Enabled));
            Assert.Equal(("volumev2", false), (every[1].Type, every[1].Enabled));
            Assert.Equal(("network", true), (every[2].Type, every[2].Enabled)); // no "enabled": enabled
        }

        [Fact]
        public async Task A_service_type_is_escaped_and_a_refusal_is_an_error()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("GET", "^/v3/services", 403, "{\"error\":{\"code\":403,\"message\":\"You are not authorized to perform the requested action: identity:list_services.\",\"title\":\"Forbidden\"}}");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => new LimitsApi(cloud.Session).ListServicesAsync("volume&type=compute", CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
            Assert.Equal("/v3/services?type=volume%26type%3Dcompute", cloud.Single("GET").Path);
        }
    }
}
