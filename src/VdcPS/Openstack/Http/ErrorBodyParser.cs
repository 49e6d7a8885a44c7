using System;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VdcPS.Openstack.Http
{
    /// <summary>
    /// Finds the human message in an OpenStack error body. The services disagree on the shape:
    /// Keystone <c>{"error":{"code","title","message"}}</c>; Nova and Cinder
    /// <c>{"badRequest"|"itemNotFound"|"forbidden"|"overLimit"|...:{"code","message"}}</c>;
    /// Neutron <c>{"NeutronError":{"type","message","detail"}}</c>; Placement and newer APIs
    /// <c>{"errors":[{"title","detail"}]}</c>; Gnocchi <c>{"code","description","title"}</c>;
    /// CloudKitty/WSME <c>{"faultstring","faultcode"}</c>; and webob's plain-text or HTML pages
    /// ("404 Not Found\n\nThe resource could not be found.").
    /// </summary>
    internal static class ErrorBodyParser
    {
        private const int MaxLength = 1000;
        private static readonly Regex Tags = new Regex("<[^>]+>", RegexOptions.Compiled);
        private static readonly Regex Spaces = new Regex(@"\s+", RegexOptions.Compiled);

        internal static string? ExtractMessage(string? body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            string trimmed = body!.Trim();
            if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
            {
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(trimmed);
                    string? message = FromJson(doc.RootElement);
                    if (message != null)
                    {
                        return Clip(message);
                    }
                }
                catch (JsonException)
                {
                    // not JSON after all: fall through to text
                }
            }

            string text = Spaces.Replace(Tags.Replace(trimmed, " "), " ").Trim();
            return text.Length == 0 ? null : Clip(System.Net.WebUtility.HtmlDecode(text));
        }

        private static string? FromJson(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // {"errors":[{"title","detail"}]}
            if (root.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement e in errors.EnumerateArray())
                {
                    string? m = Str(e, "detail") ?? Str(e, "title") ?? Str(e, "message");
                    if (m != null)
                    {
                        return m;
                    }
                }
            }

            // {"faultstring": "..."} and flat {"message"}, {"description"}
            string? flat = Str(root, "faultstring") ?? Str(root, "message") ?? Str(root, "description") ?? Str(root, "detail");
            if (flat != null)
            {
                return flat;
            }

            // {"error": {...}}, {"NeutronError": {...}}, {"badRequest": {...}}, ...: one wrapping object
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    string? message = Str(property.Value, "message");
                    string? detail = Str(property.Value, "detail");
                    if (message != null)
                    {
                        return string.IsNullOrWhiteSpace(detail) ? message : message + " " + detail;
                    }

                    string? other = Str(property.Value, "description") ?? Str(property.Value, "title") ?? detail;
                    if (other != null)
                    {
                        return other;
                    }
                }
                else if (property.Value.ValueKind == JsonValueKind.String && property.NameEquals("error"))
                {
                    return property.Value.GetString();
                }
            }

            return null;
        }

        private static string? Str(JsonElement element, string name)
        {
            if (element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty(name, out JsonElement value)
                && value.ValueKind == JsonValueKind.String)
            {
                string? s = value.GetString();
                return string.IsNullOrWhiteSpace(s) ? null : s;
            }

            return null;
        }

        private static string Clip(string message)
        {
            message = message.Trim();
            return message.Length <= MaxLength ? message : message.Substring(0, MaxLength) + "...";
        }
    }
}
