using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace VdcPS.Openstack.Identity
{
    internal sealed class NamedRef
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? DomainId { get; set; }
        public string? DomainName { get; set; }
    }

    internal sealed class CatalogEndpoint
    {
        public string Interface { get; set; } = string.Empty;
        public string? Region { get; set; }
        public Uri Url { get; set; } = new Uri("http://invalid");
    }

    internal sealed class CatalogService
    {
        public string Type { get; set; } = string.Empty;
        public string? Name { get; set; }
        public List<CatalogEndpoint> Endpoints { get; } = new List<CatalogEndpoint>();
    }

    /// <summary>A Keystone token and what came with it. The token text never leaves internal code.</summary>
    internal sealed class TokenInfo
    {
        public string Token { get; set; } = string.Empty;
        public DateTime ExpiresAt { get; set; }
        public DateTime IssuedAt { get; set; }
        public NamedRef User { get; set; } = new NamedRef();
        public NamedRef? Project { get; set; }
        public NamedRef? Domain { get; set; }
        public bool System { get; set; }
        public List<string> Roles { get; } = new List<string>();
        public List<CatalogService> Catalog { get; } = new List<CatalogService>();

        /// <summary>Reads the body of POST /v3/auth/tokens (the token text comes from X-Subject-Token).</summary>
        internal static TokenInfo Parse(string subjectToken, string body)
        {
            JsonNode token = JsonNode.Parse(body)?["token"] ?? throw new FormatException("The Keystone answer has no 'token' object.");
            var info = new TokenInfo
            {
                Token = subjectToken,
                ExpiresAt = ParseTime(token["expires_at"]?.GetValue<string>()) ?? DateTime.UtcNow.AddHours(1),
                IssuedAt = ParseTime(token["issued_at"]?.GetValue<string>()) ?? DateTime.UtcNow,
                User = Ref(token["user"]) ?? new NamedRef(),
                Project = Ref(token["project"]),
                Domain = Ref(token["domain"]),
                System = token["system"] is JsonObject,
            };
            if (token["roles"] is JsonArray roles)
            {
                info.Roles.AddRange(roles.Select(r => r?["name"]?.GetValue<string>()).Where(n => n != null)!);
            }

            if (token["catalog"] is JsonArray catalog)
            {
                foreach (JsonNode? entry in catalog)
                {
                    if (entry == null)
                    {
                        continue;
                    }

                    var service = new CatalogService { Type = entry["type"]?.GetValue<string>() ?? string.Empty, Name = entry["name"]?.GetValue<string>() };
                    if (entry["endpoints"] is JsonArray endpoints)
                    {
                        foreach (JsonNode? e in endpoints)
                        {
                            string? url = e?["url"]?.GetValue<string>();
                            if (url != null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
                            {
                                service.Endpoints.Add(new CatalogEndpoint
                                {
                                    Interface = e!["interface"]?.GetValue<string>() ?? "public",
                                    Region = e["region_id"]?.GetValue<string>() ?? e["region"]?.GetValue<string>(),
                                    Url = uri,
                                });
                            }
                        }
                    }

                    info.Catalog.Add(service);
                }
            }

            return info;
        }

        private static NamedRef? Ref(JsonNode? node)
        {
            if (node is not JsonObject)
            {
                return null;
            }

            return new NamedRef
            {
                Id = node["id"]?.GetValue<string>(),
                Name = node["name"]?.GetValue<string>(),
                DomainId = node["domain"]?["id"]?.GetValue<string>(),
                DomainName = node["domain"]?["name"]?.GetValue<string>(),
            };
        }

        internal static DateTime? ParseTime(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime value)
                ? DateTime.SpecifyKind(value, DateTimeKind.Utc)
                : (DateTime?)null;
        }
    }
}
