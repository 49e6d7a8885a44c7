using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;

namespace VdcPS.Tests.Usage
{
    /// <summary>An instance as Nova's database holds it (whole hours, so every total is exact).</summary>
    public sealed record FakeInstance(string ProjectId, string Uuid, string Name, string Flavor, int Vcpus, int MemoryMb, int LocalGb, DateTime Launched, DateTime? Terminated);

    /// <summary>
    /// Keystone (token, projects), Nova's os-simple-tenant-usage and Gnocchi's aggregates behind the
    /// real in-process HTTP server. Nova is simulated the way nova/api/openstack/compute/
    /// simple_tenant_usage.py and the DB API do it: instances active in the window, sorted by
    /// (project_id, uuid), cut at min(limit, [api]max_limit) from 2.40 (with a next link when the
    /// page is full) and at max_limit, silently, before 2.40; the list's per-server lines only with
    /// detailed=1 (the limit and the next link's marker count servers either way).
    /// </summary>
    public sealed class FakeUsageCloud : IDisposable
    {
        private readonly object _gate = new();

        public FakeUsageCloud()
        {
            Server = new ScriptedHttpServer(Handle);
        }

        public ScriptedHttpServer Server { get; }
        public Uri AuthUrl => new(Server.BaseUrl, "v3");
        public string NovaMaxVersion { get; set; } = "2.93";
        public int MaxLimit { get; set; } = 1000;
        public bool WithMetric { get; set; } = true;
        public List<FakeInstance> Instances { get; } = new();
        public List<JsonObject> Projects { get; } = new();

        /// <summary>Gnocchi: "resource_type/metric" → project → total (of the per-hour values over the period).</summary>
        public Dictionary<string, Dictionary<string, decimal>> Metrics { get; } = new();

        /// <summary>
        /// Gnocchi, grouped by an attribute as well ("volume/volume.size" → (project, volume_type as stored, total)):
        /// answers a query with groupby=project_id&amp;groupby=volume_type; absent: the attribute is null in every group.
        /// </summary>
        public Dictionary<string, List<(string Project, string? Attribute, decimal Total)>> GroupedMetrics { get; } = new();

        /// <summary>Cinder's volume types (id, name); null: no block-storage service in the catalog.</summary>
        public List<(string Id, string Name)>? VolumeTypes { get; set; }

        /// <summary>Attributes of the Gnocchi resource types (GET /v1/resource_type/{name}).</summary>
        public Dictionary<string, string[]> ResourceTypeAttributes { get; } = new() { ["volume"] = new[] { "display_name", "volume_type" } };

        /// <summary>Gnocchi resource types that exist.</summary>
        public HashSet<string> ResourceTypes { get; } = new() { "generic", "instance", "volume" };

        /// <summary>"METHOD path?query" of every request.</summary>
        public ConcurrentQueue<string> Log { get; } = new();

        /// <summary>Sees each request first; a non-null reply replaces the simulation's.</summary>
        public Func<SeenRequest, Reply?>? Intercept { get; set; }

        /// <summary>Also rewrites the simulation's answer (e.g. to drop links).</summary>
        public Func<SeenRequest, string, string>? Rewrite { get; set; }

        public int InFlight;
        public int MaxInFlight;

        public TimeSpan NovaDelay { get; set; }

        /// <summary>Nova's os-migrations records (answered whole, filtered by migration_type and changes-since as Nova does).</summary>
        public List<JsonObject> Migrations { get; } = new();

        /// <summary>Servers shelved now: (id, project, status).</summary>
        public List<(string Id, string Project, string Status)> ShelvedServers { get; } = new();

        /// <summary>Flavors in the order of Nova's internal key (id, name, vcpus, ram, disk).</summary>
        public List<(string Id, string Name, int Vcpus, int Ram, int Disk)> FlavorsByKey { get; } = new();

        /// <summary>Instance actions per server: the list's entries (newest first) and each action's detail with events.</summary>
        public Dictionary<string, List<JsonObject>> InstanceActions { get; } = new();

