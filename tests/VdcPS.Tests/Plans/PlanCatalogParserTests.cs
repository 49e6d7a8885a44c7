using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using VdcPS.Models;
using VdcPS.Plans;
using Xunit;

namespace VdcPS.Tests.Plans
{
    /// <summary>
    /// Parsing of the plan catalog and every validation rule, each with the line and column where
    /// the problem is reported. Columns are checked both as literals (to pin 1-based counting) and
    /// through <see cref="Col"/> (the position of a piece of text on its line).
    /// </summary>
    public class PlanCatalogParserTests
    {
        private const string File = "/catalogs/plans.yaml";

        /// <summary>A valid catalog; tests replace lines in it. Line numbers are fixed (see the comments).</summary>
        private const string Valid =
            "api_version: vdcps/v1\n" +                              // 1
            "currency: EUR\n" +                                      // 2
            "plans:\n" +                                             // 3
            "  small:\n" +                                           // 4
            "    display_name: Small\n" +                            // 5
            "    prices:\n" +                                        // 6
            "      monthly_fee: 100.00\n" +                          // 7
            "      setup_fee: 50\n" +                                // 8
            "      rates:\n" +                                       // 9
            "        volume-gb-hour: 0.00014\n" +                    // 10
            "    quotas:\n" +                                        // 11
            "      compute:\n" +                                     // 12
            "        cores: {default: 4, min: 2, max: 8}\n" +        // 13
            "        ram: {default: 8192, min: 4096, max: 16384}\n" + // 14
            "      network:\n" +                                     // 15
            "        floatingip: {default: 1, min: 1, max: 3}\n";    // 16

        // ------------------------------------------------------------------ helpers

        private static IReadOnlyList<PlanProblem> Problems(string yaml) => PlanCatalogLoader.Parse(yaml, File).Problems;

        private static PlanCatalog Catalog(string yaml)
        {
            (PlanCatalog? catalog, IReadOnlyList<PlanProblem> problems) = PlanCatalogLoader.Parse(yaml, File);
            Assert.True(catalog != null, "expected no errors, got: " + string.Join(" | ", problems));
            return catalog!;
        }

        /// <summary>The one problem of <paramref name="rule"/> (asserting there is exactly one).</summary>
        private static PlanProblem One(string yaml, string rule)
        {
            IReadOnlyList<PlanProblem> all = Problems(yaml);
            List<PlanProblem> matching = all.Where(p => p.Rule == rule).ToList();
            Assert.True(matching.Count == 1, $"expected one {rule}, got: " + string.Join(" | ", all));
            return matching[0];
        }

        private static string Replace(string yaml, int line, string text)
        {
            string[] lines = yaml.Split('\n');
            lines[line - 1] = text;
            return string.Join("\n", lines);
        }

        private static string Insert(string yaml, int afterLine, string text)
        {
            var lines = yaml.Split('\n').ToList();
            lines.Insert(afterLine, text);
            return string.Join("\n", lines);
        }

        /// <summary>1-based column of <paramref name="needle"/> on line <paramref name="line"/>.</summary>
        private static int Col(string yaml, int line, string needle)
        {
            int i = yaml.Split('\n')[line - 1].IndexOf(needle, StringComparison.Ordinal);
            Assert.True(i >= 0, $"'{needle}' is not on line {line}");
            return i + 1;
        }

        private static void At(PlanProblem p, int line, int column)
        {
            Assert.Equal(File, p.File);
            Assert.Equal((line, column), (p.Line, p.Column));
        }

        internal static string SamplePath()
        {
            string? dir = AppContext.BaseDirectory;
            while (dir != null)
            {
                string candidate = Path.Combine(dir, "examples", "plans.yaml");
                if (System.IO.File.Exists(candidate))
                {
                    return candidate;
                }

                dir = Path.GetDirectoryName(dir);
            }

            throw new FileNotFoundException("examples/plans.yaml not found above " + AppContext.BaseDirectory);
        }

        // ------------------------------------------------------------------ the sample and parsing

        [Fact]
        public void SampleCatalog_HasNoProblems_AndFivePlans()
        {
            string path = SamplePath();
            Assert.Empty(PlanCatalogLoader.Validate(path));
            PlanCatalog catalog = PlanCatalogLoader.Load(path);
            Assert.Equal(Path.GetFullPath(path), catalog.Path);
            Assert.Equal("vdcps/v1", catalog.ApiVersion);
            Assert.Equal(new[] { "vdc-small", "vdc-medium", "vdc-large", "vdc-payg", "vdc-flex" }, catalog.Plans.Select(p => p.Name));
            Assert.Empty(catalog.Warnings);
            PlanDefinition flex = catalog.Find("vdc-flex")!;
            Assert.Equal(new[] { "compute.cores above 4: 9.00 per 1", "compute.ram above 8192: 4.00 per 1024 MB", "block-storage.gigabytes above 200: 5.00 per 100 GB" },
                flex.Allocations.Select(a => a.ToString()));
            Assert.Equal(720m, flex.IncludedPerMonth("instance-hour"));
        }

