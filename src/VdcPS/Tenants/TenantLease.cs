using System;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Openstack.Identity;

namespace VdcPS.Tenants
{
    /// <summary>
    /// The one mutual exclusion of every change to an existing tenant (quotas, plan, customer,
    /// suspension, resumption, removal), seen by every operator's machine because it lives in the
    /// cloud: a Keystone group named <c>vdcps-lease-&lt;project id&gt;</c> in the tenant's domain.
    /// Keystone keeps group names unique per domain, so of two runs that create it at the same time
    /// exactly one gets 201 and the other 409 (a lock, unlike a property written on the project,
    /// which has no compare-and-set). The group has no members and no roles; its description says
    /// who holds it, for what, and until when.
    /// <para>
    /// A run that finds the lease taken waits up to <see cref="Wait"/> for it (changes serialize),
    /// then fails with TenantBusy having changed nothing. A lease left by a killed process expires
    /// <see cref="Duration"/> after it was taken: the next run deletes that group (by its id, so two
    /// runs that both see it expired cannot delete each other's new lease) and takes a new one. An
    /// operator clears it sooner with <c>openstack group delete --domain &lt;domain&gt; vdcps-lease-&lt;id&gt;</c>.
    /// </para>
    /// </summary>
    internal sealed class TenantLeases
    {
        public const string NamePrefix = "vdcps-lease-";

        private const string Marker = "vdcps lease ";

        /// <summary>How long a lease holds at most (a killed run's lease blocks the tenant this long).</summary>
        internal static TimeSpan Duration = TimeSpan.FromMinutes(5);

        /// <summary>How long a change waits for another change of the same tenant before it gives up with TenantBusy.</summary>
        internal static TimeSpan Wait = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The wait in force: $env:VDCPS_LEASE_WAIT (seconds, 0 = do not wait) when set, for runbooks
        /// that would rather fail fast with TenantBusy; else <see cref="Wait"/>.
        /// </summary>
        internal static TimeSpan EffectiveWait
        {
            get
            {
                string? text = Environment.GetEnvironmentVariable("VDCPS_LEASE_WAIT");
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds <= 3600
                    ? TimeSpan.FromSeconds(seconds)
                    : Wait;
            }
        }

        private readonly IdentityApi _identity;

        public TenantLeases(IdentityApi identity)
        {
            _identity = identity;
        }

        /// <summary>Injected by tests: the clock the expiry is measured with.</summary>
        internal Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        public static string NameFor(string projectId) => NamePrefix + projectId;

        /// <summary>
        /// Runs <paramref name="work"/> while holding the tenant's lease, on the project as read
        /// after the lease was taken (never on what was read before: another run may have changed it
        /// in between). <paramref name="whileHeld"/> runs after the work succeeded, still under the
        /// lease (the audit journal is written there, so its order is the order of the changes).
        /// </summary>
        public async Task<T> RunAsync<T>(
            ProjectDto project, string operation, Func<ProjectDto, CancellationToken, Task<T>> work, CancellationToken ct, Action<T>? whileHeld = null)
        {
            Held lease = await AcquireAsync(project, operation, ct).ConfigureAwait(false);
            try
            {
                ProjectDto fresh = await _identity.GetProjectAsync(project.Id, ct).ConfigureAwait(false)
                    ?? throw new TenantRefusedException(ErrorIds.TenantNotFound, System.Management.Automation.ErrorCategory.ObjectNotFound,
                        $"Tenant '{project.Name}' ({project.Id}) was removed by another run while this one waited: nothing was changed.");
                T result = await work(fresh, ct).ConfigureAwait(false);
                whileHeld?.Invoke(result);
                return result;
            }
            finally
            {
                await ReleaseAsync(project, lease).ConfigureAwait(false);
            }
        }

