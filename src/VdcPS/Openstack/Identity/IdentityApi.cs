using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;

namespace VdcPS.Openstack.Identity
{
    internal sealed class ProjectDto
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string DomainId { get; set; } = string.Empty;
        public string Description { get; set; } = string.Empty;
        public bool Enabled { get; set; }

        /// <summary>The project's extra properties (everything Keystone does not define itself).</summary>
        public JsonObject Extra { get; set; } = new JsonObject();

        internal static readonly HashSet<string> Standard = new HashSet<string>
        {
            "id", "name", "domain_id", "description", "enabled", "parent_id", "is_domain", "links", "tags", "options",
        };

        internal static ProjectDto From(JsonNode node)
        {
            var dto = new ProjectDto
            {
                Id = node["id"]?.GetValue<string>() ?? string.Empty,
                Name = node["name"]?.GetValue<string>() ?? string.Empty,
                DomainId = node["domain_id"]?.GetValue<string>() ?? string.Empty,
                Description = node["description"]?.GetValue<string>() ?? string.Empty,
                Enabled = node["enabled"]?.GetValue<bool>() ?? true,
            };
            foreach (KeyValuePair<string, JsonNode?> property in node.AsObject())
            {
                if (!Standard.Contains(property.Key))
                {
                    dto.Extra[property.Key] = property.Value == null ? null : JsonNode.Parse(property.Value.ToJsonString());
                }
            }

            return dto;
        }

