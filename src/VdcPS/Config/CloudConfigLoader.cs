using System;
using System.Collections.Generic;
using System.Globalization;
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
    internal static class CloudConfigLoader
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

        // ---------------------------------------------------------------- files

        private sealed class LoadedFiles
        {
            public string? CloudsPath;
            public string? SecurePath;
            public ConfigMap Root = new ConfigMap();
            public ConfigMap Clouds = new ConfigMap();
            public ConfigMap MainClouds = new ConfigMap();
            public IReadOnlyList<string> Searched = Array.Empty<string>();

            public string DisplayPath => CloudsPath ?? SecurePath ?? "clouds.yaml";

            public string SourceOf(string cloud) =>
                CloudsPath != null && MainClouds.ContainsKey(cloud) ? CloudsPath : (SecurePath ?? CloudsPath ?? EnvironmentSource);
        }

        private static LoadedFiles LoadFiles(IEnvironmentReader env)
        {
            var result = new LoadedFiles { Searched = FindConfigFiles(env) };
            (string? cloudsPath, ConfigMap? clouds) = LoadFirst(result.Searched);
            (string? securePath, ConfigMap? secure) = LoadFirst(FindSecureFiles(env));
            result.CloudsPath = cloudsPath;
            result.SecurePath = secure != null ? securePath : null;

            ConfigMap root = clouds ?? new ConfigMap();
            result.MainClouds = CloudsOf(root, cloudsPath);
            if (secure != null)
            {
                CloudsOf(secure, securePath); // validates its shape
                root = MergeClouds(root, secure);
            }

            result.Root = root;
            result.Clouds = CloudsOf(root, cloudsPath ?? securePath);
            return result;
        }

        /// <summary>loader.py _load_yaml_json_file: the first file that exists and can be opened.</summary>
        private static (string? Path, ConfigMap? Content) LoadFirst(IEnumerable<string> candidates)
        {
            foreach (string path in candidates)
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                string text;
                try
                {
                    text = File.ReadAllText(path);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // openstacksdk: "Can't access file so let's continue to the next file".
                    continue;
                }

                object? parsed = ConfigYamlReader.Parse(text, path);
                switch (parsed)
                {
                    case null:
                        // An empty file is used (and stops the search) but defines nothing.
                        return (path, new ConfigMap());
                    case ConfigMap map:
                        return (path, map);
                    default:
                        throw new CloudConfigException(
                            CloudConfigException.ReasonInvalidFile,
                            $"The OpenStack configuration file '{path}' is not a mapping: it must start with 'clouds:'.",
                            path);
                }
            }

            return (null, null);
        }

        private static ConfigMap CloudsOf(ConfigMap root, string? path)
        {
            object? clouds = root.Get("clouds");
            switch (clouds)
            {
                case null:
                    return new ConfigMap();
                case ConfigMap m:
                    return m;
                default:
                    throw new CloudConfigException(
                        CloudConfigException.ReasonInvalidFile,
                        $"In the OpenStack configuration file '{path}', 'clouds' must be a mapping of cloud names to settings.",
                        path);
            }
        }

        /// <summary>openstacksdk _util.merge_clouds: dict.update that recurses into nested mappings (new wins).</summary>
        internal static ConfigMap MergeClouds(ConfigMap oldMap, ConfigMap newMap)
        {
            ConfigMap ret = oldMap.DeepClone();
            foreach (KeyValuePair<string, object?> e in newMap.Entries)
            {
                if (e.Value is ConfigMap nv && ret.Get(e.Key) is ConfigMap ov)
                {
                    ret.Set(e.Key, MergeClouds(ov, nv));
                }
                else
                {
                    ret.Set(e.Key, ConfigMap.CloneValue(e.Value));
                }
            }

            return ret;
        }

        /// <summary>loader.py _auth_update: dict.update, except that 'auth' is updated one level down.</summary>
        private static void AuthUpdate(ConfigMap target, ConfigMap source)
        {
            foreach (KeyValuePair<string, object?> e in source.Entries)
            {
                if (e.Key == "auth" && e.Value is ConfigMap auth)
                {
                    if (target.Get("auth") is ConfigMap existing)
                    {
                        foreach (KeyValuePair<string, object?> a in auth.Entries)
                        {
                            existing.Set(a.Key, ConfigMap.CloneValue(a.Value));
                        }
                    }
                    else
                    {
                        target.Set("auth", auth.DeepClone());
                    }
                }
                else
                {
                    target.Set(e.Key, ConfigMap.CloneValue(e.Value));
                }
            }
        }

        // ---------------------------------------------------------------- environment cloud

        /// <summary>
        /// loader.py _get_os_environ: every OS_X variable becomes key x (lower case) of a cloud, unless
        /// only selector variables (OS_CLOUD, OS_REGION_NAME, OS_CLIENT_CONFIG_FILE,
        /// OS_CLIENT_SECURE_FILE, OS_CLOUD_NAME) are set. OS_TEST*, OS_STD*, OS_LOG* are ignored.
        /// Empty variables are treated as unset.
        /// </summary>
        private static ConfigMap? BuildEnvironmentCloud(IEnvironmentReader env)
        {
            var cloud = new ConfigMap();
            bool meaningful = false;
            foreach (string rawName in env.GetNames().OrderBy(n => n, StringComparer.Ordinal))
            {
                string name = env.Platform == ConfigPlatform.Windows ? rawName.ToUpperInvariant() : rawName;
                if (!name.StartsWith("OS_", StringComparison.Ordinal)
                    || name.StartsWith("OS_TEST", StringComparison.Ordinal)
                    || name.StartsWith("OS_STD", StringComparison.Ordinal)
                    || name.StartsWith("OS_LOG", StringComparison.Ordinal))
                {
                    continue;
                }

                string? value = env.Get(rawName);
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                if (!SelectorVariables.Contains(name))
                {
                    meaningful = true;
                }

                if (name == "OS_CLOUD")
                {
                    // Would otherwise be read as a vendor profile name (the old 'cloud:' key).
                    continue;
                }

                cloud.Set(name.Substring(3).ToLowerInvariant(), new ConfigScalar(value!));
            }

            return meaningful ? cloud : null;
        }

        // ---------------------------------------------------------------- resolution

        /// <summary>openstacksdk get_one() + osc-lib OSC_Config.auth_config_hook, without loading the plugin.</summary>
        private static ConfigMap Resolve(string name, ConfigMap ourCloud, string envKey, IEnvironmentReader env, string? regionName, CloudProfile profile)
        {
            // defaults.py/defaults.json (the CLI passes the same interface/auth_type as override_defaults).
            var config = new ConfigMap();
            config.Set("auth_type", new ConfigScalar("password"));
            config.Set("interface", new ConfigScalar("public"));
            config.Set("verify", new ConfigScalar("true", true));

            ConfigMap? vendor = ExpandVendorProfile(name, config, ourCloud, envKey, env, profile);
            if (!(config.Get("auth") is ConfigMap))
            {
                config.Set("auth", new ConfigMap());
            }

            AuthUpdate(config, ourCloud);
            config.Remove("cloud");

            // Region: requested one (argument, else OS_REGION_NAME) must be one of the known ones.
            List<(string Name, ConfigMap Values)> regions = KnownRegions(ourCloud, vendor, profile);
            string requested = NonBlank(regionName) ?? NonBlank(env.Get("OS_REGION_NAME")) ?? string.Empty;
            (string Name, ConfigMap Values) region;
            if (regions.Count == 0)
            {
                region = (requested, new ConfigMap());
            }
            else if (requested.Length == 0)
            {
                region = regions[0];
            }
            else
            {
                int i = regions.FindIndex(r => string.Equals(r.Name, requested, StringComparison.Ordinal));
                if (i < 0)
                {
                    throw new CloudConfigException(
                        CloudConfigException.ReasonCloudNotFound,
                        $"Region '{requested}' is not a valid region name for cloud '{name}'. Valid choices are: " +
                        $"{string.Join(", ", regions.Select(r => r.Name))}. Region names are case sensitive.",
                        profile.SourceFile == EnvironmentSource ? null : profile.SourceFile);
                }

                region = regions[i];
            }

            config.Remove("regions");
            foreach (KeyValuePair<string, object?> e in region.Values.Entries)
            {
                if (e.Value == null)
                {
                    continue;
                }

                if (e.Key == "auth" && e.Value is ConfigMap regionAuth && config.Get("auth") is ConfigMap auth0)
                {
                    AuthUpdate(auth0, regionAuth);
                }
                else
                {
                    config.Set(e.Key, ConfigMap.CloneValue(e.Value));
                }
            }

            config.Set("region_name", new ConfigScalar(region.Name));

            // The CLI's --os-* options and their environment defaults override the cloud.
            foreach ((string key, string[] variables) in CliOverlay)
            {
                string? value = variables.Select(v => NonBlank(env.Get(v))).FirstOrDefault(v => v != null);
                if (value != null)
                {
                    config.Set(key, new ConfigScalar(value));
                }
            }

            config.Set("default_domain", new ConfigScalar(NonBlank(env.Get("OS_DEFAULT_DOMAIN")) ?? CliDefaultDomain));

            MagicFixes(config);
            AuthConfigHook(config);
            return config;
        }

        /// <summary>loader.py _expand_vendor_profile, with clouds-public.* only. Returns the profile's settings.</summary>
        private static ConfigMap? ExpandVendorProfile(string name, ConfigMap config, ConfigMap ourCloud, string envKey, IEnvironmentReader env, CloudProfile profile)
        {
            string? profileName = Text(ourCloud.Get("profile")) ?? Text(ourCloud.Get("cloud"));
            if (string.IsNullOrEmpty(profileName) || profileName == envKey)
            {
                return null;
            }

            if (ourCloud.ContainsKey("cloud") && !ourCloud.ContainsKey("profile"))
            {
                profile.WarningList.Add($"Cloud '{name}' uses the keyword 'cloud' to reference a vendor profile; it is deprecated in favour of 'profile'.");
            }

            (string? _, ConfigMap? vendorRoot) = LoadFirst(FindVendorFiles(env));
            if (vendorRoot?.Get("public-clouds") is ConfigMap publicClouds && publicClouds.Get(profileName!) is ConfigMap vendor)
            {
                ConfigMap normalized = vendor.NormalizeKeys();
                AuthUpdate(config, normalized);
                return normalized;
            }

            profile.WarningList.Add(
                $"Couldn't find the vendor profile '{profileName}' for the cloud '{name}' in clouds-public.yaml " +
                "(VdcPS does not ship openstacksdk's built-in vendor profiles).");
            return null;
        }

        /// <summary>loader.py _get_known_regions / _expand_regions.</summary>
        private static List<(string Name, ConfigMap Values)> KnownRegions(ConfigMap ourCloud, ConfigMap? vendor, CloudProfile profile)
        {
            if (ourCloud.ContainsKey("regions") && ourCloud.Get("regions") != null)
            {
                return ExpandRegions(ourCloud.Get("regions"), profile);
            }

            object? regionName = ourCloud.Get("region_name");
            if (regionName != null)
            {
                List<object?> names;
                if (regionName is List<object?> list)
                {
                    names = list;
                }
                else
                {
                    names = (Text(regionName) ?? string.Empty).Split(',').Select(s => (object?)new ConfigScalar(s)).ToList();
                    if (names.Count > 1)
                    {
                        profile.WarningList.Add("Comma separated lists in region_name are deprecated. Please use a yaml list in the regions parameter instead.");
                    }
                }

                return ExpandRegions(names, profile);
            }

            if (vendor != null)
            {
                if (vendor.Get("regions") is object vendorRegions && !(vendorRegions is List<object?> emptyList && emptyList.Count == 0))
                {
                    return ExpandRegions(vendorRegions, profile);
                }

                string? vendorRegion = Text(vendor.Get("region_name"));
                if (!string.IsNullOrEmpty(vendorRegion))
                {
                    return new List<(string, ConfigMap)> { (vendorRegion!, new ConfigMap()) };
                }
            }

            return new List<(string, ConfigMap)>();
        }

        private static List<(string Name, ConfigMap Values)> ExpandRegions(object? regions, CloudProfile profile)
        {
            IEnumerable<object?> items = regions is List<object?> list ? list : new[] { regions };
            var result = new List<(string, ConfigMap)>();
            foreach (object? item in items)
            {
                if (item is ConfigMap map)
                {
                    bool onlyKnownKeys = map.Keys.All(k => k == "name" || k == "values");
                    string? regionName = Text(map.Get("name"));
                    if (regionName == null || !onlyKnownKeys || (map.Get("values") != null && !(map.Get("values") is ConfigMap)))
                    {
                        throw new CloudConfigException(
                            CloudConfigException.ReasonInvalidFile,
                            $"Invalid region entry in cloud '{profile.Name}': a region is a name, or a mapping with 'name' and optional 'values'.",
                            profile.SourceFile == EnvironmentSource ? null : profile.SourceFile);
                    }

                    result.Add((regionName, map.Get("values") is ConfigMap values ? values.NormalizeKeys() : new ConfigMap()));
                }
                else
                {
                    result.Add((Text(item) ?? string.Empty, new ConfigMap()));
                }
            }

            return result;
        }

        /// <summary>loader.py magic_fixes (the parts that matter for authentication and transport).</summary>
        private static void MagicFixes(ConfigMap config)
        {
            ConfigMap auth = (ConfigMap)config.Get("auth")!;

            // _fix_backwards_api_timeout: any '<service>_timeout' becomes api_timeout.
            object? serviceTimeout = null;
            bool sawServiceTimeout = false;
            foreach (string key in config.Keys.ToList())
            {
                if (key.EndsWith("timeout", StringComparison.Ordinal) && key != "timeout" && key != "api_timeout")
                {
                    serviceTimeout = config.Get(key);
                    sawServiceTimeout = true;
                    config.Remove(key);
                }
            }

            if (sawServiceTimeout && serviceTimeout != null)
            {
                config.Set("api_timeout", serviceTimeout);
            }

            // _fix_backwards_auth_plugin: auth_plugin, then auth_type (which wins).
            object? authType = null;
            foreach (string key in new[] { "auth_plugin", "auth_type" })
            {
                if (config.ContainsKey(key))
                {
                    authType = config.Get(key);
                    config.Remove(key);
                }
            }

            config.Set("auth_type", authType);

            // _fix_backwards_auth: move aliases into auth; top-level (CLI/env) beats auth:.
            foreach ((string target, string[] aliases) in BackwardsAuthMappings)
            {
                string? value = null;
                foreach (string alias in aliases)
                {
                    if (auth.ContainsKey(alias))
                    {
                        value = Text(auth.Get(alias));
                        auth.Remove(alias);
                    }

                    if (config.ContainsKey(alias))
                    {
                        value = Text(config.Get(alias));
                        config.Remove(alias);
                    }
                }

                if (!string.IsNullOrEmpty(value))
                {
                    auth.Set(target, new ConfigScalar(value!));
                }
            }

            // _fix_backwards_interface: endpoint_type is the old name of interface, and wins.
            if (config.ContainsKey("endpoint_type"))
            {
                object? endpointType = config.Get("endpoint_type");
                config.Remove("endpoint_type");
                config.Set("interface", endpointType);
            }

            // _handle_domain_id: for a project-scoped cloud, domain_* only fill user/project domain.
            bool projectScoped = config.ContainsKey("project_id") || config.ContainsKey("project_name")
                || auth.ContainsKey("project_id") || auth.ContainsKey("project_name");
            foreach ((string target, string userKey, string projectKey) in new[]
            {
                ("domain_id", "user_domain_id", "project_domain_id"),
                ("domain_name", "user_domain_name", "project_domain_name"),
            })
            {
                if (!projectScoped)
                {
                    if (config.ContainsKey(target) && !auth.ContainsKey(target))
                    {
                        auth.Set(target, config.Get(target));
                        config.Remove(target);
                    }

                    continue;
                }

                foreach (string key in new[] { userKey, projectKey })
                {
                    if (auth.ContainsKey(target) && !auth.ContainsKey(key))
                    {
                        auth.Set(key, auth.Get(target));
                    }
                }

                config.Remove(target);
                auth.Remove(target);
            }

            // _handle_value_types: insecure is a boolean (strings: only 'true' is true).
            if (config.ContainsKey("insecure"))
            {
                config.Set("insecure", new ConfigScalar(GetBoolean(config.Get("insecure")) ? "true" : "false", GetBoolean(config.Get("insecure"))));
            }

            // auth_url may reference other settings, e.g. https://identity.{region_name}.example.com/v3
            string? authUrl = Text(auth.Get("auth_url"));
            if (authUrl != null && authUrl.IndexOf('{') >= 0)
            {
                string formatted = FormatField.Replace(authUrl, m => Text(config.Get(m.Groups[1].Value)) ?? m.Value);
                auth.Set("auth_url", new ConfigScalar(formatted));
            }
        }

        /// <summary>osc-lib OSC_Config.auth_config_hook: default plugin and default domain.</summary>
        private static void AuthConfigHook(ConfigMap config)
        {
            ConfigMap auth = (ConfigMap)config.Get("auth")!;
            string identityVersion = Text(config.Get("identity_api_version")) ?? string.Empty;

            // _auth_select_default_plugin (only when auth_type was explicitly emptied).
            string? authType = Text(config.Get("auth_type"));
            if (string.IsNullOrEmpty(authType))
            {
                if (!string.IsNullOrEmpty(Text(config.Get("username"))))
                {
                    authType = identityVersion == "3" ? "v3password" : identityVersion.StartsWith("2", StringComparison.Ordinal) ? "v2password" : "password";
                }
                else
                {
                    authType = "password";
                }

                config.Set("auth_type", new ConfigScalar(authType));
            }

            // _auth_default_domain: only with identity_api_version exactly "3" and a password plugin.
            string? defaultDomain = Text(config.Get("default_domain"));
            if (identityVersion == "3" && !string.IsNullOrEmpty(defaultDomain)
                && (authType == "password" || authType == "v3password" || authType == "v3totp"))
            {
                if (string.IsNullOrEmpty(Text(auth.Get("project_domain_id"))) && string.IsNullOrEmpty(Text(auth.Get("project_domain_name"))))
                {
                    auth.Set("project_domain_id", new ConfigScalar(defaultDomain!));
                }

                if (string.IsNullOrEmpty(Text(auth.Get("user_domain_id"))) && string.IsNullOrEmpty(Text(auth.Get("user_domain_name"))))
                {
                    auth.Set("user_domain_id", new ConfigScalar(defaultDomain!));
                }
            }
        }

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

        // ---------------------------------------------------------------- errors

        private static CloudConfigException Incomplete(CloudProfile profile, string? file, string message) =>
            new CloudConfigException(CloudConfigException.ReasonIncomplete, message, file);

        private static CloudConfigException NoConfiguration(LoadedFiles files, IEnvironmentReader env)
        {
            string message;
            if (files.CloudsPath == null && files.SecurePath == null)
            {
                message = "No OpenStack configuration was found: OS_CLOUD is not set, no OS_* authentication variable " +
                    "(OS_AUTH_URL, OS_USERNAME...) is set, and no clouds.yaml exists. Name a cloud with OS_CLOUD and " +
                    "create clouds.yaml, or load an openrc file. Searched: " + string.Join(", ", files.Searched) + ".";
            }
            else if (files.Clouds.Count == 0)
            {
                message = $"No OpenStack cloud is defined: '{files.DisplayPath}' has no entry under 'clouds:', OS_CLOUD is not set " +
                    "and no OS_* authentication variable is set.";
            }
            else
            {
                message = $"No cloud was chosen: OS_CLOUD is not set, no OS_* authentication variable is set, and " +
                    $"'{files.DisplayPath}' defines several clouds ({string.Join(", ", files.Clouds.Keys)}). " +
                    "Name one (or set OS_CLOUD).";
            }

            return new CloudConfigException(CloudConfigException.ReasonNoConfiguration, message, files.CloudsPath ?? files.SecurePath);
        }

        private static CloudConfigException CloudNotFound(string name, LoadedFiles files, string? envCloudName, IEnvironmentReader env)
        {
            var known = files.Clouds.Keys.ToList();
            string knownText = known.Count == 0 ? "none" : string.Join(", ", known);
            string from = files.CloudsPath == null && files.SecurePath == null
                ? "no clouds.yaml was found"
                : "defined in " + string.Join(" + ", new[] { files.CloudsPath, files.SecurePath }.Where(p => p != null));
            string envText = envCloudName == null ? string.Empty : $" The OS_* environment variables also form the cloud '{envCloudName}'.";
            return new CloudConfigException(
                CloudConfigException.ReasonCloudNotFound,
                $"Cloud '{name}' was not found. Known clouds: {knownText} ({from}).{envText} Files searched: {string.Join(", ", files.Searched)}.",
                files.CloudsPath ?? files.SecurePath);
        }

        // ---------------------------------------------------------------- helpers

        private static string? NonBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

        /// <summary>The text of a scalar (bools as written), null for null/mappings/lists.</summary>
        private static string? Text(object? value) => value is ConfigScalar s ? s.Text : null;

        /// <summary>loader.py get_boolean: a YAML boolean, or a string equal to 'true' (any case).</summary>
        private static bool GetBoolean(object? value)
        {
            if (value is ConfigScalar s)
            {
                return s.Bool ?? string.Equals(s.Text, "true", StringComparison.OrdinalIgnoreCase);
            }

            return false;
        }

        private static bool TryParseLooseBool(string text, out bool value)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "true":
                case "yes":
                case "on":
                case "1":
                    value = true;
                    return true;
                case "false":
                case "no":
                case "off":
                case "0":
                    value = false;
                    return true;
                default:
                    value = false;
                    return false;
            }
        }

        /// <summary>
        /// VdcPS's own key <c>vdcps_plan_catalog</c>: '~' expanded; a relative path is relative to the
        /// folder of the clouds.yaml that defines the cloud (so a catalog can sit next to it), or to
        /// the current directory for the cloud made from OS_* variables.
        /// </summary>
        private static string? PlanCatalogPath(string? value, CloudProfile profile, IEnvironmentReader env)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            string p = value!.Trim();
            if (p == "~")
            {
                return env.HomeDirectory;
            }

            if (p.StartsWith("~/", StringComparison.Ordinal) || p.StartsWith("~\\", StringComparison.Ordinal))
            {
                return Path.Combine(env.HomeDirectory, p.Substring(2));
            }

            string? folder = profile.SourceFile == EnvironmentSource ? null : Path.GetDirectoryName(profile.SourceFile);
            return Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(folder ?? env.CurrentDirectory, p));
        }

        /// <summary>os.path.expanduser, then relative paths made absolute against the current directory.</summary>
        private static string? ExpandPath(string? path, IEnvironmentReader env)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return null;
            }

            string p = path!.Trim();
            if (p == "~")
            {
                p = env.HomeDirectory;
            }
            else if (p.StartsWith("~/", StringComparison.Ordinal) || p.StartsWith("~\\", StringComparison.Ordinal))
            {
                p = Path.Combine(env.HomeDirectory, p.Substring(2));
            }

            return Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(env.CurrentDirectory, p));
        }

        private static IReadOnlyList<string> Distinct(IEnumerable<string> paths, ConfigPlatform platform)
        {
            var seen = new HashSet<string>(platform == ConfigPlatform.Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var result = new List<string>();
            foreach (string p in paths)
            {
                if (seen.Add(p))
                {
                    result.Add(p);
                }
            }

            return result;
        }
    }
}
