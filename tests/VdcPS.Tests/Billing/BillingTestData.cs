using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;
using Xunit;

namespace VdcPS.Tests.Billing
{
    /// <summary>The sample catalog, tenants with a history, usage rows, and a one-call rating.</summary>
    internal static class BillingTestData
    {
        private static PlanCatalog? _sample;

        /// <summary>examples/plans.yaml, found above the test binaries.</summary>
        public static string SamplePath()
        {
            string? dir = AppContext.BaseDirectory;
            while (dir != null)
            {
                string candidate = Path.Combine(dir, "examples", "plans.yaml");
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                dir = Path.GetDirectoryName(dir);
            }

            throw new FileNotFoundException("examples/plans.yaml not found above " + AppContext.BaseDirectory);
        }

        public static PlanCatalog Sample => _sample ??= PlanCatalogLoader.Load(SamplePath());

        /// <summary>A catalog from YAML text (for currencies and prices the sample does not have).</summary>
        public static PlanCatalog Catalog(string yaml)
        {
            var (catalog, problems) = PlanCatalogLoader.Parse(yaml, "test-plans.yaml");
            Assert.True(catalog != null, string.Join("\n", problems));
            return catalog!;
        }

        public static DateTime Utc(int y, int m, int d, int h = 0, int min = 0, int s = 0) => new(y, m, d, h, min, s, DateTimeKind.Utc);

        public static TenantEvent Activated(DateTime at, string plan) => new(at, TenantTimeline.Activated, plan);

        public static TenantEvent Suspended(DateTime at, string plan = "") => new(at, TenantTimeline.Suspended, plan);

        public static TenantEvent Resumed(DateTime at, string plan = "") => new(at, TenantTimeline.Resumed, plan);

        public static TenantEvent PlanChanged(DateTime at, string plan) => new(at, TenantTimeline.PlanChanged, plan);

        public static TenantTimeline Tenant(string name, string customer, string plan, params TenantEvent[] events)
            => new("id-" + name, name, customer, plan, events);

        public static VdcUsageRecord UsageRow(TenantTimeline tenant, string resource, decimal quantity, DateTime start, DateTime end, bool detail = false, string source = "nova")
            => new()
            {
                TenantId = tenant.TenantId,
                TenantName = tenant.TenantName,
                CustomerId = tenant.CustomerId,
                Plan = tenant.CurrentPlan,
                PeriodStart = start,
                PeriodEnd = end,
                Resource = resource,
                Quantity = quantity,
                Source = source,
                IsDetail = detail,
            };

        public static RatingResult Rate(DateTime start, DateTime end, IEnumerable<TenantTimeline> tenants, IEnumerable<VdcUsageRecord>? usage = null, PlanCatalog? catalog = null)
        {
            PlanCatalog c = catalog ?? Sample;
            return RatingEngine.Rate(new RatingRequest
            {
                Start = start,
                End = end,
                Tenants = tenants.ToList(),
                Usage = (usage ?? Enumerable.Empty<VdcUsageRecord>()).ToList(),
                FindPlan = c.Find,
            });
        }

        public static RatingResult Rate(DateTime start, DateTime end, params TenantTimeline[] tenants) => Rate(start, end, tenants, null);

        public static VdcChargeLine Single(RatingResult result, VdcChargeType type)
        {
            List<VdcChargeLine> lines = result.Lines.Where(l => l.ChargeType == type).ToList();
            Assert.True(lines.Count == 1, $"expected one {type} line, got {lines.Count}: {string.Join(" | ", result.Lines.Select(Describe))}");
            return lines[0];
        }

        public static string Describe(VdcChargeLine l) => $"{l.TenantName} {l.Plan} {l.ChargeType} {l.Quantity} {l.Unit} x {l.UnitPrice} = {l.Amount} {l.Currency} [{l.Description}]";

        /// <summary>The exact text of an amount, so 149.00 and 149 are told apart.</summary>
        public static string Text(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
