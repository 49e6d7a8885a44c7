using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Internal;
using VdcPS.Openstack;
using VdcPS.Openstack.Identity;
using VdcPS.Quotas;
using Xunit;

namespace VdcPS.Tests.Quotas
{
    public class QuotaChangeCalculatorTests
    {
        private static readonly Version Current = new(2, 93);

        private static Dictionary<string, IReadOnlyDictionary<string, QuotaValue>> Cloud(long coresInUse = 0, long routersInUse = 0, long gigabytesInUse = 0) => new()
        {
            ["compute"] = new Dictionary<string, QuotaValue>
            {
                ["cores"] = new(4, coresInUse, 0), ["ram"] = new(8192, 0, 0), ["instances"] = new(5, 0, 0), ["metadata_items"] = new(128, 0, 0),
            },
            ["block-storage"] = new Dictionary<string, QuotaValue>
            {
                ["gigabytes"] = new(200, gigabytesInUse, 0), ["volumes___DEFAULT__"] = new(-1, 0, 0),
            },
            ["network"] = new Dictionary<string, QuotaValue>
            {
                ["router"] = new(1, routersInUse, 0), ["security_group_rule"] = new(100, 0, 0),
            },
        };

        private static List<QuotaChange> Plan(IEnumerable<QuotaTarget> targets, List<QuotaProblem> problems,
            IReadOnlyDictionary<string, IReadOnlyDictionary<string, QuotaValue>>? cloud = null, Version? microversion = null, bool force = false,
            UnifiedLimitsState? unified = null, IReadOnlyDictionary<string, IReadOnlyList<ProjectLimitDto>>? own = null)
            => QuotaChangeCalculator.Calculate(QuotaRowsTests.Plan(), targets.ToList(), cloud ?? Cloud(), microversion ?? Current, force,
                unified ?? UnifiedLimitsState.None, own ?? new Dictionary<string, IReadOnlyList<ProjectLimitDto>>(), problems);

        private static QuotaTarget T(string service, string key, long value) => new(service, key, value);

        [Fact]
        public void Values_within_the_plan_become_changes_with_before_and_after()
        {
            var problems = new List<QuotaProblem>();
            var changes = Plan(new[] { T("compute", "cores", 6), T("network", "router", 2), T("block-storage", "volumes___DEFAULT__", 20) }, problems);
            Assert.Empty(problems);
            Assert.Equal(new[] { "compute.cores: 4 -> 6", "network.router: 1 -> 2", "block-storage.volumes___DEFAULT__: unlimited -> 20" }, changes.Select(c => c.Describe()));
        }

        [Fact]
        public void Values_that_do_not_change_are_left_out()
        {
            var problems = new List<QuotaProblem>();
            var changes = Plan(new[] { T("compute", "cores", 4), T("network", "router", 2) }, problems);
            Assert.Empty(problems);
            Assert.Equal("network.router", Assert.Single(changes).Name);
        }

        [Theory]
        [InlineData("compute", "cores", 9, "above the maximum 8")]
        [InlineData("compute", "cores", 1, "below the minimum 2")]
        [InlineData("compute", "cores", -1, "cannot be unlimited")]
        [InlineData("compute", "cores", -5, "negative")]
        [InlineData("compute", "metadata_items", 200, "not part of plan 'vdc-small'")]
        public void Values_outside_the_plan_are_refused_as_QuotaOutOfPlan(string service, string key, long value, string message)
        {
            var problems = new List<QuotaProblem>();
            var changes = Plan(new[] { T(service, key, value) }, problems);
            Assert.Empty(changes);
            QuotaProblem problem = Assert.Single(problems);
            Assert.Equal(ErrorIds.QuotaOutOfPlan, problem.ErrorId);
            Assert.Contains(message, problem.Message);
        }

        [Fact]
        public void Unlimited_is_allowed_where_the_plan_maximum_is_unlimited()
        {
            var problems = new List<QuotaProblem>();
            var changes = Plan(new[] { T("network", "security_group_rule", -1) }, problems);
            Assert.Empty(problems);
            Assert.Equal("network.security_group_rule: 100 -> unlimited", Assert.Single(changes).Describe());
        }

