using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.BlockStorage;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Network;
using VdcPS.Plans;
using VdcPS.Quotas;

namespace VdcPS.Tenants
{
    /// <summary>What New-VdcTenant was asked to make.</summary>
    internal sealed class TenantRequest
    {
        public string Name { get; set; } = string.Empty;
        public PlanDefinition Plan { get; set; } = null!;
        public string CustomerId { get; set; } = string.Empty;
        public string UserName { get; set; } = string.Empty;
        public string? Email { get; set; }
        public SecureString? Password { get; set; }
        public string DomainId { get; set; } = "default";
        public string Description { get; set; } = string.Empty;
        public IReadOnlyList<QuotaTarget> Quotas { get; set; } = Array.Empty<QuotaTarget>();
        /// <summary>When the contract started (UTC); null = now. For customers moved into VdcPS whose contract began earlier.</summary>
        public DateTime? ActivatedAt { get; set; }

        /// <summary>Take over a tenant another run is provisioning right now (its lease not yet expired).</summary>
        public bool TakeOver { get; set; }
    }

    internal sealed class TenantCreated
    {
        public TenantRecord Tenant { get; set; } = null!;
        /// <summary>The password set in this run (null when the tenant was already complete).</summary>
        public string? Password { get; set; }
        /// <summary>True when nothing was done because the tenant already existed complete.</summary>
        public bool AlreadyComplete { get; set; }
        public bool Resumed { get; set; }
    }

    /// <summary>A tenant operation refused before anything changed; carries a stable error id.</summary>
    internal sealed class TenantRefusedException : Exception
    {
        public TenantRefusedException(string errorId, System.Management.Automation.ErrorCategory category, string message, string? recommendedAction = null)
            : base(message)
        {
            ErrorId = errorId;
            Category = category;
            RecommendedAction = recommendedAction;
        }

        public string ErrorId { get; }
        public System.Management.Automation.ErrorCategory Category { get; }
        public string? RecommendedAction { get; }
    }

    /// <summary>
    /// The tenant lifecycle over Keystone, Nova, Cinder and Neutron. Every multi-step change keeps
    /// an <see cref="UndoLog"/>: a failure at any step undoes what this run did, so no half-made
    /// tenant is left; reruns complete what an interrupted run left (state "provisioning" or
    /// "removing" on the project).
    /// </summary>
    internal sealed class TenantService
    {
        /// <summary>How long a provisioning run holds its tenant against a second concurrent run.</summary>
        internal static TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

        private readonly KeystoneSession _session;
        private readonly IdentityApi _identity;
        private readonly IReadOnlyList<IQuotaApi> _quotaApis;
        private TenantSuspension? _suspension;
        private TenantTermination? _termination;

        /// <summary>The tenant service of a connection: it builds the Keystone, Nova, Cinder and Neutron clients it needs.</summary>
        public TenantService(VdcContext context)
            : this(context.Session)
        {
        }

        public TenantService(KeystoneSession session)
        {
            _session = session;
            _identity = new IdentityApi(session);
            _quotaApis = new IQuotaApi[] { new ComputeApi(session), new BlockStorageApi(session), new NetworkApi(session) };
            Leases = new TenantLeases(_identity);
        }

        /// <summary>The lease every change of an existing tenant runs under (see <see cref="TenantLeases"/>).</summary>
        internal TenantLeases Leases { get; }

        internal IdentityApi Identity => _identity;

        internal IReadOnlyList<IQuotaApi> QuotaApis => _quotaApis;

