using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using VdcPS.Models;

namespace VdcPS.Billing
{
    /// <summary>
    /// Writes one invoice as documents, independent of the current culture: numbers with a dot and
    /// exactly as rated, dates as ISO 8601 in UTC with the zone (2026-11-01T00:00:00Z), no time stamp
    /// of its own. The same invoice gives the same bytes on every machine. As CSV, the lines and the
    /// sums go to two files, so that the Amount column of the lines file adds up to the total.
    /// </summary>
    internal static class InvoiceDocument
    {
        public static readonly string[] CsvColumns =
        {
            "CustomerId", "TenantId", "TenantName", "Plan", "PeriodStart", "PeriodEnd", "ServicePeriodStart", "ServicePeriodEnd",
            "ChargeType", "Description", "Quantity", "Unit", "UnitPrice", "Amount", "Currency", "Source",
        };

        public static readonly string[] SummaryColumns =
        {
            "CustomerId", "PeriodStart", "PeriodEnd", "Currency", "Tenants", "LineCount",
            "MonthlyFees", "Allocations", "SetupFees", "ProfessionalServices", "PayPerUse", "Total", "Source",
        };

        /// <summary>The suffix of the summary file that goes with a CSV lines file (C-100_2026-11_EUR.summary.csv).</summary>
        public const string SummarySuffix = ".summary.csv";

        /// <summary>UTF-8 with a byte order mark, so that spreadsheet programs read names with accents right.</summary>
        public static readonly Encoding CsvEncoding = new UTF8Encoding(true);

        public static readonly Encoding HtmlEncoding = new UTF8Encoding(false);

        /// <summary>"acme_2026-11_EUR" for a calendar month, else "acme_2026-11-01_2026-11-15_EUR"; only safe file name characters.</summary>
        public static string FileName(VdcInvoice invoice, VdcInvoiceFormat format)
        {
            var customer = new StringBuilder();
            foreach (char c in string.IsNullOrEmpty(invoice.CustomerId) ? "no-customer" : invoice.CustomerId)
            {
                customer.Append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ? c : '_');
            }

            return $"{customer}_{PeriodText(invoice, true)}_{invoice.Currency}.{(format == VdcInvoiceFormat.Html ? "html" : "csv")}";
        }

        /// <summary>"acme_2026-11_EUR.summary.csv": the file of the sums that goes with the CSV lines file.</summary>
        public static string SummaryFileName(VdcInvoice invoice)
        {
            string lines = FileName(invoice, VdcInvoiceFormat.Csv);
            return lines.Substring(0, lines.Length - ".csv".Length) + SummarySuffix;
        }

        /// <summary>"2026-11" for a whole calendar month, else "2026-11-01_2026-11-15" (or " to ") with the last day inclusive.</summary>
        public static string PeriodText(VdcInvoice invoice, bool forFileName)
        {
            DateTime start = invoice.PeriodStart;
            DateTime end = invoice.PeriodEnd;
            if (start.TimeOfDay == TimeSpan.Zero && start.Day == 1 && end == start.AddMonths(1))
            {
                return start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            }

            DateTime last = end.TimeOfDay == TimeSpan.Zero && end > start ? end.AddDays(-1) : end;
            return Day(start) + (forFileName ? "_" : " to ") + Day(last);
        }

        /// <summary>The lines, and nothing else: summing the Amount column gives the invoice's Total.</summary>
        public static string Csv(VdcInvoice invoice)
        {
            var text = new StringBuilder();
            Row(text, CsvColumns);
            foreach (VdcChargeLine line in invoice.Lines)
            {
                Row(text, new[]
                {
                    line.CustomerId, line.TenantId, line.TenantName, line.Plan, Date(line.PeriodStart), Date(line.PeriodEnd),
                    Date(line.ServicePeriodStart), Date(line.ServicePeriodEnd),
                    line.ChargeType.ToString(), line.Description, Money.Format(line.Quantity), line.Unit, Money.Format(line.UnitPrice),
                    Money.Format(line.Amount), line.Currency, line.Source,
                });
            }

            return text.ToString();
        }

        /// <summary>One row: the invoice's sums per charge type and its total.</summary>
        public static string SummaryCsv(VdcInvoice invoice)
        {
            var text = new StringBuilder();
            Row(text, SummaryColumns);
            Row(text, new[]
            {
                invoice.CustomerId, Date(invoice.PeriodStart), Date(invoice.PeriodEnd), invoice.Currency, invoice.Tenants,
                invoice.LineCount.ToString(CultureInfo.InvariantCulture),
                Money.Format(invoice.MonthlyFees), Money.Format(invoice.Allocations), Money.Format(invoice.SetupFees), Money.Format(invoice.ProfessionalServices),
                Money.Format(invoice.PayPerUse), Money.Format(invoice.Total), invoice.Source,
            });
            return text.ToString();
        }

