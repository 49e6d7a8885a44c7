using System;
using System.Collections.Generic;
using System.Linq;

namespace VdcPS.Config
{
    // CloudConfigLoader, part: openstacksdk's resolution of one cloud: vendor profile, regions, magic fixes, osc-lib's auth hook (the class is described in CloudConfigLoader.cs).
    internal static partial class CloudConfigLoader
    {
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
    }
}
