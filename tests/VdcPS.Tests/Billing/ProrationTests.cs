using System;
using System.Linq;
using VdcPS.Billing;
using VdcPS.Models;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>
    /// Monthly fees prorated by days: a UTC day counts when the tenant was active at any time in it;
    /// fee x counted days / days of the calendar month, rounded half away from zero per line.
    /// Every expected amount is worked out by hand in the comment next to it.
    /// </summary>
    public class ProrationTests
    {
        // vdc-small (sample catalog): monthly 149.00, setup 99.00, "Onboarding call" 1 h 120.00.
        // vdc-medium: monthly 549.00, setup 249.00. vdc-large: monthly 1990.00, setup 490.00.

        [Fact]
        public void FullMonth_Of31Days_IsTheWholeFee()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 9, 10, 8), "vdc-small"));
            RatingResult r = Rate(Utc(2026, 12, 1), Utc(2027, 1, 1), t);

            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal("149.00", Text(fee.Amount));          // 149.00 x 31 / 31
            Assert.Equal(31m, fee.Quantity);
            Assert.Equal("day", fee.Unit);
            Assert.Equal("4.806452", Text(fee.UnitPrice));     // 149 / 31 = 4.80645161... -> 6 decimals
            Assert.Equal("EUR", fee.Currency);
            Assert.Equal("vdc-small", fee.Plan);
            Assert.Equal("VDC Small monthly fee 2026-12: 2026-12-01 to 2026-12-31 (31 of 31 days)", fee.Description);
            Assert.Single(r.Lines);                            // activated in September: no setup fee now
        }

        [Fact]
        public void FullMonth_Of30Days_IsTheWholeFee()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 9, 10, 8), "vdc-small"));
            VdcChargeLine fee = Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal("149.00", Text(fee.Amount));          // 149.00 x 30 / 30
            Assert.Equal(30m, fee.Quantity);
            Assert.Equal("4.966667", Text(fee.UnitPrice));     // 149 / 30 = 4.9666...
        }

        [Fact]
        public void ActivationMidMonth_In30DayMonth_CountsTheActivationDay()
        {
            // Activated 2026-11-14 09:30 UTC: days 14..30 = 17 days. 149 x 17 / 30 = 2533 / 30 = 84.4333 -> 84.43
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 11, 14, 9, 30), "vdc-small"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);

            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal("84.43", Text(fee.Amount));
            Assert.Equal(17m, fee.Quantity);
            Assert.Equal("VDC Small monthly fee 2026-11: 2026-11-14 to 2026-11-30 (17 of 30 days)", fee.Description);

            VdcChargeLine setup = Single(r, VdcChargeType.SetupFee);
            Assert.Equal("99.00", Text(setup.Amount));
            Assert.Equal(1m, setup.Quantity);
            Assert.Equal("each", setup.Unit);
            Assert.Equal("VDC Small setup fee (activated 2026-11-14)", setup.Description);

            VdcChargeLine service = Single(r, VdcChargeType.ProfessionalService);
            Assert.Equal("120.00", Text(service.Amount));
            Assert.Equal("Onboarding call (1 h, bundled with VDC Small, activated 2026-11-14)", service.Description);

            // invoice order: monthly fee, setup fee, professional service
            Assert.Equal(new[] { VdcChargeType.MonthlyFee, VdcChargeType.SetupFee, VdcChargeType.ProfessionalService }, r.Lines.Select(l => l.ChargeType));
        }

        [Fact]
        public void ActivationMidMonth_In31DayMonth()
        {
            // Activated 2026-10-20 23:59: days 20..31 = 12. 149 x 12 / 31 = 1788 / 31 = 57.677419... -> 57.68
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 10, 20, 23, 59), "vdc-small"));
            VdcChargeLine fee = Single(Rate(Utc(2026, 10, 1), Utc(2026, 11, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal("57.68", Text(fee.Amount));
            Assert.Equal(12m, fee.Quantity);
        }

        [Fact]
        public void February_Of28Days()
        {
            // Activated 2027-02-15: days 15..28 = 14. 149 x 14 / 28 = 74.50 (exactly half the fee)
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2027, 2, 15, 9), "vdc-small"));
            RatingResult r = Rate(Utc(2027, 2, 1), Utc(2027, 3, 1), t);
            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal("74.50", Text(fee.Amount));
            Assert.Equal(14m, fee.Quantity);
            Assert.Equal("5.321429", Text(fee.UnitPrice));     // 149 / 28 = 5.3214285714 -> 5.321429
            Assert.EndsWith("(14 of 28 days)", fee.Description);
        }

        [Fact]
        public void February_OfALeapYear_Has29Days()
        {
            // Activated 2028-02-15: days 15..29 = 15. 149 x 15 / 29 = 2235 / 29 = 77.0689655... -> 77.07
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2028, 2, 15, 9), "vdc-small"));
            VdcChargeLine fee = Single(Rate(Utc(2028, 2, 1), Utc(2028, 3, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal("77.07", Text(fee.Amount));
            Assert.Equal(15m, fee.Quantity);
            Assert.EndsWith("(15 of 29 days)", fee.Description);
        }

        [Fact]
        public void SuspensionAndResumption_CountOnlyTheDaysWithActiveTime()
        {
            // vdc-medium, suspended 2026-11-10 12:00, resumed 2026-11-20 08:00.
            // Active days: 1..10 (active until noon on the 10th) = 10, 20..30 = 11 -> 21 days.
            // 549 x 21 / 30 = 11529 / 30 = 384.30
            TenantTimeline t = Tenant("acme", "C-1", "vdc-medium",
                Activated(Utc(2026, 10, 1), "vdc-medium"),
                Suspended(Utc(2026, 11, 10, 12), "vdc-medium"),
                Resumed(Utc(2026, 11, 20, 8), "vdc-medium"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal("384.30", Text(fee.Amount));
            Assert.Equal(21m, fee.Quantity);
            Assert.Equal("VDC Medium monthly fee 2026-11: 2026-11-01 to 2026-11-10, 2026-11-20 to 2026-11-30 (21 of 30 days)", fee.Description);
            Assert.Single(r.Lines);
        }

        [Fact]
        public void SuspensionAtMidnight_DoesNotCountThatDay()
        {
            // Suspended 2026-11-20 00:00:00, never resumed: days 1..19 = 19. 549 x 19 / 30 = 10431 / 30 = 347.70
            TenantTimeline t = Tenant("acme", "C-1", "vdc-medium",
                Activated(Utc(2026, 10, 1), "vdc-medium"),
                Suspended(Utc(2026, 11, 20), "vdc-medium"));
            VdcChargeLine fee = Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal("347.70", Text(fee.Amount));
            Assert.Equal(19m, fee.Quantity);
        }

        [Fact]
        public void SuspendedAndResumedOnTheSameDay_PaysTheWholeMonth()
        {
            // Suspended 10:00, resumed 15:00 on 2026-11-05: every day had active time. 549 x 30 / 30 = 549.00
            TenantTimeline t = Tenant("acme", "C-1", "vdc-medium",
                Activated(Utc(2026, 10, 1), "vdc-medium"),
                Suspended(Utc(2026, 11, 5, 10)),
                Resumed(Utc(2026, 11, 5, 15)));
            VdcChargeLine fee = Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t), VdcChargeType.MonthlyFee);
            Assert.Equal("549.00", Text(fee.Amount));
            Assert.Equal(30m, fee.Quantity);
        }

        [Fact]
        public void ActivatedAndSuspendedInTheSameSecond_CountsThatDay()
        {
            // History times have whole seconds: a tenant suspended in the second of its activation was
            // still active for a moment on 2026-11-14. 149 x 1 / 30 = 4.9667 -> 4.97
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small",
                Activated(Utc(2026, 11, 14, 9, 30, 5), "vdc-small"),
                Suspended(Utc(2026, 11, 14, 9, 30, 5), "vdc-small"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal((1m, "4.97"), (fee.Quantity, Text(fee.Amount)));
            Assert.Equal("VDC Small monthly fee 2026-11: 2026-11-14 (1 of 30 days)", fee.Description);
            Assert.Equal("99.00", Text(Single(r, VdcChargeType.SetupFee).Amount));
        }

        [Fact]
        public void SuspendedAllMonth_HasNoFeeLine()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-medium",
                Activated(Utc(2026, 10, 1), "vdc-medium"),
                Suspended(Utc(2026, 10, 25)),
                Resumed(Utc(2026, 12, 3)));
            Assert.Empty(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t).Lines);
        }

        [Fact]
        public void PlanChangeMidMonth_ChargesEachPlanForItsDays_AndNoSecondSetupFee()
        {
            // small -> medium on 2026-11-16 10:00. Day 16 goes to medium (the plan at the last active moment of the day).
            // small: days 1..15 = 15 -> 149 x 15 / 30 = 74.50; medium: days 16..30 = 15 -> 549 x 15 / 30 = 274.50
            TenantTimeline t = Tenant("acme", "C-1", "vdc-medium",
                Activated(Utc(2026, 10, 1), "vdc-small"),
                PlanChanged(Utc(2026, 11, 16, 10), "vdc-medium"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            Assert.Equal(2, r.Lines.Count);
            Assert.All(r.Lines, l => Assert.Equal(VdcChargeType.MonthlyFee, l.ChargeType));
            Assert.Equal(("vdc-small", 15m, "74.50"), (r.Lines[0].Plan, r.Lines[0].Quantity, Text(r.Lines[0].Amount)));
            Assert.Equal(("vdc-medium", 15m, "274.50"), (r.Lines[1].Plan, r.Lines[1].Quantity, Text(r.Lines[1].Amount)));
            Assert.Equal("VDC Medium monthly fee 2026-11: 2026-11-16 to 2026-11-30 (15 of 30 days)", r.Lines[1].Description);
            Assert.Equal(349.00m, r.Lines.Sum(l => l.Amount));  // 74.50 + 274.50
        }

        [Fact]
        public void PlanChangedTwice_OneLinePerPlan()
        {
            // small -> medium 2026-11-10 12:00 -> small 2026-11-20 12:00.
            // medium: days 10..19 = 10 (day 10 ends on medium, day 20 ends on small) -> 549 x 10 / 30 = 183.00
            // small: days 1..9 and 20..30 = 9 + 11 = 20 -> 149 x 20 / 30 = 2980 / 30 = 99.333 -> 99.33
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small",
                Activated(Utc(2026, 10, 1), "vdc-small"),
                PlanChanged(Utc(2026, 11, 10, 12), "vdc-medium"),
                PlanChanged(Utc(2026, 11, 20, 12), "vdc-small"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            Assert.Equal(2, r.Lines.Count);
            VdcChargeLine small = r.Lines.Single(l => l.Plan == "vdc-small");
            VdcChargeLine medium = r.Lines.Single(l => l.Plan == "vdc-medium");
            Assert.Equal((20m, "99.33"), (small.Quantity, Text(small.Amount)));
            Assert.Equal((10m, "183.00"), (medium.Quantity, Text(medium.Amount)));
            Assert.Equal("VDC Small monthly fee 2026-11: 2026-11-01 to 2026-11-09, 2026-11-20 to 2026-11-30 (20 of 30 days)", small.Description);
            Assert.Same(small, r.Lines[0]);  // ordered by the plan's first day
        }

        [Fact]
        public void PlanChangeWhileSuspended_TakesEffectOnResumption()
        {
            // small, suspended 2026-11-10 00:00 (days 1..9 = 9), changed to large 2026-11-12, resumed 2026-11-21 00:00 (days 21..30 = 10).
            // small: 149 x 9 / 30 = 44.70; large: 1990 x 10 / 30 = 663.333 -> 663.33
            TenantTimeline t = Tenant("acme", "C-1", "vdc-large",
                Activated(Utc(2026, 10, 1), "vdc-small"),
                Suspended(Utc(2026, 11, 10), "vdc-small"),
                PlanChanged(Utc(2026, 11, 12), "vdc-large"),
                Resumed(Utc(2026, 11, 21), "vdc-large"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            Assert.Equal(new[] { ("vdc-small", 9m, "44.70"), ("vdc-large", 10m, "663.33") },
                r.Lines.Select(l => (l.Plan, l.Quantity, Text(l.Amount))));
        }

        [Fact]
        public void ActivationOneSecondBeforeMidnight_BelongsToThePreviousMonth()
        {
            // Activated 2026-10-31 23:59:59 UTC: October gets 1 day + setup + onboarding; November the full fee only.
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 10, 31, 23, 59, 59), "vdc-small"));

            RatingResult october = Rate(Utc(2026, 10, 1), Utc(2026, 11, 1), t);
            Assert.Equal("4.81", Text(Single(october, VdcChargeType.MonthlyFee).Amount));  // 149 x 1 / 31 = 4.80645 -> 4.81
            Assert.Equal("99.00", Text(Single(october, VdcChargeType.SetupFee).Amount));
            Assert.Equal("120.00", Text(Single(october, VdcChargeType.ProfessionalService).Amount));

            RatingResult november = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            Assert.Equal("149.00", Text(Single(november, VdcChargeType.MonthlyFee).Amount));
            Assert.Single(november.Lines);
        }

        [Fact]
        public void ActivationAtMidnight_BelongsToTheNewMonth()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 11, 1), "vdc-small"));
            Assert.Empty(Rate(Utc(2026, 10, 1), Utc(2026, 11, 1), t).Lines);
            RatingResult november = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            Assert.Equal("149.00", Text(Single(november, VdcChargeType.MonthlyFee).Amount));
            Assert.Equal("99.00", Text(Single(november, VdcChargeType.SetupFee).Amount));
        }

        [Fact]
        public void LastDayOfTheMonth_IsOneDay()
        {
            // Activated 2026-11-30 23:59:59: 1 day. 149 / 30 = 4.9667 -> 4.97
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 11, 30, 23, 59, 59), "vdc-small"));
            Assert.Equal("4.97", Text(Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t), VdcChargeType.MonthlyFee).Amount));
        }

        [Fact]
        public void PeriodBoundariesOffMidnight_DayBelongsToThePeriodHoldingItsMidnight()
        {
            // [2026-10-31 23:00, 2026-11-30 23:00) holds the midnights of Nov 1..Nov 30: the whole of November.
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 9, 1), "vdc-small"));
            RatingResult r = Rate(Utc(2026, 10, 31, 23), Utc(2026, 11, 30, 23), t);
            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal((30m, "149.00"), (fee.Quantity, Text(fee.Amount)));
            Assert.Equal(Utc(2026, 10, 31, 23), fee.PeriodStart);
        }

        [Fact]
        public void UnspecifiedAndLocalTimes_AreReadAsUtc()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 11, 14, 9, 30), "vdc-small"));
            RatingResult utc = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            RatingResult unspecified = Rate(new DateTime(2026, 11, 1), new DateTime(2026, 12, 1), t);
            Assert.Equal(utc.Lines.Select(Describe), unspecified.Lines.Select(Describe));
            Assert.All(unspecified.Lines, l => Assert.Equal(DateTimeKind.Utc, l.PeriodStart.Kind));

            // A local time is converted: the same instant gives the same lines on any machine.
            DateTime localStart = Utc(2026, 11, 1).ToLocalTime();
            DateTime localEnd = Utc(2026, 12, 1).ToLocalTime();
            RatingResult local = Rate(localStart, localEnd, t);
            Assert.Equal(utc.Lines.Select(Describe), local.Lines.Select(Describe));

            // history times given with an offset are compared in UTC too
            TenantTimeline shifted = Tenant("acme", "C-1", "vdc-small",
                Activated(new DateTimeOffset(2026, 11, 14, 10, 30, 0, TimeSpan.FromHours(1)).UtcDateTime, "vdc-small"));
            Assert.Equal("84.43", Text(Single(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), shifted), VdcChargeType.MonthlyFee).Amount));
        }

        [Fact]
        public void AQuarter_HasOneFeeLinePerMonth()
        {
            // Oct (31 d), Nov (30 d), Dec (31 d), active all the time: 149.00 each, in month order.
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 9, 1), "vdc-small"));
            RatingResult r = Rate(Utc(2026, 10, 1), Utc(2027, 1, 1), t);
            Assert.Equal(new[] { (31m, "149.00"), (30m, "149.00"), (31m, "149.00") }, r.Lines.Select(l => (l.Quantity, Text(l.Amount))));
            Assert.Equal(new[] { "2026-10", "2026-11", "2026-12" }, r.Lines.Select(l => l.Description.Substring("VDC Small monthly fee ".Length, 7)));
            Assert.All(r.Lines, l => Assert.Equal((Utc(2026, 10, 1), Utc(2027, 1, 1)), (l.PeriodStart, l.PeriodEnd)));
        }

        [Fact]
        public void APartialPeriod_UsesTheDaysOfTheCalendarMonth()
        {
            // [2026-11-01, 2026-11-16): 15 days of a 30-day month. 149 x 15 / 30 = 74.50
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small", Activated(Utc(2026, 9, 1), "vdc-small"));
            Assert.Equal("74.50", Text(Single(Rate(Utc(2026, 11, 1), Utc(2026, 11, 16), t), VdcChargeType.MonthlyFee).Amount));
        }

        [Fact]
        public void NeverActivated_OrActivatedLater_HasNoLines()
        {
            Assert.Empty(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), Tenant("new", "C-1", "vdc-small")).Lines);
            Assert.Empty(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), Tenant("later", "C-1", "vdc-small", Activated(Utc(2026, 12, 1), "vdc-small"))).Lines);
        }

        [Fact]
        public void PayAsYouGoPlan_HasNoFeeLines()
        {
            // vdc-payg: monthly 0, setup 0, no services: lines of 0 from a price of 0 are not written
            Assert.Empty(Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), Tenant("p", "C-1", "vdc-payg", Activated(Utc(2026, 11, 3), "vdc-payg"))).Lines);
        }

        [Fact]
        public void ThreeBundledServices_AreChargedOnceAtActivation_InCatalogOrder()
        {
            // vdc-large: setup 490.00; services 960.00 + 480.00 + 480.00 = 1920.00.
            // Activated 2026-11-03 00:00, suspended 2026-11-25 18:00: days 3..25 = 23 -> 1990 x 23 / 30 = 45770 / 30 = 1525.666 -> 1525.67
            TenantTimeline t = Tenant("initech", "C-3", "vdc-large",
                Activated(Utc(2026, 11, 3), "vdc-large"),
                Suspended(Utc(2026, 11, 25, 18), "vdc-large"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            Assert.Equal("1525.67", Text(Single(r, VdcChargeType.MonthlyFee).Amount));
            Assert.Equal("490.00", Text(Single(r, VdcChargeType.SetupFee).Amount));
            Assert.Equal(new[] { "Onboarding workshop", "Architecture review", "Quarterly service review" },
                r.Lines.Where(l => l.ChargeType == VdcChargeType.ProfessionalService).Select(l => l.Description.Substring(0, l.Description.IndexOf(" (", StringComparison.Ordinal))));
            Assert.Equal(1920.00m, r.Lines.Where(l => l.ChargeType == VdcChargeType.ProfessionalService).Sum(l => l.Amount));

            // the month after: no fee (still suspended), no second setup fee
            Assert.Empty(Rate(Utc(2026, 12, 1), Utc(2027, 1, 1), t).Lines);
        }

        [Fact]
        public void HistoryText_OfGetVdcTenant_GivesTheSameTimeline()
        {
            var tenant = new VdcTenant
            {
                Id = "id-acme", Name = "acme", CustomerId = "C-1", Plan = "vdc-medium", State = VdcTenantState.Active,
                ActivatedAt = Utc(2026, 10, 1),
                History = "2026-10-01T00:00:00Z activated vdc-small; 2026-11-10T12:00:00Z suspended vdc-small; 2026-11-20T08:00:00Z resumed vdc-small; 2026-11-25T00:00:00Z plan-changed vdc-medium",
            };
            TenantTimeline t = TenantTimeline.FromTenant(tenant);
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            // small: days 1..10 and 20..24 = 10 + 5 = 15 -> 149 x 15 / 30 = 74.50; medium: 25..30 = 6 -> 549 x 6 / 30 = 109.80
            Assert.Equal(new[] { ("vdc-small", 15m, "74.50"), ("vdc-medium", 6m, "109.80") }, r.Lines.Select(l => (l.Plan, l.Quantity, Text(l.Amount))));
            Assert.All(r.Lines, l => Assert.Equal(("C-1", "acme", "id-acme"), (l.CustomerId, l.TenantName, l.TenantId)));
        }

        [Fact]
        public void TenantWithoutHistory_UsesActivatedAtAndSuspendedAt()
        {
            // Only the summary fields: activated 2026-11-14 09:30 on vdc-small, suspended since 2026-11-24 06:00.
            // days 14..24 = 11 -> 149 x 11 / 30 = 1639 / 30 = 54.633 -> 54.63
            var tenant = new VdcTenant
            {
                Id = "id-x", Name = "x", CustomerId = "C-9", Plan = "vdc-small", State = VdcTenantState.Suspended,
                ActivatedAt = Utc(2026, 11, 14, 9, 30), SuspendedAt = Utc(2026, 11, 24, 6),
            };
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), TenantTimeline.FromTenant(tenant));
            VdcChargeLine fee = Single(r, VdcChargeType.MonthlyFee);
            Assert.Equal((11m, "54.63"), (fee.Quantity, Text(fee.Amount)));
            Assert.Equal("99.00", Text(Single(r, VdcChargeType.SetupFee).Amount));
        }

        [Fact]
        public void BadHistoryText_IsRefused()
        {
            var tenant = new VdcTenant { Id = "i", Name = "n", Plan = "vdc-small", History = "yesterday activated vdc-small" };
            FormatException e = Assert.Throws<FormatException>(() => TenantTimeline.FromTenant(tenant));
            Assert.Contains("yesterday activated vdc-small", e.Message);
        }

        [Fact]
        public void PlanMissingFromTheCatalog_IsAnErrorAndOtherPlansStillRate()
        {
            TenantTimeline t = Tenant("acme", "C-1", "vdc-small",
                Activated(Utc(2026, 10, 1), "vdc-retired"),
                PlanChanged(Utc(2026, 11, 16), "vdc-small"));
            RatingResult r = Rate(Utc(2026, 11, 1), Utc(2026, 12, 1), t);
            RatingIssue issue = Assert.Single(r.Issues, i => i.Severity == RatingIssueSeverity.Error);
            Assert.Equal(RatingEngine.PlanNotFound, issue.Id);
            Assert.Contains("vdc-retired", issue.Message);
            // small: days 16..30 = 15 -> 74.50
            Assert.Equal(("vdc-small", "74.50"), (Single(r, VdcChargeType.MonthlyFee).Plan, Text(Single(r, VdcChargeType.MonthlyFee).Amount)));
        }

        [Fact]
        public void EndBeforeStart_IsRefused()
        {
            Assert.Throws<ArgumentException>(() => Rate(Utc(2026, 12, 1), Utc(2026, 11, 1)));
        }
    }
}