        [Fact]
        public void SampleCatalog_ValuesAreExact()
        {
            PlanCatalog catalog = PlanCatalogLoader.Load(SamplePath());
            PlanDefinition small = catalog.Find("VDC-SMALL")!;
            Assert.Equal("VDC Small", small.DisplayName);
            Assert.Equal("EUR", small.Currency);
            Assert.Equal("member", small.Role);
            Assert.Equal(149.00m, small.MonthlyFee);
            Assert.Equal("149.00", small.MonthlyFee.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(99.00m, small.SetupFee);
            Assert.Equal(17, small.Quotas.Count);
            Assert.Equal(new[] { "compute", "block-storage", "network" }, small.Quotas.Select(q => q.Service).Distinct());
            PlanQuota ram = small.FindQuota("compute", "ram")!;
            Assert.Equal((8192L, 4096L, 16384L, "MB"), (ram.Default, ram.Min, ram.Max, ram.Unit));
            Assert.Equal(0.00014m, small.FindRate("volume-gb-hour")!.Price);
            Assert.Equal("Onboarding call", small.ProfessionalServices.Single().Name);

            PlanQuota rules = catalog.Find("vdc-large")!.FindQuota("network", "security_group_rule")!;
            Assert.True(rules.IsUnlimited);
            Assert.Equal(-1L, rules.Max);

            PlanDefinition payg = catalog.Find("vdc-payg")!;
            Assert.Equal(0m, payg.MonthlyFee);
            Assert.Equal(
                new[] { "vcpu-hour", "ram-gb-hour", "disk-gb-hour", "volume-gb-hour", "instance-hour", "floating-ip-hour" },
                payg.Rates.Select(r => r.Unit));
            // no per-volume-type keys in the sample: they only work where the volume type exists
            Assert.DoesNotContain(catalog.Plans.SelectMany(p => p.Quotas), q => q.Resource.Contains("_ssd") || (q.Service == "block-storage" && q.Resource.StartsWith("volumes_")));
        }

        [Fact]
        public void ValidCatalog_PositionsAndDefaults()
        {
            PlanCatalog catalog = Catalog(Valid);
            PlanDefinition plan = catalog.Plans.Single();
            Assert.Equal(4, plan.Line);
            Assert.Equal(File, plan.SourceFile);
            Assert.Equal("member", plan.Role);
            Assert.Equal(string.Empty, plan.Description);
            PlanQuota cores = plan.FindQuota("COMPUTE", "Cores")!;
            Assert.Equal((13, 9), (cores.Line, cores.Column));
            Assert.Equal("count", cores.Unit);
            Assert.Null(plan.FindQuota("network", "cores"));
            Assert.Null(catalog.Find("medium"));
            Assert.Equal("volume-gb-hour", plan.Rates.Single().Unit);
            Assert.Equal("one GB of block storage volume for one hour", plan.Rates.Single().Description);
        }

        [Fact]
        public void DisplayNameDefaultsToThePlanName_RoleAndCurrencyComeFromTheTop()
        {
            string yaml = Replace(Valid, 5, "    role: reader");
            yaml = Replace(yaml, 2, "currency: CHF");
            PlanDefinition plan = Catalog(yaml).Plans.Single();
            Assert.Equal("small", plan.DisplayName);
            Assert.Equal("reader", plan.Role);
            Assert.Equal("CHF", plan.Currency);

            yaml = Insert(Valid, 2, "role: operator");
            yaml = Insert(yaml, 6, "    currency: USD");
            plan = Catalog(yaml).Plans.Single();
            Assert.Equal("operator", plan.Role);
            Assert.Equal("USD", plan.Currency);
        }

        [Fact]
        public void FixedQuota_AndUnlimited_AndAllows()
        {
            string yaml = Insert(Valid, 14, "        key_pairs: 10\n        instances: unlimited\n        server_groups: {default: 5, min: 0, max: -1}");
            PlanDefinition plan = Catalog(yaml).Plans.Single();
            PlanQuota kp = plan.FindQuota("compute", "key_pairs")!;
            Assert.Equal((10L, 10L, 10L), (kp.Default, kp.Min, kp.Max));
            Assert.True(kp.Allows(10));
            Assert.False(kp.Allows(11));
            Assert.False(kp.Allows(-1));

            PlanQuota inst = plan.FindQuota("compute", "instances")!;
            Assert.Equal((-1L, 0L, -1L), (inst.Default, inst.Min, inst.Max));
            Assert.True(inst.Allows(-1));

            PlanQuota groups = plan.FindQuota("compute", "server_groups")!;
            Assert.True(groups.IsUnlimited);
            Assert.True(groups.Allows(1000000));
            Assert.True(groups.Allows(-1));
            Assert.Equal("0..unlimited", groups.RangeText);

            PlanQuota cores = plan.FindQuota("compute", "cores")!;
            Assert.False(cores.Allows(1));
            Assert.True(cores.Allows(2));
            Assert.False(cores.Allows(9));
            Assert.False(cores.Allows(-1));
        }

        [Fact]
        public void PerVolumeTypeKeys_AreAccepted()
        {
            string yaml = Valid + "      block-storage:\n        gigabytes_ssd: {default: 100, min: 0, max: 500}\n        volumes_ssd: 5\n";
            PlanDefinition plan = Catalog(yaml).Plans.Single();
            Assert.Equal("GB", plan.FindQuota("block-storage", "gigabytes_ssd")!.Unit);
            Assert.Equal(5L, plan.FindQuota("block-storage", "volumes_ssd")!.Default);
        }

        [Fact]
        public void RateWithDescription_AndProfessionalServices()
        {
            string yaml = Replace(Valid, 10, "        vcpu-hour: {price: '0.0125', description: per vCPU}\n        ram-gb-hour: 0.0055");
            yaml = Insert(yaml, 8, "      professional_services:\n        - name: Onboarding\n          hours: 2.5\n          amount: 300\n        - {name: Review, amount: 0}");
            PlanDefinition plan = Catalog(yaml).Plans.Single();
            Assert.Equal("per vCPU", plan.FindRate("vcpu-hour")!.Description);
            Assert.Equal(0.0125m, plan.FindRate("vcpu-hour")!.Price);
            Assert.Equal(2, plan.ProfessionalServices.Count);
            Assert.Equal(2.5m, plan.ProfessionalServices[0].Hours);
            Assert.Equal(0m, plan.ProfessionalServices[1].Hours);

            VdcPlan model = plan.ToModel();
            Assert.Equal(300m, model.ProfessionalServicesAmount);
            Assert.Equal(2.5m, model.ProfessionalServicesHours);
            Assert.Equal("Onboarding (2.5 h, 300); Review (0)", model.ProfessionalServices);
            Assert.Equal("vcpu-hour=0.0125; ram-gb-hour=0.0055", model.Rates);
            Assert.Equal(2, model.RateCount);
            Assert.Equal(3, model.QuotaCount);
            Assert.Equal(File, model.CatalogPath);
        }

        [Fact]
        public void QuotaModels_SayUnlimitedInWords()
        {
            string yaml = Replace(Valid, 13, "        cores: {default: unlimited, min: 0, max: unlimited}");
            List<VdcPlanQuota> rows = Catalog(yaml).Plans.Single().ToQuotaModels().ToList();
            VdcPlanQuota cores = rows.Single(r => r.Resource == "cores");
            Assert.Equal((-1L, 0L, -1L, true, true), (cores.Default, cores.Min, cores.Max, cores.DefaultIsUnlimited, cores.MaxIsUnlimited));
            VdcPlanQuota ram = rows.Single(r => r.Resource == "ram");
            Assert.Equal(("small", "compute", "MB", false, false), (ram.Plan, ram.Service, ram.Unit, ram.DefaultIsUnlimited, ram.MaxIsUnlimited));
        }

        [Fact]
        public void MergeKey_LetsAPlanReuseAnotherPlansQuotas()
        {
            string yaml =
                "api_version: vdcps/v1\n" +
                "currency: EUR\n" +
                "plans:\n" +
                "  a:\n" +
                "    prices: {monthly_fee: 1}\n" +
                "    quotas: &base\n" +
                "      compute:\n" +
                "        cores: {default: 4, min: 2, max: 8}\n" +
                "  b:\n" +
                "    prices: {monthly_fee: 2}\n" +
                "    quotas:\n" +
                "      <<: *base\n" +
                "      network:\n" +
                "        router: 1\n";
            PlanCatalog catalog = Catalog(yaml);
            Assert.Equal(4L, catalog.Find("b")!.FindQuota("compute", "cores")!.Default);
            Assert.Equal(1L, catalog.Find("b")!.FindQuota("network", "router")!.Default);
            Assert.Single(catalog.Find("a")!.Quotas);
        }

        [Fact]
        public void TheFormatExamplesOfTheAboutPage_AreValidCatalogs()
        {
            string about = System.IO.File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(SamplePath()))!, "docs", "en-US", "about_VdcPS_Plans.md"));
            List<string> blocks = System.Text.RegularExpressions.Regex.Matches(about, "```yaml\\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
                .Select(m => m.Groups[1].Value)
                .Where(b => b.Contains("plans:"))
                .ToList();
            Assert.Equal(3, blocks.Count);
            PlanCatalog format = Catalog(blocks[0]);
            Assert.Equal(new[] { "vdc-small", "vdc-payg" }, format.Plans.Select(p => p.Name));
            Assert.Equal("per floating IP and hour", format.Find("vdc-small")!.FindRate("floating-ip-hour")!.Description);
            PlanCatalog merged = Catalog("api_version: vdcps/v1\ncurrency: EUR\n" + blocks[1]);
            Assert.Equal(2, merged.Find("vdc-small-plus")!.Quotas.Count);
            PlanStarterNetwork starter = Catalog(blocks[2]).Find("vdc-small")!.StarterNetwork!;
            Assert.Equal(("10.0.0.0/24", "public", 3), (starter.Cidr, starter.ExternalNetwork, starter.Rules.Count));
        }