        [Fact]
        public void Every_violation_gets_its_own_problem_and_nothing_is_changed()
        {
            var problems = new List<QuotaProblem>();
            var changes = Plan(new[] { T("compute", "cores", 99), T("network", "router", 9), T("compute", "ram", 8192 + 1024), T("compute", "floating_ips", 2) }, problems);
            Assert.Equal(3, problems.Count);
            Assert.Equal(new[] { ErrorIds.QuotaOutOfPlan, ErrorIds.QuotaOutOfPlan, ErrorIds.QuotaResourceNotSupported }, problems.Select(p => p.ErrorId));
            // the calculator reports the changes it could make; the cmdlet sends nothing when there is any problem
            Assert.Single(changes);
        }

        [Fact]
        public void A_value_below_usage_is_refused_unless_forced()
        {
            var problems = new List<QuotaProblem>();
            Assert.Empty(Plan(new[] { T("compute", "cores", 2) }, problems, Cloud(coresInUse: 3)));
            QuotaProblem problem = Assert.Single(problems);
            Assert.Equal(ErrorIds.QuotaBelowUsage, problem.ErrorId);
            Assert.Contains("3 in use", problem.Message);

            problems.Clear();
            var forced = Plan(new[] { T("compute", "cores", 2), T("network", "router", 1) }, problems, Cloud(coresInUse: 3, routersInUse: 2), force: true);
            Assert.Empty(problems);
            Assert.Equal(new[] { "compute.cores" }, forced.Select(c => c.Name)); // router 1 -> 1 changes nothing
        }

        [Fact]
        public void Cinder_never_goes_below_usage_even_with_force()
        {
            var problems = new List<QuotaProblem>();
            Assert.Empty(Plan(new[] { T("block-storage", "gigabytes", 100) }, problems, Cloud(gigabytesInUse: 150), force: true));
            QuotaProblem problem = Assert.Single(problems);
            Assert.Equal(ErrorIds.QuotaBelowUsage, problem.ErrorId);
            Assert.Contains("Cinder never accepts", problem.Message);
        }

        [Fact]
        public void A_value_equal_to_usage_or_unlimited_is_never_below_usage()
        {
            var problems = new List<QuotaProblem>();
            Assert.Single(Plan(new[] { T("compute", "cores", 3) }, problems, Cloud(coresInUse: 3)));
            Assert.Empty(problems);
        }

        [Theory]
        [InlineData("2.35", null)]
        [InlineData("2.36", "removed from the compute API in microversion 2.36")]
        [InlineData("2.93", "set network.floatingip (Neutron) instead")]
        public void A_compute_key_removed_by_the_clouds_microversion_is_refused_with_what_to_use_instead(string microversion, string? message)
        {
            var cloud = Cloud();
            var compute = new Dictionary<string, QuotaValue>(cloud["compute"]) { ["floating_ips"] = new(10, 0, 0) };
            cloud["compute"] = compute;
            var problems = new List<QuotaProblem>();
            var changes = Plan(new[] { T("compute", "floating_ips", 3) }, problems, cloud, Version.Parse(microversion));
            if (message == null)
            {
                Assert.Empty(problems);
                Assert.Equal("compute.floating_ips: 10 -> 3", Assert.Single(changes).Describe());
            }
            else
            {
                QuotaProblem problem = Assert.Single(problems);
                Assert.Equal(ErrorIds.QuotaResourceNotSupported, problem.ErrorId);
                Assert.Contains(message, problem.Message);
            }
        }

        [Fact]
        public void A_per_volume_type_key_of_a_type_the_cloud_does_not_have_is_refused()
        {
            var cloud = Cloud();
            cloud["block-storage"] = new Dictionary<string, QuotaValue> { ["gigabytes"] = new(200, 0, 0) };
            var problems = new List<QuotaProblem>();
            Plan(new[] { T("block-storage", "volumes___DEFAULT__", 5) }, problems, cloud);
            QuotaProblem problem = Assert.Single(problems);
            Assert.Equal(ErrorIds.QuotaResourceNotSupported, problem.ErrorId);
            Assert.Contains("is there such a volume type?", problem.Message);
            Assert.Contains("It offers: gigabytes", problem.Message);
        }

