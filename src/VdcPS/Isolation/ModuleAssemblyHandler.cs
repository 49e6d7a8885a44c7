using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace VdcPS.Isolation
{
    /// <summary>
    /// Keeps VdcPS's dependencies (Flurl, YamlDotNet, ...) away from other modules' copies.
    /// The dependencies ship in <c>dependencies/</c>, not next to VdcPS.dll, so default probing
    /// never finds them and this resolver answers instead: on PowerShell 7 it loads them into a
    /// private AssemblyLoadContext, on Windows PowerShell with <c>Assembly.LoadFrom</c>.
    /// Only requests made by VdcPS or one of its own dependencies, for a file that is in
    /// <c>dependencies/</c>, are answered; everything else is left to the runtime.
    /// </summary>
    public sealed class ModuleAssemblyHandler : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static string? s_dependencyFolder;
        private static HashSet<string>? s_dependencies;
        private static AssemblyLoadContextProxy? s_loadContext;
        private static bool s_registered;
        private static readonly Dictionary<string, Assembly> s_loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// True when the dependencies were loaded from this module's <c>dependencies/</c> folder into
        /// VdcPS's own load context (YamlDotNet stands for all of them): the way it must be on PowerShell 7.
        /// </summary>
        internal static bool DependenciesIsolated()
        {
            Type yaml = typeof(YamlDotNet.Core.Parser);
            return yaml.Assembly.Location.IndexOf("dependencies", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        public void OnImport()
        {
            lock (Gate)
            {
                if (s_registered)
                {
                    return;
                }

                string moduleFolder = Path.GetDirectoryName(typeof(ModuleAssemblyHandler).Assembly.Location) ?? ".";
                s_dependencyFolder = Path.Combine(moduleFolder, "dependencies");
                s_dependencies = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                if (Directory.Exists(s_dependencyFolder))
                {
                    foreach (string file in Directory.EnumerateFiles(s_dependencyFolder, "*.dll"))
                    {
                        s_dependencies.Add(Path.GetFileNameWithoutExtension(file));
                    }
                }

                s_loadContext = AssemblyLoadContextProxy.CreateLoadContext("vdcps-dependencies");
                AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
                s_registered = true;
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            lock (Gate)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
                s_registered = false;
            }
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var requested = new AssemblyName(args.Name);
            if (!IsAssemblyMatching(requested, args.RequestingAssembly))
            {
                return null;
            }

            lock (Gate)
            {
                // The same dependency is requested by VdcPS and by its other dependencies:
                // load each file once, then hand out the same assembly.
                if (!s_loaded.TryGetValue(requested.Name!, out Assembly? assembly))
                {
                    string path = Path.Combine(s_dependencyFolder!, requested.Name + ".dll");
                    assembly = s_loadContext != null
                        ? s_loadContext.LoadFromAssemblyPath(path)
                        : Assembly.LoadFrom(path);
                    s_loaded[requested.Name!] = assembly;
                }

                return assembly;
            }
        }

        private static bool IsAssemblyMatching(AssemblyName requested, Assembly? requestingAssembly)
        {
            if (requested.Name == null || s_dependencies == null || !s_dependencies.Contains(requested.Name))
            {
                return false;
            }

            // A request with no requester comes from the runtime itself (e.g. type forwarding);
            // answer it only for our own dependency set, which the check above guarantees.
            if (requestingAssembly == null)
            {
                return true;
            }

            string? requesterName = requestingAssembly.GetName().Name;
            return requestingAssembly == typeof(ModuleAssemblyHandler).Assembly
                || (requesterName != null && s_dependencies.Contains(requesterName));
        }
    }
}