        // ------------------------------------------------------------------ YAML and structure

        [Fact]
        public void BrokenYaml_IsReportedWithLineAndColumn()
        {
            string yaml = Replace(Valid, 13, "        cores: {default: 4, min: 2, max: 8");
            PlanProblem p = One(yaml, PlanRules.YamlSyntax);
            Assert.Equal(VdcPlanProblemSeverity.Error, p.Severity);
            At(p, 13, 16); // the '{' that is never closed
            Assert.Contains("never closed with '}'", p.Message);
            Assert.Single(Problems(yaml));
        }

        [Fact]
        public void Tabs_AreBrokenYaml()
        {
            string yaml = Replace(Valid, 5, "\tdisplay_name: Small");
            PlanProblem p = One(yaml, PlanRules.YamlSyntax);
            At(p, 5, 1);
            Assert.Contains("tab", p.Message);
        }

        [Fact]
        public void UnclosedFlowMapping_InTheMiddle_PointsAtTheBracket()
        {
            string yaml = Replace(Valid, 14, "        ram: {default: 8192, min: 4096, max: 16384");
            At(One(yaml, PlanRules.YamlSyntax), 14, 14);
        }

        [Fact]
        public void UnclosedFlowMapping_AtTheEnd_NamesTheBracket()
        {
            string yaml = Replace(Valid, 16, "        floatingip: {default: 1, min: 1, max: 3");
            PlanProblem p = One(yaml, PlanRules.YamlSyntax);
            At(p, 16, 21);
            Assert.Contains("never closed with '}'", p.Message);
        }

