using System;
using System.Text.Json.Nodes;

namespace VdcPS.Tests.TestSupport
{
    /// <summary>Token documents shaped like Keystone's (api-ref: authenticate-v3).</summary>
    public static class FakeKeystone
    {
        public static string TokenBody(Uri serverBase, DateTime expiresAt, string project = "admin")
        {
            string b = serverBase.AbsoluteUri.TrimEnd('/');
            var token = new JsonObject
            {
                ["token"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["expires_at"] = expiresAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                    ["issued_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                    ["user"] = new JsonObject { ["id"] = "u-1", ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } },
                    ["project"] = new JsonObject { ["id"] = "p-1", ["name"] = project, ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } },
                    ["roles"] = new JsonArray(new JsonObject { ["id"] = "r-1", ["name"] = "admin" }),
                    ["catalog"] = new JsonArray(
                        Service("identity", b + "/v3"),
                        Service("compute", b + "/compute/v2.1"),
                        Service("volumev3", b + "/volume/v3/p-1"),
                        Service("network", b + "/network"),
                        Service("image", b + "/image")),
                },
            };
            return token.ToJsonString();
        }

        private static JsonObject Service(string type, string url) => new()
        {
            ["type"] = type,
            ["name"] = type,
            ["endpoints"] = new JsonArray(
                new JsonObject { ["interface"] = "public", ["region_id"] = "RegionOne", ["url"] = url },
                new JsonObject { ["interface"] = "internal", ["region_id"] = "RegionOne", ["url"] = url.Replace("127.0.0.1", "internal.invalid") }),
        };
    }
}
