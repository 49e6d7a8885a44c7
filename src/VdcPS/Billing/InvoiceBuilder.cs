using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Models;

namespace VdcPS.Billing
{
    /// <summary>Groups charge lines into invoices: one per customer, period and currency.</summary>
    internal static class InvoiceBuilder
    {
        public static IReadOnlyList<VdcInvoice> Build(IEnumerable<VdcChargeLine> lines)
        {
            var groups = new Dictionary<(string Customer, DateTime Start, DateTime End, string Currency), List<VdcChargeLine>>();
            var order = new List<(string, DateTime, DateTime, string)>();
            foreach (VdcChargeLine line in lines)
            {
                if (line == null)
                {
                    continue;
                }

                var key = (line.CustomerId ?? string.Empty, line.PeriodStart, line.PeriodEnd, (line.Currency ?? string.Empty).ToUpperInvariant());
                if (!groups.TryGetValue(key, out List<VdcChargeLine>? list))
                {
                    groups[key] = list = new List<VdcChargeLine>();
                    order.Add(key);
                }

                list.Add(line);
            }

            return order
                .OrderBy(k => k.Item1, StringComparer.Ordinal)
                .ThenBy(k => k.Item2)
                .ThenBy(k => k.Item3)
                .ThenBy(k => k.Item4, StringComparer.Ordinal)
                .Select(k => Invoice(k, groups[k]))
                .ToList();
        }

        private static VdcInvoice Invoice((string Customer, DateTime Start, DateTime End, string Currency) key, List<VdcChargeLine> lines)
        {
            decimal Sum(VdcChargeType type) => Money.WithScale(lines.Where(l => l.ChargeType == type).Sum(l => l.Amount), Money.MinorUnits(key.Currency));
            return new VdcInvoice
            {
                CustomerId = key.Customer,
                PeriodStart = key.Start,
                PeriodEnd = key.End,
                Currency = key.Currency,
                Tenants = string.Join("; ", lines.Select(l => string.IsNullOrEmpty(l.TenantName) ? l.TenantId : l.TenantName)
                    .Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal)),
                LineCount = lines.Count,
                MonthlyFees = Sum(VdcChargeType.MonthlyFee),
                Allocations = Sum(VdcChargeType.Allocation),
                SetupFees = Sum(VdcChargeType.SetupFee),
                ProfessionalServices = Sum(VdcChargeType.ProfessionalService),
                PayPerUse = Sum(VdcChargeType.PayPerUse),
                Total = Money.WithScale(lines.Sum(l => l.Amount), Money.MinorUnits(key.Currency)),
                Source = string.Join("; ", lines.Select(l => l.Source ?? string.Empty).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal)),
                Lines = lines.ToArray(),
            };
        }
    }
}
