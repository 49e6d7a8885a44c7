using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace VdcPS.Config
{
    /// <summary>How the cloud authenticates to Keystone (the normalised keystoneauth <c>auth_type</c>).</summary>
    internal enum AuthKind
    {
        /// <summary><c>password</c>, <c>v3password</c> (the default when auth_type is not given).</summary>
        Password,

        /// <summary><c>token</c>, <c>v3token</c>: re-scope an existing token.</summary>
        Token,

        /// <summary><c>v3applicationcredential</c>.</summary>
        ApplicationCredential,
    }

    /// <summary>
    /// The fully resolved settings of one cloud, as the <c>openstack</c> CLI would use them. Made by
    /// <see cref="CloudConfigLoader"/>. Secrets are held only as read-only <see cref="SecureString"/>s;
    /// use <see cref="CloudSecrets.Reveal"/> at the moment of use. <see cref="ToString"/> never shows a secret.
    /// </summary>
    internal sealed class CloudProfile
    {
        private SecureString? _password;
        private SecureString? _token;
        private SecureString? _applicationCredentialSecret;

        public CloudProfile(string name, string sourceFile)
        {
            Name = name;
            SourceFile = sourceFile;
        }

        /// <summary>Cloud name (the clouds.yaml key, or "envvars" / $OS_CLOUD_NAME for the environment cloud).</summary>
        public string Name { get; }

        /// <summary>Path of the clouds.yaml (or secure.yaml) the cloud came from, or <see cref="CloudConfigLoader.EnvironmentSource"/>.</summary>
        public string SourceFile { get; }

        public AuthKind AuthType { get; set; } = AuthKind.Password;

        /// <summary>The auth_type exactly as configured after alias resolution (password, v3password, token, v3token, v3applicationcredential).</summary>
        public string AuthTypeName { get; set; } = "password";

        public string? AuthUrl { get; set; }

        public string? Username { get; set; }

        public string? UserId { get; set; }

        public string? UserDomainName { get; set; }

        public string? UserDomainId { get; set; }

        public string? ProjectName { get; set; }

        public string? ProjectId { get; set; }

        public string? ProjectDomainName { get; set; }

        public string? ProjectDomainId { get; set; }

        /// <summary>Domain scope (only set when the cloud is not project-scoped; otherwise domain_* only fill the user/project domains).</summary>
        public string? DomainName { get; set; }

        /// <summary>Domain scope id (see <see cref="DomainName"/>).</summary>
        public string? DomainId { get; set; }

        /// <summary>
        /// The CLI's <c>--os-default-domain</c> (OS_DEFAULT_DOMAIN, else "default"). It has already been
        /// applied to <see cref="UserDomainId"/>/<see cref="ProjectDomainId"/> where the CLI applies it.
        /// </summary>
        public string? DefaultDomain { get; set; }

        /// <summary>System scope, e.g. "all".</summary>
        public string? SystemScope { get; set; }

        public string? TrustId { get; set; }

        public string? ApplicationCredentialId { get; set; }

        public string? ApplicationCredentialName { get; set; }

        /// <summary>Null when no region is configured.</summary>
        public string? RegionName { get; set; }

        /// <summary>public, internal or admin.</summary>
        public string Interface { get; set; } = "public";

        /// <summary>Verify the server certificate (false with insecure: true / verify: false).</summary>
        public bool Verify { get; set; } = true;

        /// <summary>CA bundle to verify against (absolute, '~' expanded).</summary>
        public string? CaCertPath { get; set; }

        public string? ClientCertPath { get; set; }

        public string? ClientKeyPath { get; set; }

        /// <summary>identity_api_version as configured ("3"), or null.</summary>
        public string? IdentityApiVersion { get; set; }

        public TimeSpan? ApiTimeout { get; set; }

        /// <summary>Endpoints to use instead of the catalog's, by service type (compute, block-storage, ...).</summary>
        public Dictionary<string, string> EndpointOverrides { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// The cloud's VdcPS plan catalog: its <c>vdcps_plan_catalog</c> key, '~' expanded and a
        /// relative path made absolute against the folder of the clouds.yaml it is in (the current
        /// folder for the OS_* environment cloud). Null when not set. Not checked for existence here.
        /// </summary>
        public string? PlanCatalogPath { get; set; }

        /// <summary>Things the CLI would warn about (unknown vendor profile, cacert with verify off...).</summary>
        public IReadOnlyList<string> Warnings => _warnings;

        internal List<string> WarningList => _warnings;

        private readonly List<string> _warnings = new List<string>();

        public SecureString? Password => _password;

        public SecureString? Token => _token;

        public SecureString? ApplicationCredentialSecret => _applicationCredentialSecret;

        public bool HasPassword => _password != null;

        public bool HasToken => _token != null;

        public bool HasApplicationCredentialSecret => _applicationCredentialSecret != null;

        /// <summary>Stores the password (copied into a read-only SecureString; null/empty clears it).</summary>
        public void SetPassword(string? plain) => _password = CloudSecrets.Protect(plain);

        public void SetPassword(SecureString? secret) => _password = CloudSecrets.Copy(secret);

        public void SetToken(string? plain) => _token = CloudSecrets.Protect(plain);

        public void SetToken(SecureString? secret) => _token = CloudSecrets.Copy(secret);

        public void SetApplicationCredentialSecret(string? plain) => _applicationCredentialSecret = CloudSecrets.Protect(plain);

        public void SetApplicationCredentialSecret(SecureString? secret) => _applicationCredentialSecret = CloudSecrets.Copy(secret);

        /// <summary>One line for logs and Write-Verbose. Never contains a secret.</summary>
        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append("cloud '").Append(Name).Append("' (").Append(SourceFile).Append("): ");
            sb.Append(AuthType).Append(" auth");
            if (AuthUrl != null)
            {
                sb.Append(" at ").Append(AuthUrl);
            }

            if (Username != null || UserId != null)
            {
                sb.Append(", user '").Append(Username ?? UserId).Append('\'');
                AppendDomain(sb, UserDomainName, UserDomainId);
            }

            if (ApplicationCredentialId != null || ApplicationCredentialName != null)
            {
                sb.Append(", application credential '").Append(ApplicationCredentialId ?? ApplicationCredentialName).Append('\'');
            }

            if (SystemScope != null)
            {
                sb.Append(", system scope '").Append(SystemScope).Append('\'');
            }
            else if (ProjectName != null || ProjectId != null)
            {
                sb.Append(", project '").Append(ProjectName ?? ProjectId).Append('\'');
                AppendDomain(sb, ProjectDomainName, ProjectDomainId);
            }
            else if (DomainName != null || DomainId != null)
            {
                sb.Append(", domain '").Append(DomainName ?? DomainId).Append('\'');
            }

            if (RegionName != null)
            {
                sb.Append(", region ").Append(RegionName);
            }

            sb.Append(", interface ").Append(Interface);
            if (!Verify)
            {
                sb.Append(", TLS verification off");
            }

            switch (AuthType)
            {
                case AuthKind.Password:
                    sb.Append(HasPassword ? ", password set" : ", no password");
                    break;
                case AuthKind.Token:
                    sb.Append(HasToken ? ", token set" : ", no token");
                    break;
                case AuthKind.ApplicationCredential:
                    sb.Append(HasApplicationCredentialSecret ? ", secret set" : ", no secret");
                    break;
            }

            return sb.ToString();
        }

        private static void AppendDomain(StringBuilder sb, string? name, string? id)
        {
            if (name != null || id != null)
            {
                sb.Append(" in domain '").Append(name ?? id).Append('\'');
            }
        }
    }

    /// <summary>Converts secrets to and from <see cref="SecureString"/>.</summary>
    internal static class CloudSecrets
    {
        /// <summary>A read-only SecureString holding <paramref name="plain"/>, or null for null/empty.</summary>
        public static SecureString? Protect(string? plain)
        {
            if (string.IsNullOrEmpty(plain))
            {
                return null;
            }

            var s = new SecureString();
            foreach (char c in plain!)
            {
                s.AppendChar(c);
            }

            s.MakeReadOnly();
            return s;
        }

        /// <summary>A read-only copy, or null for null/empty.</summary>
        public static SecureString? Copy(SecureString? secret)
        {
            if (secret == null || secret.Length == 0)
            {
                return null;
            }

            SecureString copy = secret.Copy();
            copy.MakeReadOnly();
            return copy;
        }

        /// <summary>
        /// The plain text of a secret. Call only at the moment of use (building the Keystone request
        /// body) and do not keep the result.
        /// </summary>
        public static string? Reveal(SecureString? secret)
        {
            if (secret == null)
            {
                return null;
            }

            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(ptr, secret.Length);
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }
    }
}
