using System;
using System.Collections.Generic;

namespace VdcPS.Usage
{
    /// <summary>
    /// The resources Get-VdcUsage reports, named as the plan catalog's rate units (PlanRateUnits), and
    /// the unit of each quantity in words.
    /// </summary>
    internal static class UsageResources
    {
        public const string InstanceHour = "instance-hour";
        public const string VcpuHour = "vcpu-hour";
        public const string RamGbHour = "ram-gb-hour";
        public const string DiskGbHour = "disk-gb-hour";
        public const string VolumeGbHour = "volume-gb-hour";
        public const string SnapshotGbHour = "snapshot-gb-hour";
        public const string FloatingIpHour = "floating-ip-hour";

        public const string SourceNova = "nova";
        public const string SourceGnocchi = "gnocchi";

        /// <summary>What Nova's os-simple-tenant-usage reports, in output order.</summary>
        public static readonly IReadOnlyList<string> Nova = new[] { DiskGbHour, InstanceHour, RamGbHour, VcpuHour };

        public static bool IsNova(string resource) => Array.IndexOf((string[])Nova, resource) >= 0;

        /// <summary>The unit of a quantity of the resource, in words.</summary>
        public static string UnitOf(string resource)
        {
            switch (resource)
            {
                case InstanceHour:
                case "router-hour":
                    return "hours";
                case VcpuHour:
                    return "vCPU-hours";
                case FloatingIpHour:
                    return "IP-hours";
                case "network-egress-gb":
                    return "GB";
                default:
                    return resource.EndsWith("-gb-hour", StringComparison.Ordinal) ? "GB-hours" : resource;
            }
        }

        /// <summary>The MB of Nova and Gnocchi's memory metric to the GB of ram-gb-hour (1 GB = 1024 MB, exact in decimal).</summary>
        public const decimal MbPerGb = 1024m;
    }
}