        // ================================================================ create
        public async Task<TenantCreated> CreateAsync(TenantRequest request, CancellationToken ct)
        {
            string roleName = request.Plan.Role;
            Task<string?> roleLookup = _identity.FindRoleIdAsync(roleName, ct);
            var undo = new UndoLog();
            string step = "Reading the role";
            string lease = Guid.NewGuid().ToString("N");
            try
            {
                string roleId = await roleLookup.ConfigureAwait(false)
                    ?? throw new TenantRefusedException(ErrorIds.RoleNotFound, System.Management.Automation.ErrorCategory.ObjectNotFound,
                        $"Plan '{request.Plan.Name}' grants role '{roleName}', which does not exist in this cloud.", "Create the role, or fix the plan's role.");

                // 1. project (atomic, unique name per domain: the first concurrent run wins)
                step = $"Creating project '{request.Name}'";
                ProjectDto project;
                bool resumed = false;
                var create = new ProjectCreateOptions
                {
                    Name = request.Name,
                    DomainId = request.DomainId,
                    Description = request.Description,
                    Enabled = true,
                };
                create.Extra.Add(new KeyValuePair<string, object?>(TenantRecord.PlanKey, request.Plan.Name));
                create.Extra.Add(new KeyValuePair<string, object?>(TenantRecord.CustomerKey, request.CustomerId));
                create.Extra.Add(new KeyValuePair<string, object?>(TenantRecord.StateKey, "provisioning"));
                create.Extra.Add(new KeyValuePair<string, object?>(TenantRecord.UserNameKey, request.UserName));
                create.Extra.Add(new KeyValuePair<string, object?>(TenantRecord.EmailKey, request.Email ?? string.Empty));
                create.Extra.Add(new KeyValuePair<string, object?>(TenantRecord.LeaseKey, $"{lease} {TenantRecord.Format(DateTime.UtcNow)}"));
                try
                {
                    project = await _identity.CreateProjectAsync(create, ct).ConfigureAwait(false);
                    string projectId = project.Id;
                    undo.Add($"project '{request.Name}'", t => _identity.DeleteProjectAsync(projectId, t));
                    OperationLog.Verbose($"Created project '{project.Name}' ({project.Id}) in domain '{project.DomainId}'.");
                }
                catch (OpenStackApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
                {
                    ProjectDto? found = await _identity.FindProjectAsync(request.Name, request.DomainId, ct).ConfigureAwait(false);
                    if (found == null)
                    {
                        throw; // 409 for a reason other than the name: report Keystone's answer
                    }

                    ProjectDto existing = found;
                    TenantCreated? done = await CheckExistingAsync(existing, request, lease, ct).ConfigureAwait(false);
                    if (done != null)
                    {
                        return done;
                    }

                    project = existing;
                    resumed = true;
                    // Half-made by a crashed run: if this run fails too, nothing of it may stay.
                    undo.Add($"project '{request.Name}'", t => _identity.DeleteProjectAsync(existing.Id, t));
                }

                // 2. user (needs the project as its default project)
                step = $"Creating user '{request.UserName}'";
                string password = AuthOptions.Plain(request.Password) ?? PasswordGenerator.Generate();
                UserDto user = await EnsureUserAsync(request, project, password, resumed, undo, ct).ConfigureAwait(false);

                // 3. role and quotas are independent: send them together
                step = $"Granting role '{roleName}' and setting the plan's quotas";
                var work = new List<Task>
                {
                    GrantAsync(project.Id, user.Id, roleId, roleName, request.Name, undo, ct),
                };
                work.AddRange(_quotaApis.Select(api => ApplyQuotasAsync(api, project.Id, request.Name, request.Quotas, undo, ct)));
                await WhenAllOrFirstFailure(work).ConfigureAwait(false);

                // 3b. the plan's starter network (after the quotas, which Neutron checks it against)
                if (request.Plan.StarterNetwork != null)
                {
                    step = "Creating the starter network";
                    await new StarterNetwork(_session).EnsureAsync(request.Plan.StarterNetwork, project.Id, request.Name, undo, provisioning: true, ct).ConfigureAwait(false);
                }

                // 4. commit: the tenant is active from now on (billing starts here)
                step = "Marking the tenant active";
                DateTime now = request.ActivatedAt?.ToUniversalTime() ?? DateTime.UtcNow;
                var commit = new ProjectUpdateOptions();
                commit.Extra[TenantRecord.StateKey] = "active";
                commit.Extra[TenantRecord.ActivatedKey] = TenantRecord.Format(now);
                commit.Extra[TenantRecord.UserIdKey] = user.Id;
                commit.Extra[TenantRecord.UserNameKey] = user.Name;
                commit.Extra[TenantRecord.LeaseKey] = null;
                commit.Extra[TenantRecord.HistoryKey] = TenantRecord.HistoryWith(project, new TenantEvent(now, "activated", request.Plan.Name));
                commit.Extra[QuotaHistory.Key] = QuotaHistory.With(project, QuotaHistory.Entry(now, QuotaHistory.NewTenant, QuotaValues(request.Quotas)));
                ProjectDto committed = await _identity.UpdateProjectAsync(project.Id, commit, ct).ConfigureAwait(false);
                OperationLog.Verbose($"Tenant '{request.Name}' is active on plan '{request.Plan.Name}' for customer '{request.CustomerId}'.");
                return new TenantCreated { Tenant = new TenantRecord(committed), Password = password, Resumed = resumed };
            }
            catch (TenantRefusedException)
            {
                RollbackReport report = await undo.RollbackAsync().ConfigureAwait(false);
                if (!report.Complete)
                {
                    OperationLog.Warning(report.ToString());
                }

                throw;
            }
            catch (Exception e)
            {
                RollbackReport report = await undo.RollbackAsync().ConfigureAwait(false);
                if (e is OperationCanceledException && ct.IsCancellationRequested)
                {
                    OperationLog.Warning($"Stopped while '{step}'. {report}");
                    throw;
                }

                throw new VdcOperationFailedException(step, e, report);
            }
        }

        /// <summary>
        /// The project exists already. Returns a result when there is nothing to do; null when this
        /// run should complete an interrupted provisioning; throws when the name is someone else's.
        /// </summary>
        private async Task<TenantCreated?> CheckExistingAsync(ProjectDto existing, TenantRequest request, string lease, CancellationToken ct)
        {
            if (!TenantRecord.IsManaged(existing))
            {
                throw new TenantRefusedException(ErrorIds.TenantNameTaken, System.Management.Automation.ErrorCategory.ResourceExists,
                    $"A project named '{request.Name}' already exists in domain '{request.DomainId}' and was not created by VdcPS.", "Choose another tenant name.");
            }

            string? customer = existing.ExtraString(TenantRecord.CustomerKey);
            if (!string.Equals(customer, request.CustomerId, StringComparison.Ordinal))
            {
                throw new TenantRefusedException(ErrorIds.TenantNameTaken, System.Management.Automation.ErrorCategory.ResourceExists,
                    $"Tenant '{request.Name}' already exists for another customer ('{customer}').", "Choose another tenant name.");
            }

            string? plan = existing.ExtraString(TenantRecord.PlanKey);
            VdcTenantState state = TenantRecord.StateOf(existing);
            if (state == VdcTenantState.Active || state == VdcTenantState.Suspended)
            {
                if (!string.Equals(plan, request.Plan.Name, StringComparison.OrdinalIgnoreCase))
                {
                    throw new TenantRefusedException(ErrorIds.TenantExists, System.Management.Automation.ErrorCategory.ResourceExists,
                        $"Tenant '{request.Name}' already exists for customer '{customer}' on plan '{plan}', not '{request.Plan.Name}'.",
                        "Use Set-VdcTenant -Plan to change the plan of an existing tenant.");
                }

                OperationLog.Warning($"Tenant '{request.Name}' already exists ({state.ToString().ToLowerInvariant()}, plan '{plan}', customer '{customer}'): nothing was changed.");
                return new TenantCreated { Tenant = new TenantRecord(existing), AlreadyComplete = true };
            }

            if (state == VdcTenantState.Removing)
            {
                throw new TenantRefusedException(ErrorIds.TenantBusy, System.Management.Automation.ErrorCategory.ResourceBusy,
                    $"Tenant '{request.Name}' is being removed.", "Finish the removal with Remove-VdcTenant, then create it again.");
            }

            // provisioning: another run may be at work right now
            string[] parts = (existing.ExtraString(TenantRecord.LeaseKey) ?? string.Empty).Split(' ');
            DateTime? leasedAt = parts.Length == 2 ? TenantRecord.Parse(parts[1]) : null;
            if (!request.TakeOver && leasedAt.HasValue && DateTime.UtcNow - leasedAt.Value < LeaseDuration)
            {
                throw new TenantRefusedException(ErrorIds.TenantBusy, System.Management.Automation.ErrorCategory.ResourceBusy,
                    $"Tenant '{request.Name}' is being provisioned by another run (since {parts[1]}).",
                    $"Wait and run the command again, or use -Force to take over after a crash (the other run holds it for {LeaseDuration.TotalMinutes:0} minutes).");
            }

            if (!string.Equals(plan, request.Plan.Name, StringComparison.OrdinalIgnoreCase))
            {
                await _identity.UpdateProjectAsync(existing.Id, Extra(TenantRecord.PlanKey, request.Plan.Name), ct).ConfigureAwait(false);
            }

            await _identity.UpdateProjectAsync(existing.Id, Extra(TenantRecord.LeaseKey, $"{lease} {TenantRecord.Format(DateTime.UtcNow)}"), ct).ConfigureAwait(false);
            OperationLog.Verbose($"Tenant '{request.Name}' was left half-made by an earlier run: completing it.");
            return null;
        }

        private async Task<UserDto> EnsureUserAsync(TenantRequest request, ProjectDto project, string password, bool resumed, UndoLog undo, CancellationToken ct)
        {
            var body = new UserCreateOptions
            {
                Name = request.UserName,
                DomainId = request.DomainId,
                Password = password,
                DefaultProjectId = project.Id,
                Enabled = true,
                Description = $"VdcPS tenant '{request.Name}' (customer {request.CustomerId})",
                Email = request.Email,
            };

            try
            {
                UserDto user = await _identity.CreateUserAsync(body, ct).ConfigureAwait(false);
                undo.Add($"user '{user.Name}'", t => _identity.DeleteUserAsync(user.Id, t));
                OperationLog.Verbose($"Created user '{user.Name}' ({user.Id}).");
                return user;
            }
            catch (OpenStackApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                UserDto? existing = await _identity.FindUserAsync(request.UserName, request.DomainId, ct).ConfigureAwait(false);
                if (existing == null || existing.DefaultProjectId != project.Id)
                {
                    throw new TenantRefusedException(ErrorIds.UserNameTaken, System.Management.Automation.ErrorCategory.ResourceExists,
                        $"A user named '{request.UserName}' already exists in domain '{request.DomainId}' and does not belong to tenant '{request.Name}'.",
                        "Give the tenant's user another name with -UserName.");
                }

                // Left by an interrupted run: its password was never handed over, so set a new one.
                undo.Add($"user '{existing.Name}'", t => _identity.DeleteUserAsync(existing.Id, t));
                await _identity.UpdateUserAsync(existing.Id, new UserUpdateOptions { Password = password, Enabled = true }, ct).ConfigureAwait(false);
                OperationLog.Verbose($"Reused user '{existing.Name}' ({existing.Id}) left by an earlier run and set a new password.");
                return existing;
            }
        }

        private async Task GrantAsync(string projectId, string userId, string roleId, string roleName, string tenant, UndoLog undo, CancellationToken ct)
        {
            await _identity.GrantProjectRoleAsync(projectId, userId, roleId, ct).ConfigureAwait(false);
            undo.Add($"role '{roleName}' on '{tenant}'", t => _identity.RevokeProjectRoleAsync(projectId, userId, roleId, t));
            OperationLog.Verbose($"Granted role '{roleName}' on project '{tenant}'.");
        }

        private static async Task ApplyQuotasAsync(IQuotaApi api, string projectId, string tenant, IReadOnlyList<QuotaTarget> targets, UndoLog undo, CancellationToken ct)
        {
            IReadOnlyDictionary<string, long> wanted = QuotaTargetCalculator.ForService(targets, api.Service);
            if (wanted.Count == 0)
            {
                return;
            }

            // Registered before the write: a write that fails half-way still gets reset.
            undo.Add($"{api.Service} quotas of '{tenant}'", t => api.ResetAsync(projectId, t));
            IReadOnlyDictionary<string, long> answered = await api.SetAsync(projectId, wanted, ct).ConfigureAwait(false);
            VerifyWritten(api.Service, wanted, answered);
            OperationLog.Verbose($"Set {api.Service} quotas of '{tenant}': {string.Join(", ", wanted.Select(w => $"{w.Key}={w.Value}"))}.");
        }

        /// <summary>Some clouds answer 200 and ignore the write (Nova with unified limits): compare.</summary>
        internal static void VerifyWritten(string service, IReadOnlyDictionary<string, long> wanted, IReadOnlyDictionary<string, long> answered)
        {
            var wrong = wanted.Where(w => !answered.TryGetValue(w.Key, out long got) || got != w.Value)
                .Select(w => $"{w.Key}: wanted {w.Value}, the service has {(answered.TryGetValue(w.Key, out long got) ? got.ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")}")
                .ToList();
            if (wrong.Count > 0)
            {
                throw new QuotaNotAppliedException(service, $"The {service} service accepted the quota write but did not apply it ({string.Join("; ", wrong)}). The cloud may enforce limits elsewhere (Keystone unified limits).");
            }
        }

