using System;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using VdcPS.Isolation;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>Shows the VdcPS version and the PowerShell/.NET runtime it is loaded in.</summary>
    [Cmdlet(VerbsCommon.Get, "VdcVersion")]
    [OutputType(typeof(VdcVersionInfo))]
    public sealed class GetVdcVersionCommand : VdcCmdlet
    {
        protected override void EndProcessing()
        {
            Assembly assembly = typeof(GetVdcVersionCommand).Assembly;
            string informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
            int plus = informational.IndexOf('+');
            var table = SessionState.PSVariable.GetValue("PSVersionTable") as System.Collections.Hashtable;
            string location = assembly.Location;
            WriteObject(new VdcVersionInfo
            {
                Module = "VdcPS",
                ModuleVersion = assembly.GetName().Version ?? new Version(0, 0),
                PowerShellEdition = table?["PSEdition"]?.ToString() ?? string.Empty,
                PowerShellVersion = ToVersion(table?["PSVersion"]),
                Runtime = RuntimeInformation.FrameworkDescription,
                OperatingSystem = RuntimeInformation.OSDescription,
                ModulePath = System.IO.Path.GetDirectoryName(location) ?? string.Empty,
                DependenciesIsolated = ModuleAssemblyHandler.DependenciesIsolated(),
            });
        }

        private static Version? ToVersion(object? value)
        {
            if (value == null)
            {
                return null;
            }

            string text = value.ToString() ?? string.Empty;
            int dash = text.IndexOf('-');
            return Version.TryParse(dash > 0 ? text.Substring(0, dash) : text, out Version? v) ? v : null;
        }
    }
}
