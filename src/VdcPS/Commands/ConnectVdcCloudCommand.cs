using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Completers;
using VdcPS.Config;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Openstack.Compute;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Commands
{
    /// <summary>
    /// Authenticates to an OpenStack cloud's Keystone (v3) and makes the connection the
    /// runspace's current context. Reads clouds.yaml, secure.yaml and OS_* variables exactly as
    /// the openstack CLI does, or takes the credentials as parameters.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "VdcCloud", DefaultParameterSetName = CloudSet, SupportsShouldProcess = true)]
    [OutputType(typeof(VdcContext))]
    public sealed class ConnectVdcCloudCommand : VdcCmdlet
    {
        private const string CloudSet = "Cloud";
        private const string PasswordSet = "Password";
        private const string ApplicationCredentialSet = "ApplicationCredential";
        private const string TokenSet = "Token";

        /// <summary>Cloud name in clouds.yaml; default: OS_CLOUD, else the OS_* variables.</summary>
        [Parameter(ParameterSetName = CloudSet, Position = 0)]
        [ArgumentCompleter(typeof(CloudNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Cloud { get; set; }

        [Parameter(ParameterSetName = PasswordSet, Mandatory = true, HelpMessage = "Keystone URL, e.g. https://keystone.example.com:5000/v3")]
        [Parameter(ParameterSetName = ApplicationCredentialSet, Mandatory = true, HelpMessage = "Keystone URL, e.g. https://keystone.example.com:5000/v3")]
        [Parameter(ParameterSetName = TokenSet, Mandatory = true, HelpMessage = "Keystone URL, e.g. https://keystone.example.com:5000/v3")]
        [ValidateNotNull]
        public Uri? AuthUrl { get; set; }

        /// <summary>User name and password (password authentication).</summary>
        [Parameter(ParameterSetName = PasswordSet, Mandatory = true, HelpMessage = "User name and password")]
        [Parameter(ParameterSetName = CloudSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        [Parameter(ParameterSetName = ApplicationCredentialSet)]
        [ValidateNotNullOrEmpty]
        public string? ApplicationCredentialId { get; set; }

        [Parameter(ParameterSetName = ApplicationCredentialSet)]
        [ValidateNotNullOrEmpty]
        public string? ApplicationCredentialName { get; set; }

        [Parameter(ParameterSetName = ApplicationCredentialSet, Mandatory = true, HelpMessage = "The application credential's secret")]
        [ValidateNotNull]
        public SecureString? ApplicationCredentialSecret { get; set; }

        /// <summary>Owner of an application credential given by name.</summary>
        [Parameter(ParameterSetName = ApplicationCredentialSet)]
        [ValidateNotNullOrEmpty]
        public string? UserName { get; set; }

        [Parameter(ParameterSetName = ApplicationCredentialSet)]
        [ValidateNotNullOrEmpty]
        public string? UserId { get; set; }

        [Parameter(ParameterSetName = TokenSet, Mandatory = true, HelpMessage = "An existing Keystone token")]
        [ValidateNotNull]
        public SecureString? Token { get; set; }

        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = ApplicationCredentialSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? UserDomainName { get; set; }

        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = ApplicationCredentialSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? UserDomainId { get; set; }

        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? ProjectName { get; set; }

        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? ProjectId { get; set; }

        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? ProjectDomainName { get; set; }

        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? ProjectDomainId { get; set; }

        /// <summary>Domain scope by name.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? DomainName { get; set; }

        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? DomainId { get; set; }

        /// <summary>System scope (system: all): for deployment-wide APIs such as unified limits.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ParameterSetName = CloudSet)]
        public SwitchParameter System { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Region { get; set; }

        [Parameter]
        [ValidateSet("public", "internal", "admin")]
        public string? Interface { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CaCertificatePath { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>Name of the new context (default: the cloud name, else user@host).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Keep the current context; only return the new one.</summary>
        [Parameter]
        public SwitchParameter NoSetCurrent { get; set; }

        /// <summary>Endpoints to use instead of the catalog's: @{ compute = 'https://proxy/compute/v2.1' } (%(project_id)s is filled in).</summary>
        [Parameter]
        [ValidateNotNull]
        public global::System.Collections.Hashtable? EndpointOverride { get; set; }

        /// <summary>Seconds to wait for one HTTP answer.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 60;

        protected override void EndProcessing()
        {
            AuthOptions options;
            HttpSettings settings;
            try
            {
                (options, settings) = BuildOptions();
                options.Validate();
            }
            catch (CloudConfigException e)
            {
                string id = e.Reason == "CloudNotFound" ? ErrorIds.CloudNotFound : ErrorIds.CloudConfigInvalid;
                ErrorCategory category = e.Reason == "CloudNotFound" ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidData;
                ThrowTerminating(e, id, category, Cloud, "Check the cloud name and the clouds.yaml files listed in the message (Get-Help about_VdcPS).");
                return;
            }
            catch (ArgumentException e)
            {
                ThrowTerminating(e, ErrorIds.AuthOptionsInvalid, ErrorCategory.InvalidArgument, Cloud ?? AuthUrl?.ToString());
                return;
            }

            string target = $"{options.CloudName ?? "cloud"} at {options.AuthUrl}";
            if (!ShouldProcess(target, "Connect"))
            {
                return;
            }

            if (settings.SkipCertificateCheck)
            {
                WriteWarning("TLS certificate checks are off for this connection (-SkipCertificateCheck or verify: false): anyone on the network path can read the credentials and tokens.");
            }

            KeystoneSession session;
            try
            {
                session = RunAsync((output, token) => ConnectAsync(options, settings, output, token));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                Exception error = ErrorFactory.Unwrap(e);
                string id = error switch
                {
                    VdcAuthenticationException => ErrorIds.AuthenticationFailed,
                    VdcServiceUnreachableException => ErrorIds.ServiceUnreachable,
                    VdcNotKeystoneEndpointException => ErrorIds.NotKeystoneEndpoint,
                    ArgumentException => ErrorIds.AuthOptionsInvalid,
                    _ => ErrorIds.OpenStackRequestFailed,
                };
                ThrowTerminatingError(ErrorFactory.FromException(error, id, target,
                    error is VdcServiceUnreachableException ? "Check the auth URL, the network path and TLS settings (-CaCertificatePath)."
                    : error is VdcNotKeystoneEndpointException ? "Use the Keystone identity URL (the auth_url of clouds.yaml), for example https://keystone.example.com:5000/v3."
                    : null));
                return;
            }

            var context = new VdcContext(Name ?? DefaultName(options, session), session);
            VdcContext? replaced = ContextStore.Add(context, makeCurrent: !NoSetCurrent);
            replaced?.Session.Dispose();
            context.IsCurrent = ContextStore.IsCurrent(context);
            WriteVerbose($"Connected to {target} as {context.UserName} ({context.ScopeType} scope '{context.Scope}'); token valid until {context.TokenExpiresAt:u}.");
            WriteObject(context);
        }

        private static async Task<KeystoneSession> ConnectAsync(AuthOptions options, HttpSettings settings, ICmdletOutput output, CancellationToken token)
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

        private (AuthOptions, HttpSettings) BuildOptions()
        {
            AuthOptions options;
            bool verify = true;
            string? caFile = null;
            TimeSpan? timeout = null;
            if (ParameterSetName == CloudSet)
            {
                CloudProfile profile = CloudConfigLoader.Load(Cloud, new SystemEnvironmentReader(SessionState.Path.CurrentFileSystemLocation.ProviderPath));
                options = AuthOptionsFactory.FromProfile(profile);
                verify = profile.Verify;
                caFile = profile.CaCertPath;
                timeout = profile.ApiTimeout;
                if (Credential != null)
                {
                    options.Method = VdcAuthMethod.Password;
                    options.UserName = Credential.UserName;
                    options.UserId = null;
                    options.Password = Credential.Password;
                }
            }
            else
            {
                options = new AuthOptions { AuthUrl = AuthUrl, Source = "parameters" };
                switch (ParameterSetName)
                {
                    case PasswordSet:
                        options.Method = VdcAuthMethod.Password;
                        options.UserName = Credential!.UserName;
                        options.Password = Credential.Password;
                        break;
                    case ApplicationCredentialSet:
                        options.Method = VdcAuthMethod.ApplicationCredential;
                        options.ApplicationCredentialId = ApplicationCredentialId;
                        options.ApplicationCredentialName = ApplicationCredentialName;
                        options.ApplicationCredentialSecret = ApplicationCredentialSecret;
                        options.UserName = UserName;
                        options.UserId = UserId;
                        break;
                    case TokenSet:
                        options.Method = VdcAuthMethod.Token;
                        options.Token = Token;
                        break;
                }
            }

            ApplyOverrides(options);
            var settings = new HttpSettings
            {
                SkipCertificateCheck = SkipCertificateCheck.IsPresent || !verify,
                CaCertificatePath = CaCertificatePath != null ? GetUnresolvedProviderPathFromPSPath(CaCertificatePath) : caFile,
                Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) || timeout == null ? TimeSpan.FromSeconds(TimeoutSec) : timeout.Value,
                UserAgent = "VdcPS/" + typeof(ConnectVdcCloudCommand).Assembly.GetName().Version,
            };
            if (settings.CaCertificatePath != null && !File.Exists(settings.CaCertificatePath))
            {
                throw new ArgumentException($"The CA certificate file '{settings.CaCertificatePath}' does not exist.");
            }

            return (options, settings);
        }

        /// <summary>Parameters win over clouds.yaml, as --os-* options win in the openstack CLI.</summary>
        private void ApplyOverrides(AuthOptions o)
        {
            if (UserDomainName != null || UserDomainId != null)
            {
                o.UserDomainName = UserDomainName;
                o.UserDomainId = UserDomainId;
            }

            bool scopeGiven = ProjectName != null || ProjectId != null || DomainName != null || DomainId != null || System.IsPresent;
            if (scopeGiven)
            {
                o.ProjectName = ProjectName;
                o.ProjectId = ProjectId;
                o.DomainName = DomainName;
                o.DomainId = DomainId;
                o.SystemScope = System.IsPresent ? "all" : null;
            }

            if (ProjectDomainName != null || ProjectDomainId != null)
            {
                o.ProjectDomainName = ProjectDomainName;
                o.ProjectDomainId = ProjectDomainId;
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

            if (Region != null)
            {
                o.Region = Region;
            }

            if (EndpointOverride != null)
            {
                foreach (global::System.Collections.DictionaryEntry entry in EndpointOverride)
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

            if (Interface != null)
            {
                o.Interface = Interface;
            }
        }

        private static string DefaultName(AuthOptions options, KeystoneSession session)
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
