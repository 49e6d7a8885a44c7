using System.IO;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Plans
{
    /// <summary>
    /// The one way cmdlets and completers find and read the plan catalog: the location rule of
    /// <see cref="PlanCatalogLocator"/> applied to this runspace (the explicit path, $env:VDCPS_PLAN_CATALOG,
    /// the given or current context's cloud, the default), read through <see cref="PlanCatalogLoader.LoadCached"/>.
    /// </summary>
    internal static class PlanCatalogResolver
    {
        /// <summary>
        /// Where the catalog is. <paramref name="explicitPath"/> is already resolved against PowerShell's
        /// current folder; <paramref name="context"/> null means the runspace's current context.
        /// Throws <see cref="PlanCatalogException"/> NotFound.
        /// </summary>
        public static PlanCatalogLocation Locate(string? explicitPath, VdcContext? context, string? currentDirectory)
        {
            VdcContext? ctx = context ?? ContextStore.Current;
            string? cloudPath = ctx?.Session.Options.PlanCatalogPath;
            string? cloudName = ctx == null ? null : (string.IsNullOrEmpty(ctx.Cloud) ? ctx.Name : ctx.Cloud);
            return PlanCatalogLocator.Locate(
                explicitPath,
                System.Environment.GetEnvironmentVariable(PlanCatalogLocator.EnvironmentVariable),
                cloudPath,
                currentDirectory ?? Directory.GetCurrentDirectory(),
                PlanCatalogLocator.HomeDirectory(),
                cloudName);
        }

        /// <summary>The catalog (cached while the file is unchanged). Throws <see cref="PlanCatalogException"/>.</summary>
        public static PlanCatalog Load(string? explicitPath, VdcContext? context, string? currentDirectory, out PlanCatalogLocation location)
        {
            location = Locate(explicitPath, context, currentDirectory);
            return PlanCatalogLoader.LoadCached(location.Path);
        }
    }
}