        private static async Task WhenAllOrFirstFailure(IReadOnlyCollection<Task> tasks)
        {
            // Wait for all (so every successful step has registered its undo), then surface the first failure.
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                Exception? first = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
                throw first ?? new OperationCanceledException();
            }
        }

        private static ProjectUpdateOptions Extra(string key, object? value)
            => new ProjectUpdateOptions { Extra = { [key] = value } };

        // ================================================================ read
        public async Task<TenantRecord?> FindAsync(string? id, string? name, string domainId, CancellationToken ct)
        {
            ProjectDto? project = !string.IsNullOrEmpty(id)
                ? await _identity.GetProjectAsync(id!, ct).ConfigureAwait(false)
                : await _identity.FindProjectAsync(name!, domainId, ct).ConfigureAwait(false);
            return project == null ? null : new TenantRecord(project);
        }

        /// <summary>Every project (managed or not) of the domain (null: of every domain), filtered by Keystone.</summary>
        public async Task<IReadOnlyList<TenantRecord>> ListAsync(string? domainId, bool? enabled, string? namePrefix, CancellationToken ct)
            => (await _identity.ListProjectsAsync(domainId, enabled, namePrefix, ct).ConfigureAwait(false)).Select(p => new TenantRecord(p)).ToList();

        // ================================================================ suspend / resume
        /// <summary>
        /// Disables (or enables) the project and the tenant's user, and records the event; under the
        /// tenant's lease, on the record as read after taking it. Changed is false when another run
        /// had already brought the tenant into that state.
        /// </summary>
        public Task<TenantChange> SetSuspendedAsync(
            TenantRecord tenant, bool suspend, CancellationToken ct, Action<TenantChange>? whileHeld = null, VdcSuspensionMode mode = VdcSuspensionMode.Access)
            => Leases.RunAsync(tenant.Project, suspend ? "Suspend-VdcTenant" : "Resume-VdcTenant", (fresh, t) => SetSuspendedLeasedAsync(fresh, suspend, mode, t), ct, whileHeld);

