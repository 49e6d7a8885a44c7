using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using VdcPS.Billing;
using VdcPS.Commands;
using VdcPS.Models;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;

namespace VdcPS.Tests.Billing
{
    /// <summary>
    /// The rule for rows read back from files (about_VdcPS_Billing, "Files that round-trip"), value by
    /// value, and the hosted cmdlets fed from Import-Csv in several cultures.
    /// </summary>
    public class InputRowsTests : IDisposable
    {
        private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
        private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");
        private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "vdcps-rows-" + Guid.NewGuid().ToString("N"));

        public InputRowsTests() => Directory.CreateDirectory(_dir);

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

        private static (object? Value, string? Id) Read(Type type, string text, CultureInfo culture)
        {
            InputRowProblem? p = InputRows.ReadValue(type, "C", text, culture, out object? value);
            return (value, p?.Id);
        }

        [Theory]
        [InlineData("37.5", "de-DE", "37.5")]
        [InlineData("37,5", "de-DE", "37.5")]
        [InlineData("1.234", "de-DE", "1.234")]     // the dot is never a thousands separator
        [InlineData("1,234", "de-DE", "1.234")]
        [InlineData("37.5", "en-US", "37.5")]
        [InlineData("-0.125", "en-US", "-0.125")]
        [InlineData("744.000", "", "744.000")]       // the scale survives: the same text comes back out
        [InlineData(" 12 ", "en-US", "12")]
        public void Numbers_AreReadWithTheDotOrTheCulturesSeparator(string text, string culture, string expected)
        {
            var (value, id) = Read(typeof(decimal), text, CultureInfo.GetCultureInfo(culture));
            Assert.Null(id);
            Assert.Equal(expected, ((decimal)value!).ToString(CultureInfo.InvariantCulture));
        }

        [Theory]
        [InlineData("37,5", "en-US")]    // PowerShell's cast makes 375 of it
        [InlineData("37,5", "")]
        [InlineData("1.234,5", "de-DE")]
        [InlineData("1,234.5", "en-US")]
        [InlineData("1e3", "en-US")]
        [InlineData("12 EUR", "en-US")]
        [InlineData("1 234", "fr-FR")]
        [InlineData(".5", "en-US")]
        public void NumbersWithThousandsSeparatorsOrOtherSigns_AreRefused(string text, string culture)
        {
            Assert.Equal(InputRows.InputValueInvalid, Read(typeof(decimal), text, CultureInfo.GetCultureInfo(culture)).Id);
        }

        [Theory]
        [InlineData("01.10.2026 13:05:00", "de-DE", "2026-10-01T13:05:00")]   // PowerShell's cast: January 10th
        [InlineData("01.10.2026", "de-DE", "2026-10-01T00:00:00")]
        [InlineData("10/1/2026 1:05:00 PM", "en-US", "2026-10-01T13:05:00")]
        [InlineData("10/01/2026 13:05:00", "", "2026-10-01T13:05:00")]
        [InlineData("10/01/2026 13:05:00", "de-DE", "2026-10-01T13:05:00")]  // the invariant format, in any culture
        [InlineData("13/10/2026 00:00:00", "en-GB", "2026-10-13T00:00:00")]  // day first, and only one reading
        [InlineData("2026-10-01", "de-DE", "2026-10-01T00:00:00")]
        [InlineData("2026-10-01T13:05:00Z", "en-GB", "2026-10-01T13:05:00")]
        [InlineData("2026-10-01T15:05:00+02:00", "en-US", "2026-10-01T13:05:00")]
        [InlineData("2026-10-01 13:05:00", "en-US", "2026-10-01T13:05:00")]
        [InlineData("2026-10-01T13:05:00.5000000Z", "en-US", "2026-10-01T13:05:00.5")]
        public void Dates_AreIsoOrTheInvariantOrTheCulturesFormat_InUtc(string text, string culture, string expected)
        {
            var (value, id) = Read(typeof(DateTime), text, CultureInfo.GetCultureInfo(culture));
            Assert.Null(id);
            DateTime date = (DateTime)value!;
            Assert.Equal(DateTimeKind.Utc, date.Kind);
            Assert.Equal(DateTime.Parse(expected, CultureInfo.InvariantCulture), date);
        }

