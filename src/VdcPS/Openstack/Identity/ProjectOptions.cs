using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace VdcPS.Openstack.Identity
{
    /// <summary>
    /// Values of Keystone extra properties (a project's keys beyond its own fields). Callers outside
    /// the OpenStack layer hand over plain values; this turns them into JSON. Allowed: null (clears the
    /// property in a PATCH), string, bool, int, long, a list of strings, a list of string maps (an array
    /// of objects), and a value read earlier with <see cref="ProjectDto.ExtraAsIs"/> (written back unchanged).
    /// </summary>
    internal static class ExtraValues
    {
        internal static JsonNode? ToNode(string key, object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case string s:
                    return JsonValue.Create(s);
                case bool b:
                    return JsonValue.Create(b);
                case int i:
                    return JsonValue.Create(i);
                case long l:
                    return JsonValue.Create(l);
                case ExtraAsIs asIs:
                    return JsonNode.Parse(asIs.Node.ToJsonString());
                case IEnumerable<string> texts:
                    var strings = new JsonArray();
                    foreach (string text in texts)
                    {
                        strings.Add(text);
                    }

                    return strings;
                case IEnumerable<IReadOnlyDictionary<string, string>> records:
                    var array = new JsonArray();
                    foreach (IReadOnlyDictionary<string, string> record in records)
                    {
                        var item = new JsonObject();
                        foreach (KeyValuePair<string, string> field in record)
                        {
                            item[field.Key] = field.Value;
                        }

                        array.Add(item);
                    }

                    return array;
                default:
                    throw new ArgumentException($"The extra property '{key}' has a value of type {value.GetType().Name}, which Keystone extra properties do not take here.", nameof(value));
            }
        }

        /// <summary>The length of a list of strings as JSON text (what Keystone stores and bounds).</summary>
        internal static int TextLength(IEnumerable<string> texts) => ToNode("texts", texts.ToList())!.ToJsonString().Length;

        internal static void AddTo(JsonObject body, IEnumerable<KeyValuePair<string, object?>> extra)
        {
            foreach (KeyValuePair<string, object?> property in extra)
            {
                if (ProjectDto.Standard.Contains(property.Key))
                {
                    throw new ArgumentException($"'{property.Key}' is a field of the project itself, not an extra property.", nameof(extra));
                }

                body[property.Key] = ToNode(property.Key, property.Value);
            }
        }
    }

    /// <summary>POST /v3/projects (gophercloud projects.CreateOpts).</summary>
    internal sealed class ProjectCreateOptions
    {
        public string Name { get; set; } = string.Empty;
        public string DomainId { get; set; } = "default";
        public string Description { get; set; } = string.Empty;
        public bool Enabled { get; set; } = true;

        /// <summary>Extra properties, created atomically with the project (in this order).</summary>
        public IList<KeyValuePair<string, object?>> Extra { get; } = new List<KeyValuePair<string, object?>>();

        internal JsonObject ToRequestBody()
        {
            var project = new JsonObject
            {
                ["name"] = Name,
                ["domain_id"] = DomainId,
                ["description"] = Description,
                ["enabled"] = Enabled,
            };
            ExtraValues.AddTo(project, Extra);
            return new JsonObject { ["project"] = project };
        }
    }

    /// <summary>PATCH /v3/projects/{id}: only what is set is sent; an extra property set to null is cleared.</summary>
    internal sealed class ProjectUpdateOptions
    {
        /// <summary>A new name (termination renames the project it keeps); null: unchanged.</summary>
        public string? Name { get; set; }

        public string? Description { get; set; }
        public bool? Enabled { get; set; }
        public IDictionary<string, object?> Extra { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

        public bool IsEmpty => Name == null && Description == null && !Enabled.HasValue && Extra.Count == 0;

        internal JsonObject ToRequestBody()
        {
            var project = new JsonObject();
            if (Name != null)
            {
                project["name"] = Name;
            }

            if (Enabled.HasValue)
            {
                project["enabled"] = Enabled.Value;
            }

            if (Description != null)
            {
                project["description"] = Description;
            }

            ExtraValues.AddTo(project, Extra);
            return new JsonObject { ["project"] = project };
        }
    }

    /// <summary>POST /v3/users. Holds the password: never logged (the HTTP layer logs no bodies).</summary>
    internal sealed class UserCreateOptions
    {
        public string Name { get; set; } = string.Empty;
        public string DomainId { get; set; } = "default";
        public string Password { get; set; } = string.Empty;
        public string? DefaultProjectId { get; set; }
        public bool Enabled { get; set; } = true;
        public string? Description { get; set; }
        public string? Email { get; set; }

        internal JsonObject ToRequestBody()
        {
            var user = new JsonObject
            {
                ["name"] = Name,
                ["domain_id"] = DomainId,
                ["password"] = Password,
            };
            if (DefaultProjectId != null)
            {
                user["default_project_id"] = DefaultProjectId;
            }

            user["enabled"] = Enabled;
            if (Description != null)
            {
                user["description"] = Description;
            }

            if (!string.IsNullOrEmpty(Email))
            {
                user["email"] = Email;
            }

            return new JsonObject { ["user"] = user };
        }
    }

    /// <summary>PATCH /v3/users/{id}: only what is set is sent.</summary>
    internal sealed class UserUpdateOptions
    {
        public string? Password { get; set; }
        public bool? Enabled { get; set; }

        internal JsonObject ToRequestBody()
        {
            var user = new JsonObject();
            if (Password != null)
            {
                user["password"] = Password;
            }

            if (Enabled.HasValue)
            {
                user["enabled"] = Enabled.Value;
            }

            return new JsonObject { ["user"] = user };
        }
    }
}
