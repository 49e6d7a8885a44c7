using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Quotas;

namespace VdcPS.Tenants
{
    /// <summary>
    /// Drift of tenants: each tenant compared with its plan and its own record (quotas as last
    /// recorded, project and user enabled as its state says, the plan's role, the starter network),
    /// one finding per difference; and the repair of what can be repaired, under the tenant's lease.
    /// Test-VdcTenant and Repair-VdcTenant call only this.
    /// </summary>
    internal sealed class TenantDrift
    {
        public const string KindQuota = "Quota";
        public const string KindProjectEnabled = "ProjectEnabled";
        public const string KindUserEnabled = "UserEnabled";
        public const string KindUserMissing = "UserMissing";
        public const string KindRoleAssignment = "RoleAssignment";
        public const string KindStarterNetwork = "StarterNetwork";
        public const string KindPlanMissing = "PlanMissing";
        public const string KindTenantRecord = "TenantRecord";
        public const string KindTenantState = "TenantState";

        private readonly TenantService _tenants;
        private readonly StarterNetwork _starter;
        private readonly string _cloud;

        public TenantDrift(VdcContext context)
            : this(context.Session, context.Name)
        {
        }

        internal TenantDrift(KeystoneSession session, string cloud)
        {
            _tenants = new TenantService(session);
            _starter = new StarterNetwork(session);
            _cloud = cloud;
        }

