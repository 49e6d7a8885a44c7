using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Billing;
using VdcPS.Models;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>
    /// The acceptance case of the billing issue: a month of the sample plans (examples/plans.yaml)
    /// for three customers reconciles to the cent with references computed by hand below.
    /// </summary>
    public class SampleCatalogReconciliationTests
    {
        private static readonly DateTime Nov = Utc(2026, 11, 1);
        private static readonly DateTime Dec = Utc(2026, 12, 1);

        internal static (List<TenantTimeline> Tenants, List<VdcUsageRecord> Usage) November()
        {
            // C-100 -------------------------------------------------------------------------------
            // acme-prod, vdc-medium since June: fee 549.00 (30/30).
            //   volume-gb-hour 720000 x 0.00014 = 100.80; snapshot-gb-hour 144000 x 0.00007 = 10.08;
            //   floating-ip-hour 2160 x 0.0055 = 11.88; vcpu-hour is not priced in vdc-medium (no line).
            TenantTimeline prod = Tenant("acme-prod", "C-100", "vdc-medium", Activated(Utc(2026, 6, 1, 10), "vdc-medium"));
            // acme-dev, vdc-payg activated 2026-11-14 09:30: no fees.
            //   vcpu-hour 816 x 0.0125 = 10.20; ram-gb-hour 1632 x 0.0055 = 8.976 -> 8.98;
            //   disk-gb-hour 16320 x 0.00012 = 1.9584 -> 1.96; instance-hour 408 x 0.0010 = 0.408 -> 0.41;
            //   floating-ip-hour 408 x 0.0060 = 2.448 -> 2.45.
            TenantTimeline dev = Tenant("acme-dev", "C-100", "vdc-payg", Activated(Utc(2026, 11, 14, 9, 30), "vdc-payg"));

            // C-200 -------------------------------------------------------------------------------
            // globex, vdc-small activated 2026-11-14 09:30: 17 of 30 days: 149 x 17 / 30 = 84.4333 -> 84.43;
            //   setup 99.00; onboarding call 120.00;
            //   volume-gb-hour 81600 x 0.00014 = 11.424 -> 11.42; floating-ip-hour 408 x 0.0055 = 2.244 -> 2.24.
            TenantTimeline globex = Tenant("globex", "C-200", "vdc-small", Activated(Utc(2026, 11, 14, 9, 30), "vdc-small"));
            // globex-erp, vdc-medium since August, upgraded to vdc-large 2026-11-21 08:00:
            //   medium days 1..20 = 20: 549 x 20 / 30 = 366.00; large days 21..30 = 10: 1990 x 10 / 30 = 663.333 -> 663.33;
            //   the month's usage is rated at vdc-large (the plan at the end of the row's period):
            //   volume-gb-hour 300000 x 0.00012 = 36.00; snapshot-gb-hour 50000 x 0.00006 = 3.00.
            TenantTimeline erp = Tenant("globex-erp", "C-200", "vdc-large",
                Activated(Utc(2026, 8, 1), "vdc-medium"),
                PlanChanged(Utc(2026, 11, 21, 8), "vdc-large"));

            // C-300 -------------------------------------------------------------------------------
            // initech, vdc-large activated 2026-11-03 00:00, suspended 2026-11-25 18:00 (not resumed):
            //   days 3..25 = 23: 1990 x 23 / 30 = 45770 / 30 = 1525.666 -> 1525.67; setup 490.00;
            //   services 960.00 + 480.00 + 480.00 = 1920.00;
            //   floating-ip-hour 552 x 0.0050 = 2.76; volume-gb-hour 120000 x 0.00012 = 14.40 (volumes are
            //   billed while suspended).
            TenantTimeline initech = Tenant("initech", "C-300", "vdc-large",
                Activated(Utc(2026, 11, 3), "vdc-large"),
                Suspended(Utc(2026, 11, 25, 18), "vdc-large"));

            var usage = new List<VdcUsageRecord>
            {
                UsageRow(prod, "vcpu-hour", 11520m, Nov, Dec),
                UsageRow(prod, "volume-gb-hour", 720000m, Nov, Dec),
                UsageRow(prod, "snapshot-gb-hour", 144000m, Nov, Dec),
                UsageRow(prod, "floating-ip-hour", 2160m, Nov, Dec),
                UsageRow(dev, "vcpu-hour", 816m, Nov, Dec),
                UsageRow(dev, "ram-gb-hour", 1632m, Nov, Dec),
                UsageRow(dev, "disk-gb-hour", 16320m, Nov, Dec),
                UsageRow(dev, "instance-hour", 408m, Nov, Dec),
                UsageRow(dev, "floating-ip-hour", 408m, Nov, Dec),
                UsageRow(globex, "volume-gb-hour", 81600m, Nov, Dec),
                UsageRow(globex, "floating-ip-hour", 408m, Nov, Dec),
                UsageRow(erp, "volume-gb-hour", 300000m, Nov, Dec),
                UsageRow(erp, "snapshot-gb-hour", 50000m, Nov, Dec),
                UsageRow(initech, "floating-ip-hour", 552m, Nov, Dec),
                UsageRow(initech, "volume-gb-hour", 120000m, Nov, Dec),
            };
            return (new List<TenantTimeline> { initech, erp, prod, globex, dev }, usage);
        }

        [Fact]
        public void EveryLine_MatchesTheHandComputedReference()
        {
            var (tenants, usage) = November();
            RatingResult r = Rate(Nov, Dec, tenants, usage);

            var expected = new[]
            {
                "C-100 acme-dev vdc-payg PayPerUse disk-gb-hour 16320 x 0.00012 = 1.96",
                "C-100 acme-dev vdc-payg PayPerUse floating-ip-hour 408 x 0.0060 = 2.45",
                "C-100 acme-dev vdc-payg PayPerUse instance-hour 408 x 0.0010 = 0.41",
                "C-100 acme-dev vdc-payg PayPerUse ram-gb-hour 1632 x 0.0055 = 8.98",
                "C-100 acme-dev vdc-payg PayPerUse vcpu-hour 816 x 0.0125 = 10.20",
                "C-100 acme-prod vdc-medium MonthlyFee day 30 x 18.30 = 549.00",
                "C-100 acme-prod vdc-medium PayPerUse floating-ip-hour 2160 x 0.0055 = 11.88",
                "C-100 acme-prod vdc-medium PayPerUse snapshot-gb-hour 144000 x 0.00007 = 10.08",
                "C-100 acme-prod vdc-medium PayPerUse volume-gb-hour 720000 x 0.00014 = 100.80",
                "C-200 globex vdc-small MonthlyFee day 17 x 4.966667 = 84.43",
                "C-200 globex vdc-small SetupFee each 1 x 99.00 = 99.00",
                "C-200 globex vdc-small ProfessionalService each 1 x 120.00 = 120.00",
                "C-200 globex vdc-small PayPerUse floating-ip-hour 408 x 0.0055 = 2.24",
                "C-200 globex vdc-small PayPerUse volume-gb-hour 81600 x 0.00014 = 11.42",
                "C-200 globex-erp vdc-medium MonthlyFee day 20 x 18.30 = 366.00",
                "C-200 globex-erp vdc-large MonthlyFee day 10 x 66.333333 = 663.33",
                "C-200 globex-erp vdc-large PayPerUse snapshot-gb-hour 50000 x 0.00006 = 3.00",
                "C-200 globex-erp vdc-large PayPerUse volume-gb-hour 300000 x 0.00012 = 36.00",
                "C-300 initech vdc-large MonthlyFee day 23 x 66.333333 = 1525.67",
                "C-300 initech vdc-large SetupFee each 1 x 490.00 = 490.00",
                "C-300 initech vdc-large ProfessionalService each 1 x 960.00 = 960.00",
                "C-300 initech vdc-large ProfessionalService each 1 x 480.00 = 480.00",
                "C-300 initech vdc-large ProfessionalService each 1 x 480.00 = 480.00",
                "C-300 initech vdc-large PayPerUse floating-ip-hour 552 x 0.0050 = 2.76",
                "C-300 initech vdc-large PayPerUse volume-gb-hour 120000 x 0.00012 = 14.40",
            };
            Assert.Equal(expected, r.Lines.Select(l =>
                $"{l.CustomerId} {l.TenantName} {l.Plan} {l.ChargeType} {l.Unit} {Text(l.Quantity)} x {Text(l.UnitPrice)} = {Text(l.Amount)}"));
            Assert.All(r.Lines, l => Assert.Equal(("EUR", Nov, Dec, "vdcps"), (l.Currency, l.PeriodStart, l.PeriodEnd, l.Source)));
            Assert.DoesNotContain(r.Issues, i => i.Severity != RatingIssueSeverity.Verbose);
        }

        [Fact]
        public void Invoices_ReconcileToTheCent()
        {
            var (tenants, usage) = November();
            IReadOnlyList<VdcInvoice> invoices = InvoiceBuilder.Build(Rate(Nov, Dec, tenants, usage).Lines);

            // C-100: fees 549.00; pay-per-use 1.96 + 2.45 + 0.41 + 8.98 + 10.20 + 11.88 + 10.08 + 100.80 = 146.76;
            //        total 549.00 + 146.76 = 695.76 (9 lines)
            // C-200: fees 84.43 + 366.00 + 663.33 = 1113.76; setup 99.00; services 120.00;
            //        pay-per-use 2.24 + 11.42 + 3.00 + 36.00 = 52.66; total 1113.76 + 99.00 + 120.00 + 52.66 = 1385.42 (9 lines)
            // C-300: fees 1525.67; setup 490.00; services 1920.00; pay-per-use 2.76 + 14.40 = 17.16;
            //        total 1525.67 + 490.00 + 1920.00 + 17.16 = 3952.83 (7 lines)
            Assert.Equal(new[]
            {
                "C-100 9 549.00 0.00 0.00 146.76 695.76 acme-dev; acme-prod",
                "C-200 9 1113.76 99.00 120.00 52.66 1385.42 globex; globex-erp",
                "C-300 7 1525.67 490.00 1920.00 17.16 3952.83 initech",
            }, invoices.Select(i => $"{i.CustomerId} {i.LineCount} {Text(i.MonthlyFees)} {Text(i.SetupFees)} {Text(i.ProfessionalServices)} {Text(i.PayPerUse)} {Text(i.Total)} {i.Tenants}"));
            Assert.All(invoices, i => Assert.Equal(("EUR", Nov, Dec, "vdcps"), (i.Currency, i.PeriodStart, i.PeriodEnd, i.Source)));

            // 695.76 + 1385.42 + 3952.83 = 6034.01
            Assert.Equal("6034.01", Text(invoices.Sum(i => i.Total)));
            Assert.All(invoices, i => Assert.Equal(i.Total, i.MonthlyFees + i.SetupFees + i.ProfessionalServices + i.PayPerUse));
        }

        [Fact]
        public void TheSameInput_GivesTheSameLines_InAnyInputOrder()
        {
            var (tenants, usage) = November();
            string first = string.Join("\n", Rate(Nov, Dec, tenants, usage).Lines.Select(Describe));
            tenants.Reverse();
            usage.Reverse();
            string second = string.Join("\n", Rate(Nov, Dec, tenants, usage).Lines.Select(Describe));
            Assert.Equal(first, second);
        }
    }
}
