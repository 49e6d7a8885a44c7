using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Image
{
    /// <summary>Glance v2: the images a project owns (termination deletes them).</summary>
    internal sealed class ImageApi : ServiceApi
    {
        public ImageApi(KeystoneSession session)
            : base(session, "image", version: "v2")
        {
        }

        /// <summary>True when the cloud has an image service at all.</summary>
        public bool Available => Session.TryGetEndpoint("image") != null;

        /// <summary>Images owned by the project (any visibility), following Glance's "next" links.</summary>
        public async Task<IReadOnlyList<ProjectResource>> ListOwnedImagesAsync(string projectId, CancellationToken ct)
        {
            var images = new List<ProjectResource>();
            string? next = $"images?owner={Escape(projectId)}&limit=200";
            while (next != null)
            {
                JsonNode doc = await GetJsonAsync(next, ct).ConfigureAwait(false);
                images.AddRange(((doc["images"] as JsonArray) ?? new JsonArray()).Where(i => i != null)
                    .Select(i => new ProjectResource(ProjectResourceKind.Image, i!["id"]?.GetValue<string>() ?? string.Empty,
                        i["name"] is JsonValue n && n.TryGetValue(out string? name) ? name ?? string.Empty : string.Empty,
                        i["status"]?.GetValue<string>() ?? string.Empty)));
                // "next" is an absolute path such as /v2/images?marker=...: keep the part after the version.
                string? link = doc["next"]?.GetValue<string>();
                int at = link?.IndexOf("images?", StringComparison.Ordinal) ?? -1;
                next = at >= 0 ? link!.Substring(at) : null;
            }

            return images;
        }

        public Task DeleteImageAsync(string id, CancellationToken ct)
            => SendAsync(HttpMethod.Delete, $"images/{Escape(id)}", null, ct, NotFound);
    }
}