        [Fact]
        public void UnknownAlias_IsAYamlProblem()
        {
            PlanProblem p = One(Insert(Valid, 14, "        instances: *nothing"), PlanRules.YamlSyntax);
            At(p, 15, 20);
            Assert.Contains("'*nothing'", p.Message);
        }

        [Fact]
        public void SecondDocument_IsAnError()
        {
            PlanProblem p = One(Valid + "---\napi_version: vdcps/v1\n", PlanRules.YamlSyntax);
            Assert.Equal(17, p.Line);
            Assert.Contains("second YAML document", p.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("# only a comment\n")]
        [InlineData("~\n")]
        public void EmptyCatalog_IsAnError(string yaml)
        {
            PlanProblem p = One(yaml, PlanRules.EmptyCatalog);
            Assert.Contains("empty", p.Message);
        }

        [Fact]
        public void RootMustBeAMapping()
        {
            PlanProblem p = One("- a\n- b\n", PlanRules.WrongType);
            At(p, 1, 1);
        }

        [Fact]
        public void MissingApiVersion()
        {
            string yaml = Valid.Substring(Valid.IndexOf('\n') + 1);
            PlanProblem p = One(yaml, PlanRules.MissingValue);
            At(p, 1, 1);
            Assert.Contains("api_version: vdcps/v1", p.Message);
        }

        [Fact]
        public void UnsupportedApiVersion()
        {
            string yaml = Replace(Valid, 1, "api_version: vdcps/v2");
            PlanProblem p = One(yaml, PlanRules.UnsupportedApiVersion);
            At(p, 1, 14);
            Assert.Contains("'vdcps/v2'", p.Message);
        }

        [Fact]
        public void UnknownTopLevelKey_SuggestsTheRightOne()
        {
            string yaml = Replace(Valid, 1, "apiVersion: vdcps/v1");
            PlanProblem p = One(yaml, PlanRules.UnknownKey);
            At(p, 1, 1);
            Assert.Contains("Did you mean 'api_version'?", p.Message);
        }

        [Fact]
        public void UnknownPlanKey_IsAnError_NotSilentlyIgnored()
        {
            string yaml = Replace(Valid, 5, "    dispaly_name: Small");
            PlanProblem p = One(yaml, PlanRules.UnknownKey);
            At(p, 5, 5);
            Assert.Equal("small", p.Plan);
            Assert.Equal("plans.small.dispaly_name", p.Setting);
            Assert.Contains("Did you mean 'display_name'?", p.Message);
        }

        [Fact]
        public void UnknownPriceKey()
        {
            string yaml = Replace(Valid, 8, "      setupfee: 50");
            PlanProblem p = One(yaml, PlanRules.UnknownKey);
            At(p, 8, 7);
            Assert.Contains("Did you mean 'setup_fee'?", p.Message);
        }

        [Fact]
        public void NoPlans()
        {
            At(One("api_version: vdcps/v1\ncurrency: EUR\n", PlanRules.NoPlans), 1, 1);
            At(One("api_version: vdcps/v1\nplans:\n", PlanRules.NoPlans), 2, 7);
            At(One("api_version: vdcps/v1\nplans: {}\n", PlanRules.NoPlans), 2, 1);
            At(One("api_version: vdcps/v1\nplans: [a, b]\n", PlanRules.WrongType), 2, 8);
        }

        [Fact]
        public void DuplicatePlan_IsReportedAtTheSecondDefinition()
        {
            string second = "  small:\n    prices: {monthly_fee: 1}\n    quotas: {}\n";
            PlanProblem p = One(Valid + second, PlanRules.DuplicatePlan);
            At(p, 17, 3);
            Assert.Equal("small", p.Plan);
            Assert.Contains("already defined at line 4", p.Message);
        }

        [Fact]
        public void DuplicatePlan_IgnoresCase()
        {
            string second = "  SMALL:\n    prices: {monthly_fee: 1}\n    quotas: {}\n";
            PlanProblem p = One(Valid + second, PlanRules.DuplicatePlan);
            At(p, 17, 3);
            Assert.Contains("as 'small'", p.Message);
        }

        [Fact]
        public void InvalidPlanName()
        {
            string yaml = Replace(Valid, 4, "  'small plan!':");
            PlanProblem p = One(yaml, PlanRules.InvalidPlanName);
            At(p, 4, 3);
        }

        [Fact]
        public void PlanMustBeAMapping()
        {
            PlanProblem p = One("api_version: vdcps/v1\ncurrency: EUR\nplans:\n  small: 12\n", PlanRules.WrongType);
            At(p, 4, 10);
        }

        [Fact]
        public void DuplicateKey_InAQuotaBlock()
        {
            string yaml = Insert(Valid, 14, "        cores: {default: 6, min: 2, max: 8}");
            PlanProblem p = One(yaml, PlanRules.DuplicateKey);
            At(p, 15, 9);
            Assert.Contains("first at line 13", p.Message);
        }

        [Fact]
        public void DuplicateKey_InAPlan()
        {
            string yaml = Insert(Valid, 5, "    display_name: Smaller");
            PlanProblem p = One(yaml, PlanRules.DuplicateKey);
            At(p, 6, 5);
        }

        [Fact]
        public void MissingPricesAndQuotas()
        {
            string yaml = "api_version: vdcps/v1\ncurrency: EUR\nplans:\n  small:\n    display_name: Small\n";
            List<PlanProblem> problems = Problems(yaml).Where(p => p.Rule == PlanRules.MissingValue).ToList();
            Assert.Equal(2, problems.Count);
            Assert.All(problems, p => At(p, 4, 3));
            Assert.Contains(problems, p => p.Setting == "plans.small.prices");
            Assert.Contains(problems, p => p.Setting == "plans.small.quotas");
        }

        [Fact]
        public void MissingMonthlyFee()
        {
            string yaml = Replace(Valid, 7, "      setup_fee: 10");
            yaml = Replace(yaml, 8, "      # no monthly fee");
            PlanProblem p = One(yaml, PlanRules.MissingValue);
            At(p, 6, 5);
            Assert.Contains("monthly_fee: 0", p.Message);
        }

        [Fact]
        public void EmptyDisplayName()
        {
            PlanProblem p = One(Replace(Valid, 5, "    display_name: ''"), PlanRules.MissingValue);
            At(p, 5, 19);
        }

        // ------------------------------------------------------------------ currency and role

        [Fact]
        public void UnknownCurrency()
        {
            string yaml = Replace(Valid, 2, "currency: EURO");
            PlanProblem p = One(yaml, PlanRules.UnknownCurrency);
            At(p, 2, 11);
            Assert.Contains("write 'EUR'", p.Message);
        }

        [Theory]
        [InlineData("eur", "capital letters: 'EUR'")]
        [InlineData("HRK", "withdrawn")]
        [InlineData("XYZ", "ISO 4217")]
        [InlineData("XAU", "ISO 4217")]
        [InlineData("'€'", "write 'EUR'")]
        public void CurrencyMessages(string code, string expected)
        {
            string yaml = Insert(Valid, 5, "    currency: " + code);
            PlanProblem p = One(yaml, PlanRules.UnknownCurrency);
            At(p, 6, 15);
            Assert.Equal("small", p.Plan);
            Assert.Contains(expected, p.Message);
        }

        [Theory]
        [InlineData("USD")]
        [InlineData("CHF")]
        [InlineData("GBP")]
        [InlineData("JPY")]
        [InlineData("XOF")]
        public void KnownCurrencies(string code)
            => Assert.Equal(code, Catalog(Replace(Valid, 2, "currency: " + code)).Plans.Single().Currency);

        [Fact]
        public void MissingCurrency_IsReportedAtThePlan()
        {
            string yaml = Replace(Valid, 2, "# no currency");
            PlanProblem p = One(yaml, PlanRules.MissingValue);
            At(p, 4, 3);
            Assert.Contains("currency: EUR", p.Message);
        }

        [Fact]
        public void EmptyRole()
        {
            PlanProblem p = One(Insert(Valid, 5, "    role: ''"), PlanRules.InvalidRole);
            At(p, 6, 11);
        }

        // ------------------------------------------------------------------ money

        [Fact]
        public void NegativeMonthlyFee()
        {
            PlanProblem p = One(Replace(Valid, 7, "      monthly_fee: -5"), PlanRules.NegativePrice);
            At(p, 7, 20);
            Assert.Contains("negative", p.Message);
        }

        [Fact]
        public void NegativeSetupFee_RateAndServiceAmount_AllReported()
        {
            string yaml = Replace(Valid, 8, "      setup_fee: -1.50");
            yaml = Replace(yaml, 10, "        volume-gb-hour: -0.1");
            yaml = Insert(yaml, 8, "      professional_services:\n        - {name: Review, amount: -10}");
            List<PlanProblem> problems = Problems(yaml).Where(p => p.Rule == PlanRules.NegativePrice).ToList();
            Assert.Equal(3, problems.Count);
            At(problems[0], 8, 18);
            Assert.Equal((10, Col(yaml, 10, "-10")), (problems[1].Line, problems[1].Column));
            At(problems[2], 12, 25);
        }

        [Theory]
        [InlineData("149,90", "decimal separator: 149.90")]
        [InlineData("€149", "without a currency")]
        [InlineData("149 EUR", "without a currency")]
        [InlineData("cheap", "plain decimal number")]
        [InlineData("1e3", "not a number")]
        public void BadMoney(string value, string hint)
        {
            PlanProblem p = One(Replace(Valid, 7, "      monthly_fee: " + value), PlanRules.InvalidNumber);
            At(p, 7, 20);
            Assert.Contains(hint, p.Message);
        }

        [Fact]
        public void MoneyIsDecimal_NotDouble()
        {
            PlanDefinition plan = Catalog(Replace(Valid, 10, "        volume-gb-hour: '0.1000000000000000055511'")).Plans.Single();
            Assert.Equal(0.1000000000000000055511m, plan.Rates.Single().Price);
        }

        [Fact]
        public void NegativeHours()
        {
            string yaml = Insert(Valid, 8, "      professional_services:\n        - {name: Review, amount: 10, hours: -2}");
            PlanProblem p = One(yaml, PlanRules.InvalidNumber);
            At(p, 10, Col(yaml, 10, "-2"));
        }

        [Fact]
        public void ServiceWithoutNameOrAmount()
        {
            string yaml = Insert(Valid, 8, "      professional_services:\n        - hours: 2");
            List<PlanProblem> problems = Problems(yaml).Where(p => p.Rule == PlanRules.MissingValue).ToList();
            Assert.Equal(2, problems.Count);
            Assert.All(problems, p => At(p, 10, 11));
        }

        [Fact]
        public void ServicesMustBeAList()
        {
            PlanProblem p = One(Insert(Valid, 8, "      professional_services: onboarding"), PlanRules.WrongType);
            At(p, 9, 30);
        }

        // ------------------------------------------------------------------ price sections that must be mappings

        [Theory]
        [InlineData("      rates: 0.01", "the rates of plan 'small' must be a mapping of unit to price (vcpu-hour: 0.0125), not a value.", 9, 14)]
        [InlineData("      rates: [a]", "the rates of plan 'small' must be a mapping of unit to price (vcpu-hour: 0.0125), not a list.", 9, 14)]
        [InlineData("      allocation: 9", "the allocation prices of plan 'small' must be a mapping of quota key to price (cores: {included: 4, price: 9.00}), not a value.", 9, 19)]
        [InlineData("      included_usage: [720]", "the included usage of plan 'small' must be a mapping of rate unit to amount per month (instance-hour: 720), not a list.", 9, 23)]
        public void A_price_section_that_is_not_a_mapping_is_one_WrongType_error_at_its_value(string line, string message, int atLine, int atColumn)
        {
            PlanProblem p = One(Replace(Replace(Valid, 10, string.Empty), 9, line), PlanRules.WrongType);
            Assert.EndsWith(message, p.Message);
            At(p, atLine, atColumn);
        }

        [Theory]
        [InlineData("      rates:")]
        [InlineData("      allocation: ~")]
        [InlineData("      included_usage: null")]
        public void An_empty_price_section_is_no_problem(string line)
        {
            Assert.Empty(Problems(Replace(Replace(Valid, 10, string.Empty), 9, line)).Where(p => p.Severity == VdcPlanProblemSeverity.Error));
        }

        // ------------------------------------------------------------------ rates

        [Fact]
        public void UnknownRateUnit_SuggestsTheClosest()
        {
            PlanProblem p = One(Replace(Valid, 10, "        cpu-hour: 0.01"), PlanRules.UnknownRateUnit);
            At(p, 10, 9);
            Assert.Contains("Did you mean 'vcpu-hour'?", p.Message);
            Assert.Contains("floating-ip-hour", p.Message);
        }

        [Fact]
        public void VolumeGbHour_PricedPerVolumeType()
        {
            PlanCatalog c = Catalog(Replace(Valid, 10, "        volume-gb-hour:\n          price: 0.0002\n          volume_types:\n            fast-ssd: 0.0004\n            Capacity: {price: 0.00008}"
                .Replace("{price: 0.00008}", "0.00008")));
            PlanRate rate = c.Plans[0].Rates.Single();
            Assert.Equal(0.0002m, rate.Price);
            Assert.Equal(new[] { "fast-ssd=0.0004@13:13", "Capacity=0.00008@14:13" }, rate.VolumeTypePrices.Select(t => $"{t.Name}={t.Price}@{t.Line}:{t.Column}"));
            Assert.Equal(0.0004m, rate.PriceFor("fast-ssd"));
            Assert.Equal(0.00008m, rate.PriceFor("capacity"));  // Cinder's names ignore case
            Assert.Equal(0.0002m, rate.PriceFor("other"));
            Assert.Equal(0.0002m, rate.PriceFor(string.Empty));
            Assert.Equal("volume-gb-hour=0.0002 (fast-ssd=0.0004, Capacity=0.00008)", rate.ToString());
        }

        [Fact]
        public void VolumeTypes_OnlyForVolumeGbHour_WithAPriceEach_AndNoTypeTwice()
        {
            At(One(Replace(Valid, 10, "        snapshot-gb-hour:\n          price: 0.0001\n          volume_types: {fast-ssd: 0.0002}"), PlanRules.VolumeTypesNotAllowed), 12, 11);
            At(One(Replace(Valid, 10, "        volume-gb-hour:\n          price: 0.0001\n          volume_types: {fast-ssd: -1}"), PlanRules.NegativePrice), 12, 36);
            At(One(Replace(Valid, 10, "        volume-gb-hour:\n          price: 0.0001\n          volume_types: {fast-ssd: 1, FAST-SSD: 2}"), PlanRules.DuplicateKey), 12, 39);
            At(One(Replace(Valid, 10, "        volume-gb-hour:\n          price: 0.0001\n          volume_types: [fast-ssd]"), PlanRules.WrongType), 12, 25);
            // a type price needs the rate's own price too: no volume type is ever billed 0 by omission
            At(One(Replace(Valid, 10, "        volume-gb-hour:\n          volume_types: {fast-ssd: 0.0002}"), PlanRules.MissingValue), 10, 9);
        }

        [Fact]
        public void RateWithoutPrice()
        {
            PlanProblem p = One(Replace(Valid, 10, "        vcpu-hour: {description: x}"), PlanRules.MissingValue);
            At(p, 10, 9);
        }

        [Fact]
        public void DuplicateRate()
        {
            PlanProblem p = One(Insert(Valid, 10, "        volume-gb-hour: 0.0002"), PlanRules.DuplicateKey);
            At(p, 11, 9);
        }

        // ------------------------------------------------------------------ quotas

        [Theory]
        [InlineData("storage", "Services: compute, block-storage, network")]
        [InlineData("cinder", "Write 'block-storage'")]
        [InlineData("nova", "Write 'compute'")]
        [InlineData("netwrok", "Did you mean 'network'?")]
        public void UnknownService(string service, string hint)
        {
            PlanProblem p = One(Replace(Valid, 15, $"      {service}:"), PlanRules.UnknownService);
            At(p, 15, 7);
            Assert.Contains(hint, p.Message);
        }

        [Fact]
        public void UnknownResource_SuggestsTheClosest()
        {
            PlanProblem p = One(Replace(Valid, 13, "        coers: {default: 4, min: 2, max: 8}"), PlanRules.UnknownResource);
            At(p, 13, 9);
            Assert.Equal("plans.small.quotas.compute.coers", p.Setting);
            Assert.Contains("Did you mean 'cores'?", p.Message);
        }

        [Fact]
        public void ResourceOfAnotherService_SaysWhereItBelongs()
        {
            PlanProblem p = One(Insert(Valid, 14, "        floatingip: 2"), PlanRules.UnknownResource);
            At(p, 15, 9);
            Assert.Contains("move it under 'network:'", p.Message);
        }

        [Fact]
        public void MinGreaterThanMax_IsReportedAtMin()
        {
            string yaml = Replace(Valid, 13, "        cores: {default: 4, min: 10, max: 8}");
            PlanProblem p = One(yaml, PlanRules.MinGreaterThanMax);
            At(p, 13, 34);
            Assert.Equal(Col(yaml, 13, "10"), p.Column);
            Assert.Contains("minimum (10)", p.Message);
            Assert.Contains("maximum (8)", p.Message);
        }

        [Theory]
        [InlineData("{default: 9, min: 2, max: 8}", "default (9)", "2..8")]
        [InlineData("{default: 1, min: 2, max: 8}", "default (1)", "2..8")]
        [InlineData("{default: 1, min: 2, max: unlimited}", "default (1)", "2..unlimited")]
        public void DefaultOutsideRange_IsReportedAtDefault(string spec, string what, string range)
        {
            PlanProblem p = One(Replace(Valid, 13, "        cores: " + spec), PlanRules.DefaultOutOfRange);
            At(p, 13, 26);
            Assert.Contains(what, p.Message);
            Assert.Contains(range, p.Message);
        }

        [Fact]
        public void UnlimitedDefault_NeedsUnlimitedMax()
        {
            PlanProblem p = One(Replace(Valid, 13, "        cores: {default: -1, min: 0, max: 8}"), PlanRules.DefaultOutOfRange);
            At(p, 13, 26);
            Assert.Contains("unlimited", p.Message);
        }

        [Fact]
        public void UnlimitedMin_IsAnError()
        {
            PlanProblem p = One(Replace(Valid, 13, "        cores: {default: 4, min: -1, max: 8}"), PlanRules.InvalidQuotaValue);
            At(p, 13, 34);
        }

        [Theory]
        [InlineData("-2", "0 or more, or -1")]
        [InlineData("4.5", "whole numbers")]
        [InlineData("8GB", "Write the number only")]
        [InlineData("lots", "not a whole number")]
        public void BadQuotaValue(string value, string hint)
        {
            PlanProblem p = One(Replace(Valid, 13, $"        cores: {{default: {value}, min: 2, max: 8}}"), PlanRules.InvalidQuotaValue);
            At(p, 13, 26);
            Assert.Contains(hint, p.Message);
        }

        [Fact]
        public void QuotaWithoutMin()
        {
            PlanProblem p = One(Replace(Valid, 13, "        cores: {default: 4, max: 8}"), PlanRules.MissingValue);
            At(p, 13, 9);
            Assert.Equal("plans.small.quotas.compute.cores.min", p.Setting);
        }

        [Fact]
        public void UnknownQuotaKey()
        {
            PlanProblem p = One(Replace(Valid, 13, "        cores: {default: 4, min: 2, max: 8, maximum: 9}"), PlanRules.UnknownKey);
            At(p, 13, Col(Replace(Valid, 13, "        cores: {default: 4, min: 2, max: 8, maximum: 9}"), 13, "maximum"));
        }

        [Fact]
        public void QuotaAsAList_IsAnError()
        {
            PlanProblem p = One(Replace(Valid, 13, "        cores: [4, 2, 8]"), PlanRules.WrongType);
            At(p, 13, 16);
        }

        [Fact]
        public void RemovedNovaNetworkKey_IsAWarning_AndTheCatalogStillLoads()
        {
            string yaml = Insert(Valid, 14, "        floating_ips: 10");
            PlanProblem p = One(yaml, PlanRules.RemovedResource);
            Assert.Equal(VdcPlanProblemSeverity.Warning, p.Severity);
            At(p, 15, 9);
            Assert.Contains("2.36", p.Message);
            Assert.Contains("network: floatingip", p.Message);
            PlanCatalog catalog = Catalog(yaml);
            Assert.Single(catalog.Warnings);
        }

        [Fact]
        public void RamInGigabytes_IsAWarning()
        {
            string yaml = Replace(Valid, 14, "        ram: {default: 8, min: 4, max: 16}");
            PlanProblem p = One(yaml, PlanRules.SuspiciousRam);
            Assert.Equal(VdcPlanProblemSeverity.Warning, p.Severity);
            At(p, 14, 24);
            Assert.Contains("8192", p.Message);
        }

        [Fact]
        public void FreePlan_IsAWarning()
        {
            string yaml = Replace(Valid, 7, "      monthly_fee: 0");
            yaml = Replace(yaml, 8, "      setup_fee: 0");
            yaml = Replace(yaml, 9, "      rates: {}");
            yaml = Replace(yaml, 10, "      # none");
            PlanProblem p = One(yaml, PlanRules.NothingToSell);
            Assert.Equal(VdcPlanProblemSeverity.Warning, p.Severity);
            At(p, 6, 5);
        }

        [Fact]
        public void NoQuotas_IsAWarning()
        {
            string yaml = string.Join("\n", Valid.Split('\n').Take(10)) + "\n    quotas: {}\n";
            PlanProblem p = One(yaml, PlanRules.NoQuotas);
            Assert.Equal(VdcPlanProblemSeverity.Warning, p.Severity);
            At(p, 11, 5);
        }

        // ------------------------------------------------------------------ all problems at once

        [Fact]
        public void EveryProblemIsCollected_InFileOrder_AndLoadThrowsWithAllOfThem()
        {
            string yaml = Replace(Valid, 2, "currency: EURO");                                  // line 2
            yaml = Replace(yaml, 7, "      monthly_fee: -1");                                    // line 7
            yaml = Replace(yaml, 13, "        cores: {default: 4, min: 10, max: 8}");            // line 13
            yaml = Replace(yaml, 15, "      neutron:");                                          // line 15
            IReadOnlyList<PlanProblem> problems = Problems(yaml);
            Assert.Equal(
                new[] { (2, PlanRules.UnknownCurrency), (7, PlanRules.NegativePrice), (13, PlanRules.MinGreaterThanMax), (15, PlanRules.UnknownService) },
                problems.Select(p => (p.Line, p.Rule)));

            string dir = Path.Combine(Path.GetTempPath(), "vdcps-plans-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string path = Path.Combine(dir, "plans.yaml");
                System.IO.File.WriteAllText(path, yaml);
                PlanCatalogException e = Assert.Throws<PlanCatalogException>(() => PlanCatalogLoader.Load(path));
                Assert.Equal(PlanCatalogException.ReasonInvalid, e.Reason);
                Assert.Equal(path, e.FilePath);
                Assert.Equal(4, e.Problems.Count);
                Assert.Equal((2, 11), (e.Line, e.Column));
                Assert.Contains("has 4 errors", e.Message);
                Assert.Contains($"{path}:2:11: error:", e.Message);
                Assert.Contains($"{path}:13:34: error:", e.Message);
                Assert.Equal(4, PlanCatalogLoader.Validate(path).Count);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void Load_MissingFile_IsNotFound_AndAFolderIsUnreadable()
        {
            string dir = Path.Combine(Path.GetTempPath(), "vdcps-plans-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                PlanCatalogException missing = Assert.Throws<PlanCatalogException>(() => PlanCatalogLoader.Load(Path.Combine(dir, "nope.yaml")));
                Assert.Equal(PlanCatalogException.ReasonNotFound, missing.Reason);
                Assert.Throws<PlanCatalogException>(() => PlanCatalogLoader.Validate(Path.Combine(dir, "nope.yaml")));
                PlanCatalogException folder = Assert.Throws<PlanCatalogException>(() => PlanCatalogLoader.Load(dir));
                Assert.Equal(PlanCatalogException.ReasonUnreadable, folder.Reason);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void LoadCached_ReusesTheCatalogUntilTheFileChanges()
        {
            string dir = Path.Combine(Path.GetTempPath(), "vdcps-plans-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string path = Path.Combine(dir, "plans.yaml");
                System.IO.File.WriteAllText(path, Valid);
                PlanCatalog first = PlanCatalogLoader.LoadCached(path);
                Assert.Same(first, PlanCatalogLoader.LoadCached(path));
                System.IO.File.WriteAllText(path, Valid.Replace("  small:", "  tiny:"));
                System.IO.File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
                Assert.Equal("tiny", PlanCatalogLoader.LoadCached(path).Plans.Single().Name);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void ProblemModel_ToString_IsFileLineColumn()
        {
            VdcPlanProblem model = One(Replace(Valid, 2, "currency: EURO"), PlanRules.UnknownCurrency).ToModel();
            Assert.Equal(File, model.File);
            Assert.Equal(string.Empty, model.Plan);
            Assert.Equal("currency", model.Setting);
            Assert.StartsWith($"{File}:2:11: error: ", model.ToString());
        }
    }
}
