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

        /// <summary>True when the project has the extra property (with any value, even JSON null is absent).</summary>
        public bool HasExtra(string key) => Extra[key] != null;

        /// <summary>The property's value as text for a message: a string as is, anything else as JSON; at most 40 characters.</summary>
        public string ExtraExcerpt(string key) => ExtraItem.Shorten(Extra[key]);

        /// <summary>
        /// The property's value exactly as read (an opaque copy), to be written back unchanged through
        /// <see cref="ProjectUpdateOptions.Extra"/> (an undo); null when the project does not have it.
        /// </summary>
        public ExtraAsIs? ExtraAsIs(string key) => Extra[key] == null ? null : new ExtraAsIs(Extra[key]!);

        /// <summary>
        /// Reads an extra property that holds a JSON array. <c>openstack project set --property</c> can
        /// only write text, so a value restored by hand arrives as the array's JSON text: both are read.
        /// </summary>
        public ExtraArrayState TryExtraArray(string key, out IReadOnlyList<ExtraItem> items, out string? jsonError)
        {
            items = Array.Empty<ExtraItem>();
            jsonError = null;
            JsonNode? node = Extra[key];
            if (node == null)
            {
                return ExtraArrayState.Absent;
            }

            JsonArray? array = node as JsonArray;
            if (array == null && node is JsonValue value && value.TryGetValue(out string? text))
            {
                try
                {
                    array = JsonNode.Parse(text) as JsonArray;
                }
                catch (System.Text.Json.JsonException e)
                {
                    jsonError = e.Message.Split('.')[0];
                    return ExtraArrayState.InvalidJson;
                }
            }

            if (array == null)
            {
                return ExtraArrayState.NotArray;
            }

            items = array.Select(n => new ExtraItem(n)).ToList();
            return ExtraArrayState.Array;
        }
    }

    /// <summary>What <see cref="ProjectDto.TryExtraArray"/> found.</summary>
    internal enum ExtraArrayState
    {
        Absent,
        Array,
        NotArray,
        InvalidJson,
    }

    /// <summary>One item of an extra property that holds an array: a string, or an object of string fields.</summary>
    internal sealed class ExtraItem
    {
        private readonly JsonNode? _node;

        internal ExtraItem(JsonNode? node)
        {
            _node = node;
        }

        /// <summary>The item when it is a string; null otherwise.</summary>
        public string? Text => _node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

        public bool IsObject => _node is JsonObject;

        /// <summary>
        /// A field of an object item: true with null when the field is absent (or the item is no object),
        /// true with the text when it is a string, false when it holds something else.
        /// </summary>
        public bool TryGetField(string name, out string? value)
        {
            value = null;
            JsonNode? field = (_node as JsonObject)?[name];
            if (field == null)
            {
                return true;
            }

            return field is JsonValue v && v.TryGetValue(out value);
        }

        /// <summary>The item as JSON text, at most 40 characters (for messages).</summary>
        public string Json
        {
            get
            {
                string text = _node?.ToJsonString() ?? "null";
                return text.Length <= 40 ? text : text.Substring(0, 37) + "...";
            }
        }

        /// <summary>The item as text for a message: a string as is, anything else as JSON; at most 40 characters.</summary>
        public override string ToString() => Shorten(_node);

        internal static string Shorten(JsonNode? node)
        {
            string text = node == null ? "null" : node is JsonValue v && v.TryGetValue(out string? s) ? s! : node.ToJsonString();
            return text.Length <= 40 ? text : text.Substring(0, 37) + "...";
        }
    }

    /// <summary>An extra property's value as it was read, to be written back unchanged.</summary>
    internal sealed class ExtraAsIs
    {
        internal ExtraAsIs(JsonNode node)
        {
            Node = JsonNode.Parse(node.ToJsonString())!;
        }

        internal JsonNode Node { get; }
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
            JsonNode? found = Named(doc["projects"] as JsonArray, name);
            return found == null ? null : ProjectDto.From(found);
        }

        /// <summary>
        /// The item of a <c>?name=</c> list that really has the name: never just the first item, so a
        /// backend or proxy that ignores the filter cannot make VdcPS act on another project or user.
        /// The exact name wins; a name that differs only in case is taken when nothing matches exactly,
        /// because Keystone on a case-insensitive database (MySQL's default collation) equates the two
        /// and would refuse to create the other.
        /// </summary>
        private static JsonNode? Named(JsonArray? items, string name)
        {
            List<JsonNode> named = (items ?? new JsonArray()).Where(i => i != null).Select(i => i!).ToList();
            return named.FirstOrDefault(i => string.Equals(i["name"]?.GetValue<string>(), name, StringComparison.Ordinal))
                ?? named.FirstOrDefault(i => string.Equals(i["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase));
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

        public async Task<ProjectDto> CreateProjectAsync(ProjectCreateOptions options, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "projects", options.ToRequestBody(), ct).ConfigureAwait(false);
            return ProjectDto.From(Parse(response)["project"]!);
        }

        /// <summary>PATCH: only the given keys change (extra properties are merged key by key).</summary>
        public async Task<ProjectDto> UpdateProjectAsync(string id, ProjectUpdateOptions changes, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(new HttpMethod("PATCH"), $"projects/{Escape(id)}", changes.ToRequestBody(), ct, idempotent: true).ConfigureAwait(false);
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
            JsonNode? found = Named(doc["users"] as JsonArray, name);
            return found == null ? null : UserDto.From(found);
        }

        public async Task<UserDto?> GetUserAsync(string id, CancellationToken ct)
        {
            JsonNode? doc = await GetJsonOrNullAsync($"users/{Escape(id)}", ct).ConfigureAwait(false);
            return doc?["user"] is JsonNode u ? UserDto.From(u) : null;
        }

        /// <summary>Creates a user. The body holds the password: it is never logged (the HTTP layer logs no bodies).</summary>
        public async Task<UserDto> CreateUserAsync(UserCreateOptions options, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Post, "users", options.ToRequestBody(), ct).ConfigureAwait(false);
            return UserDto.From(Parse(response)["user"]!);
        }

        public async Task<UserDto> UpdateUserAsync(string id, UserUpdateOptions changes, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(new HttpMethod("PATCH"), $"users/{Escape(id)}", changes.ToRequestBody(), ct, idempotent: true).ConfigureAwait(false);
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
            // Only what is scoped to this project, whatever the filter did: a proxy or backend that ignores it
            // must not make termination revoke (or report) another scope's assignments.
            return ((doc["role_assignments"] as JsonArray) ?? new JsonArray())
                .Where(a => a != null && (a["scope"] == null || a["scope"]?["project"]?["id"]?.GetValue<string>() == projectId))
                .Select(a => new RoleAssignmentDto
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
