using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace VdcPS.Config
{
    // CloudConfigLoader, part: reading the files (clouds, secure, clouds-public) and the cloud made from OS_* variables (the class is described in CloudConfigLoader.cs).
    internal static partial class CloudConfigLoader
    {
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
    }
}
