using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Models;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Quotas;
using Xunit;

namespace VdcPS.Tests.Quotas
{
    public class QuotaRowsTests
    {
        internal static PlanDefinition Plan() => new(
            "vdc-small", "VDC Small", "test plan", "EUR", "member", 100m, 0m,
            Array.Empty<PlanProfessionalService>(), Array.Empty<PlanRate>(),
            new[]
            {
                new PlanQuota("compute", "cores", "count", "vCPUs", 4, 2, 8, 1, 1),
                new PlanQuota("compute", "ram", "MB", "RAM", 8192, 4096, 16384, 2, 1),
                new PlanQuota("compute", "instances", "count", "servers", 5, 1, 10, 3, 1),
                new PlanQuota("compute", "floating_ips", "count", "legacy", 1, 0, 5, 4, 1),
                new PlanQuota("block-storage", "gigabytes", "GB", "GB", 200, 100, 500, 5, 1),
                new PlanQuota("block-storage", "volumes___DEFAULT__", "count", "per type", 10, 0, -1, 6, 1),
                new PlanQuota("network", "router", "count", "routers", 1, 1, 2, 7, 1),
                new PlanQuota("network", "security_group_rule", "count", "rules", 100, 50, -1, 8, 1),
            },
            "plans.yaml", 1);

        private static readonly QuotaTenant Tenant = new("p-1", "acme", "vdc-small", Plan());

        private static Dictionary<string, QuotaValue> Values(params (string Key, long Limit, long InUse)[] values)
            => values.ToDictionary(v => v.Key, v => new QuotaValue(v.Limit, v.InUse, 0));

        [Fact]
        public void Rows_come_in_api_ref_order_then_volume_type_keys_then_unknown_keys()
        {
            var rows = QuotaRows.FromService(Tenant, "block-storage",
                Values(("zz_new_key", 3, 0), ("volumes___DEFAULT__", -1, 0), ("gigabytes", 200, 20), ("per_volume_gigabytes", -1, 0), ("volumes", 10, 2), ("gigabytes___DEFAULT__", -1, 0)),
                null, "lab").ToList();
            Assert.Equal(new[] { "volumes", "gigabytes", "per_volume_gigabytes", "gigabytes___DEFAULT__", "volumes___DEFAULT__", "zz_new_key" }, rows.Select(r => r.Resource));
            Assert.Equal("GB", rows.Single(r => r.Resource == "gigabytes___DEFAULT__").Unit);
            Assert.Equal("count", rows.Single(r => r.Resource == "volumes___DEFAULT__").Unit);
            Assert.Equal("GB", rows.Single(r => r.Resource == "per_volume_gigabytes").Unit);
            Assert.All(rows, r => Assert.Equal(QuotaRows.SourceService, r.Source));
        }

        [Fact]
        public void Unlimited_is_minus_one_and_says_so_in_words()
        {
            VdcQuota row = QuotaRows.FromService(Tenant, "block-storage", Values(("volumes___DEFAULT__", -1, 0)), null, "lab").Single();
            Assert.Equal(-1, row.Limit);
            Assert.True(row.IsUnlimited);
            Assert.Equal("unlimited", row.LimitText);
            Assert.Equal(0, row.PlanMin);
            Assert.Equal(-1, row.PlanMax);
            Assert.Equal("0..unlimited", row.PlanRange);
            Assert.False(row.OutOfPlan);
        }

        [Theory]
        [InlineData(4, false)]
        [InlineData(2, false)]
        [InlineData(8, false)]
        [InlineData(1, true)]
        [InlineData(9, true)]
        [InlineData(-1, true)]
        public void A_limit_outside_the_plan_is_flagged(long limit, bool outOfPlan)
        {
            VdcQuota row = QuotaRows.FromService(Tenant, "compute", Values(("cores", limit, 0)), new Version(2, 93), "lab").Single();
            Assert.Equal(outOfPlan, row.OutOfPlan);
            Assert.Equal(2, row.PlanMin);
            Assert.Equal(8, row.PlanMax);
            Assert.Equal("2..8", row.PlanRange);
            Assert.Equal(limit == -1 ? "unlimited" : limit.ToString(), row.LimitText);
        }