        public string? ExtraString(string key)
            => Extra[key] is JsonValue value && value.TryGetValue(out string? s) ? s : null;
    }

    internal sealed class UserDto
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string DomainId { get; set; } = string.Empty;
        public string? Email { get; set; }
        public string? DefaultProjectId { get; set; }
        public bool Enabled { get; set; }
        public string? Description { get; set; }

        internal static UserDto From(JsonNode node) => new UserDto
        {
            Id = node["id"]?.GetValue<string>() ?? string.Empty,
            Name = node["name"]?.GetValue<string>() ?? string.Empty,
            DomainId = node["domain_id"]?.GetValue<string>() ?? string.Empty,
            Email = node["email"]?.GetValue<string>(),
            DefaultProjectId = node["default_project_id"]?.GetValue<string>(),
            Enabled = node["enabled"]?.GetValue<bool>() ?? true,
            Description = node["description"]?.GetValue<string>(),
        };
    }

    /// <summary>A Keystone group (VdcPS uses one, named per tenant, as the tenant's change lease).</summary>
    internal sealed class GroupDto
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string DomainId { get; set; } = string.Empty;
        public string Description { get; set; } = string.Empty;

        internal static GroupDto From(JsonNode node) => new GroupDto
        {
            Id = node["id"]?.GetValue<string>() ?? string.Empty,
            Name = node["name"]?.GetValue<string>() ?? string.Empty,
            DomainId = node["domain_id"]?.GetValue<string>() ?? string.Empty,
            Description = node["description"]?.GetValue<string>() ?? string.Empty,
        };
    }

    internal sealed class RoleAssignmentDto
    {
        public string RoleId { get; set; } = string.Empty;
        public string? UserId { get; set; }
        public string? GroupId { get; set; }
    }

    /// <summary>Keystone v3: projects, users, roles and role assignments.</summary>
    internal sealed class IdentityApi : ServiceApi
    {
        private static readonly ConditionalCache RoleIds = new ConditionalCache();

        public IdentityApi(KeystoneSession session)
            : base(session, "identity")
        {
        }

        protected override Uri Root => Session.IdentityUrl;

        // ---------------------------------------------------------------- projects
        public async Task<ProjectDto?> FindProjectAsync(string name, string domainId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"projects?name={Escape(name)}&domain_id={Escape(domainId)}", ct).ConfigureAwait(false);
            JsonNode? first = (doc["projects"] as JsonArray)?.FirstOrDefault();
            return first == null ? null : ProjectDto.From(first);
        }

        public async Task<ProjectDto?> GetProjectAsync(string id, CancellationToken ct)
        {
            JsonNode? doc = await GetJsonOrNullAsync($"projects/{Escape(id)}", ct).ConfigureAwait(false);
            return doc?["project"] is JsonNode p ? ProjectDto.From(p) : null;
        }

        /// <summary>Projects, filtered server-side (Keystone has no paging here: it returns all).</summary>
        public async Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(string? domainId, bool? enabled, string? nameStartsWith, CancellationToken ct)
        {
            var query = new List<string>();
            if (domainId != null)
            {
                query.Add("domain_id=" + Escape(domainId));
            }

            if (enabled.HasValue)
            {
                query.Add("enabled=" + (enabled.Value ? "true" : "false"));
            }

            if (!string.IsNullOrEmpty(nameStartsWith))
            {
                query.Add("name__startswith=" + Escape(nameStartsWith!));
            }

            JsonNode doc = await GetJsonAsync("projects" + (query.Count == 0 ? string.Empty : "?" + string.Join("&", query)), ct).ConfigureAwait(false);
            return ((doc["projects"] as JsonArray) ?? new JsonArray()).Where(n => n != null).Select(n => ProjectDto.From(n!)).ToList();
        }

        public async Task<ProjectDto> CreateProjectAsync(JsonObject project, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "projects", new JsonObject { ["project"] = project }, ct).ConfigureAwait(false);
            return ProjectDto.From(Parse(response)["project"]!);
        }

        /// <summary>PATCH: only the given keys change (extra properties are merged key by key).</summary>
        public async Task<ProjectDto> UpdateProjectAsync(string id, JsonObject changes, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(new HttpMethod("PATCH"), $"projects/{Escape(id)}", new JsonObject { ["project"] = changes }, ct, idempotent: true).ConfigureAwait(false);
            return ProjectDto.From(Parse(response)["project"]!);
        }

        /// <summary>Deletes; true when it existed.</summary>
        public async Task<bool> DeleteProjectAsync(string id, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Delete, $"projects/{Escape(id)}", null, ct, NotFound).ConfigureAwait(false);
            return response.StatusCode != 404;
        }

        // ---------------------------------------------------------------- users
        public async Task<UserDto?> FindUserAsync(string name, string domainId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"users?name={Escape(name)}&domain_id={Escape(domainId)}", ct).ConfigureAwait(false);
            JsonNode? first = (doc["users"] as JsonArray)?.FirstOrDefault();
            return first == null ? null : UserDto.From(first);
        }

        public async Task<UserDto?> GetUserAsync(string id, CancellationToken ct)
        {
            JsonNode? doc = await GetJsonOrNullAsync($"users/{Escape(id)}", ct).ConfigureAwait(false);
            return doc?["user"] is JsonNode u ? UserDto.From(u) : null;
        }

        /// <summary>Creates a user. The body holds the password: it is never logged (the HTTP layer logs no bodies).</summary>
        public async Task<UserDto> CreateUserAsync(JsonObject user, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "users", new JsonObject { ["user"] = user }, ct).ConfigureAwait(false);
            return UserDto.From(Parse(response)["user"]!);
        }

        public async Task<UserDto> UpdateUserAsync(string id, JsonObject changes, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(new HttpMethod("PATCH"), $"users/{Escape(id)}", new JsonObject { ["user"] = changes }, ct, idempotent: true).ConfigureAwait(false);
            return UserDto.From(Parse(response)["user"]!);
        }

        public async Task<bool> DeleteUserAsync(string id, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Delete, $"users/{Escape(id)}", null, ct, NotFound).ConfigureAwait(false);
            return response.StatusCode != 404;
        }

        // ---------------------------------------------------------------- groups
        /// <summary>
        /// Creates a group. Keystone keeps group names unique per domain and answers 409 to a second
        /// create of the same name: that is what makes a group usable as a lock every machine sees.
        /// </summary>
        public async Task<GroupDto> CreateGroupAsync(string name, string domainId, string description, CancellationToken ct)
        {
            var body = new JsonObject { ["group"] = new JsonObject { ["name"] = name, ["domain_id"] = domainId, ["description"] = description } };
            ApiResponse response = await SendAsync(HttpMethod.Post, "groups", body, ct).ConfigureAwait(false);
            return GroupDto.From(Parse(response)["group"]!);
        }

        public async Task<GroupDto?> FindGroupAsync(string name, string domainId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"groups?name={Escape(name)}&domain_id={Escape(domainId)}", ct).ConfigureAwait(false);
            JsonNode? first = (doc["groups"] as JsonArray)?.FirstOrDefault(g => g?["name"]?.GetValue<string>() == name);
            return first == null ? null : GroupDto.From(first);
        }

        /// <summary>Deletes; true when it existed.</summary>
        public async Task<bool> DeleteGroupAsync(string id, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Delete, $"groups/{Escape(id)}", null, ct, NotFound).ConfigureAwait(false);
            return response.StatusCode != 404;
        }
        /// <summary>The application credentials of a user (deleted before the user: sqlite Keystones do not cascade).</summary>
        public async Task<IReadOnlyList<ProjectResource>> ListApplicationCredentialsAsync(string userId, CancellationToken ct)
        {
            JsonNode? doc = await GetJsonOrNullAsync($"users/{Escape(userId)}/application_credentials", ct).ConfigureAwait(false);
            return ((doc?["application_credentials"] as JsonArray) ?? new JsonArray()).Where(c => c != null)
                .Select(c => new ProjectResource(ProjectResourceKind.ApplicationCredential, c!["id"]?.GetValue<string>() ?? string.Empty,
                    c["name"]?.GetValue<string>() ?? string.Empty, parentId: userId))
                .ToList();
        }

        public Task DeleteApplicationCredentialAsync(string userId, string id, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"users/{Escape(userId)}/application_credentials/{Escape(id)}", null, ct, NotFound);

        // ---------------------------------------------------------------- roles
        /// <summary>The id of a global role by name (cached per connection); null when no such role.</summary>
        public async Task<string?> FindRoleIdAsync(string name, CancellationToken ct)
        {
            string key = Session.IdentityUrl.AbsoluteUri + "|" + name;
            if (RoleIds.TryGet(Session, key, out string? cached))
            {
                return cached;
            }

            JsonNode doc = await GetJsonAsync($"roles?name={Escape(name)}", ct).ConfigureAwait(false);
            string? id = (doc["roles"] as JsonArray)?.FirstOrDefault(r => r?["domain_id"] == null)?["id"]?.GetValue<string>();
            if (id != null)
            {
                RoleIds.Set(Session, key, id);
            }

            return id;
        }

        public Task GrantProjectRoleAsync(string projectId, string userId, string roleId, CancellationToken ct)
            => SendAsync(HttpMethod.Put, $"projects/{Escape(projectId)}/users/{Escape(userId)}/roles/{Escape(roleId)}", null, ct);

        public async Task<bool> RevokeProjectRoleAsync(string projectId, string userId, string roleId, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Delete, $"projects/{Escape(projectId)}/users/{Escape(userId)}/roles/{Escape(roleId)}", null, ct, NotFound).ConfigureAwait(false);
            return response.StatusCode != 404;
        }

        public async Task<bool> HasProjectRoleAsync(string projectId, string userId, string roleId, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Head, $"projects/{Escape(projectId)}/users/{Escape(userId)}/roles/{Escape(roleId)}", null, ct, NotFound).ConfigureAwait(false);
            return response.StatusCode != 404;
        }

        public async Task<IReadOnlyList<RoleAssignmentDto>> ListProjectRoleAssignmentsAsync(string projectId, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync($"role_assignments?scope.project.id={Escape(projectId)}", ct).ConfigureAwait(false);
            return ((doc["role_assignments"] as JsonArray) ?? new JsonArray()).Where(a => a != null).Select(a => new RoleAssignmentDto
            {
                RoleId = a!["role"]?["id"]?.GetValue<string>() ?? string.Empty,
                UserId = a["user"]?["id"]?.GetValue<string>(),
                GroupId = a["group"]?["id"]?.GetValue<string>(),
            }).ToList();
        }

        /// <summary>Per-connection cache of role ids (they never change while connected).</summary>
        private sealed class ConditionalCache
        {
            private readonly System.Runtime.CompilerServices.ConditionalWeakTable<KeystoneSession, ConcurrentDictionary<string, string>> _table =
                new System.Runtime.CompilerServices.ConditionalWeakTable<KeystoneSession, ConcurrentDictionary<string, string>>();

            public bool TryGet(KeystoneSession session, string key, out string? value)
            {
                value = null;
                return _table.TryGetValue(session, out ConcurrentDictionary<string, string>? map) && map.TryGetValue(key, out value);
            }

            public void Set(KeystoneSession session, string key, string value)
                => _table.GetValue(session, _ => new ConcurrentDictionary<string, string>())[key] = value;
        }
    }
}
