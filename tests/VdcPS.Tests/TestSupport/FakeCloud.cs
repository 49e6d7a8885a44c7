using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;

namespace VdcPS.Tests.TestSupport
{
    /// <summary>
    /// An in-memory OpenStack (Keystone projects/users/roles, Nova/Cinder/Neutron quotas) behind the
    /// real HTTP server, shaped like the api-ref, with fault injection: a rule fails the Nth request
    /// that matches a method and path. Used to prove rollback at every step without the lab.
    /// </summary>
    public sealed class FakeCloud : IDisposable
    {
        private readonly object _gate = new();
        private readonly List<FaultRule> _faults = new();
        private int _ids;

        public FakeCloud()
        {
            Server = new ScriptedHttpServer(Handle);
            Roles["role-member"] = "member";
            Roles["role-admin"] = "admin";
            Projects["p-admin"] = new JsonObject { ["id"] = "p-admin", ["name"] = "admin", ["domain_id"] = "default", ["enabled"] = true, ["description"] = "" };
            Users["u-admin"] = new JsonObject { ["id"] = "u-admin", ["name"] = "admin", ["domain_id"] = "default", ["enabled"] = true };
        }

        public ScriptedHttpServer Server { get; }
        public Dictionary<string, JsonObject> Projects { get; } = new();
        public Dictionary<string, JsonObject> Users { get; } = new();
        public Dictionary<string, string> Roles { get; } = new();
        /// <summary>Keystone groups (VdcPS's tenant leases), by id; names are unique per domain as in Keystone.</summary>
        public Dictionary<string, JsonObject> Groups { get; } = new();
        /// <summary>(project, user, role) role assignments.</summary>
        public HashSet<(string Project, string User, string Role)> Assignments { get; } = new();
        /// <summary>service -> project -> key -> limit (only values set for the project).</summary>
        public Dictionary<string, Dictionary<string, Dictionary<string, long>>> Quotas { get; } = new()
        {
            ["compute"] = new(), ["volume"] = new(), ["network"] = new(),
        };
        /// <summary>Servers per project (blocks removal).</summary>
        public Dictionary<string, List<string>> Servers { get; } = new();
        /// <summary>Every request seen, as "METHOD /path".</summary>
        public List<string> Log { get; } = new();
        /// <summary>When true, quota writes answer 200 but change nothing (unified-limits Nova).</summary>
        public bool NovaIgnoresWrites { get; set; }
        /// <summary>service -> project -> key -> in use (reported by the detail/usage GETs; Nova and Cinder refuse limits below it).</summary>
        public Dictionary<string, Dictionary<string, Dictionary<string, long>>> InUse { get; } = new()
        {
            ["compute"] = new(), ["volume"] = new(), ["network"] = new(),
        };
        /// <summary>The newest compute microversion the fake Nova offers (keys removed in 2.36 and 2.57 come back below them).</summary>
        public string NovaMaxVersion { get; set; } = "2.93";
        /// <summary>How long to wait before answering a request (outside the fake's lock, so other requests go on).</summary>
        public Func<SeenRequest, TimeSpan>? DelayFor { get; set; }
        /// <summary>Cinder volume types: each adds volumes_TYPE, gigabytes_TYPE and snapshots_TYPE.</summary>
        public List<string> VolumeTypes { get; } = new();
        /// <summary>Keystone services (id -> type) for /v3/services and unified limits.</summary>
        public Dictionary<string, string> Services { get; } = new() { ["svc-nova"] = "compute", ["svc-cinder"] = "volumev3", ["svc-neutron"] = "network" };
        /// <summary>Keystone registered limits (unified limits), as Keystone lists them.</summary>
        public List<JsonObject> RegisteredLimits { get; } = new();
        /// <summary>Keystone project limits (unified limits), as Keystone lists them.</summary>
        public List<JsonObject> Limits { get; } = new();
        /// <summary>Tokens issued with system scope (Keystone lists other projects' limits only to them).</summary>
        public HashSet<string> SystemTokens { get; } = new();
        /// <summary>Adds a registered limit (unified limits) and returns its id.</summary>
        public string RegisterLimit(string serviceId, string resource, long defaultLimit, string? region = "RegionOne")
        {
            lock (_gate)
            {
                string id = NewId("rl");
                RegisteredLimits.Add(new JsonObject { ["id"] = id, ["service_id"] = serviceId, ["region_id"] = region, ["resource_name"] = resource, ["default_limit"] = defaultLimit });
                return id;
            }
        }