        [Fact]
        public void A_compute_key_with_a_registered_limit_is_also_planned_for_keystone()
        {
            var registered = new RegisteredLimitDto { Id = "r1", ServiceId = "svc-nova", RegionId = "RegionOne", ResourceName = "class:VCPU", DefaultLimit = 20 };
            var services = new Dictionary<string, ServiceUnifiedLimits> { ["compute"] = new("compute", new[] { "svc-nova" }, new[] { registered }) };
            var system = new UnifiedLimitsState("flat", services, projectLimits: null, problem: null);
            var problems = new List<QuotaProblem>();

            // no system-scoped connection: Keystone is not written, and says so
            QuotaChange without = Assert.Single(Plan(new[] { T("compute", "cores", 6) }, problems, unified: system));
            Assert.Same(registered, without.Registered);
            Assert.False(without.UnifiedWritable);
            Assert.False(without.UnifiedChanges);
            Assert.Equal("compute.cores: 4 -> 6", without.Describe());

            // the cores value equals Nova's but Keystone's default differs: only Keystone changes
            var fake = new UnifiedLimitsState("flat", services, new LimitsApi(null!), null);
            QuotaChange keystoneOnly = Assert.Single(Plan(new[] { T("compute", "cores", 4) }, problems, unified: fake));
            Assert.False(keystoneOnly.ServiceChanges);
            Assert.True(keystoneOnly.UnifiedChanges);
            Assert.Equal(20, keystoneOnly.UnifiedBefore);
            Assert.Equal("compute.cores: 4 -> 4 (Keystone class:VCPU: 20 -> 4)", keystoneOnly.Describe());

            // a project limit that already has the value: nothing to do at all
            var own = new Dictionary<string, IReadOnlyList<ProjectLimitDto>>
            {
                ["compute"] = new[] { new ProjectLimitDto { Id = "l1", ProjectId = "p-1", ServiceId = "svc-nova", RegionId = "RegionOne", ResourceName = "class:VCPU", ResourceLimit = 4 } },
            };
            Assert.Empty(Plan(new[] { T("compute", "cores", 4) }, problems, unified: fake, own: own));
            Assert.Empty(problems);
        }

        [Fact]
        public void Typed_parameters_and_the_hashtable_merge_and_conflicts_are_problems()
        {
            var problems = new List<string>();
            var table = QuotaTargetCalculator.ParseOverrides(new Hashtable { ["cores"] = 6, ["network.router"] = "2", ["key_pairs"] = 20L }, problems);
            var merged = QuotaChangeCalculator.Merge(new[] { T("compute", "cores", 6), T("compute", "ram", 8192) }, table, problems);
            Assert.Empty(problems);
            Assert.Equal(new[] { "compute.cores=6", "compute.ram=8192", "network.router=2", "compute.key_pairs=20" }.OrderBy(x => x),
                merged.Select(t => $"{t.Service}.{t.Key}={t.Value}").OrderBy(x => x));

            QuotaChangeCalculator.Merge(new[] { T("compute", "cores", 8) }, table, problems);
            Assert.Contains("Quota compute.cores is given twice, as 8 and 6.", problems);
        }

        [Theory]
        [InlineData("cores", "compute", "cores")]
        [InlineData("compute.cores", "compute", "cores")]
        [InlineData("floating_ips", "compute", "floating_ips")]
        [InlineData("floatingip", "network", "floatingip")]
        [InlineData("block-storage/volumes___DEFAULT__", "block-storage", "volumes___DEFAULT__")]
        [InlineData("gigabytes_ssd", "block-storage", "gigabytes_ssd")]
        public void Hashtable_keys_resolve_to_service_and_key(string name, string service, string key)
        {
            Assert.True(QuotaTargetCalculator.TryResolve(name, out string s, out string k, out string? error), error);
            Assert.Equal(service, s);
            Assert.Equal(key, k);
        }
    }
}