        /// <summary>
        /// The tenants to check: the given IDs and names (names may hold wildcards), or every tenant
        /// VdcPS manages in the domain when none is given. Unknown ones are returned in <paramref name="notFound"/>.
        /// </summary>
        public async Task<IReadOnlyList<TenantRecord>> ResolveAsync(IReadOnlyList<string> ids, IReadOnlyList<string> names, string domainId, List<string> notFound, CancellationToken ct)
        {
            var found = new List<TenantRecord>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            void Add(ProjectDto p)
            {
                if (seen.Add(p.Id))
                {
                    found.Add(new TenantRecord(p));
                }
            }

            foreach (string id in ids)
            {
                ProjectDto? p = (await _tenants.FindAsync(id, null, domainId, ct).ConfigureAwait(false))?.Project;
                if (p == null)
                {
                    notFound.Add(id);
                }
                else
                {
                    Add(p);
                }
            }

            var exact = names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList();
            var patterns = names.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            if (patterns.Count > 0 || (ids.Count == 0 && names.Count == 0))
            {
                IEnumerable<ProjectDto> all = (await _tenants.ListAsync(domainId, null, null, ct).ConfigureAwait(false)).Select(r => r.Project);
                foreach (ProjectDto p in all.Where(TenantRecord.IsManaged).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
                {
                    if (patterns.Count == 0 ? names.Count == 0 : patterns.Any(w => w.IsMatch(p.Name)))
                    {
                        Add(p);
                    }
                }
            }

            foreach (string name in exact)
            {
                ProjectDto? p = (await _tenants.FindAsync(null, name, domainId, ct).ConfigureAwait(false))?.Project;
                if (p == null)
                {
                    notFound.Add(name);
                }
                else
                {
                    Add(p);
                }
            }

            return found;
        }

        /// <summary>Every finding of one tenant (empty when it is as sold). Reads only.</summary>
        public Task<IReadOnlyList<VdcTenantDrift>> CheckAsync(TenantRecord tenant, PlanCatalog catalog, CancellationToken ct)
            => CheckAsync(tenant.Project, catalog, ct);

        private async Task<IReadOnlyList<VdcTenantDrift>> CheckAsync(ProjectDto project, PlanCatalog catalog, CancellationToken ct)
        {
            var findings = new List<VdcTenantDrift>();
            DateTime at = DateTime.UtcNow;
            string plan = project.ExtraString(TenantRecord.PlanKey) ?? string.Empty;
            VdcTenantDrift Finding(string kind, string aspect, string expected, string actual, VdcDriftSeverity severity, bool repairable, string message = "")
                => new VdcTenantDrift
                {
                    TenantId = project.Id, TenantName = project.Name, Plan = plan, Kind = kind, Aspect = aspect, Expected = expected, Actual = actual,
                    Severity = severity, Repairable = repairable, Message = message, Cloud = _cloud, CheckedAt = at,
                };

            if (!TenantRecord.IsManaged(project))
            {
                findings.Add(Finding(KindTenantRecord, "vdcps_plan", "a VdcPS tenant", "not managed by VdcPS", VdcDriftSeverity.Error, false, "The project was not created by VdcPS."));
                return findings;
            }

            try
            {
                TenantRecord.Validate(project);
            }
            catch (TenantRecordDamagedException e)
            {
                findings.Add(Finding(KindTenantRecord, string.Join(",", e.Fields), "a readable record", "damaged", VdcDriftSeverity.Error, false, e.Message));
                return findings;
            }

            VdcTenantState state = TenantRecord.StateOf(project);
            if (state == VdcTenantState.Terminated)
            {
                return findings; // kept only for the last invoice: nothing of it is meant to be there
            }

            if (state != VdcTenantState.Active && state != VdcTenantState.Suspended)
            {
                findings.Add(Finding(KindTenantState, "state", "active or suspended", TenantRecord.StateText(state), VdcDriftSeverity.Error, false,
                    state == VdcTenantState.Removing ? "Finish the removal with Remove-VdcTenant." : "Complete it by running New-VdcTenant again."));
                return findings;
            }

            PlanDefinition? definition = catalog.Find(plan);
            if (definition == null)
            {
                findings.Add(Finding(KindPlanMissing, "plan", plan, "not in the catalog", VdcDriftSeverity.Error, false,
                    $"Plan '{plan}' is not in the catalog {catalog.Path}: the tenant cannot be compared with it."));
            }

            bool enabled = state == VdcTenantState.Active;
            Task<IReadOnlyList<(string Service, string Key, long Expected, long? Actual, long InUse)>> quotas = QuotaDriftAsync(project, definition, ct);
            Task<IReadOnlyList<StarterNetworkGap>> network = definition?.StarterNetwork == null
                ? Task.FromResult<IReadOnlyList<StarterNetworkGap>>(Array.Empty<StarterNetworkGap>())
                : _starter.InspectAsync(definition.StarterNetwork, project.Id, ct);
            Task<string?> roleId = definition == null ? Task.FromResult<string?>(null) : _tenants.Identity.FindRoleIdAsync(definition.Role, ct);

            if (project.Enabled != enabled)
            {
                findings.Add(Finding(KindProjectEnabled, "project.enabled", Bool(enabled), Bool(project.Enabled),
                    VdcDriftSeverity.Error, true, $"The tenant is {TenantRecord.StateText(state)}."));
            }

            string? userId = project.ExtraString(TenantRecord.UserIdKey);
            UserDto? user = string.IsNullOrEmpty(userId) ? null : await _tenants.Identity.GetUserAsync(userId!, ct).ConfigureAwait(false);
            if (user == null)
            {
                findings.Add(Finding(KindUserMissing, "user", project.ExtraString(TenantRecord.UserNameKey) ?? userId ?? string.Empty, "missing",
                    VdcDriftSeverity.Error, false, "The tenant's user is gone; VdcPS does not make a new user with a new password on its own."));
            }
            else
            {
                if (user.Enabled != enabled)
                {
                    findings.Add(Finding(KindUserEnabled, "user.enabled", Bool(enabled), Bool(user.Enabled),
                        VdcDriftSeverity.Error, true, $"User '{user.Name}'; the tenant is {TenantRecord.StateText(state)}."));
                }

                if (definition != null)
                {
                    string? role = await roleId.ConfigureAwait(false);
                    if (role == null)
                    {
                        findings.Add(Finding(KindRoleAssignment, "role " + definition.Role, "granted", "role missing in the cloud", VdcDriftSeverity.Error, false,
                            $"The plan's role '{definition.Role}' does not exist in this cloud."));
                    }
                    else if (!await _tenants.Identity.HasProjectRoleAsync(project.Id, user.Id, role, ct).ConfigureAwait(false))
                    {
                        findings.Add(Finding(KindRoleAssignment, "role " + definition.Role, "granted", "missing", VdcDriftSeverity.Error, true,
                            $"User '{user.Name}' has no role '{definition.Role}' on the project."));
                    }
                }
            }

            foreach (var q in await quotas.ConfigureAwait(false))
            {
                string message = q.Actual.HasValue && q.Expected >= 0 && q.InUse > q.Expected
                    ? $"In use: {q.InUse}, above the expected limit; Repair-VdcTenant lowers it only with -AllowBelowUsage."
                    : string.Empty;
                findings.Add(Finding(KindQuota, q.Service + "." + q.Key, Num(q.Expected), q.Actual.HasValue ? Num(q.Actual.Value) : "missing",
                    q.Actual.HasValue && (q.Actual.Value == -1 || (q.Expected != -1 && q.Actual.Value > q.Expected)) ? VdcDriftSeverity.Warning : VdcDriftSeverity.Error,
                    q.Actual.HasValue, message));
            }

            foreach (StarterNetworkGap gap in await network.ConfigureAwait(false))
            {
                findings.Add(Finding(KindStarterNetwork, gap.Part, gap.Expected, gap.Actual, VdcDriftSeverity.Error, true));
            }

            return findings;
        }

        /// <summary>
        /// The quota values the tenant should have: for each key the newest value in its quota
        /// history (New-VdcTenant, Set-VdcQuota, Set-VdcTenant and repairs record what they set; a
        /// folded "baseline" entry holds the values in force at its time);
        /// the plan's defaults for keys never recorded. Only keys that differ are returned.
        /// </summary>
        private async Task<IReadOnlyList<(string Service, string Key, long Expected, long? Actual, long InUse)>> QuotaDriftAsync(
            ProjectDto project, PlanDefinition? plan, CancellationToken ct)
        {
            Dictionary<string, long> expected = ExpectedQuotas(project, plan);
            var drift = new List<(string, string, long, long?, long)>();
            foreach (IQuotaApi api in _tenants.QuotaApis)
            {
                var mine = expected.Where(e => e.Key.StartsWith(api.Service + ".", StringComparison.Ordinal)).ToList();
                if (mine.Count == 0)
                {
                    continue;
                }

                IReadOnlyDictionary<string, QuotaValue> actual = await api.GetAsync(project.Id, ct).ConfigureAwait(false);
                foreach (KeyValuePair<string, long> e in mine.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    string key = e.Key.Substring(api.Service.Length + 1);
                    if (!actual.TryGetValue(key, out QuotaValue have))
                    {
                        drift.Add((api.Service, key, e.Value, null, 0));
                    }
                    else if (have.Limit != e.Value)
                    {
                        drift.Add((api.Service, key, e.Value, have.Limit, have.InUse));
                    }
                }
            }

            return drift;
        }

        internal static Dictionary<string, long> ExpectedQuotas(ProjectDto project, PlanDefinition? plan)
        {
            var expected = new Dictionary<string, long>(StringComparer.Ordinal);
            if (plan != null)
            {
                foreach (QuotaTarget t in QuotaTargetCalculator.Targets(plan, Array.Empty<QuotaTarget>(), new List<string>()))
                {
                    expected[t.Service + "." + t.Key] = t.Value;
                }
            }

            foreach (QuotaRecord record in QuotaHistory.Read(project).OrderBy(r => r.At))
            {
                foreach (KeyValuePair<string, long> v in record.Values)
                {
                    expected[v.Key] = v.Value;
                }
            }

            return expected;
        }

        // ================================================================ repair
        /// <summary>
        /// Repairs the repairable findings of one tenant under its lease (found again on the
        /// project as read under the lease: what another run fixed meanwhile is not touched), reads
        /// every fix back, records repaired quotas in the quota history, and returns one row per
        /// finding with Repaired set. A quota below what the tenant uses is lowered only with
        /// <paramref name="allowBelowUsage"/>. A failure undoes this run's network parts.
        /// </summary>
        public Task<IReadOnlyList<VdcTenantDrift>> RepairAsync(TenantRecord tenant, PlanCatalog catalog, bool allowBelowUsage, CancellationToken ct)
            => _tenants.Leases.RunAsync(tenant.Project, "Repair-VdcTenant", (fresh, t) => RepairLeasedAsync(fresh, catalog, allowBelowUsage, t), ct);

        private async Task<IReadOnlyList<VdcTenantDrift>> RepairLeasedAsync(ProjectDto project, PlanCatalog catalog, bool allowBelowUsage, CancellationToken ct)
        {
            IReadOnlyList<VdcTenantDrift> findings = await CheckAsync(project, catalog, ct).ConfigureAwait(false);
            if (!findings.Any(f => f.Repairable))
            {
                return findings;
            }

            PlanDefinition plan = catalog.Find(TenantRecord.PlanOf(project))!;
            VdcTenantState state = TenantRecord.StateOf(project);
            bool enabled = state == VdcTenantState.Active;
            string step = "Repairing";
            var undo = new UndoLog();
            try
            {
                // quotas, per service in one write each
                var quotaFixes = findings.Where(f => f.Repairable && f.Kind == KindQuota).ToList();
                var written = new List<KeyValuePair<string, long>>();
                foreach (IQuotaApi api in _tenants.QuotaApis)
                {
                    var mine = quotaFixes.Where(f => f.Aspect.StartsWith(api.Service + ".", StringComparison.Ordinal)).ToList();
                    if (mine.Count == 0)
                    {
                        continue;
                    }

                    step = $"Setting the {api.Service} quotas back";
                    IReadOnlyDictionary<string, QuotaValue> now = await api.GetAsync(project.Id, ct).ConfigureAwait(false);
                    var values = new Dictionary<string, long>(StringComparer.Ordinal);
                    foreach (VdcTenantDrift f in mine)
                    {
                        string key = f.Aspect.Substring(api.Service.Length + 1);
                        long want = long.Parse(f.Expected, System.Globalization.CultureInfo.InvariantCulture);
                        if (want >= 0 && now.TryGetValue(key, out QuotaValue have) && have.InUse > want && !allowBelowUsage)
                        {
                            f.Message = $"Not repaired: the tenant uses {have.InUse}, more than {want}. Use -AllowBelowUsage to lower it anyway.";
                            continue;
                        }

                        values[key] = want;
                    }

                    if (values.Count == 0)
                    {
                        continue;
                    }

                    var previous = values.Keys.Where(now.ContainsKey).ToDictionary(k => k, k => now[k].Limit, StringComparer.Ordinal);
                    var wanted = new Dictionary<string, long>(values, StringComparer.Ordinal);
                    undo.Add($"{api.Service} quotas of '{project.Name}'", t => QuotaUndo.RestoreOwnAsync(api, project.Id, wanted, previous, (v, t2) => api.SetAsync(project.Id, v, t2), t));
                    await api.SetAsync(project.Id, values, ct).ConfigureAwait(false);
                    IReadOnlyDictionary<string, QuotaValue> back = await api.GetAsync(project.Id, ct).ConfigureAwait(false);
                    foreach (VdcTenantDrift f in mine)
                    {
                        string key = f.Aspect.Substring(api.Service.Length + 1);
                        if (values.TryGetValue(key, out long want))
                        {
                            bool ok = back.TryGetValue(key, out QuotaValue got) && got.Limit == want;
                            f.Repaired = ok;
                            f.Message = ok ? "Set back and read back." : $"The service accepted {want} but reports {(back.TryGetValue(key, out QuotaValue g) ? Num(g.Limit) : "nothing")} (a quota write it ignores, as under Keystone unified limits).";
                            if (ok)
                            {
                                written.Add(new KeyValuePair<string, long>(f.Aspect, want));
                            }
                        }
                    }
                }

                // access: project and user enabled as the state says
                if (findings.Any(f => f.Kind == KindProjectEnabled))
                {
                    step = enabled ? "Enabling the project" : "Disabling the project";
                    ProjectDto after = await _tenants.Identity.SetProjectEnabledAsync(project.Id, enabled, ct).ConfigureAwait(false);
                    bool previous = project.Enabled;
                    undo.Add($"project '{project.Name}' enabled", t => _tenants.Identity.SetProjectEnabledAsync(project.Id, previous, t));
                    Mark(findings, KindProjectEnabled, after.Enabled == enabled);
                }

                string? userId = project.ExtraString(TenantRecord.UserIdKey);
                if (findings.Any(f => f.Kind == KindUserEnabled) && !string.IsNullOrEmpty(userId))
                {
                    step = enabled ? "Enabling the user" : "Disabling the user";
                    UserDto after = await _tenants.Identity.SetUserEnabledAsync(userId!, enabled, ct).ConfigureAwait(false);
                    undo.Add("user enabled", t => _tenants.Identity.SetUserEnabledAsync(userId!, !enabled, t));
                    Mark(findings, KindUserEnabled, after.Enabled == enabled);
                }

                if (findings.Any(f => f.Kind == KindRoleAssignment && f.Repairable) && !string.IsNullOrEmpty(userId))
                {
                    step = $"Granting role '{plan.Role}'";
                    string roleId = (await _tenants.Identity.FindRoleIdAsync(plan.Role, ct).ConfigureAwait(false))!;
                    await _tenants.Identity.GrantProjectRoleAsync(project.Id, userId!, roleId, ct).ConfigureAwait(false);
                    undo.Add($"role '{plan.Role}'", t => _tenants.Identity.RevokeProjectRoleAsync(project.Id, userId!, roleId, t));
                    Mark(findings, KindRoleAssignment, await _tenants.Identity.HasProjectRoleAsync(project.Id, userId!, roleId, ct).ConfigureAwait(false));
                }

                if (findings.Any(f => f.Kind == KindStarterNetwork) && plan.StarterNetwork != null)
                {
                    step = "Making the starter network whole";
                    await _starter.EnsureAsync(plan.StarterNetwork, project.Id, project.Name, undo, provisioning: false, ct).ConfigureAwait(false);
                    IReadOnlyList<StarterNetworkGap> left = await _starter.InspectAsync(plan.StarterNetwork, project.Id, ct).ConfigureAwait(false);
                    foreach (VdcTenantDrift f in findings.Where(f => f.Kind == KindStarterNetwork))
                    {
                        f.Repaired = !left.Any(g => g.Part == f.Aspect && g.Expected == f.Expected);
                        f.Message = f.Repaired ? "Made again and read back." : "Still missing after the repair.";
                    }
                }

                if (written.Count > 0)
                {
                    step = "Recording the repaired quotas";
                    await _tenants.RecordQuotasAsync(project.Id, QuotaHistory.Repair, written, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw new VdcOperationFailedException(step, e, await undo.RollbackAsync().ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                await undo.RollbackAsync().ConfigureAwait(false);
                throw;
            }

            foreach (VdcTenantDrift f in findings.Where(f => !f.Repairable && string.IsNullOrEmpty(f.Message)))
            {
                f.Message = "Not repairable by Repair-VdcTenant.";
            }

            return findings;
        }

        private static void Mark(IEnumerable<VdcTenantDrift> findings, string kind, bool ok)
        {
            foreach (VdcTenantDrift f in findings.Where(f => f.Kind == kind && f.Repairable))
            {
                f.Repaired = ok;
                f.Message = ok ? "Set back and read back." : "The service did not keep the change.";
            }
        }

        private static string Bool(bool b) => b ? "True" : "False";

        private static string Num(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
