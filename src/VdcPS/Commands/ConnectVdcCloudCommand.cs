using System;
using System.Management.Automation;
using System.Security;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Contexts;

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
            PreparedConnection connection;
            try
            {
                connection = ConnectionService.Prepare(Request());
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

            string target = connection.Target;
            if (!ShouldProcess(target, "Connect"))
            {
                return;
            }

            if (connection.SkipsCertificateCheck)
            {
                WriteWarning("TLS certificate checks are off for this connection (-SkipCertificateCheck or verify: false): anyone on the network path can read the credentials and tokens.");
            }

            VdcContext context;
            try
            {
                context = RunAsync((output, token) => ConnectionService.ConnectAsync(connection, Name, output, token));
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

            VdcContext? replaced = ContextStore.Add(context, makeCurrent: !NoSetCurrent);
            if (replaced != null)
            {
                ConnectionService.Close(replaced);
            }

            context.IsCurrent = ContextStore.IsCurrent(context);
            WriteVerbose($"Connected to {target} as {context.UserName} ({context.ScopeType} scope '{context.Scope}'); token valid until {context.TokenExpiresAt:u}.");
            WriteObject(context);
        }

        private ConnectionRequest Request() => new ConnectionRequest
        {
            Kind = ParameterSetName switch
            {
                PasswordSet => ConnectionKind.Password,
                ApplicationCredentialSet => ConnectionKind.ApplicationCredential,
                TokenSet => ConnectionKind.Token,
                _ => ConnectionKind.Cloud,
            },
            CurrentDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            Cloud = Cloud,
            AuthUrl = AuthUrl,
            Credential = Credential,
            ApplicationCredentialId = ApplicationCredentialId,
            ApplicationCredentialName = ApplicationCredentialName,
            ApplicationCredentialSecret = ApplicationCredentialSecret,
            UserName = UserName,
            UserId = UserId,
            Token = Token,
            UserDomainName = UserDomainName,
            UserDomainId = UserDomainId,
            ProjectName = ProjectName,
            ProjectId = ProjectId,
            ProjectDomainName = ProjectDomainName,
            ProjectDomainId = ProjectDomainId,
            DomainName = DomainName,
            DomainId = DomainId,
            System = System.IsPresent,
            Region = Region,
            Interface = Interface,
            CaCertificatePath = CaCertificatePath != null ? GetUnresolvedProviderPathFromPSPath(CaCertificatePath) : null,
            SkipCertificateCheck = SkipCertificateCheck.IsPresent,
            EndpointOverride = EndpointOverride,
            TimeoutSec = TimeoutSec,
            TimeoutGiven = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)),
        };
    }
}
