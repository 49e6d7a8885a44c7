using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace VdcPS.Config
{
    // CloudConfigLoader, part: filling the CloudProfile from the resolved settings, and its checks (the class is described in CloudConfigLoader.cs).
    internal static partial class CloudConfigLoader
    {
        // ---------------------------------------------------------------- profile

        private static void Fill(CloudProfile profile, ConfigMap config, IEnvironmentReader env)
        {
            ConfigMap auth = (ConfigMap)config.Get("auth")!;
            string authTypeName = Text(config.Get("auth_type")) ?? "password";
            string where = profile.SourceFile == EnvironmentSource ? "the OS_* environment variables" : $"'{profile.SourceFile}'";
            string? file = profile.SourceFile == EnvironmentSource ? null : profile.SourceFile;

            AuthKind kind;
            bool generic;
            switch (authTypeName)
            {
                case "password":
                    kind = AuthKind.Password;
                    generic = true;
                    break;
                case "v3password":
                    kind = AuthKind.Password;
                    generic = false;
                    break;
                case "token":
                    kind = AuthKind.Token;
                    generic = true;
                    break;
                case "v3token":
                    kind = AuthKind.Token;
                    generic = false;
                    break;
                case "v3applicationcredential":
                    kind = AuthKind.ApplicationCredential;
                    generic = false;
                    break;
                default:
                    string hint = authTypeName.StartsWith("v2", StringComparison.Ordinal)
                        ? " Keystone v2 is gone; use 'password' or 'v3password'."
                        : authTypeName.IndexOf("application", StringComparison.OrdinalIgnoreCase) >= 0
                            ? " The keystoneauth name is 'v3applicationcredential'."
                            : string.Empty;
                    throw Incomplete(profile, file,
                        $"auth_type '{authTypeName}' of cloud '{profile.Name}' ({where}) is not supported. " +
                        $"Supported: password, v3password, token, v3token, v3applicationcredential.{hint}");
            }

            profile.AuthType = kind;
            profile.AuthTypeName = authTypeName;

            // The keystoneauth plugin's options (loading/identity.py, _plugins/identity/{generic,v3}.py);
            // a value outside auth: (CLI/env) beats the one inside (osc-lib OSC_Config._validate_auth).
            string? Opt(string optName, string? deprecated = null) => AuthOption(config, auth, optName, deprecated);

            profile.AuthUrl = Opt("auth_url");
            profile.SystemScope = Opt("system_scope");
            profile.DomainId = Opt("domain_id");
            profile.DomainName = Opt("domain_name");
            profile.ProjectId = Opt("project_id", generic ? "tenant_id" : null);
            profile.ProjectName = Opt("project_name", generic ? "tenant_name" : null);
            profile.ProjectDomainId = Opt("project_domain_id");
            profile.ProjectDomainName = Opt("project_domain_name");
            profile.TrustId = Opt("trust_id");
            if (kind != AuthKind.Token)
            {
                profile.UserId = Opt("user_id");
                profile.Username = Opt("username", "user_name");
                profile.UserDomainId = Opt("user_domain_id");
                profile.UserDomainName = Opt("user_domain_name");
            }

            switch (kind)
            {
                case AuthKind.Password:
                    profile.SetPassword(Opt("password"));
                    break;
                case AuthKind.Token:
                    profile.SetToken(Opt("token"));
                    break;
                case AuthKind.ApplicationCredential:
                    profile.SetApplicationCredentialSecret(Opt("application_credential_secret"));
                    profile.ApplicationCredentialId = Opt("application_credential_id");
                    profile.ApplicationCredentialName = Opt("application_credential_name");
                    break;
            }

            if (generic)
            {
                // keystoneauth generic plugins: default_domain_id/name stand in for missing user/project domains.
                string? ddId = Opt("default_domain_id");
                string? ddName = Opt("default_domain_name");
                if (kind != AuthKind.Token && profile.UserDomainId == null && profile.UserDomainName == null)
                {
                    profile.UserDomainId = ddId;
                    profile.UserDomainName = ddName;
                }

                if (profile.ProjectDomainId == null && profile.ProjectDomainName == null)
                {
                    profile.ProjectDomainId = ddId;
                    profile.ProjectDomainName = ddName;
                }
            }

            profile.DefaultDomain = Text(config.Get("default_domain"));

            string? region = Text(config.Get("region_name"));
            profile.RegionName = string.IsNullOrEmpty(region) ? null : region;

            profile.Interface = NormalizeInterface(config.Get("interface"), profile, file);

            // cloud_region.get_requests_verify_args: insecure wins, then verify, then cacert.
            bool insecure = config.ContainsKey("insecure") && GetBoolean(config.Get("insecure"));
            object? verifyValue = config.Get("verify");
            bool verify = true;
            string? verifyPath = null;
            if (verifyValue is ConfigScalar vs)
            {
                if (vs.Bool.HasValue)
                {
                    verify = vs.Bool.Value;
                }
                else if (TryParseLooseBool(vs.Text, out bool parsed))
                {
                    verify = parsed;
                }
                else if (vs.Text.Length > 0)
                {
                    verifyPath = vs.Text; // requests: verify may be a CA bundle path
                }
            }

            profile.Verify = !insecure && verify;
            profile.CaCertPath = ExpandPath(Text(config.Get("cacert")) ?? verifyPath, env);
            profile.ClientCertPath = ExpandPath(Text(config.Get("cert")), env);
            profile.ClientKeyPath = ExpandPath(Text(config.Get("key")), env);
            if (!profile.Verify && profile.CaCertPath != null)
            {
                profile.WarningList.Add(
                    $"A cacert is given for the cloud '{profile.Name}' but host verification is off (insecure/verify: false); the server certificate will not be verified.");
            }

            profile.PlanCatalogPath = PlanCatalogPath(Text(config.Get("vdcps_plan_catalog")), profile, env);

            // openstacksdk's <service_type>_endpoint_override (service type with '-' as '_'), e.g.
            // compute_endpoint_override, block_storage_endpoint_override; volumev3_ and volume_ are
            // accepted for block-storage. "%(project_id)s" is filled in with the token's project.
            foreach (var (key, type) in new[]
            {
                ("compute", "compute"), ("block_storage", "block-storage"), ("volumev3", "block-storage"), ("volume", "block-storage"),
                ("network", "network"), ("metric", "metric"), ("rating", "rating"), ("placement", "placement"),
            })
            {
                string? value = Text(config.Get(key + "_endpoint_override"));
                if (!string.IsNullOrEmpty(value) && !profile.EndpointOverrides.ContainsKey(type))
                {
                    profile.EndpointOverrides[type] = value!;
                }
            }

            profile.IdentityApiVersion = Text(config.Get("identity_api_version"));
            string? timeout = Text(config.Get("api_timeout"));
            if (!string.IsNullOrEmpty(timeout))
            {
                if (!double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds < 0 || double.IsNaN(seconds) || double.IsInfinity(seconds))
                {
                    throw Incomplete(profile, file, $"api_timeout '{timeout}' of cloud '{profile.Name}' ({where}) is not a number of seconds.");
                }

                profile.ApiTimeout = TimeSpan.FromSeconds(seconds);
            }

            Validate(profile, kind, generic, where, file, tokenIgnored: kind == AuthKind.Password && Opt("token") != null);
        }

        /// <summary>osc-lib api/auth.py check_valid_authentication_options + keystoneauth v3 loaders' checks.</summary>
        private static void Validate(CloudProfile p, AuthKind kind, bool generic, string where, string? file, bool tokenIgnored)
        {
            var missing = new List<string>();
            if (p.AuthUrl == null)
            {
                missing.Add("an authentication URL (auth.auth_url or OS_AUTH_URL)");
            }

            switch (kind)
            {
                case AuthKind.Password:
                    if (p.Username == null && p.UserId == null)
                    {
                        missing.Add("a user (auth.username / auth.user_id, or OS_USERNAME / OS_USER_ID)");
                    }

                    break;
                case AuthKind.Token:
                    if (!p.HasToken)
                    {
                        missing.Add("a token (auth.token or OS_TOKEN)");
                    }

                    break;
                case AuthKind.ApplicationCredential:
                    if (!p.HasApplicationCredentialSecret)
                    {
                        missing.Add("the application credential secret (auth.application_credential_secret or OS_APPLICATION_CREDENTIAL_SECRET)");
                    }

                    if (p.ApplicationCredentialId == null && p.ApplicationCredentialName == null)
                    {
                        missing.Add("an application credential id or name (auth.application_credential_id / _name)");
                    }
                    else if (p.ApplicationCredentialId == null && p.Username == null && p.UserId == null)
                    {
                        missing.Add("the owner of the application credential named by name (auth.username or auth.user_id)");
                    }

                    break;
            }

            if (!generic)
            {
                if (p.Username != null && p.UserDomainId == null && p.UserDomainName == null)
                {
                    missing.Add("the user's domain (auth.user_domain_name / user_domain_id): with Identity v3 a user name is only unique within a domain");
                }

                if (p.ProjectName != null && p.ProjectDomainId == null && p.ProjectDomainName == null)
                {
                    missing.Add("the project's domain (auth.project_domain_name / project_domain_id): with Identity v3 a project name is only unique within a domain");
                }
            }

            if (missing.Count > 0)
            {
                string hint = tokenIgnored ? " (To use OS_TOKEN set OS_AUTH_TYPE=v3token.)" : string.Empty;
                throw Incomplete(p, file,
                    $"The cloud '{p.Name}' ({where}, auth_type {p.AuthTypeName}) is missing {string.Join("; ", missing)}.{hint}");
            }
        }

        private static string? AuthOption(ConfigMap config, ConfigMap auth, string name, string? deprecated)
        {
            // _find_winning_auth_value: current name, else deprecated name; outside auth first.
            foreach (ConfigMap source in new[] { config, auth })
            {
                string? value = null;
                if (source.ContainsKey(name))
                {
                    value = Text(source.Get(name));
                }
                else if (deprecated != null && source.ContainsKey(deprecated))
                {
                    value = Text(source.Get(deprecated));
                }

                if (!string.IsNullOrEmpty(value))
                {
                    return value;
                }
            }

            return null;
        }

        private static string NormalizeInterface(object? value, CloudProfile profile, string? file)
        {
            if (value is List<object?> list)
            {
                value = list.FirstOrDefault(x => x != null);
            }

            string? text = Text(value);
            if (string.IsNullOrEmpty(text))
            {
                return "public";
            }

            string normalized = text!.Trim().ToLowerInvariant();
            if (normalized.EndsWith("url", StringComparison.Ordinal))
            {
                normalized = normalized.Substring(0, normalized.Length - 3); // publicURL -> public
            }

            if (normalized != "public" && normalized != "internal" && normalized != "admin")
            {
                throw Incomplete(profile, file, $"interface '{text}' of cloud '{profile.Name}' is not one of public, internal, admin.");
            }

            return normalized;
        }
    }
}
