using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace VdcPS.Config
{
    // CloudConfigLoader, part: errors and small value helpers (the class is described in CloudConfigLoader.cs).
    internal static partial class CloudConfigLoader
    {
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
