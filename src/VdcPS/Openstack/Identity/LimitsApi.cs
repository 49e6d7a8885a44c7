using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;

namespace VdcPS.Openstack.Identity
{
    /// <summary>A Keystone service (catalog entry), as /v3/services lists it.</summary>
    internal sealed class ServiceDto
    {
        public string Id { get; set; } = string.Empty;
        public string Type { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public bool Enabled { get; set; } = true;
    }

    /// <summary>A registered limit: the default of one resource of one service (in one region or all).</summary>
    internal sealed class RegisteredLimitDto
    {
        public string Id { get; set; } = string.Empty;
        public string ServiceId { get; set; } = string.Empty;
        public string? RegionId { get; set; }
        public string ResourceName { get; set; } = string.Empty;
        public long DefaultLimit { get; set; }

        internal static RegisteredLimitDto From(JsonNode n) => new RegisteredLimitDto
        {
            Id = n["id"]?.GetValue<string>() ?? string.Empty,
            ServiceId = n["service_id"]?.GetValue<string>() ?? string.Empty,
            RegionId = n["region_id"]?.GetValue<string>(),
            ResourceName = n["resource_name"]?.GetValue<string>() ?? string.Empty,
            DefaultLimit = ServiceApi.Long(n["default_limit"]),
        };
    }

    /// <summary>A project limit: overrides the registered limit of one resource for one project.</summary>
    internal sealed class ProjectLimitDto
    {
        public string Id { get; set; } = string.Empty;
        public string? ProjectId { get; set; }
        public string? DomainId { get; set; }
        public string ServiceId { get; set; } = string.Empty;
        public string? RegionId { get; set; }
        public string ResourceName { get; set; } = string.Empty;
        public long ResourceLimit { get; set; }

        internal static ProjectLimitDto From(JsonNode n) => new ProjectLimitDto
        {
            Id = n["id"]?.GetValue<string>() ?? string.Empty,
            ProjectId = n["project_id"]?.GetValue<string>(),
            DomainId = n["domain_id"]?.GetValue<string>(),
            ServiceId = n["service_id"]?.GetValue<string>() ?? string.Empty,
            RegionId = n["region_id"]?.GetValue<string>(),
            ResourceName = n["resource_name"]?.GetValue<string>() ?? string.Empty,
            ResourceLimit = ServiceApi.Long(n["resource_limit"]),
        };
    }

    /// <summary>A project limit to create.</summary>
    internal sealed class NewProjectLimit
    {
        public NewProjectLimit(string projectId, string serviceId, string? regionId, string resourceName, long resourceLimit)
        {
            ProjectId = projectId;
            ServiceId = serviceId;
            RegionId = regionId;
            ResourceName = resourceName;
            ResourceLimit = resourceLimit;
        }

        public string ProjectId { get; }
        public string ServiceId { get; }
        public string? RegionId { get; }
        public string ResourceName { get; }
        public long ResourceLimit { get; }
    }

    /// <summary>
    /// Keystone unified limits (api-ref v3 unified_limits.inc): the enforcement model, registered
    /// limits (per service and resource, the defaults) and project limits (overrides). Listing
    /// project limits of other projects and writing limits need a system-scoped token: with a
    /// project-scoped token Keystone lists only the token's own project's limits.
    /// </summary>
    internal sealed class LimitsApi : ServiceApi
    {
        public LimitsApi(KeystoneSession session)
            : base(session, "identity")
        {
        }

        protected override Uri Root => Session.IdentityUrl;

        /// <summary>True when the session's token is system-scoped (needed to read and write project limits of any project).</summary>
        public bool IsSystemScoped => Session.Token.System;

        /// <summary>"flat" or "strict-two-level"; null when Keystone has no limit model to show (GET /v3/limits/model came with Rocky; Queens has unified limits without it).</summary>
        public async Task<string?> GetModelAsync(CancellationToken ct)
        {
            JsonNode? doc = await GetJsonOrNullAsync("limits/model", ct).ConfigureAwait(false);
            return doc?["model"]?["name"]?.GetValue<string>();
        }