        public Uri AuthUrl => new(Server.BaseUrl, "v3");

        public sealed class FaultRule
        {
            public string Method { get; init; } = "*";
            public Regex Path { get; init; } = new(".*");
            public int Nth { get; init; } = 1;
            public int Status { get; init; } = 500;
            public bool Reset { get; init; }
            public int Seen;
        }

        public void FailOn(string method, string pathRegex, int nth = 1, int status = 500, bool reset = false)
        {
            lock (_gate)
            {
                _faults.Add(new FaultRule { Method = method, Path = new Regex(pathRegex), Nth = nth, Status = status, Reset = reset });
            }
        }

        public void ClearFaults()
        {
            lock (_gate)
            {
                _faults.Clear();
            }
        }

        /// <summary>Projects, users and assignments other than the admin's seed, and project quotas set.</summary>
        public string Leftovers()
        {
            lock (_gate)
            {
                var left = new List<string>();
                left.AddRange(Projects.Values.Where(p => (string)p["name"]! != "admin").Select(p => "project " + p["name"]));
                left.AddRange(Users.Values.Where(u => (string)u["name"]! != "admin").Select(u => "user " + u["name"]));
                left.AddRange(Groups.Values.Select(g => "group " + g["name"]));
                left.AddRange(Assignments.Select(a => $"assignment {a.Project}/{a.User}/{a.Role}"));
                foreach (var service in Quotas)
                {
                    left.AddRange(service.Value.Where(p => p.Value.Count > 0).Select(p => $"{service.Key} quotas of {p.Key}"));
                }

                return string.Join(", ", left);
            }
        }

        private Reply Handle(SeenRequest r)
        {
            lock (_gate)
            {
                string path = r.Path;
                Log.Add($"{r.Method} {path.Split('?')[0]}");
                // every rule counts every request it matches; the first rule whose turn it is fires
                FaultRule? firing = null;
                foreach (FaultRule rule in _faults)
                {
                    if ((rule.Method == "*" || rule.Method == r.Method) && rule.Path.IsMatch(path) && ++rule.Seen == rule.Nth)
                    {
                        firing ??= rule;
                    }
                }

                if (firing != null)
                {
                    return firing.Reset ? Reply.ConnectionReset() : Reply.Json(firing.Status, $"{{\"error\":{{\"code\":{firing.Status},\"message\":\"injected fault\"}}}}");
                }

                Reply reply = Route(r, path);
                TimeSpan delay = DelayFor?.Invoke(r) ?? TimeSpan.Zero;
                return delay <= TimeSpan.Zero ? reply : new Reply { Status = reply.Status, Headers = reply.Headers, Body = reply.Body, Reset = reply.Reset, Delay = delay };
            }
        }

