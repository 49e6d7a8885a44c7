using System;
using System.Collections.Generic;
using System.IO;
using VdcPS.Config;

namespace VdcPS.Tests.Config
{
    /// <summary>
    /// A throw-away directory tree standing for one machine: a current directory, a home
    /// directory and a re-rooted "/" (for /etc/openstack...), plus a fake environment. Nothing
    /// of the real machine is read.
    /// </summary>
    internal sealed class ConfigSandbox : IDisposable
    {
        public ConfigSandbox(ConfigPlatform platform = ConfigPlatform.Linux)
        {
            Root = Path.Combine(Path.GetTempPath(), "vdcps-config-" + Guid.NewGuid().ToString("N"));
            Cwd = Path.Combine(Root, "work");
            Home = Path.Combine(Root, "home");
            Sys = Path.Combine(Root, "sys");
            Directory.CreateDirectory(Cwd);
            Directory.CreateDirectory(Home);
            Directory.CreateDirectory(Sys);
            Env = new DictionaryEnvironmentReader(new Dictionary<string, string>(), Cwd, Home, Sys, platform);
        }

        public string Root { get; }

        public string Cwd { get; }

        public string Home { get; }

        /// <summary>Stands for "/".</summary>
        public string Sys { get; }

        public DictionaryEnvironmentReader Env { get; }

        public string UserDir => Path.Combine(Home, ".config", "openstack");

        public string EtcDir => Path.Combine(Sys, "etc", "openstack");

        public static string Fixture(string name) =>
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "config", name));

        /// <summary>Writes <paramref name="content"/> to <paramref name="dir"/>/<paramref name="fileName"/> and returns the path.</summary>
        public string Write(string dir, string fileName, string content)
        {
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, fileName);
            File.WriteAllText(path, content);
            return path;
        }

        public ConfigSandbox Set(string name, string? value)
        {
            Env.Set(name, value);
            return this;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
