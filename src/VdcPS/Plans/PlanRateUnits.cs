using System;
using System.Collections.Generic;
using System.Linq;

namespace VdcPS.Plans
{
    /// <summary>A unit a pay-per-use rate can be priced in.</summary>
    internal sealed class PlanRateUnit
    {
        public PlanRateUnit(string name, string description)
        {
            Name = name;
            Description = description;
        }

        /// <summary>The unit as written in the catalog (vcpu-hour).</summary>
        public string Name { get; }

        public string Description { get; }
    }

    /// <summary>
    /// The units of pay-per-use rates. Each is "what" + "per how long", measured from the cloud's
    /// metering (Gnocchi/Ceilometer): a price is charged per unit of resource for each hour it
    /// exists (or, for network traffic, per GB transferred).
    /// </summary>
    internal static class PlanRateUnits
    {
        /// <summary>The one unit a plan may price per volume type (rates: volume-gb-hour: volume_types:).</summary>
        public const string VolumeGbHour = "volume-gb-hour";

        public static readonly IReadOnlyList<PlanRateUnit> All = new[]
        {
            new PlanRateUnit("vcpu-hour", "one vCPU of a server for one hour"),
            new PlanRateUnit("ram-gb-hour", "one GB of server RAM for one hour"),
            new PlanRateUnit("disk-gb-hour", "one GB of a server's root or ephemeral disk for one hour"),
            new PlanRateUnit("instance-hour", "one server (of any size) for one hour"),
            new PlanRateUnit("volume-gb-hour", "one GB of block storage volume for one hour"),
            new PlanRateUnit("snapshot-gb-hour", "one GB of volume snapshot for one hour"),
            new PlanRateUnit("backup-gb-hour", "one GB of volume backup for one hour"),
            new PlanRateUnit("image-gb-hour", "one GB of private image for one hour"),
            new PlanRateUnit("floating-ip-hour", "one floating IP for one hour"),
            new PlanRateUnit("router-hour", "one router for one hour"),
            new PlanRateUnit("network-egress-gb", "one GB of traffic leaving the cloud"),
        };

        public static PlanRateUnit? Find(string name) => All.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));

        public static string KnownList => string.Join(", ", All.Select(u => u.Name));
    }
}