        [Fact]
        public void ADateThatTwoFormatsReadDifferently_IsAmbiguous()
        {
            // en-GB writes 1 October as 01/10/2026; the invariant format reads it as January 10th
            InputRowProblem? p = InputRows.ReadValue(typeof(DateTime), "PeriodStart", "01/10/2026 00:00:00", British, out _);
            Assert.Equal(InputRows.InputValueAmbiguous, p!.Id);
            Assert.Equal("Row 7, column PeriodStart: '01/10/2026 00:00:00' is ambiguous: 2026-01-10 00:00:00 in the invariant format, 2026-10-01 00:00:00 in culture 'en-GB'. Write dates as ISO 8601 (yyyy-MM-ddTHH:mm:ssZ).", p.Message(7));
            Assert.Equal(InputRows.InputValueInvalid, Read(typeof(DateTime), "31.02.2026", German).Id);
            Assert.Equal(InputRows.InputValueInvalid, Read(typeof(DateTime), "yesterday", English).Id);
        }

        [Theory]
        [InlineData("False", false)]
        [InlineData("false", false)]
        [InlineData("TRUE", true)]
        public void Booleans_AreTrueOrFalse(string text, bool expected)
        {
            Assert.Equal((expected, (string?)null), ((bool)Read(typeof(bool), text, German).Value!, Read(typeof(bool), text, German).Id));
        }

        [Theory]
        [InlineData("0")]
        [InlineData("no")]
        [InlineData("$false")]
        public void OtherBooleans_AreRefused(string text)
        {
            Assert.Equal(InputRows.InputValueInvalid, Read(typeof(bool), text, English).Id);
        }

        [Fact]
        public void EmptyValues_AreNothingForOptionalDates_AndRefusedWhereAValueIsNeeded()
        {
            Assert.Equal((null, null), Read(typeof(DateTime?), "", German));
            Assert.Equal(InputRows.InputValueMissing, Read(typeof(DateTime), "", German).Id);
            Assert.Equal(InputRows.InputValueMissing, Read(typeof(bool), " ", German).Id);
            Assert.Equal(("", null), ((string?)Read(typeof(string), "", German).Value, Read(typeof(string), "", German).Id));
        }

        [Fact]
        public void ARowWithAProblem_IsAPlaceholderCarryingTheFirstProblem()
        {
            var row = new PSObject();
            row.Properties.Add(new PSNoteProperty("TenantId", "t1"));
            row.Properties.Add(new PSNoteProperty("Resource", "vcpu-hour"));
            row.Properties.Add(new PSNoteProperty("Quantity", "37,5"));
            row.Properties.Add(new PSNoteProperty("PeriodStart", "2026-11-01"));
            row.Properties.Add(new PSNoteProperty("PeriodEnd", "2026-12-01"));
            VdcUsageRecord read = InputRows.Read<VdcUsageRecord>(row, English);
            InputRowProblem? problem = InputRows.ProblemOf(read);
            Assert.Equal((InputRows.InputValueInvalid, "Quantity"), (problem!.Id, problem.Column));

            VdcUsageRecord good = InputRows.Read<VdcUsageRecord>(row, German);
            Assert.Null(InputRows.ProblemOf(good));
            Assert.Equal((37.5m, false, Utc(2026, 11, 1)), (good.Quantity, good.IsDetail, good.PeriodStart));

            row.Properties.Remove("PeriodEnd");
            VdcUsageRecord missing = InputRows.Read<VdcUsageRecord>(row, German);
            Assert.Equal((InputRows.InputValueMissing, "PeriodEnd"), (InputRows.ProblemOf(missing)!.Id, InputRows.ProblemOf(missing)!.Column));
        }

