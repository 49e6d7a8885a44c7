using System;
using System.Collections.Generic;
using System.IO;

namespace VdcPS.Plans
{
    /// <summary>Where a catalog path came from, for verbose output and messages.</summary>
    internal sealed class PlanCatalogLocation
    {
        public PlanCatalogLocation(string path, string source)
        {
            Path = path;
            Source = source;
        }

        /// <summary>Full path of the catalog file (it exists).</summary>
        public string Path { get; }

        /// <summary>"-CatalogPath", "$env:VDCPS_PLAN_CATALOG", "vdcps_plan_catalog of the cloud", "the default location".</summary>
        public string Source { get; }
    }

    /// <summary>
    /// The location rule of the plan catalog. The FIRST of these that is SET is used:
    /// <list type="number">
    /// <item>the -CatalogPath parameter (relative to PowerShell's current folder);</item>
    /// <item>the environment variable VDCPS_PLAN_CATALOG (relative to the current folder);</item>
    /// <item>the connected cloud's <c>vdcps_plan_catalog</c> key in clouds.yaml (relative to that
    /// clouds.yaml's folder; read by Connect-VdcCloud, so it applies to the context in use);</item>
    /// <item>~/.config/vdcps/plans.yaml.</item>
    /// </list>
    /// A place that is set but holds no file is an error (NotFound naming every place consulted),
    /// never a silent fall-through to the next one: a price list must not change behind the
    /// operator's back. '~' at the start of a path is the home folder.
    /// </summary>
    internal static class PlanCatalogLocator
    {
        public const string EnvironmentVariable = "VDCPS_PLAN_CATALOG";

        /// <summary>The clouds.yaml key of a cloud that names its catalog.</summary>
        public const string CloudKey = "vdcps_plan_catalog";

        public const string SampleFileName = "plans.sample.yaml";

        /// <summary>The path of <see cref="Locate"/> (the environment variable's value passed in).</summary>
        public static string Resolve(string? explicitPath, string? environmentPath, string? cloudCatalogPath, string currentDirectory, string homeDirectory)
            => Locate(explicitPath, environmentPath, cloudCatalogPath, currentDirectory, homeDirectory).Path;

        /// <summary>The catalog to use and where the choice came from. Throws <see cref="PlanCatalogException"/> NotFound.</summary>
        public static PlanCatalogLocation Locate(string? explicitPath, string? environmentPath, string? cloudCatalogPath, string currentDirectory, string homeDirectory, string? cloudName = null)
        {
            string defaultPath = DefaultPath(homeDirectory);
            string cloudText = cloudName != null ? $"vdcps_plan_catalog of the cloud '{cloudName}'" : "vdcps_plan_catalog of the connected cloud";
            var steps = new (string Source, string? Value, string? Base)[]
            {
                ("-CatalogPath", NonBlank(explicitPath), currentDirectory),
                ("$env:" + EnvironmentVariable, NonBlank(environmentPath), currentDirectory),
                (cloudText, NonBlank(cloudCatalogPath), currentDirectory),
                ("the default location", defaultPath, currentDirectory),
            };

            var consulted = new List<string>();
            foreach ((string source, string? value, string? baseDir) in steps)
            {
                if (value == null)
                {
                    consulted.Add($"{source}: not set");
                    continue;
                }

                string full = Expand(value, baseDir!, homeDirectory);
                if (File.Exists(full))
                {
                    return new PlanCatalogLocation(full, source);
                }

                if (Directory.Exists(full))
                {
                    throw new PlanCatalogException(
                        PlanCatalogException.ReasonUnreadable,
                        $"The plan catalog path '{full}' ({source}) is a folder; give the catalog file itself (for example '{Path.Combine(full, "plans.yaml")}').",
                        full);
                }

                consulted.Add($"{source}: '{full}' does not exist");
                throw new PlanCatalogException(
                    PlanCatalogException.ReasonNotFound,
                    NotFoundMessage(source, full, consulted),
                    full);
            }

            // Unreachable: the default location is always "set".
            throw new InvalidOperationException("no catalog location");
        }

        /// <summary>~/.config/vdcps/plans.yaml (on every platform).</summary>
        public static string DefaultPath(string homeDirectory) => Path.Combine(homeDirectory, ".config", "vdcps", "plans.yaml");

        /// <summary>The user's home folder (HOME, else the profile folder).</summary>
        public static string HomeDirectory()
        {
            string? home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            return string.IsNullOrEmpty(home) ? Directory.GetCurrentDirectory() : home!;
        }

        /// <summary>'~' expanded, relative paths made absolute against <paramref name="baseDirectory"/>.</summary>
        public static string Expand(string path, string baseDirectory, string homeDirectory)
        {
            string p = path.Trim();
            if (p == "~")
            {
                p = homeDirectory;
            }
            else if (p.StartsWith("~/", StringComparison.Ordinal) || p.StartsWith("~\\", StringComparison.Ordinal))
            {
                p = Path.Combine(homeDirectory, p.Substring(2));
            }

            return Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(baseDirectory, p));
        }

        private static string NotFoundMessage(string source, string path, List<string> consulted)
        {
            string head = source == "the default location"
                ? "No plan catalog was found. "
                : $"The plan catalog named by {source} does not exist: '{path}'. ";
            string sample = SamplePath() is string s
                ? $" A sample catalog ships with VdcPS: '{s}'; copy it and adapt it."
                : string.Empty;
            return head + "Places consulted, in order (the first one that is set is used): " + string.Join("; ", consulted) + ". " +
                $"To use a catalog, give -CatalogPath, set $env:{EnvironmentVariable}, add '{CloudKey}: <path>' to the cloud in clouds.yaml " +
                "and connect again, or create ~/.config/vdcps/plans.yaml (see Get-Help about_VdcPS_Plans)." + sample;
        }

        /// <summary>The sample catalog next to the module, when it is there.</summary>
        internal static string? SamplePath()
        {
            try
            {
                string? dir = Path.GetDirectoryName(typeof(PlanCatalogLocator).Assembly.Location);
                string? sample = dir == null ? null : Path.Combine(dir, SampleFileName);
                return sample != null && File.Exists(sample) ? sample : null;
            }
            catch (Exception)
            {
                return null;
            }
        }

        private static string? NonBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
    }
}