        [Fact]
        public void A_resource_the_plan_does_not_list_has_no_bounds_and_is_never_out_of_plan()
        {
            VdcQuota row = QuotaRows.FromService(Tenant, "compute", Values(("metadata_items", 128, 0)), new Version(2, 93), "lab").Single();
            Assert.Null(row.PlanMin);
            Assert.Null(row.PlanMax);
            Assert.Equal(string.Empty, row.PlanRange);
            Assert.False(row.OutOfPlan);
        }

        [Fact]
        public void An_unmanaged_project_has_no_plan_and_no_bounds()
        {
            var unmanaged = new QuotaTenant("p-9", "admin", string.Empty, null);
            VdcQuota row = QuotaRows.FromService(unmanaged, "compute", Values(("cores", 20, 3)), new Version(2, 93), "lab").Single();
            Assert.Equal(string.Empty, row.Plan);
            Assert.Null(row.PlanMax);
            Assert.False(row.OutOfPlan);
            Assert.Equal(3, row.InUse);
        }

        public static IEnumerable<object[]> Microversions() => new[]
        {
            new object[] { "2.1", new[] { "networks", "floating_ips", "security_groups", "security_group_rules", "fixed_ips", "injected_files", "injected_file_content_bytes", "injected_file_path_bytes" }, Array.Empty<string>() },
            new object[] { "2.35", new[] { "networks", "floating_ips", "injected_files" }, Array.Empty<string>() },
            new object[] { "2.36", new[] { "injected_files", "injected_file_path_bytes" }, new[] { "networks", "floating_ips", "security_groups", "security_group_rules", "fixed_ips" } },
            new object[] { "2.56", new[] { "injected_files" }, new[] { "networks" } },
            new object[] { "2.57", Array.Empty<string>(), new[] { "networks", "injected_files", "injected_file_content_bytes", "injected_file_path_bytes" } },
            new object[] { "2.93", Array.Empty<string>(), new[] { "floating_ips", "injected_files" } },
        };

        [Theory]
        [MemberData(nameof(Microversions))]
        public void Compute_keys_removed_by_a_microversion_are_not_reported_at_or_after_it(string microversion, string[] kept, string[] dropped)
        {
            var all = new[] { "cores", "ram", "instances", "key_pairs", "metadata_items", "server_groups", "server_group_members",
                "fixed_ips", "floating_ips", "networks", "security_groups", "security_group_rules",
                "injected_files", "injected_file_content_bytes", "injected_file_path_bytes" };
            var rows = QuotaRows.FromService(Tenant, "compute", all.ToDictionary(k => k, _ => new QuotaValue(10, 0, 0)), Version.Parse(microversion), "lab")
                .Select(r => r.Resource).ToList();
            Assert.Contains("cores", rows);
            Assert.All(kept, k => Assert.Contains(k, rows));
            Assert.All(dropped, k => Assert.DoesNotContain(k, rows));
            Assert.Equal(new[] { "cores", "ram", "instances" }, rows.Take(3));
        }