        public void AddProject(string id, string name, string? plan = null, string? customer = null, JsonArray? history = null)
        {
            var p = new JsonObject { ["id"] = id, ["name"] = name, ["domain_id"] = "default", ["enabled"] = true, ["description"] = "" };
            if (plan != null)
            {
                p["vdcps_plan"] = plan;
                p["vdcps_state"] = "active";
            }

            if (customer != null)
            {
                p["vdcps_customer"] = customer;
            }

            if (history != null)
            {
                p["vdcps_history"] = history;
            }

            Projects.Add(p);
        }

        internal async Task<KeystoneSession> ConnectAsync()
        {
            KeystoneSession session = await KeystoneSession.ConnectAsync(new AuthOptions
            {
                AuthUrl = AuthUrl,
                Method = VdcAuthMethod.Password,
                UserName = "admin",
                UserDomainId = "default",
                Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
                ProjectName = "admin",
                ProjectDomainId = "default",
            }, new HttpSettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
            session.Http.Delay = (_, _) => Task.CompletedTask;
            return session;
        }

        /// <summary>What Nova would report per project over [start, end) (hours as Nova's _hours_for).</summary>
        public Dictionary<string, (decimal Hours, decimal Vcpu, decimal RamMb, decimal Disk, int Servers)> Expected(DateTime start, DateTime end)
        {
            var result = new Dictionary<string, (decimal, decimal, decimal, decimal, int)>();
            foreach (FakeInstance i in Active(start, end))
            {
                decimal h = Hours(i, start, end);
                result.TryGetValue(i.ProjectId, out var t);
                result[i.ProjectId] = (t.Item1 + h, t.Item2 + (i.Vcpus * h), t.Item3 + (i.MemoryMb * h), t.Item4 + (i.LocalGb * h), t.Item5 + 1);
            }

            return result;
        }

        private IEnumerable<FakeInstance> Active(DateTime start, DateTime end)
            => Instances.Where(i => (i.Terminated == null || i.Terminated > start) && i.Launched < end)
                .OrderBy(i => i.ProjectId, StringComparer.Ordinal).ThenBy(i => i.Uuid, StringComparer.Ordinal);

        private static decimal Hours(FakeInstance i, DateTime start, DateTime end)
        {
            DateTime from = i.Launched > start ? i.Launched : start;
            DateTime to = i.Terminated.HasValue && i.Terminated < end ? i.Terminated.Value : end;
            return (decimal)(to - from).Ticks / TimeSpan.TicksPerHour;
        }

        private Reply Handle(SeenRequest r)
        {
            Log.Enqueue($"{r.Method} {r.Path}");
            Reply? intercepted = Intercept?.Invoke(r);
            if (intercepted != null)
            {
                return intercepted;
            }

            int now = Interlocked.Increment(ref InFlight);
            try
            {
                lock (_gate)
                {
                    MaxInFlight = Math.Max(MaxInFlight, now);
                }

                Reply reply = Route(r);
                if (Rewrite != null && reply.Status == 200)
                {
                    reply = new Reply { Status = reply.Status, Body = Rewrite(r, reply.Body), Headers = reply.Headers, Delay = reply.Delay };
                }

                return reply;
            }
            finally
            {
                Interlocked.Decrement(ref InFlight);
            }
        }

        private static Dictionary<string, string> Query(string path)
        {
            var q = new Dictionary<string, string>();
            int i = path.IndexOf('?');
            if (i < 0)
            {
                return q;
            }

            foreach (string part in path[(i + 1)..].Split('&'))
            {
                string[] kv = part.Split('=', 2);
                string key = Uri.UnescapeDataString(kv[0]);
                string value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
                q[key] = q.TryGetValue(key, out string? before) ? before + "," + value : value; // groupby=a&groupby=b → "a,b"
            }

            return q;
        }

        private Reply Route(SeenRequest r)
        {
            string path = r.Path.Split('?')[0].TrimEnd('/');
            var q = Query(r.Path);
            if (r.Method == "POST" && path == "/v3/auth/tokens")
            {
                return Reply.Json(201, TokenBody(), ("X-Subject-Token", "tok-usage"));
            }

            if (r.Method == "GET" && path == "/v3/projects")
            {
                lock (_gate)
                {
                    return Reply.Json(200, new JsonObject { ["projects"] = new JsonArray(Projects.Select(p => JsonNode.Parse(p.ToJsonString())).ToArray()) }.ToJsonString());
                }
            }

            if (r.Method == "GET" && path == "/compute/v2.1")
            {
                return Reply.Json(200, $"{{\"version\":{{\"id\":\"v2.1\",\"status\":\"CURRENT\",\"version\":\"{NovaMaxVersion}\",\"min_version\":\"2.1\"}}}}");
            }

            if (r.Method == "GET" && path.StartsWith("/compute/v2.1/os-simple-tenant-usage", StringComparison.Ordinal))
            {
                string? tenant = path.Length > "/compute/v2.1/os-simple-tenant-usage".Length ? path["/compute/v2.1/os-simple-tenant-usage/".Length..] : null;
                string header = r.Headers.TryGetValue("X-OpenStack-Nova-API-Version", out string? v) ? v : "2.1";
                Version micro = Version.Parse(header);
                if (NovaDelay > TimeSpan.Zero)
                {
                    Thread.Sleep(NovaDelay); // inside the in-flight count
                }

                return NovaUsage(tenant, q, micro);
            }

            if (r.Method == "GET" && path == "/volume/v3/p-admin/types" && VolumeTypes != null)
            {
                var types = new JsonArray();
                foreach (var (id, name) in VolumeTypes)
                {
                    types.Add(new JsonObject { ["id"] = id, ["name"] = name, ["is_public"] = true, ["description"] = null, ["extra_specs"] = new JsonObject() });
                }

                return Reply.Json(200, new JsonObject { ["volume_types"] = types }.ToJsonString());
            }

            if (r.Method == "GET" && path.StartsWith("/metric/v1/resource_type/", StringComparison.Ordinal))
            {
                string name = Uri.UnescapeDataString(path["/metric/v1/resource_type/".Length..]);
                if (!ResourceTypes.Contains(name))
                {
                    return new Reply { Status = 404, Body = $"<html><body><h1>404 Not Found</h1>Resource type {name} does not exist</body></html>" };
                }

                var attrs = new JsonObject();
                foreach (string a in ResourceTypeAttributes.TryGetValue(name, out string[]? list) ? list : Array.Empty<string>())
                {
                    attrs[a] = new JsonObject { ["type"] = "string", ["required"] = false, ["max_length"] = 255, ["min_length"] = 0 };
                }

                return Reply.Json(200, new JsonObject { ["name"] = name, ["attributes"] = attrs, ["state"] = "active" }.ToJsonString());
            }

            if (r.Method == "GET" && path == "/compute/v2.1/os-migrations")
            {
                DateTime? since = q.TryGetValue("changes-since", out string? cs)
                    ? DateTime.Parse(cs, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;
                var list = Migrations.Where(m => !q.TryGetValue("migration_type", out string? t) || (string?)m["migration_type"] == t)
                    .Where(m => since == null || DateTime.Parse((string)m["updated_at"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) >= since)
                    .Select(m => JsonNode.Parse(m.ToJsonString())).ToArray();
                return Reply.Json(200, new JsonObject { ["migrations"] = new JsonArray(list) }.ToJsonString());
            }

            if (r.Method == "GET" && path == "/compute/v2.1/servers/detail")
            {
                var list = ShelvedServers.Where(x => !q.TryGetValue("status", out string? st) || x.Status == st)
                    .Select(x => (JsonNode)new JsonObject { ["id"] = x.Id, ["tenant_id"] = x.Project, ["status"] = x.Status, ["name"] = x.Id }).ToArray();
                return Reply.Json(200, new JsonObject { ["servers"] = new JsonArray(list) }.ToJsonString());
            }

            if (r.Method == "GET" && path == "/compute/v2.1/flavors/detail")
            {
                var list = FlavorsByKey.Select(f => (JsonNode)new JsonObject { ["id"] = f.Id, ["name"] = f.Name, ["vcpus"] = f.Vcpus, ["ram"] = f.Ram, ["disk"] = f.Disk }).ToArray();
                return Reply.Json(200, new JsonObject { ["flavors"] = new JsonArray(list) }.ToJsonString());
            }

            if (r.Method == "GET" && path.StartsWith("/compute/v2.1/servers/", StringComparison.Ordinal) && path.Contains("/os-instance-actions"))
            {
                string[] parts = path["/compute/v2.1/servers/".Length..].Split('/');
                if (!InstanceActions.TryGetValue(parts[0], out List<JsonObject>? actions))
                {
                    return Reply.Json(404, "{\"itemNotFound\":{\"code\":404,\"message\":\"Instance could not be found.\"}}");
                }

                if (parts.Length == 2)
                {
                    var list = actions.OrderByDescending(a => (string)a["start_time"]!, StringComparer.Ordinal)
                        .Select(a => { var c = (JsonObject)JsonNode.Parse(a.ToJsonString())!; c.Remove("events"); return (JsonNode)c; }).ToArray();
                    return Reply.Json(200, new JsonObject { ["instanceActions"] = new JsonArray(list) }.ToJsonString());
                }

                JsonObject? one = actions.FirstOrDefault(a => (string?)a["request_id"] == Uri.UnescapeDataString(parts[2]));
                return one == null
                    ? Reply.Json(404, "{\"itemNotFound\":{\"code\":404,\"message\":\"Action not found.\"}}")
                    : Reply.Json(200, new JsonObject { ["instanceAction"] = JsonNode.Parse(one.ToJsonString()) }.ToJsonString());
            }

            if (r.Method == "POST" && path == "/metric/v1/aggregates")
            {
                return Aggregates(q, JsonNode.Parse(r.Body)!);
            }

            return Reply.Json(404, "{\"error\":{\"code\":404,\"message\":\"no route " + r.Method + " " + path + "\"}}");
        }

        private Reply NovaUsage(string? tenant, Dictionary<string, string> q, Version micro)
        {
            DateTime start = DateTime.Parse(q["start"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            DateTime end = DateTime.Parse(q["end"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            bool paging = micro >= new Version(2, 40);
            if (!paging && (q.ContainsKey("limit") || q.ContainsKey("marker")) && micro >= new Version(2, 75))
            {
                return Reply.Json(400, "{\"badRequest\":{\"code\":400,\"message\":\"Additional properties are not allowed\"}}");
            }

            int limit = MaxLimit;
            if (paging && q.TryGetValue("limit", out string? l))
            {
                limit = Math.Min(MaxLimit, int.Parse(l, CultureInfo.InvariantCulture));
            }

            List<FakeInstance> rows;
            lock (_gate)
            {
                rows = Active(start, end).Where(i => tenant == null || i.ProjectId == tenant).ToList();
            }

            if (paging && q.TryGetValue("marker", out string? marker))
            {
                int at = rows.FindIndex(i => i.Uuid == marker);
                if (at < 0)
                {
                    return Reply.Json(400, $"{{\"badRequest\":{{\"code\":400,\"message\":\"Marker {marker} could not be found.\"}}}}");
                }

                rows = rows.Skip(at + 1).ToList();
            }

            rows = rows.Take(limit).ToList();

            // the list has per-server lines only with detailed=1; one tenant's answer always has them
            bool detailed = tenant != null || (q.TryGetValue("detailed", out string? d) && d == "1");
            var tenants = new List<JsonObject>();
            var byTenant = new Dictionary<string, JsonObject>();
            foreach (FakeInstance i in rows)
            {
                decimal h = Hours(i, start, end);
                if (!byTenant.TryGetValue(i.ProjectId, out JsonObject? t))
                {
                    t = new JsonObject
                    {
                        ["start"] = start.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                        ["stop"] = end.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                        ["tenant_id"] = i.ProjectId,
                        ["total_hours"] = 0m,
                        ["total_local_gb_usage"] = 0m,
                        ["total_memory_mb_usage"] = 0m,
                        ["total_vcpus_usage"] = 0m,
                    };
                    if (detailed)
                    {
                        t["server_usages"] = new JsonArray();
                    }

                    byTenant[i.ProjectId] = t;
                    tenants.Add(t);
                }

                t["total_hours"] = (decimal)t["total_hours"]! + h;
                t["total_local_gb_usage"] = (decimal)t["total_local_gb_usage"]! + (i.LocalGb * h);
                t["total_memory_mb_usage"] = (decimal)t["total_memory_mb_usage"]! + (i.MemoryMb * h);
                t["total_vcpus_usage"] = (decimal)t["total_vcpus_usage"]! + (i.Vcpus * h);
                (t["server_usages"] as JsonArray)?.Add(new JsonObject
                {
                    ["ended_at"] = i.Terminated?.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                    ["flavor"] = i.Flavor,
                    ["hours"] = h,
                    ["instance_id"] = i.Uuid,
                    ["local_gb"] = i.LocalGb,
                    ["memory_mb"] = i.MemoryMb,
                    ["name"] = i.Name,
                    ["started_at"] = i.Launched.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                    ["state"] = i.Terminated.HasValue ? "terminated" : "active",
                    ["tenant_id"] = i.ProjectId,
                    ["uptime"] = 3600,
                    ["vcpus"] = i.Vcpus,
                });
            }

            var doc = new JsonObject();
            string collection = tenant == null ? "os-simple-tenant-usage" : "os-simple-tenant-usage/" + tenant;
            JsonArray? links = null;
            if (paging && rows.Count > 0 && rows.Count == limit)
            {
                string href = $"http://nova.internal.invalid:8774/v2.1/{collection}?end={Uri.EscapeDataString(q["end"])}&limit={limit}&marker={rows[^1].Uuid}&start={Uri.EscapeDataString(q["start"])}";
                links = new JsonArray(new JsonObject { ["href"] = href, ["rel"] = "next" });
            }

            if (tenant == null)
            {
                doc["tenant_usages"] = new JsonArray(tenants.Select(t => (JsonNode)t).ToArray());
                if (links != null)
                {
                    doc["tenant_usages_links"] = links;
                }
            }
            else
            {
                doc["tenant_usage"] = tenants.Count == 0 ? new JsonObject() : tenants[0];
                if (links != null)
                {
                    doc["tenant_usage_links"] = links;
                }
            }

            return Reply.Json(200, doc.ToJsonString());
        }

        private Reply Aggregates(Dictionary<string, string> q, JsonNode body)
        {
            string type = (string)body["resource_type"]!;
            string operations = (string)body["operations"]!;
            if (body["search"] == null)
            {
                return new Reply { Status = 500, Body = "" };
            }

            if (!ResourceTypes.Contains(type))
            {
                return new Reply { Status = 400, Body = $"<html><body><h1>400 Bad Request</h1>{{&#x27;cause&#x27;: &#x27;Resource type does not exist&#x27;, &#x27;detail&#x27;: &#x27;{type}&#x27;}}</body></html>" };
            }

            string metric = operations.Split("(metric ")[1].Split(' ')[0];
            if (!Metrics.TryGetValue(type + "/" + metric, out Dictionary<string, decimal>? sums) && !GroupedMetrics.ContainsKey(type + "/" + metric))
            {
                return new Reply { Status = 400, Body = $"<html><body><h1>400 Bad Request</h1>{{&#x27;cause&#x27;: &#x27;Metrics not found&#x27;, &#x27;detail&#x27;: {{&#x27;{metric}&#x27;}}}}</body></html>" };
            }

            JsonNode? inFilter = body["search"]!["and"]?[0]?["in"]?["project_id"];
            HashSet<string>? only = inFilter == null ? null : new HashSet<string>(inFilter.AsArray().Select(n => (string)n!));
            string[] groupby = q["groupby"].Split(',');
            string? attribute = groupby.Length > 1 ? groupby[1] : null;
            List<(string Project, string? Attribute, decimal Total)> rows = attribute != null && GroupedMetrics.TryGetValue(type + "/" + metric, out var grouped)
                ? grouped
                : (sums ?? new Dictionary<string, decimal>()).Select(x => (x.Key, (string?)null, x.Value)).ToList();
            var groups = new JsonArray();
            foreach (var (project, value, total) in rows.Where(s => only == null || only.Contains(s.Project)).OrderBy(s => s.Project, StringComparer.Ordinal))
            {
                // two resample buckets, as Gnocchi answers when the period straddles a bucket boundary
                decimal first = Math.Floor(total / 2);
                var group = new JsonObject { ["project_id"] = project };
                if (attribute != null)
                {
                    group[attribute] = value;
                }

                groups.Add(new JsonObject
                {
                    ["group"] = group,
                    ["measures"] = new JsonObject
                    {
                        ["measures"] = new JsonObject
                        {
                            ["aggregated"] = new JsonArray(
                                new JsonArray("2026-09-04T00:00:00+00:00", 2592000.0, first),
                                new JsonArray("2026-10-04T00:00:00+00:00", 2592000.0, total - first)),
                        },
                    },
                });
            }

            LastAggregatesQuery = q;
            LastAggregatesBody = body.ToJsonString();
            return Reply.Json(200, groups.ToJsonString());
        }

        public Dictionary<string, string>? LastAggregatesQuery { get; private set; }
        public string? LastAggregatesBody { get; private set; }

        private string TokenBody()
        {
            string b = Server.BaseUrl.AbsoluteUri.TrimEnd('/');
            JsonObject Service(string type, string url) => new()
            {
                ["type"] = type,
                ["name"] = type,
                ["endpoints"] = new JsonArray(new JsonObject { ["interface"] = "public", ["region_id"] = "RegionOne", ["url"] = url }),
            };
            var catalog = new JsonArray(Service("identity", b + "/v3"), Service("compute", b + "/compute/v2.1"));
            if (WithMetric)
            {
                catalog.Add(Service("metric", b + "/metric"));
            }

            if (VolumeTypes != null)
            {
                catalog.Add(Service("block-storage", b + "/volume/v3/p-admin"));
            }

            return new JsonObject
            {
                ["token"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["expires_at"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                    ["issued_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                    ["user"] = new JsonObject { ["id"] = "u-1", ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } },
                    ["project"] = new JsonObject { ["id"] = "p-admin", ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } },
                    ["roles"] = new JsonArray(new JsonObject { ["id"] = "r-1", ["name"] = "admin" }),
                    ["catalog"] = catalog,
                },
            }.ToJsonString();
        }

        public void Dispose() => Server.Dispose();
    }

    /// <summary>Collects what the collector writes, as objects.</summary>
    internal sealed class RecordingOutput : ICmdletOutput
    {
        public ConcurrentQueue<VdcUsageRecord> Records { get; } = new();
        public ConcurrentQueue<string> Warnings { get; } = new();
        public ConcurrentQueue<string> Verbose { get; } = new();
        public ConcurrentQueue<System.Management.Automation.ErrorRecord> Errors { get; } = new();
        public ConcurrentQueue<System.Management.Automation.ProgressRecord> ProgressRecords { get; } = new();

        void ICmdletOutput.Verbose(string message) => Verbose.Enqueue(message);
        public void Debug(string message) { }
        public void Warning(string message) => Warnings.Enqueue(message);
        public void Progress(System.Management.Automation.ProgressRecord record) => ProgressRecords.Enqueue(record);
        public void Object(object value) => Records.Enqueue((VdcUsageRecord)value);
        public void Error(System.Management.Automation.ErrorRecord record) => Errors.Enqueue(record);
    }
}
