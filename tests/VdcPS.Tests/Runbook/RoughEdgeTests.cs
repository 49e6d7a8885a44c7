using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Quotas;
using Xunit;

namespace VdcPS.Tests.Runbook
{
    /// <summary>Issue 20's rough edges: each bad input gets a message that names the real problem.</summary>
    public sealed class RoughEdgeTests
    {
        private const string Catalog =
            "api_version: vdcps/v1\n" +
            "currency: EUR\n" +
            "plans:\n" +
            "  small:\n" +
            "    prices:\n" +
            "      monthly_fee: MONTHLY\n" +
            "    quotas:\n" +
            "      compute:\n" +
            "        cores: {default: CORES, min: 1, max: 8}\n";

        private static IReadOnlyList<PlanProblem> Problems(string monthly, string cores)
            => PlanCatalogLoader.Parse(Catalog.Replace("MONTHLY", monthly).Replace("CORES", cores), "/catalogs/plans.yaml").Problems;

        [Fact]
        public void A_quota_beyond_64_bits_in_the_catalog_is_too_large_not_a_non_number()
        {
            PlanProblem p = Problems("10", "99999999999999999999").Single(x => x.Rule == PlanRules.InvalidQuotaValue);
            Assert.Contains("too large", p.Message);
            Assert.DoesNotContain("not a whole number", p.Message);
            Assert.Equal(9, p.Line);
        }

        [Fact]
        public void A_price_beyond_a_decimal_is_too_large_not_a_non_number()
        {
            PlanProblem p = Problems("999999999999999999999999999999999", "4").Single(x => x.Rule == PlanRules.InvalidNumber);
            Assert.Contains("too large", p.Message);
            Assert.DoesNotContain("not a number", p.Message);
        }

        [Fact]
        public void Ordinary_bad_numbers_keep_their_own_messages()
        {
            Assert.Contains(Problems("10", "4.5"), x => x.Message.Contains("not a whole number"));
            Assert.Contains(Problems("abc", "4"), x => x.Message.Contains("not a number"));
        }

        [Theory]
        [InlineData("99999999999999999999")]
        [InlineData(1e20)]
        public void A_quota_override_beyond_64_bits_is_too_large(object value)
        {
            var problems = new List<string>();
            QuotaTargetCalculator.ParseOverrides(new Hashtable { ["cores"] = value }, problems);
            string problem = Assert.Single(problems);
            Assert.Contains("too large", problem);
        }

        [Fact]
        public void A_quota_override_that_is_not_whole_is_still_not_a_whole_number()
        {
            var problems = new List<string>();
            QuotaTargetCalculator.ParseOverrides(new Hashtable { ["cores"] = "4.5" }, problems);
            Assert.Contains("not a whole number", Assert.Single(problems));
        }

        [Fact]
        public void A_catalog_path_that_is_a_folder_says_so()
        {
            string dir = Path.Combine(Path.GetTempPath(), "vdcps-rough-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var e = Assert.Throws<PlanCatalogException>(() => PlanCatalogLocator.Locate(dir, null, null, dir, dir));
                Assert.Contains("is a folder", e.Message);
                Assert.Equal(PlanCatalogException.ReasonUnreadable, e.Reason);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void A_relative_auth_url_is_an_argument_error_that_says_relative()
        {
            var options = new AuthOptions { AuthUrl = new Uri("keystone.example.com:5000/v3", UriKind.RelativeOrAbsolute) };
            if (options.AuthUrl.IsAbsoluteUri)
            {
                options.AuthUrl = new Uri("identity/v3", UriKind.Relative);
            }

            var e = Assert.Throws<ArgumentException>(() => options.Validate());
            Assert.Contains("relative", e.Message);
        }
    }
}
