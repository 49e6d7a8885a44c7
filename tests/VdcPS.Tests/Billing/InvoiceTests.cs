using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using VdcPS.Billing;
using VdcPS.Models;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>Invoices (one per customer, period and currency) and their documents.</summary>
    public class InvoiceTests
    {
        private static readonly DateTime Nov = Utc(2026, 11, 1);
        private static readonly DateTime Dec = Utc(2026, 12, 1);

        private static VdcChargeLine Line(string customer, string tenant, VdcChargeType type, decimal amount, string currency = "EUR", DateTime? start = null, string source = "vdcps")
            => new()
            {
                CustomerId = customer, TenantId = "id-" + tenant, TenantName = tenant, Plan = "p", PeriodStart = start ?? Nov, PeriodEnd = (start ?? Nov).AddMonths(1),
                ChargeType = type, Description = "d", Quantity = 1, Unit = "each", UnitPrice = amount, Amount = amount, Currency = currency, Source = source,
            };

        [Fact]
        public void OneInvoicePerCustomerPeriodAndCurrency_InOrder()
        {
            var lines = new[]
            {
                Line("C-2", "b", VdcChargeType.PayPerUse, 1.10m),
                Line("C-1", "a", VdcChargeType.MonthlyFee, 149.00m),
                Line("C-1", "a", VdcChargeType.PayPerUse, 0.03m, "USD"),
                Line("C-1", "a2", VdcChargeType.SetupFee, 99.00m),
                Line("C-1", "a", VdcChargeType.MonthlyFee, 149.00m, start: Dec),
                Line("C-1", "a", VdcChargeType.ProfessionalService, 120.00m, source: "cloudkitty"),
            };
            IReadOnlyList<VdcInvoice> invoices = InvoiceBuilder.Build(lines);
            Assert.Equal(new[]
            {
                "C-1 2026-11 EUR 3 149.00+99.00+120.00+0.00=368.00 a; a2 cloudkitty; vdcps",
                "C-1 2026-11 USD 1 0.00+0.00+0.00+0.03=0.03 a vdcps",
                "C-1 2026-12 EUR 1 149.00+0.00+0.00+0.00=149.00 a vdcps",
                "C-2 2026-11 EUR 1 0.00+0.00+0.00+1.10=1.10 b vdcps",
            }, invoices.Select(i =>
                $"{i.CustomerId} {i.PeriodStart:yyyy-MM} {i.Currency} {i.LineCount} {Text(i.MonthlyFees)}+{Text(i.SetupFees)}+{Text(i.ProfessionalServices)}+{Text(i.PayPerUse)}={Text(i.Total)} {i.Tenants} {i.Source}"));
            Assert.Equal(3, invoices[0].Lines.Length);
            Assert.Same(lines[1], invoices[0].Lines[0]);  // the lines keep their order
        }

        [Fact]
        public void NoLines_NoInvoice()
        {
            Assert.Empty(InvoiceBuilder.Build(Array.Empty<VdcChargeLine>()));
        }

        [Fact]
        public void CsvDocument_IsInvariant_AndByteIdenticalForTheSameInvoice()
        {
            var (tenants, usage) = SampleCatalogReconciliationTests.November();
            VdcInvoice invoice = InvoiceBuilder.Build(Rate(Nov, Dec, tenants, usage).Lines).Single(i => i.CustomerId == "C-200");

            CultureInfo saved = CultureInfo.CurrentCulture;
            string german, english;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                german = InvoiceDocument.Csv(invoice);
                CultureInfo.CurrentCulture = new CultureInfo("en-US");
                english = InvoiceDocument.Csv(invoice);
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
            }

            Assert.Equal(german, english);
            Assert.Equal(InvoiceDocument.Csv(invoice), InvoiceDocument.Csv(InvoiceBuilder.Build(Rate(Nov, Dec, tenants, usage).Lines).Single(i => i.CustomerId == "C-200")));

            string[] rows = german.Split("\r\n");
            Assert.Equal("\"CustomerId\",\"TenantId\",\"TenantName\",\"Plan\",\"PeriodStart\",\"PeriodEnd\",\"ServicePeriodStart\",\"ServicePeriodEnd\",\"ChargeType\",\"Description\",\"Quantity\",\"Unit\",\"UnitPrice\",\"Amount\",\"Currency\",\"Source\"", rows[0]);
            Assert.Equal("\"C-200\",\"id-globex\",\"globex\",\"vdc-small\",\"2026-11-01T00:00:00Z\",\"2026-12-01T00:00:00Z\",\"2026-11-01T00:00:00Z\",\"2026-12-01T00:00:00Z\",\"MonthlyFee\",\"VDC Small monthly fee 2026-11: 2026-11-14 to 2026-11-30 (17 of 30 days)\",\"17\",\"day\",\"4.966667\",\"84.43\",\"EUR\",\"vdcps\"", rows[1]);
            Assert.Equal(string.Empty, rows[^1]);  // ends with a line break
            Assert.Equal(1 + 9 + 1, rows.Length);  // header, 9 lines, trailing empty: no subtotal among the lines

            // the Amount column adds up to the total, which is in the summary file
            decimal sum = rows.Skip(1).Take(9).Sum(r => decimal.Parse(r.Split("\",\"")[13], CultureInfo.InvariantCulture));
            Assert.Equal(invoice.Total, sum);
            string[] summary = InvoiceDocument.SummaryCsv(invoice).Split("\r\n");
            Assert.Equal("\"CustomerId\",\"PeriodStart\",\"PeriodEnd\",\"Currency\",\"Tenants\",\"LineCount\",\"MonthlyFees\",\"Allocations\",\"SetupFees\",\"ProfessionalServices\",\"PayPerUse\",\"Total\",\"Source\"", summary[0]);
            Assert.Equal($"\"C-200\",\"2026-11-01T00:00:00Z\",\"2026-12-01T00:00:00Z\",\"EUR\",\"{invoice.Tenants}\",\"9\",\"{Text(invoice.MonthlyFees)}\",\"0.00\",\"{Text(invoice.SetupFees)}\",\"{Text(invoice.ProfessionalServices)}\",\"{Text(invoice.PayPerUse)}\",\"1385.42\",\"vdcps\"", summary[1]);
            Assert.Equal(3, summary.Length);
            Assert.Equal("C-200_2026-11_EUR.summary.csv", InvoiceDocument.SummaryFileName(invoice));

            byte[] bytes = InvoiceDocument.CsvEncoding.GetPreamble().Concat(InvoiceDocument.CsvEncoding.GetBytes(german)).ToArray();
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
        }

        [Fact]
        public void HtmlDocument_HasTheLinesAndTotals_Escaped()
        {
            VdcChargeLine line = Line("C-<1>", "a&b", VdcChargeType.MonthlyFee, 149.00m);
            VdcInvoice invoice = Assert.Single(InvoiceBuilder.Build(new[] { line }));
            string html = InvoiceDocument.Html(invoice);
            Assert.Contains("<td>C-&lt;1&gt;</td>", html);
            Assert.Contains("<td>a&amp;b</td>", html);
            Assert.Contains("<td>Total</td><td class=\"n\">149.00 EUR</td>", html);
            Assert.DoesNotContain("C-<1>", html);
            Assert.Equal(html, InvoiceDocument.Html(invoice));
        }

        [Theory]
        [InlineData("C-100", 2026, 11, 1, 2026, 12, 1, "EUR", "C-100_2026-11_EUR.csv")]
        [InlineData("acme:eu/42", 2026, 11, 1, 2026, 12, 1, "EUR", "acme_eu_42_2026-11_EUR.csv")]
        [InlineData("C-1", 2026, 11, 1, 2026, 11, 16, "JPY", "C-1_2026-11-01_2026-11-15_JPY.csv")]
        [InlineData("", 2026, 10, 1, 2027, 1, 1, "EUR", "no-customer_2026-10-01_2026-12-31_EUR.csv")]
        public void FileNames_AreSafe_AndNameThePeriod(string customer, int y1, int m1, int d1, int y2, int m2, int d2, string currency, string expected)
        {
            var invoice = new VdcInvoice { CustomerId = customer, PeriodStart = Utc(y1, m1, d1), PeriodEnd = Utc(y2, m2, d2), Currency = currency };
            Assert.Equal(expected, InvoiceDocument.FileName(invoice, VdcInvoiceFormat.Csv));
        }
    }
}
