using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;
using VdcPS.Quotas;

namespace VdcPS.Tenants
{
    // TenantService, part: provisioning a tenant in one step, with rollback (New-VdcTenant) (the class is described in TenantService.cs).
    internal sealed partial class TenantService
    {
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
    }
}
