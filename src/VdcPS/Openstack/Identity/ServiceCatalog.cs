using System;
using System.Collections.Generic;
using System.Linq;

namespace VdcPS.Openstack.Identity
{
    /// <summary>Finds a service's endpoint in a token's catalog by type, region and interface.</summary>
    internal static class ServiceCatalog
    {
        // Official type first, then the aliases clouds still register (service-types-authority).
        private static readonly Dictionary<string, string[]> Aliases = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["block-storage"] = new[] { "block-storage", "volumev3", "volume", "block-store" },
            ["compute"] = new[] { "compute" },
            ["network"] = new[] { "network" },
            ["identity"] = new[] { "identity" },
            ["metric"] = new[] { "metric" },
            ["rating"] = new[] { "rating" },
            ["placement"] = new[] { "placement" },
        };

        internal static IReadOnlyList<string> KnownServices => new[] { "identity", "compute", "block-storage", "network", "metric", "rating" };

        internal static string[] TypesFor(string serviceType)
            => Aliases.TryGetValue(serviceType, out string[]? types) ? types : new[] { serviceType };

        /// <summary>The endpoint URL, or null when the catalog has none for this type, region and interface.</summary>
        internal static Uri? Find(IEnumerable<CatalogService> catalog, string serviceType, string? region, string @interface)
        {
            List<CatalogService> services = catalog.ToList();
            foreach (string type in TypesFor(serviceType))
            {
                foreach (CatalogService service in services.Where(s => string.Equals(s.Type, type, StringComparison.OrdinalIgnoreCase)))
                {
                    CatalogEndpoint? match = service.Endpoints.FirstOrDefault(e =>
                        string.Equals(e.Interface, @interface, StringComparison.OrdinalIgnoreCase)
                        && (string.IsNullOrEmpty(region) || string.Equals(e.Region, region, StringComparison.OrdinalIgnoreCase)));
                    if (match != null)
                    {
                        return match.Url;
                    }
                }
            }

            return null;
        }

        /// <summary>Regions named anywhere in the catalog, for messages and completion.</summary>
        internal static IReadOnlyList<string> Regions(IEnumerable<CatalogService> catalog)
            => catalog.SelectMany(s => s.Endpoints).Select(e => e.Region).Where(r => !string.IsNullOrEmpty(r))
                .Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(r => r, StringComparer.OrdinalIgnoreCase).ToList()!;
    }
}
