using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace VdcPS.Config
{
    /// <summary>
    /// Reads the OpenStack client configuration exactly as the <c>openstack</c> CLI does
    /// (python-openstackclient = osc-lib on top of openstacksdk's <c>openstack/config/loader.py</c>
    /// and keystoneauth1's option loading). The CLI is the oracle; where gophercloud
    /// (<c>openstack/config/clouds/clouds.go</c>, <c>openstack/auth_env.go</c>) differs, this
    /// follows the CLI. The differences found:
    /// <list type="bullet">
    /// <item>OS_CLIENT_CONFIG_FILE: openstacksdk puts it FIRST in the search list and still falls back
    /// to the normal locations when it does not exist; gophercloud uses it as the ONLY location.</item>
    /// <item>secure.yaml: openstacksdk searches it on its own list (OS_CLIENT_SECURE_FILE, then the
    /// same directories); gophercloud only looks next to the clouds.yaml it found.</item>
    /// <item>openstacksdk also accepts clouds.yml / clouds.json (and secure.*, clouds-public.*);
    /// gophercloud only *.yaml.</item>
    /// <item>OS_* variables over a named cloud: the CLI applies OS_AUTH_URL, OS_USERNAME, OS_PASSWORD,
    /// OS_PROJECT_NAME, OS_REGION_NAME, OS_INTERFACE, OS_CACERT... on top of the clouds.yaml entry
    /// (they are the argparse defaults of --os-*; openstacksdk's <c>_fix_backwards_auth</c> prefers
    /// them over auth: values). Plain openstacksdk (<c>openstack.connect(cloud=...)</c>) applies none;
    /// gophercloud applies OS_REGION_NAME, OS_INTERFACE, OS_CACERT, OS_CERT, OS_KEY only.</item>
    /// <item>Pure-environment auth: gophercloud's AuthOptionsFromEnv reads OS_USERID (not OS_USER_ID)
    /// and ignores OS_USER_DOMAIN_* / OS_PROJECT_DOMAIN_*; openstacksdk maps every OS_X to key x.</item>
    /// <item>Domains: gophercloud folds user/project/domain into one DomainID/DomainName; openstacksdk
    /// keeps them apart and, for a project-scoped cloud, domain_id/domain_name only fill missing
    /// user_domain_*/project_domain_* (<c>_handle_domain_id</c>).</item>
    /// <item>Regions: gophercloud reads region_name only; openstacksdk also the regions: list (first
    /// one is the default) and rejects a requested region that is not in it.</item>
    /// <item>A broken file: openstacksdk logs a warning and SKIPS it (trying the next location);
    /// gophercloud fails. VdcPS fails (CloudConfigException InvalidFile with line/column), as
    /// silently using another file is worse for an operator.</item>
    /// </list>
    /// Deliberately not implemented: openstacksdk's built-in vendor profiles (only clouds-public.*
    /// is read), per-service settings, networks, cache/metrics sections, and the Keystone v2,
    /// OIDC/SAML/TOTP/multifactor auth plugins.
    /// </summary>
    internal static partial class CloudConfigLoader
    {
        /// <summary><see cref="CloudProfile.SourceFile"/> of the cloud made from OS_* variables.</summary>
        public const string EnvironmentSource = "environment";

        /// <summary>Name of the cloud made from OS_* variables unless OS_CLOUD_NAME says otherwise.</summary>
        public const string DefaultEnvironmentCloudName = "envvars";

        private static readonly string[] Suffixes = { ".yaml", ".yml", ".json" };

        // loader.py _get_os_environ: OS_* variables that only select, they do not make a cloud.
        private static readonly HashSet<string> SelectorVariables = new HashSet<string>(StringComparer.Ordinal)
        {
            "OS_CLOUD", "OS_REGION_NAME", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "OS_CLOUD_NAME",
        };

        // The `openstack` CLI registers these --os-* options with an environment default (osc-lib
        // shell.py, osc-lib api/auth.py build_auth_plugins_option_parser for every keystoneauth
        // plugin option, keystoneauth1 loading/cli.py); openstacksdk get_one() then lets them
        // override the cloud's values. First non-empty variable wins.
        private static readonly (string Key, string[] Variables)[] CliOverlay =
        {
            ("auth_type", new[] { "OS_AUTH_TYPE", "OS_AUTH_PLUGIN" }),
            ("auth_url", new[] { "OS_AUTH_URL" }),
            ("username", new[] { "OS_USERNAME", "OS_USER_NAME" }),
            ("user_id", new[] { "OS_USER_ID" }),
            ("password", new[] { "OS_PASSWORD" }),
            ("user_domain_id", new[] { "OS_USER_DOMAIN_ID" }),
            ("user_domain_name", new[] { "OS_USER_DOMAIN_NAME" }),
            ("project_id", new[] { "OS_PROJECT_ID", "OS_TENANT_ID" }),
            ("project_name", new[] { "OS_PROJECT_NAME", "OS_TENANT_NAME" }),
            ("project_domain_id", new[] { "OS_PROJECT_DOMAIN_ID" }),
            ("project_domain_name", new[] { "OS_PROJECT_DOMAIN_NAME" }),
            ("domain_id", new[] { "OS_DOMAIN_ID" }),
            ("domain_name", new[] { "OS_DOMAIN_NAME" }),
            ("system_scope", new[] { "OS_SYSTEM_SCOPE" }),
            ("trust_id", new[] { "OS_TRUST_ID" }),
            ("default_domain_id", new[] { "OS_DEFAULT_DOMAIN_ID" }),
            ("default_domain_name", new[] { "OS_DEFAULT_DOMAIN_NAME" }),
            ("token", new[] { "OS_TOKEN" }),
            ("application_credential_id", new[] { "OS_APPLICATION_CREDENTIAL_ID" }),
            ("application_credential_name", new[] { "OS_APPLICATION_CREDENTIAL_NAME" }),
            ("application_credential_secret", new[] { "OS_APPLICATION_CREDENTIAL_SECRET" }),
            ("cacert", new[] { "OS_CACERT" }),
            ("cert", new[] { "OS_CERT" }),
            ("key", new[] { "OS_KEY" }),
            ("interface", new[] { "OS_INTERFACE" }),
            ("identity_api_version", new[] { "OS_IDENTITY_API_VERSION" }),
        };

        // osc-lib shell.py: --os-default-domain defaults to $OS_DEFAULT_DOMAIN or 'default'.
        private const string CliDefaultDomain = "default";

        // loader.py _fix_backwards_auth (non-v2password branch), in its order; later aliases win,
        // and for one alias the top-level value (CLI/env) wins over auth:.
        private static readonly (string Target, string[] Aliases)[] BackwardsAuthMappings =
        {
            ("domain_id", new[] { "domain_id" }),
            ("domain_name", new[] { "domain_name" }),
            ("user_domain_id", new[] { "user_domain_id" }),
            ("user_domain_name", new[] { "user_domain_name" }),
            ("project_domain_id", new[] { "project_domain_id" }),
            ("project_domain_name", new[] { "project_domain_name" }),
            ("token", new[] { "auth_token", "token" }),
            ("passcode", new[] { "passcode" }),
            ("project_id", new[] { "tenant_id", "project_id" }),
            ("project_name", new[] { "tenant_name", "project_name" }),
        };

        private static readonly Regex FormatField = new Regex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant);

        // ---------------------------------------------------------------- search path

        /// <summary>
        /// loader.py CONFIG_SEARCH_PATH: current directory, platformdirs user_config_dir
        /// ('openstack', 'OpenStack'), ~/.config/openstack ($SNAP_REAL_HOME instead of ~ under snap),
        /// platformdirs site_config_dir, /etc/openstack. Duplicates removed, order kept.
        /// </summary>
        public static IReadOnlyList<string> GetSearchDirectories(IEnvironmentReader env)
        {
            if (env == null)
            {
                throw new ArgumentNullException(nameof(env));
            }

            var dirs = new List<string> { env.CurrentDirectory };
            string home = env.HomeDirectory;
            string? xdgConfigHome = NonBlank(env.XdgConfigHome)?.Trim();

            switch (env.Platform)
            {
                case ConfigPlatform.Windows:
                    if (env.LocalAppData != null)
                    {
                        dirs.Add(Path.Combine(env.LocalAppData, "OpenStack", "openstack"));
                    }

                    break;
                case ConfigPlatform.MacOS:
                    dirs.Add(xdgConfigHome != null
                        ? Path.Combine(xdgConfigHome, "openstack")
                        : Path.Combine(home, "Library", "Application Support", "openstack"));
                    break;
                default:
                    dirs.Add(Path.Combine(xdgConfigHome ?? Path.Combine(home, ".config"), "openstack"));
                    break;
            }

            string unixHome = NonBlank(env.Get("SNAP_REAL_HOME")) ?? home;
            dirs.Add(Path.Combine(unixHome, ".config", "openstack"));

            switch (env.Platform)
            {
                case ConfigPlatform.Windows:
                    if (env.CommonAppData != null)
                    {
                        dirs.Add(Path.Combine(env.CommonAppData, "OpenStack", "openstack"));
                    }

                    break;
                default:
                    // platformdirs (multipath=True) joins several $XDG_CONFIG_DIRS entries with ':' into
                    // ONE string, so openstacksdk then looks for "a/openstack:b/openstack/clouds.yaml",
                    // which never exists: with several entries nothing is searched there.
                    string[] xdgDirs = (env.Get("XDG_CONFIG_DIRS") ?? string.Empty)
                        .Split(':')
                        .Select(p => p.Trim())
                        .Where(p => p.Length > 0)
                        .ToArray();
                    if (xdgDirs.Length == 1)
                    {
                        dirs.Add(Path.Combine(xdgDirs[0], "openstack"));
                    }
                    else if (xdgDirs.Length == 0)
                    {
                        dirs.Add(env.ResolveSystemPath(env.Platform == ConfigPlatform.MacOS
                            ? "/Library/Application Support/openstack"
                            : "/etc/xdg/openstack"));
                    }

                    break;
            }

            dirs.Add(env.ResolveSystemPath("/etc/openstack"));
            return Distinct(dirs, env.Platform);
        }

        /// <summary>clouds.{yaml,yml,json} candidates in search order ($OS_CLIENT_CONFIG_FILE first). The first existing one is used.</summary>
        public static IReadOnlyList<string> FindConfigFiles(IEnvironmentReader env) => Candidates(env, "clouds", "OS_CLIENT_CONFIG_FILE");

        /// <summary>secure.{yaml,yml,json} candidates in search order ($OS_CLIENT_SECURE_FILE first). The first existing one is merged over the clouds file.</summary>
        public static IReadOnlyList<string> FindSecureFiles(IEnvironmentReader env) => Candidates(env, "secure", "OS_CLIENT_SECURE_FILE");

        /// <summary>clouds-public.{yaml,yml,json} candidates (vendor profiles referenced by profile:/cloud:).</summary>
        public static IReadOnlyList<string> FindVendorFiles(IEnvironmentReader env) => Candidates(env, "clouds-public", null);

        private static IReadOnlyList<string> Candidates(IEnvironmentReader env, string baseName, string? overrideVariable)
        {
            var files = new List<string>();
            string? overridePath = overrideVariable == null ? null : NonBlank(env.Get(overrideVariable));
            if (overridePath != null)
            {
                files.Add(Path.Combine(env.CurrentDirectory, overridePath));
            }

            foreach (string dir in GetSearchDirectories(env))
            {
                foreach (string suffix in Suffixes)
                {
                    files.Add(Path.Combine(dir, baseName + suffix));
                }
            }

            return Distinct(files, env.Platform);
        }

        // ---------------------------------------------------------------- public operations

        /// <summary>
        /// Names of the clouds defined in clouds.yaml + secure.yaml, in file order, for tab completion.
        /// Never throws: a missing or broken file gives an empty list.
        /// </summary>
        public static IReadOnlyList<string> GetCloudNames(IEnvironmentReader env)
        {
            try
            {
                LoadedFiles files = LoadFiles(env);
                return files.Clouds.Keys.ToList();
            }
            catch (Exception)
            {
                return Array.Empty<string>();
            }
        }

        /// <summary>
        /// Resolves one cloud as <c>openstack [--os-cloud NAME] [--os-region-name REGION]</c> would.
        /// Cloud: <paramref name="cloudName"/>, else $OS_CLOUD, else the cloud made from OS_*
        /// variables (when any other than the selectors is set), else the only cloud of clouds.yaml.
        /// </summary>
        /// <param name="regionName">Like --os-region-name; null means $OS_REGION_NAME, then the cloud's first region.</param>
        /// <exception cref="CloudConfigException">CloudNotFound, InvalidFile, NoConfiguration or Incomplete.</exception>
        public static CloudProfile Load(string? cloudName, IEnvironmentReader env, string? regionName = null)
        {
            if (env == null)
            {
                throw new ArgumentNullException(nameof(env));
            }

            LoadedFiles files = LoadFiles(env);
            string envKey = NonBlank(env.Get("OS_CLOUD_NAME")) ?? DefaultEnvironmentCloudName;
            if (files.Clouds.ContainsKey(envKey))
            {
                // loader.py raises the same even when no OS_* variable is set.
                throw new CloudConfigException(
                    CloudConfigException.ReasonInvalidFile,
                    $"'{files.DisplayPath}' defines a cloud named '{envKey}', the name reserved for the cloud made from OS_* " +
                    $"environment variables (OS_CLOUD_NAME, default 'envvars'). Rename that cloud or set OS_CLOUD_NAME to another name.",
                    files.CloudsPath ?? files.SecurePath);
            }

            ConfigMap? envCloud = BuildEnvironmentCloud(env);

            string? name = NonBlank(cloudName) ?? NonBlank(env.Get("OS_CLOUD"));
            if (name == null)
            {
                if (envCloud != null)
                {
                    name = envKey;
                }
                else if (files.Clouds.Count == 1)
                {
                    // loader.py: "If there is only one cloud just use it."
                    name = files.Clouds.Keys[0];
                }
                else
                {
                    throw NoConfiguration(files, env);
                }
            }

            ConfigMap ourCloud;
            string source;
            if (envCloud != null && name == envKey)
            {
                ourCloud = envCloud;
                source = EnvironmentSource;
            }
            else if (files.Clouds.Get(name) is ConfigMap fileCloud)
            {
                ourCloud = fileCloud.NormalizeKeys();
                source = files.SourceOf(name);
            }
            else if (files.Clouds.ContainsKey(name))
            {
                throw new CloudConfigException(
                    CloudConfigException.ReasonInvalidFile,
                    $"The cloud '{name}' in '{files.DisplayPath}' is not a mapping of settings.",
                    files.CloudsPath ?? files.SecurePath);
            }
            else
            {
                throw CloudNotFound(name, files, envCloud != null ? envKey : null, env);
            }

            var profile = new CloudProfile(name, source);
            ConfigMap config = Resolve(name, ourCloud, envKey, env, regionName, profile);
            Fill(profile, config, env);
            return profile;
        }
    }
}