        private string NewId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _ids)}";

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
                q[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            }

            return q;
        }

        private Reply Route(SeenRequest r, string fullPath)
        {
            string path = fullPath.Split('?')[0].TrimEnd('/');
            var q = Query(fullPath);
            JsonNode? body = string.IsNullOrEmpty(r.Body) ? null : JsonNode.Parse(r.Body);
            Match m;

            // ---------------- keystone
            if (r.Method == "POST" && path == "/v3/auth/tokens")
            {
                string tokenId = "tok-" + NewId("t");
                string tokenBody = FakeKeystone.TokenBody(Server.BaseUrl, DateTime.UtcNow.AddHours(1)).Replace("/volume/v3/p-1", "/volume/v3/p-admin");
                if (body?["auth"]?["scope"]?["system"] != null)
                {
                    var doc = JsonNode.Parse(tokenBody)!;
                    doc["token"]!.AsObject().Remove("project");
                    doc["token"]!["system"] = new JsonObject { ["all"] = true };
                    tokenBody = doc.ToJsonString();
                    SystemTokens.Add(tokenId);
                }

                return Reply.Json(201, tokenBody, ("X-Subject-Token", tokenId));
            }

            Reply? limits = LimitsRoute(r, path, q, body);
            if (limits != null)
            {
                return limits;
            }

            if (r.Method == "GET" && path == "/v3/roles")
            {
                var roles = Roles.Where(x => !q.ContainsKey("name") || x.Value == q["name"]).Select(x => (JsonNode)new JsonObject { ["id"] = x.Key, ["name"] = x.Value, ["domain_id"] = null });
                return Reply.Json(200, new JsonObject { ["roles"] = new JsonArray(roles.ToArray()) }.ToJsonString());
            }

            if (path == "/v3/projects")
            {
                if (r.Method == "GET")
                {
                    var list = Projects.Values.Where(p => (!q.ContainsKey("name") || (string)p["name"]! == q["name"]) && (!q.ContainsKey("domain_id") || (string)p["domain_id"]! == q["domain_id"])
                        && (!q.ContainsKey("name__startswith") || ((string)p["name"]!).StartsWith(q["name__startswith"], StringComparison.Ordinal)));
                    return Reply.Json(200, new JsonObject { ["projects"] = new JsonArray(list.Select(p => JsonNode.Parse(p.ToJsonString())).ToArray()) }.ToJsonString());
                }

                var project = (JsonObject)JsonNode.Parse(body!["project"]!.ToJsonString())!;
                if (Projects.Values.Any(p => (string)p["name"]! == (string)project["name"]! && (string)p["domain_id"]! == (string)project["domain_id"]!))
                {
                    return Reply.Json(409, "{\"error\":{\"code\":409,\"message\":\"Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain\"}}");
                }

                string id = NewId("p");
                project["id"] = id;
                Projects[id] = project;
                return Reply.Json(201, new JsonObject { ["project"] = JsonNode.Parse(project.ToJsonString()) }.ToJsonString());
            }

            if ((m = Regex.Match(path, "^/v3/projects/([^/]+)$")).Success)
            {
                string id = m.Groups[1].Value;
                if (!Projects.TryGetValue(id, out JsonObject? project))
                {
                    return Reply.Json(404, "{\"error\":{\"code\":404,\"message\":\"Could not find project.\"}}");
                }

                switch (r.Method)
                {
                    case "GET":
                        return Reply.Json(200, new JsonObject { ["project"] = JsonNode.Parse(project.ToJsonString()) }.ToJsonString());
                    case "PATCH":
                        foreach (var kv in body!["project"]!.AsObject())
                        {
                            project[kv.Key] = kv.Value == null ? null : JsonNode.Parse(kv.Value.ToJsonString());
                        }

                        return Reply.Json(200, new JsonObject { ["project"] = JsonNode.Parse(project.ToJsonString()) }.ToJsonString());
                    case "DELETE":
                        Projects.Remove(id);
                        Assignments.RemoveWhere(a => a.Project == id);
                        return new Reply { Status = 204, Body = string.Empty };
                }
            }

            if (path == "/v3/groups")
            {
                if (r.Method == "GET")
                {
                    var list = Groups.Values.Where(g => (!q.ContainsKey("name") || (string)g["name"]! == q["name"]) && (!q.ContainsKey("domain_id") || (string)g["domain_id"]! == q["domain_id"]));
                    return Reply.Json(200, new JsonObject { ["groups"] = new JsonArray(list.Select(g => JsonNode.Parse(g.ToJsonString())).ToArray()) }.ToJsonString());
                }

                var group = (JsonObject)JsonNode.Parse(body!["group"]!.ToJsonString())!;
                group["domain_id"] ??= "default";
                if (Groups.Values.Any(g => (string)g["name"]! == (string)group["name"]! && (string)g["domain_id"]! == (string)group["domain_id"]!))
                {
                    return Reply.Json(409, "{\"error\":{\"code\":409,\"message\":\"Conflict occurred attempting to store group - Duplicate entry found with name " + (string)group["name"]! + ".\"}}");
                }

                string id = NewId("g");
                group["id"] = id;
                Groups[id] = group;
                return Reply.Json(201, new JsonObject { ["group"] = JsonNode.Parse(group.ToJsonString()) }.ToJsonString());
            }

            if ((m = Regex.Match(path, "^/v3/groups/([^/]+)$")).Success && r.Method == "DELETE")
            {
                return Groups.Remove(m.Groups[1].Value) ? new Reply { Status = 204, Body = string.Empty } : Reply.Json(404, "{\"error\":{\"code\":404,\"message\":\"Could not find group.\"}}");
            }

            if (path == "/v3/users")
            {
                if (r.Method == "GET")
                {
                    var list = Users.Values.Where(u => (!q.ContainsKey("name") || (string)u["name"]! == q["name"]));
                    return Reply.Json(200, new JsonObject { ["users"] = new JsonArray(list.Select(u => JsonNode.Parse(u.ToJsonString())).ToArray()) }.ToJsonString());
                }

                var user = (JsonObject)JsonNode.Parse(body!["user"]!.ToJsonString())!;
                if (Users.Values.Any(u => (string)u["name"]! == (string)user["name"]!))
                {
                    return Reply.Json(409, "{\"error\":{\"code\":409,\"message\":\"Conflict occurred attempting to store user\"}}");
                }

                string id = NewId("u");
                user["id"] = id;
                user.Remove("password");
                Users[id] = user;
                return Reply.Json(201, new JsonObject { ["user"] = JsonNode.Parse(user.ToJsonString()) }.ToJsonString());
            }

            if ((m = Regex.Match(path, "^/v3/users/([^/]+)$")).Success)
            {
                string id = m.Groups[1].Value;
                if (!Users.TryGetValue(id, out JsonObject? user))
                {
                    return Reply.Json(404, "{\"error\":{\"code\":404,\"message\":\"Could not find user.\"}}");
                }

                switch (r.Method)
                {
                    case "GET":
                        return Reply.Json(200, new JsonObject { ["user"] = JsonNode.Parse(user.ToJsonString()) }.ToJsonString());
                    case "PATCH":
                        foreach (var kv in body!["user"]!.AsObject().Where(kv => kv.Key != "password"))
                        {
                            user[kv.Key] = kv.Value == null ? null : JsonNode.Parse(kv.Value.ToJsonString());
                        }

                        return Reply.Json(200, new JsonObject { ["user"] = JsonNode.Parse(user.ToJsonString()) }.ToJsonString());
                    case "DELETE":
                        Users.Remove(id);
                        Assignments.RemoveWhere(a => a.User == id);
                        return new Reply { Status = 204, Body = string.Empty };
                }
            }

            if ((m = Regex.Match(path, "^/v3/projects/([^/]+)/users/([^/]+)/roles/([^/]+)$")).Success)
            {
                var key = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
                switch (r.Method)
                {
                    case "PUT":
                        Assignments.Add(key);
                        return new Reply { Status = 204, Body = string.Empty };
                    case "HEAD":
                        return Assignments.Contains(key) ? new Reply { Status = 204, Body = string.Empty } : Reply.Json(404, "{}");
                    case "DELETE":
                        return Assignments.Remove(key) ? new Reply { Status = 204, Body = string.Empty } : Reply.Json(404, "{}");
                }
            }

            if (r.Method == "GET" && path == "/v3/role_assignments")
            {
                string project = q.GetValueOrDefault("scope.project.id", string.Empty);
                var list = Assignments.Where(a => a.Project == project).Select(a => (JsonNode)new JsonObject
                {
                    ["role"] = new JsonObject { ["id"] = a.Role },
                    ["user"] = new JsonObject { ["id"] = a.User },
                    ["scope"] = new JsonObject { ["project"] = new JsonObject { ["id"] = a.Project } },
                });
                return Reply.Json(200, new JsonObject { ["role_assignments"] = new JsonArray(list.ToArray()) }.ToJsonString());
            }

            // ---------------- nova
            if (r.Method == "GET" && path == "/compute/v2.1")
            {
                return Reply.Json(200, "{\"version\":{\"id\":\"v2.1\",\"status\":\"CURRENT\",\"version\":\"" + NovaMaxVersion + "\",\"min_version\":\"2.1\"}}");
            }

            if ((m = Regex.Match(path, "^/compute/v2.1/os-quota-sets/([^/]+)(/detail)?$")).Success)
            {
                return QuotaRoute(r, "compute", "quota_set", m.Groups[1].Value, body, NovaKeys(r), detailKeys: ("in_use", "reserved"));
            }

            if (r.Method == "GET" && path == "/compute/v2.1/servers")
            {
                var servers = Servers.GetValueOrDefault(q.GetValueOrDefault("project_id", string.Empty)) ?? new List<string>();
                return Reply.Json(200, new JsonObject { ["servers"] = new JsonArray(servers.Select(s => (JsonNode)new JsonObject { ["id"] = s, ["name"] = s }).ToArray()) }.ToJsonString());
            }

            // ---------------- cinder
            if ((m = Regex.Match(path, "^/volume/v3/p-admin/os-quota-sets/([^/]+)$")).Success)
            {
                return QuotaRoute(r, "volume", "quota_set", m.Groups[1].Value, body,
                    new[] { "volumes", "gigabytes", "snapshots", "backups", "backup_gigabytes", "groups", "per_volume_gigabytes" }
                        .Concat(VolumeTypes.SelectMany(t => new[] { $"volumes_{t}", $"gigabytes_{t}", $"snapshots_{t}" })).ToArray(),
                    detailKeys: ("in_use", "reserved"));
            }

            if (r.Method == "GET" && Regex.IsMatch(path, "^/volume/v3/p-admin/(volumes|snapshots|backups)$"))
            {
                string collection = path.Split('/').Last();
                return Reply.Json(200, $"{{\"{collection}\":[]}}");
            }

            // ---------------- neutron
            if ((m = Regex.Match(path, "^/network/v2.0/quotas/([^/]+?)(/details\\.json)?$")).Success)
            {
                return QuotaRoute(r, "network", "quota", m.Groups[1].Value, body, new[] { "network", "subnet", "port", "router", "floatingip", "security_group", "security_group_rule", "rbac_policy", "subnetpool" }, detailKeys: ("used", "reserved"));
            }

            if (r.Method == "GET" && (m = Regex.Match(path, "^/network/v2.0/(networks|subnets|ports|routers|floatingips|security_groups)$")).Success)
            {
                return Reply.Json(200, $"{{\"{m.Groups[1].Value}\":[]}}");
            }

            return Reply.Json(404, "{\"error\":{\"code\":404,\"message\":\"no route " + r.Method + " " + path + "\"}}");
        }

        private Reply QuotaRoute(SeenRequest r, string service, string wrapper, string project, JsonNode? body, string[] keys, (string InUse, string Reserved) detailKeys)
        {
            var all = Quotas[service];
            if (!all.TryGetValue(project, out var limits))
            {
                limits = all[project] = new Dictionary<string, long>();
            }

            switch (r.Method)
            {
                case "PUT":
                    if (!(service == "compute" && NovaIgnoresWrites))
                    {
                        var usage = InUse[service].GetValueOrDefault(project) ?? new Dictionary<string, long>();
                        bool force = body![wrapper]!["force"]?.GetValue<bool>() == true;
                        foreach (var kv in body![wrapper]!.AsObject().Where(kv => kv.Key != "force"))
                        {
                            if (!keys.Contains(kv.Key))
                            {
                                return Reply.Json(400, $"{{\"badRequest\":{{\"code\":400,\"message\":\"Bad key(s) {kv.Key} in quota_set\"}}}}");
                            }

                            long value = kv.Value!.GetValue<long>();
                            if (service != "network" && !(service == "compute" && force) && value != -1 && value < usage.GetValueOrDefault(kv.Key))
                            {
                                return Reply.Json(400, $"{{\"badRequest\":{{\"code\":400,\"message\":\"Quota limit {value} for {kv.Key} must be greater than or equal to already used and reserved {usage[kv.Key]}.\"}}}}");
                            }
                        }

                        foreach (var kv in body![wrapper]!.AsObject().Where(kv => kv.Key != "force"))
                        {
                            limits[kv.Key] = kv.Value!.GetValue<long>();
                        }
                    }

                    return Reply.Json(200, new JsonObject { [wrapper] = Flat(keys, limits) }.ToJsonString());
                case "DELETE":
                    limits.Clear();
                    return new Reply { Status = service == "compute" ? 202 : 204, Body = string.Empty };
                default:
                    var detail = new JsonObject();
                    foreach (string k in keys)
                    {
                        long used = InUse[service].GetValueOrDefault(project)?.GetValueOrDefault(k) ?? 0;
                        detail[k] = new JsonObject { ["limit"] = limits.GetValueOrDefault(k, 10), [detailKeys.InUse] = used, [detailKeys.Reserved] = 0 };
                    }

                    return Reply.Json(200, new JsonObject { [wrapper] = detail }.ToJsonString());
            }
        }

        /// <summary>Nova's quota keys at the request's microversion (2.36 and 2.57 removed some).</summary>
        private static string[] NovaKeys(SeenRequest r)
        {
            var keys = new List<string> { "cores", "ram", "instances", "key_pairs", "server_groups", "server_group_members", "metadata_items" };
            Version v = r.Headers.TryGetValue("X-OpenStack-Nova-API-Version", out string? text) && Version.TryParse(text, out Version? parsed) ? parsed : new Version(2, 1);
            if (v < new Version(2, 36))
            {
                keys.AddRange(new[] { "fixed_ips", "floating_ips", "networks", "security_groups", "security_group_rules" });
            }

            if (v < new Version(2, 57))
            {
                keys.AddRange(new[] { "injected_files", "injected_file_content_bytes", "injected_file_path_bytes" });
            }

            return keys.ToArray();
        }

        /// <summary>Keystone unified limits: model, services, registered limits, project limits.</summary>
        private Reply? LimitsRoute(SeenRequest r, string path, Dictionary<string, string> q, JsonNode? body)
        {
            Match m;
            if (r.Method == "GET" && path == "/v3/limits/model")
            {
                return Reply.Json(200, "{\"model\":{\"name\":\"flat\",\"description\":\"flat\"}}");
            }

            if (r.Method == "GET" && path == "/v3/services")
            {
                var list = Services.Where(x => !q.ContainsKey("type") || x.Value == q["type"])
                    .Select(x => (JsonNode)new JsonObject { ["id"] = x.Key, ["type"] = x.Value, ["name"] = x.Value, ["enabled"] = true });
                return Reply.Json(200, new JsonObject { ["services"] = new JsonArray(list.ToArray()) }.ToJsonString());
            }

            if (r.Method == "GET" && path == "/v3/registered_limits")
            {
                var list = RegisteredLimits.Where(l => !q.ContainsKey("service_id") || (string?)l["service_id"] == q["service_id"]);
                return Reply.Json(200, new JsonObject { ["registered_limits"] = new JsonArray(list.Select(l => JsonNode.Parse(l.ToJsonString())).ToArray()) }.ToJsonString());
            }

            if (path == "/v3/limits")
            {
                bool system = r.Headers.TryGetValue("X-Auth-Token", out string? token) && SystemTokens.Contains(token);
                if (r.Method == "GET")
                {
                    // as Keystone does: a project-scoped token sees only its own project's limits
                    var list = Limits.Where(l => (system || (string?)l["project_id"] == "p-1")
                                                 && (!q.ContainsKey("project_id") || (string?)l["project_id"] == q["project_id"])
                                                 && (!q.ContainsKey("service_id") || (string?)l["service_id"] == q["service_id"]));
                    return Reply.Json(200, new JsonObject { ["limits"] = new JsonArray(list.Select(l => JsonNode.Parse(l.ToJsonString())).ToArray()) }.ToJsonString());
                }

                if (r.Method == "POST")
                {
                    if (!system)
                    {
                        return Reply.Json(403, "{\"error\":{\"code\":403,\"message\":\"You are not authorized to perform the requested action: identity:create_limits.\"}}");
                    }

                    var created = new JsonArray();
                    foreach (JsonNode? item in body!["limits"]!.AsArray())
                    {
                        var limit = (JsonObject)JsonNode.Parse(item!.ToJsonString())!;
                        bool registered = RegisteredLimits.Any(rl => (string?)rl["service_id"] == (string?)limit["service_id"] && (string?)rl["resource_name"] == (string?)limit["resource_name"]
                                                                     && (string?)rl["region_id"] == (string?)limit["region_id"]);
                        if (!registered)
                        {
                            return Reply.Json(403, "{\"error\":{\"code\":403,\"message\":\"Unable to create a limit that has no corresponding registered limit.\"}}");
                        }

                        if (Limits.Any(l => (string?)l["project_id"] == (string?)limit["project_id"] && (string?)l["service_id"] == (string?)limit["service_id"] && (string?)l["resource_name"] == (string?)limit["resource_name"]))
                        {
                            return Reply.Json(409, "{\"error\":{\"code\":409,\"message\":\"Duplicate entry\"}}");
                        }

                        limit["id"] = NewId("lim");
                        created.Add(JsonNode.Parse(limit.ToJsonString()));
                    }

                    foreach (JsonNode? c in created)
                    {
                        Limits.Add((JsonObject)JsonNode.Parse(c!.ToJsonString())!);
                    }

                    return Reply.Json(201, new JsonObject { ["limits"] = created }.ToJsonString());
                }
            }

            if ((m = Regex.Match(path, "^/v3/limits/([^/]+)$")).Success)
            {
                bool system = r.Headers.TryGetValue("X-Auth-Token", out string? token) && SystemTokens.Contains(token);
                JsonObject? limit = Limits.FirstOrDefault(l => (string?)l["id"] == m.Groups[1].Value);
                if (!system)
                {
                    return Reply.Json(403, "{\"error\":{\"code\":403,\"message\":\"forbidden\"}}");
                }

                if (limit == null)
                {
                    return Reply.Json(404, "{\"error\":{\"code\":404,\"message\":\"Could not find limit.\"}}");
                }

                switch (r.Method)
                {
                    case "PATCH":
                        limit["resource_limit"] = body!["limit"]!["resource_limit"]!.GetValue<long>();
                        return Reply.Json(200, new JsonObject { ["limit"] = JsonNode.Parse(limit.ToJsonString()) }.ToJsonString());
                    case "DELETE":
                        Limits.Remove(limit);
                        return new Reply { Status = 204, Body = string.Empty };
                }
            }

            return null;
        }

        private static JsonObject Flat(string[] keys, Dictionary<string, long> limits)
        {
            var o = new JsonObject();
            foreach (string k in keys)
            {
                o[k] = limits.GetValueOrDefault(k, 10);
            }

            return o;
        }

        public void Dispose() => Server.Dispose();
    }
}
