using System;
using VdcPS.Config;
using VdcPS.Models;

namespace VdcPS.Openstack.Identity
{
    /// <summary>Turns a resolved clouds.yaml / OS_* profile into authentication options.</summary>
    internal static class AuthOptionsFactory
    {
        internal static AuthOptions FromProfile(CloudProfile profile)
        {
            Uri? authUrl = null;
            if (!string.IsNullOrEmpty(profile.AuthUrl) && !Uri.TryCreate(profile.AuthUrl, UriKind.Absolute, out authUrl))
            {
                throw new ArgumentException($"auth_url '{profile.AuthUrl}' of cloud '{profile.Name}' ({profile.SourceFile}) is not an absolute URL.");
            }

            if (!string.IsNullOrEmpty(profile.IdentityApiVersion) && !profile.IdentityApiVersion!.StartsWith("3", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Cloud '{profile.Name}' asks for identity API version {profile.IdentityApiVersion}; VdcPS speaks Keystone v3 only.");
            }

            var options = new AuthOptions
            {
                AuthUrl = authUrl,
                Method = profile.AuthType switch
                {
                    AuthKind.Token => VdcAuthMethod.Token,
                    AuthKind.ApplicationCredential => VdcAuthMethod.ApplicationCredential,
                    _ => VdcAuthMethod.Password,
                },
                UserName = profile.Username,
                UserId = profile.UserId,
                UserDomainName = profile.UserDomainName,
                UserDomainId = profile.UserDomainId,
                Password = profile.Password,
                Token = profile.Token,
                ApplicationCredentialId = profile.ApplicationCredentialId,
                ApplicationCredentialName = profile.ApplicationCredentialName,
                ApplicationCredentialSecret = profile.ApplicationCredentialSecret,
                ProjectId = profile.ProjectId,
                ProjectName = profile.ProjectName,
                ProjectDomainId = profile.ProjectDomainId,
                ProjectDomainName = profile.ProjectDomainName,
                DomainId = profile.DomainId,
                DomainName = profile.DomainName,
                SystemScope = profile.SystemScope,
                Region = profile.RegionName,
                Interface = profile.Interface,
                PlanCatalogPath = profile.PlanCatalogPath,
                CloudName = profile.SourceFile == CloudConfigLoader.EnvironmentSource ? "environment" : profile.Name,
                Source = profile.SourceFile == CloudConfigLoader.EnvironmentSource
                    ? "OS_* environment variables"
                    : $"cloud '{profile.Name}' in {profile.SourceFile}",
            };
            foreach (var pair in profile.EndpointOverrides)
            {
                options.EndpointOverrides[pair.Key] = pair.Value;
            }

            return options;
        }
    }
}