        /// <summary>The suspension recorded on the project; a damaged record is an error that names it, never a guess.</summary>
        internal static SuspensionRecord? SuspensionOf(ProjectDto project)
        {
            try
            {
                return SuspensionRecord.Parse(project.ExtraString(SuspensionRecord.Key));
            }
            catch (FormatException e)
            {
                throw new TenantRecordDamagedException(project, new[] { (SuspensionRecord.Key, e.Message) });
            }
        }

        private async Task<TenantChange> SetSuspendedLeasedAsync(ProjectDto project, bool suspend, VdcSuspensionMode mode, CancellationToken ct)
        {
            TenantRecord.Validate(project);
            VdcTenantState state = TenantRecord.StateOf(project);
            VdcTenantState wanted = suspend ? VdcTenantState.Suspended : VdcTenantState.Active;
            SuspensionRecord? recorded = SuspensionOf(project);
            if (state == wanted)
            {
                if (suspend && recorded != null)
                {
                    // A rerun: finish what an interrupted suspension of the same mode left (every step is idempotent).
                    if (recorded.Mode != mode)
                    {
                        throw new TenantRefusedException(ErrorIds.TenantStateInvalid, System.Management.Automation.ErrorCategory.InvalidOperation,
                            $"Tenant '{project.Name}' is already suspended in mode {recorded.Mode}, not {mode}. Nothing was changed.",
                            $"Run Resume-VdcTenant first, or Suspend-VdcTenant -Mode {recorded.Mode} to finish that suspension.");
                    }

                    await HoldServersAsync(project, recorded, ct).ConfigureAwait(false);
                }

                return new TenantChange(project, project, changed: false);
            }

            if (state != (suspend ? VdcTenantState.Active : VdcTenantState.Suspended))
            {
                throw new TenantRefusedException(ErrorIds.TenantStateInvalid, System.Management.Automation.ErrorCategory.InvalidOperation,
                    $"Tenant '{project.Name}' is {TenantRecord.StateText(state)}; only a{(suspend ? "n active" : " suspended")} tenant can be {(suspend ? "suspended" : "resumed")}. Nothing was changed.");
            }

            DateTime now = DateTime.UtcNow;
            SuspensionRecord? suspension = null;
            if (suspend && mode != VdcSuspensionMode.Access)
            {
                // Chosen before anything changes and written with the state, so that any machine can finish or undo it.
                suspension = new SuspensionRecord(mode, now, await Suspension.PlanAsync(project.Id, mode, ct).ConfigureAwait(false));
            }
            else if (!suspend && recorded != null)
            {
                // The servers first: until they run again the tenant stays suspended, and a rerun goes on from here.
                try
                {
                    await Suspension.ReleaseAsync(recorded, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                {
                    throw new VdcOperationFailedException("Starting the servers the suspension held", e,
                        "The tenant is still suspended: run Resume-VdcTenant again to finish the resumption.");
                }
            }

            var undo = new UndoLog();
            string step = suspend ? "Disabling the project" : "Enabling the project";
            string plan = TenantRecord.PlanOf(project);
            TenantChange result;
            try
            {
                string writtenState = suspend ? "suspended" : "active";
                var change = new ProjectUpdateOptions { Enabled = !suspend };
                change.Extra[TenantRecord.StateKey] = writtenState;
                change.Extra[TenantRecord.SuspendedKey] = suspend ? TenantRecord.Format(now) : null;
                change.Extra[TenantRecord.HistoryKey] = TenantRecord.HistoryWith(project, new TenantEvent(now, suspend ? "suspended" : "resumed", plan));
                change.Extra[SuspensionRecord.Key] = suspension?.Format();
                ProjectDto updated = await _identity.UpdateProjectAsync(project.Id, change, ct).ConfigureAwait(false);
                undo.Add($"project '{project.Name}' state", async t =>
                {
                    // compare before undo: only while the project still shows what this run wrote
                    ProjectDto? current = await _identity.GetProjectAsync(project.Id, t).ConfigureAwait(false);
                    if (current == null || current.ExtraString(TenantRecord.StateKey) != writtenState || current.Enabled == project.Enabled)
                    {
                        throw new UndoSkippedException($"changed since by another writer (state '{current?.ExtraString(TenantRecord.StateKey)}')");
                    }

                    var restore = new ProjectUpdateOptions { Enabled = project.Enabled };
                    restore.Extra[TenantRecord.StateKey] = project.ExtraString(TenantRecord.StateKey);
                    restore.Extra[TenantRecord.SuspendedKey] = project.ExtraString(TenantRecord.SuspendedKey);
                    restore.Extra[TenantRecord.HistoryKey] = project.ExtraAsIs(TenantRecord.HistoryKey) ?? (object)Array.Empty<string>();
                    restore.Extra[SuspensionRecord.Key] = project.ExtraString(SuspensionRecord.Key);
                    await _identity.UpdateProjectAsync(project.Id, restore, t).ConfigureAwait(false);
                });

                string? userId = project.ExtraString(TenantRecord.UserIdKey);
                if (!string.IsNullOrEmpty(userId))
                {
                    step = suspend ? "Disabling the user" : "Enabling the user";
                    await _identity.UpdateUserAsync(userId!, new UserUpdateOptions { Enabled = !suspend }, ct).ConfigureAwait(false);
                }

                OperationLog.Verbose($"{(suspend ? "Suspended" : "Resumed")} tenant '{project.Name}' at {TenantRecord.Format(now)}{(suspension == null ? string.Empty : $" (mode {mode}, {suspension.Servers.Count} server(s))")}.");
                result = new TenantChange(project, updated, changed: true);
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

            // Access is cut and the record written: from here a failure (or Ctrl+C) rolls forward, never back.
            if (suspension != null)
            {
                await HoldServersAsync(result.After.Project, suspension, ct).ConfigureAwait(false);
            }

            return result;
        }

        /// <summary>
        /// Stops or shelves and locks the servers of a recorded suspension. The tenant is suspended
        /// already (access is cut), so a failure rolls forward, never back: a rerun finishes.
        /// </summary>
        private async Task HoldServersAsync(ProjectDto project, SuspensionRecord record, CancellationToken ct)
        {
            try
            {
                await Suspension.ApplyAsync(record, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw new VdcOperationFailedException($"Holding the servers of '{project.Name}' (mode {record.Mode})", e,
                    $"The tenant is suspended (access is cut): run Suspend-VdcTenant -Mode {record.Mode} again to finish, or Resume-VdcTenant to undo it.");
            }
        }

        private TenantSuspension Suspension => _suspension ??= new TenantSuspension(new ComputeApi(_session));

        // ================================================================ change
        /// <summary>
        /// Changes plan (quotas to the new plan's values), description and customer, atomically, under
        /// the tenant's lease. A plan the tenant is already on (another run moved it meanwhile) is not
        /// moved again.
        /// </summary>
        public Task<TenantChange> ChangeAsync(
            TenantRecord tenant, PlanDefinition? newPlan, IReadOnlyList<QuotaTarget>? newQuotas, string? description, string? customerId, CancellationToken ct,
            Action<TenantChange>? whileHeld = null)
            => Leases.RunAsync(tenant.Project, "Set-VdcTenant", (fresh, t) => ChangeLeasedAsync(fresh, newPlan, newQuotas, description, customerId, t), ct, whileHeld);

        private async Task<TenantChange> ChangeLeasedAsync(
            ProjectDto project, PlanDefinition? newPlan, IReadOnlyList<QuotaTarget>? newQuotas, string? description, string? customerId, CancellationToken ct)
        {
            TenantRecord.Validate(project);
            VdcTenantState state = TenantRecord.StateOf(project);
            if (state != VdcTenantState.Active && state != VdcTenantState.Suspended)
            {
                throw new TenantRefusedException(ErrorIds.TenantStateInvalid, System.Management.Automation.ErrorCategory.InvalidOperation,
                    $"Tenant '{project.Name}' is {TenantRecord.StateText(state)}: only an active or suspended tenant can be changed. Nothing was changed.");
            }

            if (newPlan != null && string.Equals(newPlan.Name, TenantRecord.PlanOf(project), StringComparison.OrdinalIgnoreCase))
            {
                newPlan = null; // already there
                newQuotas = null;
            }

            var undo = new UndoLog();
            string step = "Changing the tenant";
            try
            {
                if (newPlan != null && newQuotas != null)
                {
                    step = $"Setting the quotas of plan '{newPlan.Name}'";
                    var work = _quotaApis.Select(api => ChangeQuotasAsync(api, project, newQuotas, undo, ct)).ToList();
                    await WhenAllOrFirstFailure(work).ConfigureAwait(false);
                }

                var change = new ProjectUpdateOptions();
                if (description != null && description != project.Description)
                {
                    change.Description = description;
                }

                if (customerId != null && customerId != project.ExtraString(TenantRecord.CustomerKey))
                {
                    change.Extra[TenantRecord.CustomerKey] = customerId;
                }

                if (newPlan != null)
                {
                    DateTime now = DateTime.UtcNow;
                    change.Extra[TenantRecord.PlanKey] = newPlan.Name;
                    change.Extra[TenantRecord.HistoryKey] = TenantRecord.HistoryWith(project, new TenantEvent(now, "plan-changed", newPlan.Name));
                    if (newQuotas != null && newQuotas.Count > 0)
                    {
                        change.Extra[QuotaHistory.Key] = QuotaHistory.With(project, QuotaHistory.Entry(now, QuotaHistory.SetTenant, QuotaValues(newQuotas)));
                    }
                }

                step = "Recording the change on the project";
                ProjectDto updated = change.IsEmpty ? project : await _identity.UpdateProjectAsync(project.Id, change, ct).ConfigureAwait(false);
                return new TenantChange(project, updated, changed: !change.IsEmpty) { PlanChanged = newPlan != null };
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
        }

        /// <summary>
        /// Records quota values that were just written (Set-VdcQuota, repair) in the project's quota
        /// history, read fresh so that a concurrent entry is kept. Returns the entry.
        /// </summary>
        public async Task<QuotaRecord> RecordQuotasAsync(string projectId, string source, IEnumerable<KeyValuePair<string, long>> values, CancellationToken ct)
        {
            ProjectDto project = await _identity.GetProjectAsync(projectId, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The project {projectId} disappeared before its quota change could be recorded.");
            QuotaRecord entry = QuotaHistory.Entry(DateTime.UtcNow, source, values);
            await _identity.UpdateProjectAsync(projectId, Extra(QuotaHistory.Key, QuotaHistory.With(project, entry)), ct).ConfigureAwait(false);
            OperationLog.Verbose($"Recorded the quota change in project '{project.Name}': {entry}.");
            return entry;
        }

        internal static IEnumerable<KeyValuePair<string, long>> QuotaValues(IEnumerable<QuotaTarget> targets)
            => targets.Select(t => new KeyValuePair<string, long>(t.Service + "." + t.Key, t.Value));

        private static async Task ChangeQuotasAsync(IQuotaApi api, ProjectDto project, IReadOnlyList<QuotaTarget> targets, UndoLog undo, CancellationToken ct)
        {
            IReadOnlyDictionary<string, long> wanted = QuotaTargetCalculator.ForService(targets, api.Service);
            if (wanted.Count == 0)
            {
                return;
            }

            IReadOnlyDictionary<string, QuotaValue> before = await api.GetAsync(project.Id, ct).ConfigureAwait(false);
            var previous = wanted.Keys.Where(before.ContainsKey).ToDictionary(k => k, k => before[k].Limit, StringComparer.Ordinal);
            undo.Add($"{api.Service} quotas of '{project.Name}'", t => QuotaUndo.RestoreOwnAsync(api, project.Id, wanted, previous, (values, t2) => api.SetAsync(project.Id, values, t2), t));
            IReadOnlyDictionary<string, long> answered = await api.SetAsync(project.Id, wanted, ct).ConfigureAwait(false);
            VerifyWritten(api.Service, wanted, answered);
        }

        /// <summary>
        /// The quotas a tenant gets on moving to <paramref name="plan"/>: the plan's defaults, raised to current
        /// usage where the tenant already uses more (as long as the plan's maximum allows it). Usage above
        /// the maximum is a problem, or with <paramref name="force"/> set to the maximum with a warning.
        /// </summary>
        public async Task<PlanQuotaMove> QuotasForPlanAsync(TenantRecord tenant, PlanDefinition plan, bool force, CancellationToken ct)
        {
            IReadOnlyDictionary<string, QuotaValue>[] usage = await Task.WhenAll(_quotaApis.Select(api => api.GetAsync(tenant.Id, ct))).ConfigureAwait(false);
            var byService = _quotaApis.Select((api, i) => (api.Service, Usage: usage[i])).ToDictionary(x => x.Service, x => x.Usage);
            var move = new PlanQuotaMove();
            foreach (PlanQuota q in plan.Quotas)
            {
                long used = byService.TryGetValue(q.Service, out var values) && values.TryGetValue(q.Resource, out QuotaValue v) ? v.InUse + v.Reserved : 0;
                long value = q.Default;
                if (value != -1 && used > value)
                {
                    if (q.Max == -1 || used <= q.Max)
                    {
                        value = used;
                    }
                    else if (force)
                    {
                        value = q.Max;
                        move.Warnings.Add($"Tenant '{tenant.Name}' uses {used} of {q.Service}.{q.Resource}, above the maximum {q.Max} of plan '{plan.Name}': set to {q.Max} (-Force).");
                    }
                    else
                    {
                        move.Problems.Add($"{q.Service}.{q.Resource}: the tenant uses {used}, plan '{plan.Name}' allows at most {q.Max}.");
                        continue;
                    }
                }

                move.Targets.Add(new QuotaTarget(q.Service, q.Resource, value));
            }

            return move;
        }

        // ================================================================ remove
        /// <summary>What the project still owns in every service (servers, volumes, networks, ...).</summary>
        public async Task<IReadOnlyList<OwnedResource>> ListOwnedAsync(string projectId, CancellationToken ct)
        {
            IReadOnlyList<OwnedResource>[] lists = await Task.WhenAll(_quotaApis.Select(api => api.ListOwnedAsync(projectId, ct))).ConfigureAwait(false);
            return lists.SelectMany(l => l).ToList();
        }

        /// <summary>
        /// Removes role assignments, the tenant's user, its quotas and the project. Marks the project
        /// "removing" (and disabled) first, so an interrupted removal is finished by a rerun (roll forward).
        /// </summary>
        public Task<TenantChange> RemoveAsync(TenantRecord tenant, CancellationToken ct, Action<TenantChange>? whileHeld = null, bool deleteResources = false)
            => Leases.RunAsync(tenant.Project, "Remove-VdcTenant", async (fresh, t) =>
            {
                TenantRecord.Validate(fresh);
                if (TenantRecord.StateOf(fresh) == VdcTenantState.Terminated)
                {
                    return new TenantChange(fresh, fresh, changed: false); // another run finished it meanwhile
                }

                ProjectDto kept = await RemoveLeasedAsync(fresh, deleteResources, t).ConfigureAwait(false);
                return new TenantChange(fresh, kept, changed: true);
            }, ct, whileHeld);

        /// <summary>The kept records of terminated tenants that had this name (see <see cref="TenantTerminationRecord"/>).</summary>
        public async Task<IReadOnlyList<TenantRecord>> FindTerminatedAsync(string name, string domainId, CancellationToken ct)
            => (await TenantTerminationRecord.FindAsync(_identity, name, domainId, ct).ConfigureAwait(false)).Select(p => new TenantRecord(p)).ToList();

        /// <summary>Deletes the kept project of a terminated tenant for good (see <see cref="TenantTerminationRecord"/>).</summary>
        public Task<TenantChange> PurgeAsync(TenantRecord tenant, CancellationToken ct, Action<TenantChange>? whileHeld = null)
            => Leases.RunAsync(tenant.Project, "Remove-VdcTenant -Purge", async (fresh, t) =>
            {
                TenantRecord.Validate(fresh);
                bool existed = await TenantTerminationRecord.PurgeAsync(_identity, fresh, t).ConfigureAwait(false);
                return new TenantChange(fresh, fresh, changed: existed);
            }, ct, whileHeld);

        /// <summary>Everything the tenant's project and user own, in the order termination deletes it.</summary>
        public async Task<IReadOnlyList<TenantResource>> InventoryAsync(TenantRecord tenant, CancellationToken ct)
            => (await InventoryAsync(tenant.Project, ct).ConfigureAwait(false)).Select(r => new TenantResource(r.Kind.ToString(), r.ToString())).ToList();

        private Task<IReadOnlyList<ProjectResource>> InventoryAsync(ProjectDto project, CancellationToken ct)
            => Termination.InventoryAsync(project.Id, project.ExtraString(TenantRecord.UserIdKey), ct);

        /// <summary>The inventory as flat objects (Get-VdcTenantResource): what a termination would delete, in its order.</summary>
        public async Task<IReadOnlyList<VdcTenantResource>> ResourcesAsync(TenantRecord tenant, string cloud, CancellationToken ct)
            => TenantTermination.ToResources(await InventoryAsync(tenant.Project, ct).ConfigureAwait(false), tenant.Id, tenant.TenantName, cloud);

        private TenantTermination Termination => _termination ??= new TenantTermination(_session, _identity);

        private async Task<ProjectDto> RemoveLeasedAsync(ProjectDto project, bool deleteResources, CancellationToken ct)
        {
            string step = "Marking the tenant as being removed";
            try
            {
                if (TenantTerminationRecord.NeedsMarking(project))
                {
                    project = await _identity.UpdateProjectAsync(project.Id, TenantTerminationRecord.MarkRemoving(project, DateTime.UtcNow), ct).ConfigureAwait(false);
                }

                DateTime terminatedAt = TenantRecord.TerminatedAt(project) ?? DateTime.UtcNow;

                if (deleteResources)
                {
                    // Read again under the lease (a rerun finds only what is left), delete level by level, then check.
                    step = "Deleting what the tenant owns";
                    IReadOnlyList<ProjectResource> inventory = await InventoryAsync(project, ct).ConfigureAwait(false);
                    int deleted = await Termination.DeleteAllAsync(inventory, ct).ConfigureAwait(false);
                    IReadOnlyList<ProjectResource> left = await InventoryAsync(project, ct).ConfigureAwait(false);
                    var blocking = left.Where(r => !TenantTermination.IsRecreatedDefaultGroup(r)).ToList();
                    if (blocking.Count > 0)
                    {
                        throw new InvalidOperationException($"{blocking.Count} resource(s) are still there after the deletes: {string.Join(", ", blocking)}.");
                    }

                    // Neutron makes the project's "default" security group again whenever the project's
                    // groups are listed (as the check above just did): delete it last, with no listing after.
                    await Termination.DeleteAllAsync(left, ct).ConfigureAwait(false);

                    OperationLog.Verbose($"Deleted {deleted} resource(s) of tenant '{project.Name}'.");
                }

                step = "Removing quotas and role assignments";
                Task quotas = Task.WhenAll(_quotaApis.Select(api => api.ResetAsync(project.Id, ct)));
                IReadOnlyList<RoleAssignmentDto> assignments = await _identity.ListProjectRoleAssignmentsAsync(project.Id, ct).ConfigureAwait(false);
                await Task.WhenAll(assignments.Where(a => a.UserId != null)
                    .Select(a => _identity.RevokeProjectRoleAsync(project.Id, a.UserId!, a.RoleId, ct))).ConfigureAwait(false);
                await quotas.ConfigureAwait(false);

                string? userId = project.ExtraString(TenantRecord.UserIdKey);
                if (string.IsNullOrEmpty(userId))
                {
                    // interrupted before the commit: the user (if any) is found by name and default project
                    string? userName = project.ExtraString(TenantRecord.UserNameKey);
                    if (!string.IsNullOrEmpty(userName))
                    {
                        UserDto? user = await _identity.FindUserAsync(userName!, project.DomainId, ct).ConfigureAwait(false);
                        userId = user != null && user.DefaultProjectId == project.Id ? user.Id : null;
                    }
                }

                if (!string.IsNullOrEmpty(userId))
                {
                    step = "Deleting the tenant's user";
                    await _identity.DeleteUserAsync(userId!, ct).ConfigureAwait(false);
                }

                // The project stays, disabled and renamed, with the record the last invoice is rated from.
                step = "Keeping the terminated tenant's record";
                ProjectDto kept = await _identity.UpdateProjectAsync(project.Id, TenantTerminationRecord.Commit(project, terminatedAt), ct).ConfigureAwait(false);
                OperationLog.Verbose($"Terminated tenant '{TenantRecord.NameOf(project)}' ({project.Id}) as of {TenantRecord.Format(terminatedAt)}; its record is kept as project '{kept.Name}' until Remove-VdcTenant -Purge.");
                return kept;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw new VdcOperationFailedException(step, e,
                    $"The tenant is marked 'removing' and disabled: run Remove-VdcTenant again to finish the removal.");
            }
        }
    }

    /// <summary>What a change under the lease did: the project before (as read under the lease) and after.</summary>
    internal sealed class TenantChange
    {
        public TenantChange(ProjectDto before, ProjectDto after, bool changed)
        {
            Before = new TenantRecord(before);
            After = new TenantRecord(after);
            Changed = changed;
        }

        public TenantRecord Before { get; }

        public TenantRecord After { get; }

        /// <summary>False when there was nothing left to do (another run had done it meanwhile).</summary>
        public bool Changed { get; }

        public bool PlanChanged { get; set; }
    }

    /// <summary>The quotas of a tenant on another plan (see <see cref="TenantService.QuotasForPlanAsync"/>).</summary>
    internal sealed class PlanQuotaMove
    {
        public List<QuotaTarget> Targets { get; } = new List<QuotaTarget>();

        /// <summary>Usage above the new plan's maximum (refuses the move).</summary>
        public List<string> Problems { get; } = new List<string>();

        /// <summary>Quotas set to the maximum below usage (-Force).</summary>
        public List<string> Warnings { get; } = new List<string>();
    }

    /// <summary>Something a tenant owns in a service (a server, a volume, a network, ...), as termination lists it.</summary>
    internal sealed class TenantResource
    {
        public TenantResource(string kind, string description)
        {
            Kind = kind;
            Description = description;
        }

        /// <summary>Server, Volume, Network, ... (termination's order of kinds).</summary>
        public string Kind { get; }

        /// <summary>Kind, name and id, e.g. "Server 'web-1' (4f1c...)".</summary>
        public string Description { get; }

        public override string ToString() => Description;
    }

    /// <summary>The read-back found a value set by another writer at the same time (neither the old value nor ours).</summary>
    public sealed class QuotaChangedConcurrentlyException : Exception
    {
        public QuotaChangedConcurrentlyException(string service, string message)
            : base(message)
        {
            Service = service;
        }

        public string Service { get; }
    }

    /// <summary>A service accepted a quota write and ignored it.</summary>
    public sealed class QuotaNotAppliedException : Exception
    {
        public QuotaNotAppliedException(string service, string message)
            : base(message)
        {
            Service = service;
        }

        public string Service { get; }
    }

    /// <summary>Strong random passwords from the operating system's CSPRNG.</summary>
    internal static class PasswordGenerator
    {
        private const string Lower = "abcdefghijkmnopqrstuvwxyz";
        private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        private const string Digits = "23456789";
        private const string Symbols = "-_.!~+=";

        /// <summary>24 characters, at least one of each class: about 140 bits of entropy.</summary>
        public static string Generate(int length = 24)
        {
            string all = Lower + Upper + Digits + Symbols;
            var chars = new char[length];
            using var rng = System.Security.Cryptography.RandomNumberGenerator.Create();
            string[] classes = { Lower, Upper, Digits, Symbols };
            for (int i = 0; i < length; i++)
            {
                string set = i < classes.Length ? classes[i] : all;
                chars[i] = set[Uniform(rng, set.Length)];
            }

            // shuffle so the class-guaranteed characters are not always first (Fisher-Yates)
            for (int i = length - 1; i > 0; i--)
            {
                int j = Uniform(rng, i + 1);
                (chars[i], chars[j]) = (chars[j], chars[i]);
            }

            return new string(chars);
        }

        /// <summary>A uniform integer in [0, n) without modulo bias.</summary>
        private static int Uniform(System.Security.Cryptography.RandomNumberGenerator rng, int n)
        {
            var buffer = new byte[4];
            uint limit = uint.MaxValue - (uint.MaxValue % (uint)n);
            uint value;
            do
            {
                rng.GetBytes(buffer);
                value = BitConverter.ToUInt32(buffer, 0);
            }
            while (value >= limit);
            return (int)(value % (uint)n);
        }
    }
}
