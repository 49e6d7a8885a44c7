using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace VdcPS.Config
{
    /// <summary>Operating-system family, as far as the configuration search path cares.</summary>
    internal enum ConfigPlatform
    {
        Linux,
        MacOS,
        Windows,
    }

    /// <summary>
    /// Everything <see cref="CloudConfigLoader"/> reads from the process and the machine, so that
    /// tests can run against a fake (<see cref="DictionaryEnvironmentReader"/>) and never see the
    /// real machine's variables or files.
    /// </summary>
    internal interface IEnvironmentReader
    {
        /// <summary>Value of an environment variable, or null when it is not set.</summary>
        string? Get(string name);

        /// <summary>Names of all environment variables (for the OS_* scan).</summary>
        IEnumerable<string> GetNames();

        /// <summary>Directory that relative paths and <c>./clouds.yaml</c> are resolved against.</summary>
        string CurrentDirectory { get; }

        /// <summary>What Python's <c>os.path.expanduser('~')</c> gives ($HOME, %USERPROFILE%).</summary>
        string HomeDirectory { get; }

        /// <summary>$XDG_CONFIG_HOME, or null.</summary>
        string? XdgConfigHome { get; }

        ConfigPlatform Platform { get; }

        /// <summary>Windows CSIDL_LOCAL_APPDATA (user config root of platformdirs on Windows).</summary>
        string? LocalAppData { get; }

        /// <summary>Windows CSIDL_COMMON_APPDATA (site config root of platformdirs on Windows).</summary>
        string? CommonAppData { get; }

        /// <summary>
        /// Maps a fixed absolute system path (<c>/etc/openstack</c>, <c>/etc/xdg/openstack</c>...) to
        /// where it is on this reader's file system. The real reader returns it unchanged.
        /// </summary>
        string ResolveSystemPath(string absolutePath);
    }

    /// <summary>The real process environment and file system.</summary>
    internal sealed class SystemEnvironmentReader : IEnvironmentReader
    {
        public static readonly SystemEnvironmentReader Instance = new SystemEnvironmentReader();

        private readonly string? _currentDirectory;

        /// <param name="currentDirectory">
        /// PowerShell's current file-system location ($PWD) should be passed here: the process
        /// working directory of pwsh does not follow Set-Location.
        /// </param>
        public SystemEnvironmentReader(string? currentDirectory = null)
        {
            _currentDirectory = currentDirectory;
        }

        public string? Get(string name)
        {
            string? v = Environment.GetEnvironmentVariable(name);
            return v;
        }

        public IEnumerable<string> GetNames()
        {
            IDictionary vars = Environment.GetEnvironmentVariables();
            return vars.Keys.Cast<object>().Select(k => k.ToString() ?? string.Empty).ToList();
        }

        public string CurrentDirectory => _currentDirectory ?? Directory.GetCurrentDirectory();

        public string HomeDirectory
        {
            get
            {
                // Python's expanduser: $HOME first on every platform (3.8+ on Windows: USERPROFILE).
                if (Platform == ConfigPlatform.Windows)
                {
                    string? profile = Get("USERPROFILE");
                    if (!string.IsNullOrEmpty(profile))
                    {
                        return profile!;
                    }
                }
                else
                {
                    string? home = Get("HOME");
                    if (!string.IsNullOrEmpty(home))
                    {
                        return home!;
                    }
                }

                return Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }
        }

        public string? XdgConfigHome => Get("XDG_CONFIG_HOME");

        public ConfigPlatform Platform
        {
            get
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    return ConfigPlatform.Windows;
                }

                if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                {
                    return ConfigPlatform.MacOS;
                }

                return ConfigPlatform.Linux;
            }
        }

        public string? LocalAppData => NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData));

        public string? CommonAppData => NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData));

        public string ResolveSystemPath(string absolutePath) => absolutePath;

        private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
    }

    /// <summary>
    /// A fake environment for tests: variables from a dictionary, every directory given
    /// explicitly, and the fixed system directories (<c>/etc/openstack</c>...) re-rooted under
    /// <see cref="SystemRoot"/> so that the real machine's files are never read.
    /// </summary>
    internal sealed class DictionaryEnvironmentReader : IEnvironmentReader
    {
        private readonly Dictionary<string, string> _vars;

        public DictionaryEnvironmentReader(
            IDictionary<string, string>? variables,
            string currentDirectory,
            string homeDirectory,
            string systemRoot,
            ConfigPlatform platform = ConfigPlatform.Linux)
        {
            StringComparer cmp = platform == ConfigPlatform.Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            _vars = variables == null
                ? new Dictionary<string, string>(cmp)
                : new Dictionary<string, string>(variables, cmp);
            CurrentDirectory = currentDirectory;
            HomeDirectory = homeDirectory;
            SystemRoot = systemRoot;
            Platform = platform;
        }

        /// <summary>Directory that stands for the file-system root in <see cref="ResolveSystemPath"/>.</summary>
        public string SystemRoot { get; }

        public string? Get(string name) => _vars.TryGetValue(name, out string? v) ? v : null;

        public IEnumerable<string> GetNames() => _vars.Keys.ToList();

        public string CurrentDirectory { get; }

        public string HomeDirectory { get; }

        public string? XdgConfigHome => Get("XDG_CONFIG_HOME");

        public ConfigPlatform Platform { get; }

        public string? LocalAppData => Get("LOCALAPPDATA");

        public string? CommonAppData => Get("PROGRAMDATA");

        public string ResolveSystemPath(string absolutePath) =>
            Path.Combine(SystemRoot, absolutePath.TrimStart('/', '\\'));

        /// <summary>Sets (or, with null, removes) a variable.</summary>
        public DictionaryEnvironmentReader Set(string name, string? value)
        {
            if (value == null)
            {
                _vars.Remove(name);
            }
            else
            {
                _vars[name] = value;
            }

            return this;
        }
    }
}
