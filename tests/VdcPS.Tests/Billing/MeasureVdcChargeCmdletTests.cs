using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using VdcPS.Commands;
using VdcPS.Models;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>The billing cmdlets hosted in-process, offline (-Tenant): the pipeline into Export-Csv is byte-identical.</summary>
    public class MeasureVdcChargeCmdletTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "vdcps-billing-" + Guid.NewGuid().ToString("N"));

        public MeasureVdcChargeCmdletTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            try
            {
                Directory.Delete(_dir, true);
            }
            catch (IOException)
            {
            }
        }

        private static VdcTenant ToTenant(VdcPS.Billing.TenantTimeline t) => new()
        {
            Id = t.TenantId,
            Name = t.TenantName,
            CustomerId = t.CustomerId,
            Plan = t.CurrentPlan,
            State = VdcTenantState.Active,
            History = string.Join("; ", t.Events.Select(e => e.ToString())),
        };

        private static List<PSObject> Run(string script, IDictionary<string, object> variables)
        {
            InitialSessionState iss = InitialSessionState.CreateDefault();
            iss.Commands.Add(new SessionStateCmdletEntry("Measure-VdcCharge", typeof(MeasureVdcChargeCommand), null));
            iss.Commands.Add(new SessionStateCmdletEntry("ConvertTo-VdcInvoice", typeof(ConvertToVdcInvoiceCommand), null));
            iss.Commands.Add(new SessionStateCmdletEntry("Export-VdcInvoice", typeof(ExportVdcInvoiceCommand), null));
            foreach (KeyValuePair<string, object> v in variables)
            {
                iss.Variables.Add(new SessionStateVariableEntry(v.Key, v.Value, string.Empty));
            }

            using PowerShell ps = PowerShell.Create(iss);
            ps.AddScript(script);
            Collection<PSObject> result = ps.Invoke();
            Assert.True(!ps.HadErrors, string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
            return result.ToList();
        }

        [Fact]
        public void MeasureIntoExportCsv_TwiceInTheSameCulture_IsByteIdentical()
        {
            var (timelines, usage) = SampleCatalogReconciliationTests.November();
            var variables = new Dictionary<string, object>
            {
                ["tenants"] = timelines.Select(ToTenant).ToArray(),
                ["usage"] = usage.ToArray(),
                ["catalog"] = SamplePath(),
                ["dir"] = _dir,
            };
            string script = @"
$ErrorActionPreference = 'Stop'
[System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo($culture)
foreach ($n in 1, 2) {
    $usage | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog |
        Export-Csv -Path (Join-Path $dir ""$culture-$n.csv"") -NoTypeInformation
}
(Import-Csv (Join-Path $dir ""$culture-1.csv"")).Count
";
            foreach (string culture in new[] { "en-US", "de-DE" })
            {
                variables["culture"] = culture;
                List<PSObject> count = Run(script, variables);
                Assert.Equal(25, Convert.ToInt32(count.Single().BaseObject, CultureInfo.InvariantCulture));
                byte[] first = File.ReadAllBytes(Path.Combine(_dir, culture + "-1.csv"));
                byte[] second = File.ReadAllBytes(Path.Combine(_dir, culture + "-2.csv"));
                Assert.Equal(first, second);
            }

            // Export-Csv formats numbers and dates in the current culture: finance should pin one.
            string us = File.ReadAllText(Path.Combine(_dir, "en-US-1.csv"));
            string de = File.ReadAllText(Path.Combine(_dir, "de-DE-1.csv"));
            Assert.Contains("\"84.43\"", us);
            Assert.Contains("\"84,43\"", de);
        }

        [Fact]
        public void PeriodDefaultsToTheUsageRows_AndInvoicesComeOutPerCustomer()
        {
            var (timelines, usage) = SampleCatalogReconciliationTests.November();
            List<PSObject> invoices = Run(
                "$usage | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog | ConvertTo-VdcInvoice",
                new Dictionary<string, object> { ["tenants"] = timelines.Select(ToTenant).ToArray(), ["usage"] = usage.ToArray(), ["catalog"] = SamplePath() });
            Assert.Equal(new[] { "C-100 695.76", "C-200 1385.42", "C-300 3952.83" },
                invoices.Select(o => (VdcInvoice)o.BaseObject).Select(i => $"{i.CustomerId} {Text(i.Total)}"));
            Assert.All(invoices.Select(o => (VdcInvoice)o.BaseObject), i => Assert.Equal((Utc(2026, 11, 1), Utc(2026, 12, 1)), (i.PeriodStart, i.PeriodEnd)));
        }

        [Fact]
        public void ExportVdcInvoice_WritesOneDocumentPerInvoice_AndRefusesToOverwrite()
        {
            var (timelines, usage) = SampleCatalogReconciliationTests.November();
            var variables = new Dictionary<string, object>
            {
                ["tenants"] = timelines.Select(ToTenant).ToArray(), ["usage"] = usage.ToArray(), ["catalog"] = SamplePath(), ["dir"] = _dir,
            };
            List<PSObject> files = Run("$usage | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog | ConvertTo-VdcInvoice | Export-VdcInvoice -Path $dir", variables);
            Assert.Equal(
                new[] { "C-100_2026-11_EUR.csv", "C-100_2026-11_EUR.summary.csv", "C-200_2026-11_EUR.csv", "C-200_2026-11_EUR.summary.csv", "C-300_2026-11_EUR.csv", "C-300_2026-11_EUR.summary.csv" },
                files.Select(f => ((FileInfo)f.BaseObject).Name));
            byte[] before = File.ReadAllBytes(Path.Combine(_dir, "C-200_2026-11_EUR.csv"));

            InitialSessionState iss = InitialSessionState.CreateDefault();
            iss.Commands.Add(new SessionStateCmdletEntry("Measure-VdcCharge", typeof(MeasureVdcChargeCommand), null));
            iss.Commands.Add(new SessionStateCmdletEntry("ConvertTo-VdcInvoice", typeof(ConvertToVdcInvoiceCommand), null));
            iss.Commands.Add(new SessionStateCmdletEntry("Export-VdcInvoice", typeof(ExportVdcInvoiceCommand), null));
            using PowerShell ps = PowerShell.Create(iss);
            foreach (var v in variables)
            {
                ps.Runspace.SessionStateProxy.SetVariable(v.Key, v.Value);
            }

            ps.AddScript("$usage | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog | ConvertTo-VdcInvoice | Export-VdcInvoice -Path $dir");
            Assert.Empty(ps.Invoke());
            Assert.Equal(3, ps.Streams.Error.Count);
            Assert.All(ps.Streams.Error, e => Assert.StartsWith("InvoiceFileExists,", e.FullyQualifiedErrorId));

            // -Force rewrites, with the same bytes
            Run("$usage | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog | ConvertTo-VdcInvoice | Export-VdcInvoice -Path $dir -Force -Format Csv", variables);
            Assert.Equal(before, File.ReadAllBytes(Path.Combine(_dir, "C-200_2026-11_EUR.csv")));
        }
    }
}