        public static IEnumerable<(string Label, decimal Amount)> Totals(VdcInvoice invoice)
        {
            yield return ("Subtotal MonthlyFee", invoice.MonthlyFees);
            if (invoice.Lines.Any(l => l.ChargeType == VdcChargeType.Allocation))
            {
                yield return ("Subtotal Allocation", invoice.Allocations);
            }

            yield return ("Subtotal SetupFee", invoice.SetupFees);
            yield return ("Subtotal ProfessionalService", invoice.ProfessionalServices);
            yield return ("Subtotal PayPerUse", invoice.PayPerUse);
            yield return ("Total", invoice.Total);
        }

        public static string Html(VdcInvoice invoice)
        {
            string E(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
            string period = PeriodText(invoice, false);
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            html.Append("<title>Charges ").Append(E(invoice.CustomerId)).Append(' ').Append(E(period)).Append("</title>\n");
            html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.25em .5em}")
                .Append("td.n{text-align:right;font-variant-numeric:tabular-nums}tfoot td{font-weight:bold}</style>\n</head>\n<body>\n");
            html.Append("<h1>Charges</h1>\n<table>\n");
            html.Append("<tr><th>Customer</th><td>").Append(E(invoice.CustomerId)).Append("</td></tr>\n");
            html.Append("<tr><th>Period</th><td>").Append(E(period)).Append(" (").Append(Date(invoice.PeriodStart)).Append(" to ")
                .Append(Date(invoice.PeriodEnd)).Append(")</td></tr>\n");
            html.Append("<tr><th>Currency</th><td>").Append(E(invoice.Currency)).Append("</td></tr>\n");
            html.Append("<tr><th>Tenants</th><td>").Append(E(invoice.Tenants)).Append("</td></tr>\n</table>\n");
            html.Append("<h2>Lines</h2>\n<table>\n<thead><tr><th>Tenant</th><th>Plan</th><th>Charge</th><th>Description</th>")
                .Append("<th>Quantity</th><th>Unit</th><th>Unit price</th><th>Amount</th></tr></thead>\n<tbody>\n");
            foreach (VdcChargeLine line in invoice.Lines)
            {
                html.Append("<tr><td>").Append(E(string.IsNullOrEmpty(line.TenantName) ? line.TenantId : line.TenantName))
                    .Append("</td><td>").Append(E(line.Plan))
                    .Append("</td><td>").Append(E(line.ChargeType.ToString()))
                    .Append("</td><td>").Append(E(line.Description))
                    .Append("</td><td class=\"n\">").Append(Money.Format(line.Quantity))
                    .Append("</td><td>").Append(E(line.Unit))
                    .Append("</td><td class=\"n\">").Append(Money.Format(line.UnitPrice))
                    .Append("</td><td class=\"n\">").Append(Money.Format(line.Amount))
                    .Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n<h2>Totals</h2>\n<table>\n<tbody>\n");
            foreach (var (label, amount) in Totals(invoice))
            {
                html.Append(label == "Total" ? "</tbody>\n<tfoot>\n" : string.Empty)
                    .Append("<tr><td>").Append(E(label)).Append("</td><td class=\"n\">").Append(Money.Format(amount))
                    .Append(' ').Append(E(invoice.Currency)).Append("</td></tr>\n")
                    .Append(label == "Total" ? "</tfoot>\n" : string.Empty);
            }

            html.Append("</table>\n<p>Amounts are net, rounded per line to the currency's minor unit; totals are sums of the rounded lines.</p>\n</body>\n</html>\n");
            return html.ToString();
        }

        /// <summary>ISO 8601 in UTC with the zone: 2026-11-01T00:00:00Z (with the fraction of a second when there is one).</summary>
        internal static string Date(DateTime t)
        {
            DateTime utc = TenantTimeline.Utc(t);
            return utc.Ticks % TimeSpan.TicksPerSecond == 0
                ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        }

        /// <summary>The day, for file names and titles: 2026-11-01.</summary>
        private static string Day(DateTime t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static void Row(StringBuilder text, IEnumerable<string?> fields)
        {
            text.Append(string.Join(",", fields.Select(Field))).Append("\r\n");
        }

        /// <summary>RFC 4180 quoting: every field in double quotes, inner quotes doubled (as Export-Csv does).</summary>
        private static string Field(string? value) => "\"" + (value ?? string.Empty).Replace("\"", "\"\"") + "\"";
    }
}