        private async Task<Held> AcquireAsync(ProjectDto project, string operation, CancellationToken ct)
        {
            string name = NameFor(project.Id);
            string token = Guid.NewGuid().ToString("N");
            TimeSpan wait = EffectiveWait;
            DateTime deadline = UtcNow() + wait;
            var random = new Random(token.GetHashCode());
            GroupDto? lastSeen = null;
            while (true)
            {
                DateTime now = UtcNow();
                string description = string.Format(CultureInfo.InvariantCulture, "{0}{1} until {2} by {3}@{4} pid {5}: {6} of tenant '{7}'",
                    Marker, token, TenantRecord.Format(now + Duration), Environment.UserName, Environment.MachineName,
                    System.Diagnostics.Process.GetCurrentProcess().Id, operation, project.Name);
                try
                {
                    GroupDto created = await _identity.CreateGroupAsync(name, project.DomainId, Truncate(description), ct).ConfigureAwait(false);
                    OperationLog.Verbose($"Took the lease of tenant '{project.Name}' ({name}).");
                    return new Held(created.Id, token);
                }
                catch (OpenStackApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
                {
                    // taken: by whom, and is it still valid?
                }

                GroupDto? holder = await _identity.FindGroupAsync(name, project.DomainId, ct).ConfigureAwait(false);
                if (holder == null)
                {
                    continue; // released between our create and our look: try again at once
                }

                if (holder.Description.Contains(token))
                {
                    return new Held(holder.Id, token); // our own create, whose answer was lost and retried
                }

                DateTime? until = Until(holder.Description);
                if (until.HasValue && until.Value < UtcNow())
                {
                    OperationLog.Warning($"Tenant '{project.Name}': took over the lease left by a run that did not finish ({holder.Description}).");
                    await _identity.DeleteGroupAsync(holder.Id, ct).ConfigureAwait(false);
                    continue;
                }

                lastSeen = holder;
                if (UtcNow() >= deadline)
                {
                    string expiry = until.HasValue ? $"it expires at {TenantRecord.Format(until.Value)} if that run was killed" : "it does not expire by itself (not written by VdcPS)";
                    throw new TenantRefusedException(ErrorIds.TenantBusy, System.Management.Automation.ErrorCategory.ResourceBusy,
                        $"Tenant '{project.Name}' is being changed by another run ({Who(lastSeen.Description)}); waited {wait.TotalSeconds:0} s. Nothing was changed.",
                        $"Run the command again when the other run is done; {expiry}. To clear a lease you know is stale: openstack group delete --domain {project.DomainId} {name}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(150 + random.Next(350)), ct).ConfigureAwait(false);
            }
        }

        private async Task ReleaseAsync(ProjectDto project, Held lease)
        {
            // Never with the caller's token: a Ctrl+C must not leave the tenant locked.
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _identity.DeleteGroupAsync(lease.GroupId, budget.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                OperationLog.Warning($"Could not release the lease of tenant '{project.Name}' ({ErrorFactory.Unwrap(e).Message}): "
                                     + $"other changes of it wait until it expires ({Duration.TotalMinutes:0} minutes), or delete it: openstack group delete --domain {project.DomainId} {NameFor(project.Id)}");
            }
        }

        /// <summary>The expiry written in a lease's description; null when it is not one of ours.</summary>
        internal static DateTime? Until(string description)
        {
            if (!description.StartsWith(Marker, StringComparison.Ordinal))
            {
                return null;
            }

            string[] parts = description.Split(' ');
            int i = Array.IndexOf(parts, "until");
            return i > 0 && i + 1 < parts.Length ? TenantRecord.Parse(parts[i + 1]) : null;
        }

        private static string Who(string description)
        {
            int by = description.IndexOf(" by ", StringComparison.Ordinal);
            return by < 0 ? $"lease '{description}'" : description.Substring(by + 4);
        }

        // Keystone limits a group description to 255 characters.
        private static string Truncate(string text) => text.Length <= 255 ? text : text.Substring(0, 255);

        private readonly struct Held
        {
            public Held(string groupId, string token)
            {
                GroupId = groupId;
                Token = token;
            }

            public string GroupId { get; }

            public string Token { get; }
        }
    }
}
