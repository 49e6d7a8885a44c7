using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Config;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Contexts
{
    /// <summary>How Connect-VdcCloud was asked to authenticate (its parameter sets).</summary>
    internal enum ConnectionKind
    {
        Cloud,
        Password,
        ApplicationCredential,
        Token,
    }

    /// <summary>What Connect-VdcCloud was given: a clouds.yaml cloud or credentials, and overrides.</summary>
    internal sealed class ConnectionRequest
    {
        public ConnectionKind Kind { get; set; }

        /// <summary>PowerShell's current folder (clouds.yaml in the current folder is read first, as the openstack CLI does).</summary>
        public string CurrentDirectory { get; set; } = string.Empty;

        public string? Cloud { get; set; }
        public Uri? AuthUrl { get; set; }
        public PSCredential? Credential { get; set; }
        public string? ApplicationCredentialId { get; set; }
        public string? ApplicationCredentialName { get; set; }
        public SecureString? ApplicationCredentialSecret { get; set; }
        public string? UserName { get; set; }
        public string? UserId { get; set; }
        public SecureString? Token { get; set; }
        public string? UserDomainName { get; set; }
        public string? UserDomainId { get; set; }
        public string? ProjectName { get; set; }
        public string? ProjectId { get; set; }
        public string? ProjectDomainName { get; set; }
        public string? ProjectDomainId { get; set; }
        public string? DomainName { get; set; }
        public string? DomainId { get; set; }
        public bool System { get; set; }
        public string? Region { get; set; }
        public string? Interface { get; set; }

        /// <summary>Already resolved against PowerShell's current folder.</summary>
        public string? CaCertificatePath { get; set; }
        public bool SkipCertificateCheck { get; set; }
        public Hashtable? EndpointOverride { get; set; }
        public int TimeoutSec { get; set; } = 60;

        /// <summary>True when -TimeoutSec was given (it then wins over clouds.yaml's api_timeout).</summary>
        public bool TimeoutGiven { get; set; }
    }

    /// <summary>A checked connection request, ready to authenticate.</summary>
    internal sealed class PreparedConnection
    {
        internal PreparedConnection(AuthOptions options, HttpSettings settings)
        {
            Options = options;
            Settings = settings;
        }

        internal AuthOptions Options { get; }

        internal HttpSettings Settings { get; }

        /// <summary>"cloud at https://keystone:5000/v3", for ShouldProcess and errors.</summary>
        public string Target => $"{Options.CloudName ?? "cloud"} at {Options.AuthUrl}";

        /// <summary>TLS certificates are not checked (-SkipCertificateCheck or verify: false).</summary>
        public bool SkipsCertificateCheck => Settings.SkipCertificateCheck;
    }

    /// <summary>
    /// The connection feature of Connect-/Disconnect-VdcCloud: turns clouds.yaml, secure.yaml, OS_*
    /// variables and parameters into Keystone authentication options (the openstack CLI's rules),
    /// authenticates, discovers the compute microversions, and revokes and closes connections.
    /// </summary>
    internal static class ConnectionService
    {
        /// <summary>Reads the configuration and checks the options. Throws <see cref="CloudConfigException"/> or <see cref="ArgumentException"/>.</summary>
        public static PreparedConnection Prepare(ConnectionRequest request)
        {
            (AuthOptions options, HttpSettings settings) = BuildOptions(request);
            options.Validate();
            return new PreparedConnection(options, settings);
        }

        /// <summary>Authenticates; the context is named <paramref name="name"/>, else after the cloud or user@host.</summary>
        public static async Task<VdcContext> ConnectAsync(PreparedConnection connection, string? name, ICmdletOutput output, CancellationToken token)
        {
            KeystoneSession session = await ConnectSessionAsync(connection.Options, connection.Settings, output, token).ConfigureAwait(false);
            return new VdcContext(name ?? DefaultName(connection.Options, session), session);
        }

        /// <summary>Revokes the context's token (unless it is the caller's own token).</summary>
        public static Task RevokeAsync(VdcContext context, CancellationToken token) => context.Session.RevokeAsync(token);

        /// <summary>Releases the context's HTTP connections.</summary>
        public static void Close(VdcContext context) => context.Session.Dispose();

        internal static async Task<KeystoneSession> ConnectSessionAsync(AuthOptions options, HttpSettings settings, ICmdletOutput output, CancellationToken token)
        {
            KeystoneSession session = await KeystoneSession.ConnectAsync(options, settings, token).ConfigureAwait(false);
            if (session.Token.Catalog.Count == 0)
            {
                output.Warning("The token has no service catalog (unscoped token): give a project, domain or system scope to use the cloud's services.");
                return session;
            }

            if (session.TryGetEndpoint("compute") != null)
            {
                try
                {
                    session.ComputeVersions = await ComputeVersions.DiscoverAsync(session, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OpenStackApiException || e is VdcServiceUnreachableException)
                {
                    output.Warning($"Could not read the compute API's microversions: {e.Message}");
                }
            }

            return session;
        }

        internal static (AuthOptions, HttpSettings) BuildOptions(ConnectionRequest r)
        {
            AuthOptions options;
            bool verify = true;
            string? caFile = null;
            TimeSpan? timeout = null;
            if (r.Kind == ConnectionKind.Cloud)
            {
                CloudProfile profile = CloudConfigLoader.Load(r.Cloud, new SystemEnvironmentReader(r.CurrentDirectory));
                options = AuthOptionsFactory.FromProfile(profile);
                verify = profile.Verify;
                caFile = profile.CaCertPath;
                timeout = profile.ApiTimeout;
                if (r.Credential != null)
                {
                    options.Method = VdcAuthMethod.Password;
                    options.UserName = r.Credential.UserName;
                    options.UserId = null;
                    options.Password = r.Credential.Password;
                }
            }
            else
            {
                options = new AuthOptions { AuthUrl = r.AuthUrl, Source = "parameters" };
                switch (r.Kind)
                {
                    case ConnectionKind.Password:
                        options.Method = VdcAuthMethod.Password;
                        options.UserName = r.Credential!.UserName;
                        options.Password = r.Credential.Password;
                        break;
                    case ConnectionKind.ApplicationCredential:
                        options.Method = VdcAuthMethod.ApplicationCredential;
                        options.ApplicationCredentialId = r.ApplicationCredentialId;
                        options.ApplicationCredentialName = r.ApplicationCredentialName;
                        options.ApplicationCredentialSecret = r.ApplicationCredentialSecret;
                        options.UserName = r.UserName;
                        options.UserId = r.UserId;
                        break;
                    case ConnectionKind.Token:
                        options.Method = VdcAuthMethod.Token;
                        options.Token = r.Token;
                        break;
                }
            }

            ApplyOverrides(r, options);
            var settings = new HttpSettings
            {
                SkipCertificateCheck = r.SkipCertificateCheck || !verify,
                CaCertificatePath = r.CaCertificatePath ?? caFile,
                Timeout = r.TimeoutGiven || timeout == null ? TimeSpan.FromSeconds(r.TimeoutSec) : timeout.Value,
                UserAgent = "VdcPS/" + typeof(ConnectionService).Assembly.GetName().Version,
            };
            if (settings.CaCertificatePath != null && !File.Exists(settings.CaCertificatePath))
            {
                throw new ArgumentException($"The CA certificate file '{settings.CaCertificatePath}' does not exist.");
            }

            return (options, settings);
        }

        /// <summary>Parameters win over clouds.yaml, as --os-* options win in the openstack CLI.</summary>
        private static void ApplyOverrides(ConnectionRequest r, AuthOptions o)
        {
            if (r.UserDomainName != null || r.UserDomainId != null)
            {
                o.UserDomainName = r.UserDomainName;
                o.UserDomainId = r.UserDomainId;
            }

            bool scopeGiven = r.ProjectName != null || r.ProjectId != null || r.DomainName != null || r.DomainId != null || r.System;
            if (scopeGiven)
            {
                o.ProjectName = r.ProjectName;
                o.ProjectId = r.ProjectId;
                o.DomainName = r.DomainName;
                o.DomainId = r.DomainId;
                o.SystemScope = r.System ? "all" : null;
            }

            if (r.ProjectDomainName != null || r.ProjectDomainId != null)
            {
                o.ProjectDomainName = r.ProjectDomainName;
                o.ProjectDomainId = r.ProjectDomainId;
            }

            // A name without a domain means the default domain, as the openstack CLI assumes.
            if (o.Method != VdcAuthMethod.Token && o.UserId == null && o.UserDomainId == null && o.UserDomainName == null && o.UserName != null)
            {
                o.UserDomainId = "default";
            }

            if (o.ProjectName != null && o.ProjectId == null && o.ProjectDomainId == null && o.ProjectDomainName == null)
            {
                o.ProjectDomainId = o.UserDomainId ?? "default";
                o.ProjectDomainName = o.UserDomainId == null ? o.UserDomainName : null;
                if (o.ProjectDomainName != null)
                {
                    o.ProjectDomainId = null;
                }
            }

            if (r.Region != null)
            {
                o.Region = r.Region;
            }

            if (r.EndpointOverride != null)
            {
                foreach (global::System.Collections.DictionaryEntry entry in r.EndpointOverride)
                {
                    string type = Convert.ToString(entry.Key, global::System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    string url = Convert.ToString(entry.Value, global::System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    if (!Uri.TryCreate(url.Replace("%(project_id)s", "x"), UriKind.Absolute, out _))
                    {
                        throw new ArgumentException($"-EndpointOverride: '{url}' for '{type}' is not an absolute URL.");
                    }

                    o.EndpointOverrides[type] = url;
                }
            }

            if (r.Interface != null)
            {
                o.Interface = r.Interface;
            }
        }

        internal static string DefaultName(AuthOptions options, KeystoneSession session)
        {
            if (!string.IsNullOrEmpty(options.CloudName) && options.CloudName != "environment")
            {
                return options.CloudName!;
            }

            string user = session.Token.User.Name ?? session.Token.User.Id ?? "token";
            return $"{user}@{options.AuthUrl!.Authority}";
        }
    }
}