        [Fact]
        public void Keystone_rows_use_the_project_limit_else_the_registered_default_and_the_legacy_keys_usage_and_bounds()
        {
            var registered = new[]
            {
                new RegisteredLimitDto { Id = "r1", ServiceId = "svc-nova", RegionId = "RegionOne", ResourceName = "class:VCPU", DefaultLimit = 20 },
                new RegisteredLimitDto { Id = "r2", ServiceId = "svc-nova", RegionId = "RegionOne", ResourceName = "class:MEMORY_MB", DefaultLimit = 51200 },
                new RegisteredLimitDto { Id = "r3", ServiceId = "svc-nova", RegionId = null, ResourceName = "class:DISK_GB", DefaultLimit = -1 },
            };
            var limits = new ServiceUnifiedLimits("compute", new[] { "svc-nova" }, registered);
            var own = new[] { new ProjectLimitDto { Id = "l1", ProjectId = "p-1", ServiceId = "svc-nova", RegionId = "RegionOne", ResourceName = "class:VCPU", ResourceLimit = 9 } };
            var rows = QuotaRows.FromKeystone(Tenant, limits, own, Values(("cores", 4, 3), ("ram", 8192, 2048)), "lab").ToList();

            VdcQuota vcpu = rows.Single(r => r.Resource == "class:VCPU");
            Assert.Equal(9, vcpu.Limit);
            Assert.Equal(3, vcpu.InUse);
            Assert.Equal(8, vcpu.PlanMax);
            Assert.True(vcpu.OutOfPlan);
            Assert.Equal(QuotaRows.SourceKeystone, vcpu.Source);
            Assert.Equal("count", vcpu.Unit);

            VdcQuota ram = rows.Single(r => r.Resource == "class:MEMORY_MB");
            Assert.Equal(51200, ram.Limit);
            Assert.Equal("MB", ram.Unit);
            Assert.Equal(2048, ram.InUse);
            Assert.True(ram.OutOfPlan);

            VdcQuota disk = rows.Single(r => r.Resource == "class:DISK_GB");
            Assert.True(disk.IsUnlimited);
            Assert.Equal("GB", disk.Unit);
            Assert.Equal(0, disk.InUse);
            Assert.Null(disk.PlanMax);
        }

        [Fact]
        public void Every_row_has_the_same_flat_scalar_properties()
        {
            var props = typeof(VdcQuota).GetProperties();
            Assert.All(props, p => Assert.True(p.PropertyType.IsPrimitive || p.PropertyType == typeof(string) || Nullable.GetUnderlyingType(p.PropertyType)?.IsPrimitive == true, p.Name));
            Assert.Equal(
                new[] { "TenantId", "TenantName", "Plan", "Service", "Resource", "Unit", "Limit", "IsUnlimited", "LimitText", "InUse", "Reserved", "PlanMin", "PlanMax", "PlanRange", "OutOfPlan", "Source", "Cloud" },
                props.Select(p => p.Name));
        }

        [Theory]
        [InlineData("compute", "cores", "class:VCPU")]
        [InlineData("compute", "ram", "class:MEMORY_MB")]
        [InlineData("compute", "instances", "servers")]
        [InlineData("compute", "key_pairs", "server_key_pairs")]
        [InlineData("compute", "metadata_items", "server_metadata_items")]
        [InlineData("compute", "server_groups", "server_groups")]
        [InlineData("compute", "server_group_members", "server_group_members")]
        public void Nova_keys_map_to_unified_limit_names_both_ways(string service, string key, string unified)
        {
            Assert.Equal(unified, UnifiedLimitNames.UnifiedFor(service, key));
            Assert.Equal(key, UnifiedLimitNames.LegacyFor(service, unified));
        }

        [Fact]
        public void Keys_without_a_unified_name_map_to_nothing()
        {
            Assert.Null(UnifiedLimitNames.UnifiedFor("compute", "floating_ips"));
            Assert.Null(UnifiedLimitNames.UnifiedFor("network", "router"));
            Assert.Null(UnifiedLimitNames.LegacyFor("compute", "class:DISK_GB"));
        }

        [Fact]
        public void A_region_specific_registered_limit_wins_and_other_regions_are_ignored()
        {
            var all = new[]
            {
                new RegisteredLimitDto { Id = "global", ServiceId = "s", RegionId = null, ResourceName = "class:VCPU", DefaultLimit = 10 },
                new RegisteredLimitDto { Id = "mine", ServiceId = "s", RegionId = "RegionOne", ResourceName = "class:VCPU", DefaultLimit = 20 },
                new RegisteredLimitDto { Id = "other", ServiceId = "s", RegionId = "RegionTwo", ResourceName = "servers", DefaultLimit = 5 },
                new RegisteredLimitDto { Id = "global-ram", ServiceId = "s", RegionId = null, ResourceName = "class:MEMORY_MB", DefaultLimit = 1024 },
            };
            var chosen = UnifiedLimitsState.Select(all, "regionone");
            Assert.Equal(new[] { "global-ram", "mine" }, chosen.Select(r => r.Id));
        }
    }
}
