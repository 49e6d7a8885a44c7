using System;
using System.Net;
using System.Security;
using VdcPS.Models;

namespace VdcPS.Openstack.Identity
{
    /// <summary>Everything needed to get (and later renew) a Keystone v3 token.</summary>
    internal sealed class AuthOptions
    {
        public Uri? AuthUrl { get; set; }

        public VdcAuthMethod Method { get; set; } = VdcAuthMethod.Password;

        public string? UserName { get; set; }

        public string? UserId { get; set; }

        public string? UserDomainName { get; set; }

        public string? UserDomainId { get; set; }

        public SecureString? Password { get; set; }

        public SecureString? Token { get; set; }

        public string? ApplicationCredentialId { get; set; }

        public string? ApplicationCredentialName { get; set; }

        public SecureString? ApplicationCredentialSecret { get; set; }

        public string? ProjectId { get; set; }

        public string? ProjectName { get; set; }

        public string? ProjectDomainName { get; set; }

        public string? ProjectDomainId { get; set; }

        /// <summary>Domain scope.</summary>
        public string? DomainId { get; set; }

        public string? DomainName { get; set; }

        /// <summary>System scope ("all"), or null.</summary>
        public string? SystemScope { get; set; }

        public string? Region { get; set; }

        public string Interface { get; set; } = "public";

        /// <summary>Where the options came from, for messages ("clouds.yaml cloud 'x'", "parameters").</summary>
        public string Source { get; set; } = "parameters";

        public string? CloudName { get; set; }

        /// <summary>Endpoints used instead of the catalog's, by service type; may contain %(project_id)s.</summary>
        public System.Collections.Generic.Dictionary<string, string> EndpointOverrides { get; } =
            new System.Collections.Generic.Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The cloud's plan catalog (clouds.yaml key vdcps_plan_catalog, made absolute), or null.</summary>
        internal string? PlanCatalogPath { get; set; }

        internal static string? Plain(SecureString? secure)
            => secure == null ? null : new NetworkCredential(string.Empty, secure).Password;

        /// <summary>Checks that the options are complete and consistent; throws ArgumentException otherwise.</summary>
        internal void Validate()
        {
            if (AuthUrl == null)
            {
                throw new ArgumentException($"No Keystone auth URL ({Source}): give -AuthUrl, or auth_url in clouds.yaml, or OS_AUTH_URL.");
            }

            if (!AuthUrl.IsAbsoluteUri)
            {
                throw new ArgumentException($"The auth URL '{AuthUrl.OriginalString}' is relative ({Source}): give the full address, for example https://keystone.example.com:5000/v3.");
            }

            if (AuthUrl.Scheme != Uri.UriSchemeHttp && AuthUrl.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"The auth URL '{AuthUrl}' is not an http or https URL ({Source}).");
            }

            switch (Method)
            {
                case VdcAuthMethod.Password:
                    if (string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(UserId))
                    {
                        throw new ArgumentException($"Password authentication needs a user name or user id ({Source}).");
                    }

                    if (Password == null || Password.Length == 0)
                    {
                        throw new ArgumentException($"Password authentication needs a password ({Source}).");
                    }

                    if (string.IsNullOrEmpty(UserId) && string.IsNullOrEmpty(UserDomainId) && string.IsNullOrEmpty(UserDomainName))
                    {
                        throw new ArgumentException($"A user given by name needs its domain: give -UserDomainName or -UserDomainId (user_domain_name in clouds.yaml, OS_USER_DOMAIN_NAME) ({Source}).");
                    }

                    break;
                case VdcAuthMethod.ApplicationCredential:
                    if (ApplicationCredentialSecret == null || ApplicationCredentialSecret.Length == 0)
                    {
                        throw new ArgumentException($"Application credential authentication needs the secret ({Source}).");
                    }

                    if (string.IsNullOrEmpty(ApplicationCredentialId))
                    {
                        if (string.IsNullOrEmpty(ApplicationCredentialName))
                        {
                            throw new ArgumentException($"Application credential authentication needs the credential id, or its name with the user ({Source}).");
                        }

                        if (string.IsNullOrEmpty(UserId) && string.IsNullOrEmpty(UserName))
                        {
                            throw new ArgumentException($"An application credential given by name needs the user that owns it ({Source}).");
                        }

                        if (string.IsNullOrEmpty(UserId) && string.IsNullOrEmpty(UserDomainId) && string.IsNullOrEmpty(UserDomainName))
                        {
                            throw new ArgumentException($"An application credential given by name with a user name needs the user's domain ({Source}).");
                        }
                    }

                    if (HasScope)
                    {
                        throw new ArgumentException($"An application credential carries its own project scope: do not give a project, domain or system scope with it ({Source}).");
                    }

                    break;
                case VdcAuthMethod.Token:
                    if (Token == null || Token.Length == 0)
                    {
                        throw new ArgumentException($"Token authentication needs the token ({Source}).");
                    }

                    break;
            }

            int scopes = (HasProjectScope ? 1 : 0) + (HasDomainScope ? 1 : 0) + (string.IsNullOrEmpty(SystemScope) ? 0 : 1);
            if (scopes > 1)
            {
                throw new ArgumentException($"A token is scoped to exactly one of a project, a domain or the system; more than one was given ({Source}).");
            }

            if (!string.IsNullOrEmpty(ProjectName) && string.IsNullOrEmpty(ProjectId)
                && string.IsNullOrEmpty(ProjectDomainId) && string.IsNullOrEmpty(ProjectDomainName))
            {
                throw new ArgumentException($"A project given by name needs its domain: give -ProjectDomainName or -ProjectDomainId ({Source}).");
            }

            if (Interface != "public" && Interface != "internal" && Interface != "admin")
            {
                throw new ArgumentException($"Interface '{Interface}' is not one of public, internal, admin ({Source}).");
            }
        }

        internal bool HasProjectScope => !string.IsNullOrEmpty(ProjectId) || !string.IsNullOrEmpty(ProjectName);

        internal bool HasDomainScope => !string.IsNullOrEmpty(DomainId) || !string.IsNullOrEmpty(DomainName);

        internal bool HasScope => HasProjectScope || HasDomainScope || !string.IsNullOrEmpty(SystemScope);
    }
}