        /// <summary>The services of the given type (compute, volumev3, ...).</summary>
        public async Task<IReadOnlyList<ServiceDto>> ListServicesAsync(string? type, CancellationToken ct)
        {
            JsonNode doc = await GetJsonAsync("services" + (type == null ? string.Empty : "?type=" + Escape(type)), ct).ConfigureAwait(false);
            return ((doc["services"] as JsonArray) ?? new JsonArray()).Where(s => s != null).Select(s => new ServiceDto
            {
                Id = s!["id"]?.GetValue<string>() ?? string.Empty,
                Type = s["type"]?.GetValue<string>() ?? string.Empty,
                Name = s["name"]?.GetValue<string>() ?? string.Empty,
                Enabled = s["enabled"]?.GetValue<bool>() ?? true,
            }).ToList();
        }

        /// <summary>Registered limits, optionally of one service. Keystone returns them all (no paging).</summary>
        public async Task<IReadOnlyList<RegisteredLimitDto>> ListRegisteredLimitsAsync(string? serviceId, CancellationToken ct)
        {
            JsonNode? doc = await GetJsonOrNullAsync("registered_limits" + (serviceId == null ? string.Empty : "?service_id=" + Escape(serviceId)), ct).ConfigureAwait(false);
            return ((doc?["registered_limits"] as JsonArray) ?? new JsonArray()).Where(n => n != null).Select(n => RegisteredLimitDto.From(n!)).ToList();
        }

        /// <summary>Project limits, filtered by project and/or service (a project-scoped token sees only its own project's).</summary>
        public async Task<IReadOnlyList<ProjectLimitDto>> ListLimitsAsync(string? projectId, string? serviceId, CancellationToken ct)
        {
            var query = new List<string>();
            if (projectId != null)
            {
                query.Add("project_id=" + Escape(projectId));
            }

            if (serviceId != null)
            {
                query.Add("service_id=" + Escape(serviceId));
            }

            JsonNode doc = await GetJsonAsync("limits" + (query.Count == 0 ? string.Empty : "?" + string.Join("&", query)), ct).ConfigureAwait(false);
            return ((doc["limits"] as JsonArray) ?? new JsonArray()).Where(n => n != null).Select(n => ProjectLimitDto.From(n!)).ToList();
        }

        /// <summary>Creates project limits in one request (Keystone takes a list); returns what it created.</summary>
        public async Task<IReadOnlyList<ProjectLimitDto>> CreateLimitsAsync(IReadOnlyCollection<NewProjectLimit> limits, CancellationToken ct)
        {
            var list = new JsonArray();
            foreach (NewProjectLimit l in limits)
            {
                var item = new JsonObject
                {
                    ["project_id"] = l.ProjectId,
                    ["service_id"] = l.ServiceId,
                    ["resource_name"] = l.ResourceName,
                    ["resource_limit"] = l.ResourceLimit,
                };
                if (!string.IsNullOrEmpty(l.RegionId))
                {
                    item["region_id"] = l.RegionId;
                }

                list.Add(item);
            }

            ApiResponse response = await SendAsync(HttpMethod.Post, "limits", new JsonObject { ["limits"] = list }, ct).ConfigureAwait(false);
            return ((Parse(response)["limits"] as JsonArray) ?? new JsonArray()).Where(n => n != null).Select(n => ProjectLimitDto.From(n!)).ToList();
        }

        /// <summary>Changes one project limit's value (PATCH: setting the same value twice is harmless).</summary>
        public async Task<ProjectLimitDto> UpdateLimitAsync(string limitId, long resourceLimit, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(
                new HttpMethod("PATCH"), $"limits/{Escape(limitId)}", new JsonObject { ["limit"] = new JsonObject { ["resource_limit"] = resourceLimit } }, ct, idempotent: true).ConfigureAwait(false);
            return ProjectLimitDto.From(Parse(response)["limit"] ?? new JsonObject());
        }

        /// <summary>Deletes a project limit (the registered default applies again); true when it existed.</summary>
        public async Task<bool> DeleteLimitAsync(string limitId, CancellationToken ct)
        {
            ApiResponse response = await SendAsync(HttpMethod.Delete, $"limits/{Escape(limitId)}", null, ct, NotFound).ConfigureAwait(false);
            return response.StatusCode != 404;
        }
    }
}