        [Fact]
        public void TypedValues_AreTakenAsTheyAre()
        {
            var row = new PSObject();
            row.Properties.Add(new PSNoteProperty("TenantId", "t1"));
            row.Properties.Add(new PSNoteProperty("Resource", "vcpu-hour"));
            row.Properties.Add(new PSNoteProperty("Quantity", 0.1d));
            row.Properties.Add(new PSNoteProperty("PeriodStart", new DateTime(2026, 11, 1, 1, 0, 0, DateTimeKind.Utc)));
            row.Properties.Add(new PSNoteProperty("PeriodEnd", new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.FromHours(2))));
            row.Properties.Add(new PSNoteProperty("IsDetail", true));
            VdcUsageRecord read = InputRows.Read<VdcUsageRecord>(row, German);
            Assert.Null(InputRows.ProblemOf(read));
            Assert.Equal((0.1m, Utc(2026, 11, 1, 1), Utc(2026, 12, 1), true), (read.Quantity, read.PeriodStart, read.PeriodEnd, read.IsDetail));
        }

        private static Collection<PSObject> Run(string script, IDictionary<string, object> variables, out List<ErrorRecord> errors, out List<WarningRecord> warnings)
        {
            InitialSessionState iss = InitialSessionState.CreateDefault();
            iss.Commands.Add(new SessionStateCmdletEntry("Measure-VdcCharge", typeof(MeasureVdcChargeCommand), null));
            iss.Commands.Add(new SessionStateCmdletEntry("ConvertTo-VdcInvoice", typeof(ConvertToVdcInvoiceCommand), null));
            foreach (KeyValuePair<string, object> v in variables)
            {
                iss.Variables.Add(new SessionStateVariableEntry(v.Key, v.Value, string.Empty));
            }

            using PowerShell ps = PowerShell.Create(iss);
            ps.AddScript(script);
            Collection<PSObject> result = ps.Invoke();
            errors = ps.Streams.Error.ToList();
            warnings = ps.Streams.Warning.ToList();
            return result;
        }

        private static VdcTenant ToTenant(TenantTimeline t) => new()
        {
            Id = t.TenantId,
            Name = t.TenantName,
            CustomerId = t.CustomerId,
            Plan = t.CurrentPlan,
            State = VdcTenantState.Active,
            Enabled = true,
            ActivatedAt = t.Activations.FirstOrDefault()?.At,
            History = string.Join("; ", t.Events.Select(e => e.ToString())),
        };

        [Theory]
        [InlineData("")]
        [InlineData("en-US")]
        [InlineData("de-DE")]
        public void ImportCsv_GivesTheSameLinesAsTheDirectPipe(string culture)
        {
            var (timelines, usage) = SampleCatalogReconciliationTests.November();
            var detail = UsageRow(timelines[0], "vcpu-hour", 37.5m, Utc(2026, 11, 1), Utc(2026, 12, 1), detail: true);
            var variables = new Dictionary<string, object>
            {
                ["tenants"] = timelines.Select(ToTenant).ToArray(),
                ["usage"] = usage.Append(detail).ToArray(),
                ["catalog"] = SamplePath(),
                ["dir"] = _dir,
                ["culture"] = culture,
            };
            string script = @"
$ErrorActionPreference = 'Stop'
[System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo($culture)
$usage | Export-Csv (Join-Path $dir u.csv) -UseCulture
$tenants | Export-Csv (Join-Path $dir t.csv) -UseCulture
$usage | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog -WarningAction SilentlyContinue | Export-Csv (Join-Path $dir direct.csv) -UseCulture
Import-Csv (Join-Path $dir u.csv) -UseCulture | Measure-VdcCharge -Tenant (Import-Csv (Join-Path $dir t.csv) -UseCulture) -CatalogPath $catalog |
    Export-Csv (Join-Path $dir roundtrip.csv) -UseCulture
";
            Run(script, variables, out var errors, out var warnings);
            Assert.Empty(errors);
            Assert.Equal(new[] { $"UsageSkipped: 1 of {usage.Count + 1} usage rows skipped: 1 per-server rows (IsDetail)." }, warnings.Select(w => w.Message));
            byte[] direct = File.ReadAllBytes(Path.Combine(_dir, "direct.csv"));
            Assert.Equal(direct, File.ReadAllBytes(Path.Combine(_dir, "roundtrip.csv")));
            Assert.Equal(26, File.ReadAllLines(Path.Combine(_dir, "direct.csv")).Length);  // header and 25 lines
        }

        [Fact]
        public void AnUnreadableRow_IsAnErrorNamingRowAndColumn_AndCountedAsSkipped()
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
[System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo('de-DE')
$usage | Export-Csv (Join-Path $dir u.csv)
[System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo('en-US')
Import-Csv (Join-Path $dir u.csv) | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog -Start 2026-11-01 -End 2026-12-01
";
            Collection<PSObject> lines = Run(script, variables, out var errors, out var warnings);

            // every row has a German number or date, which en-US cannot read: each is an error, nothing is guessed
            Assert.Equal(usage.Count, errors.Count);
            Assert.All(errors, e => Assert.Equal(InputRows.InputValueInvalid + ",VdcPS.Commands.MeasureVdcChargeCommand", e.FullyQualifiedErrorId));
            Assert.StartsWith("Row 1, column PeriodStart: '01.11.2026 00:00:00' is not a date", errors[0].Exception.Message);
            Assert.Equal(ErrorCategory.InvalidData, errors[0].CategoryInfo.Category);
            Assert.DoesNotContain(lines.Select(l => (VdcChargeLine)l.BaseObject), l => l.ChargeType == VdcChargeType.PayPerUse);
            Assert.Equal($"UsageSkipped: {usage.Count} of {usage.Count} usage rows skipped: {usage.Count} unreadable (InputValueInvalid, InputValueAmbiguous, InputValueMissing).", Assert.Single(warnings).Message);
        }

        [Fact]
        public void RowsFromImportClixml_AreRatedInAnyCulture()
        {
            TenantTimeline t = Tenant("dev", "C-1", "vdc-payg", Activated(Utc(2026, 10, 1), "vdc-payg"));
            var variables = new Dictionary<string, object>
            {
                ["tenant"] = ToTenant(t), ["usage"] = UsageRow(t, "vcpu-hour", 37.5m, Utc(2026, 11, 1), Utc(2026, 12, 1)), ["catalog"] = SamplePath(), ["dir"] = _dir,
            };
            string script = @"
$ErrorActionPreference = 'Stop'
$usage | Export-Clixml (Join-Path $dir u.xml)
$tenant | Export-Clixml (Join-Path $dir t.xml)
[System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo('de-DE')
Import-Clixml (Join-Path $dir u.xml) | Measure-VdcCharge -Tenant (Import-Clixml (Join-Path $dir t.xml)) -CatalogPath $catalog
";
            Collection<PSObject> lines = Run(script, variables, out var errors, out _);
            Assert.Empty(errors);
            VdcChargeLine line = (VdcChargeLine)Assert.Single(lines).BaseObject;
            Assert.Equal((37.5m, "0.47", Utc(2026, 11, 1)), (line.Quantity, Text(line.Amount), line.ServicePeriodStart));   // 37.5 x 0.0125 = 0.46875
        }

        [Fact]
        public void TenantsFromImportCsv_WithEmptySuspendedAt_AreRated()
        {
            TenantTimeline t = Tenant("globex", "C-200", "vdc-small", Activated(Utc(2026, 11, 14, 9, 30), "vdc-small"));
            var variables = new Dictionary<string, object> { ["tenant"] = ToTenant(t), ["catalog"] = SamplePath(), ["dir"] = _dir };
            string script = @"
$ErrorActionPreference = 'Stop'
[System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo('de-DE')
$tenant | Export-Csv (Join-Path $dir t.csv)
Measure-VdcCharge -Tenant (Import-Csv (Join-Path $dir t.csv)) -CatalogPath $catalog -Start 2026-11-01 -End 2026-12-01
";
            Collection<PSObject> lines = Run(script, variables, out var errors, out _);
            Assert.Empty(errors);
            Assert.Equal(new[] { "MonthlyFee 84.43", "SetupFee 99.00", "ProfessionalService 120.00" },
                lines.Select(l => (VdcChargeLine)l.BaseObject).Select(l => $"{l.ChargeType} {Text(l.Amount)}"));
        }

        [Fact]
        public void ChargeLinesFromImportCsv_MakeTheSameInvoices()
        {
            var (timelines, usage) = SampleCatalogReconciliationTests.November();
            var variables = new Dictionary<string, object>
            {
                ["tenants"] = timelines.Select(ToTenant).ToArray(), ["usage"] = usage.ToArray(), ["catalog"] = SamplePath(), ["dir"] = _dir,
            };
            string script = @"
$ErrorActionPreference = 'Stop'
[System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo('de-DE')
$lines = $usage | Measure-VdcCharge -Tenant $tenants -CatalogPath $catalog
$lines | Export-Csv (Join-Path $dir l.csv) -UseCulture
($lines | ConvertTo-VdcInvoice | ForEach-Object { '{0} {1} {2}' -f $_.CustomerId, $_.LineCount, $_.Total.ToString([cultureinfo]::InvariantCulture) }) -join '|'
(Import-Csv (Join-Path $dir l.csv) -UseCulture | ConvertTo-VdcInvoice | ForEach-Object { '{0} {1} {2}' -f $_.CustomerId, $_.LineCount, $_.Total.ToString([cultureinfo]::InvariantCulture) }) -join '|'
";
            Collection<PSObject> output = Run(script, variables, out var errors, out _);
            Assert.Empty(errors);
            Assert.Equal("C-100 9 695.76|C-200 9 1385.42|C-300 7 3952.83", output[0].BaseObject);
            Assert.Equal(output[0].BaseObject, output[1].BaseObject);
        }
    }
}
