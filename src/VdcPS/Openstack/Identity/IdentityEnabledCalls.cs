using System.Threading;
using System.Threading.Tasks;

namespace VdcPS.Openstack.Identity
{
    /// <summary>Typed PATCHes of the enabled flag of a project or a user (drift repair), so callers outside Openstack/ build no JSON.</summary>
    internal static class IdentityEnabledCalls
    {
        /// <summary>PATCH /v3/projects/{id} {"project": {"enabled": ...}}; returns the project as Keystone answers it.</summary>
        public static Task<ProjectDto> SetProjectEnabledAsync(this IdentityApi identity, string projectId, bool enabled, CancellationToken ct)
            => identity.UpdateProjectAsync(projectId, new ProjectUpdateOptions { Enabled = enabled }, ct);

        /// <summary>PATCH /v3/users/{id} {"user": {"enabled": ...}}; returns the user as Keystone answers it.</summary>
        public static Task<UserDto> SetUserEnabledAsync(this IdentityApi identity, string userId, bool enabled, CancellationToken ct)
            => identity.UpdateUserAsync(userId, new UserUpdateOptions { Enabled = enabled }, ct);
    }
}
