using System;

namespace VdcPS.Models
{
    /// <summary>Version of the loaded VdcPS module and of the runtime it runs on.</summary>
    public sealed class VdcVersionInfo
    {
        public string Module { get; set; } = string.Empty;
        public Version ModuleVersion { get; set; } = new Version(0, 0);
        public string PowerShellEdition { get; set; } = string.Empty;
        public Version? PowerShellVersion { get; set; }
        public string Runtime { get; set; } = string.Empty;
        public string OperatingSystem { get; set; } = string.Empty;
        public string ModulePath { get; set; } = string.Empty;
        public bool DependenciesIsolated { get; set; }
    }
}
