using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Billing;
using VdcPS.Models;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;
using VdcPS.Openstack.Rating;
using VdcPS.Plans;
using VdcPS.Tests.TestSupport;
using Xunit;
using static VdcPS.Tests.Billing.BillingTestData;
using VdcPS.Tenants;

namespace VdcPS.Tests.Billing
{
    /// <summary>CloudKitty's rated summary (v2 table and object formats, v1 fallback) as charge lines.</summary>
    public class CloudKittyTests : IDisposable
    {
        private static readonly DateTime Nov = Utc(2026, 11, 1);
        private static readonly DateTime Dec = Utc(2026, 12, 1);

        // Shaped like CloudKitty 17's GET /v2/summary?groupby=project_id&groupby=type (response_format=table),
        // with the float artefacts the lab showed (reference/metering-lab NOTES #24).
        private const string V2Table = @"{""total"": 3, ""columns"": [""begin"", ""end"", ""qty"", ""rate"", ""project_id"", ""type""],
 ""results"": [
  [""2026-11-01T00:00:00+00:00"", ""2026-12-01T00:00:00+00:00"", 276.0, 3.4500000000000024, ""p-a"", ""vcpus""],
  [""2026-11-01T00:00:00+00:00"", ""2026-12-01T00:00:00+00:00"", 552.0, 3.0360000000000023, ""p-a"", ""memory""],
  [""2026-11-01T00:00:00+00:00"", ""2026-12-01T00:00:00+00:00"", 204, 0.20400000000000015, ""p-b"", ""instance""]],
 ""format"": ""table""}";

        private readonly List<string> _seen = new();
        private ScriptedHttpServer? _server;
        private KeystoneSession? _session;

        public void Dispose()
        {
            _session?.Dispose();
            _server?.Dispose();
        }

        [Fact]
        public void TableFormat_IsReadByColumnName_AndNumbersAreExact()
        {
            List<RatedTotal> totals = RatingApi.ParseV2(JsonNode.Parse(V2Table)!);
            Assert.Equal(3, totals.Count);
            Assert.Equal(("p-a", "vcpus", 276.0m, 3.4500000000000024m), (totals[0].ProjectId, totals[0].Type, totals[0].Quantity, totals[0].Price));
            Assert.Equal(Nov, totals[0].Begin);
            Assert.Equal(DateTimeKind.Utc, totals[0].Begin!.Value.Kind);
        }

        [Fact]
        public void ObjectFormat_AndStringsAndExponents_AreRead()
        {
            List<RatedTotal> totals = RatingApi.ParseV2(JsonNode.Parse(@"{""total"": 2, ""results"": [
                {""project_id"": ""p-a"", ""type"": ""vcpus"", ""qty"": ""12"", ""rate"": ""90.76800000000006""},
                {""project_id"": ""p-b"", ""type"": ""memory"", ""qty"": 2.5e2, ""rate"": 4.4e-05}], ""format"": ""object""}")!);
            Assert.Equal((12m, 90.76800000000006m), (totals[0].Quantity, totals[0].Price));
            Assert.Equal((250m, 0.000044m), (totals[1].Quantity, totals[1].Price));
        }

        [Fact]
        public void Lines_RoundCloudKittysFloatsPerLine_AndCarryTheTenant()
        {
            List<RatedTotal> totals = RatingApi.ParseV2(JsonNode.Parse(V2Table)!);
            var projects = new Dictionary<string, TenantLabel>
            {
                ["p-a"] = new("p-a", "acme-dev", "C-100", "vdc-payg", managed: true, known: true),
            };
            var (lines, issues) = CloudKittyCharges.ToLines(totals, Nov, Dec, id => projects.TryGetValue(id, out TenantLabel? p) ? p : null,
                null, Sample.Find, CloudKittyCharges.DefaultUnits);

            // p-a: vcpus 3.4500000000000024 -> 3.45 (276 x 0.0125); memory 3.0360000000000023 -> 3.04 (552 x 0.0055 = 3.036)
            Assert.Equal(new[]
            {
                "C-100 acme-dev vdc-payg ram-gb-hour 552 x 0.0055 = 3.04 EUR",
                "C-100 acme-dev vdc-payg vcpu-hour 276 x 0.0125 = 3.45 EUR",
            }, lines.Select(l => $"{l.CustomerId} {l.TenantName} {l.Plan} {l.Unit} {Text(l.Quantity)} x {Text(l.UnitPrice)} = {Text(l.Amount)} {l.Currency}"));
            Assert.All(lines, l => Assert.Equal((VdcChargeType.PayPerUse, "cloudkitty", Nov, Dec), (l.ChargeType, l.Source, l.PeriodStart, l.PeriodEnd)));
            Assert.Equal("vcpu-hour: CloudKitty rating of 'vcpus'", lines[1].Description);

            // p-b is no VdcPS tenant: no currency without -Currency
            RatingIssue issue = Assert.Single(issues);
            Assert.Equal((CloudKittyCharges.CurrencyUnknown, "p-b"), (issue.Id, issue.Target));
        }

        [Theory]
        [InlineData("0.22499999999999998", "0.225")]      // 18 vCPU-hours x 0.0125 summed as doubles (seen in the lab)
        [InlineData("90.76800000000006", "90.768")]       // metering-lab NOTES #24
        [InlineData("8.357999999999924", "8.358")]
        [InlineData("44.64000000000003", "44.64")]
        [InlineData("0.0000440000000000001", "0.000044")]
        [InlineData("1234567.8949999999", "1234567.895")]
        [InlineData("0.1234567890125", "0.123456789013")] // 12 significant digits are kept
        [InlineData("0", "0")]
        public void FloatingPointNoise_IsRemovedBeforeRounding(string raw, string expected)
        {
            decimal value = decimal.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), CloudKittyCharges.Denoise(value));
        }

        [Fact]
        public void AHalfCentSumWithFloatNoise_RoundsLikeTheExactValue()
        {
            // The lab: CloudKitty rated 18 vCPU-hours at 0.0125 as 0.22499999999999998. VdcPS rates 18 x 0.0125 = 0.225 -> 0.23.
            var total = new RatedTotal { ProjectId = "p", Type = "vcpus", Quantity = 18.0m, Price = 0.22499999999999998m };
            var (lines, _) = CloudKittyCharges.ToLines(new[] { total }, Nov, Dec, _ => null, "EUR", _ => null, CloudKittyCharges.DefaultUnits);
            Assert.Equal(("0.23", "0.0125"), (Text(lines[0].Amount), Text(lines[0].UnitPrice)));
        }

        [Fact]
        public void GivenCurrency_AppliesToEveryProject_AndTheUnitMapCanBeChanged()
        {
            List<RatedTotal> totals = RatingApi.ParseV2(JsonNode.Parse(V2Table)!);
            var units = new Dictionary<string, string>(CloudKittyCharges.DefaultUnits.ToDictionary(p => p.Key, p => p.Value), StringComparer.OrdinalIgnoreCase) { ["instance"] = "server-hour" };
            var (lines, issues) = CloudKittyCharges.ToLines(totals, Nov, Dec, _ => null, "JPY", _ => null, units);
            Assert.Empty(issues);
            Assert.Equal(new[] { "p-a ram-gb-hour 3", "p-a vcpu-hour 3", "p-b server-hour 0" }, lines.Select(l => $"{l.TenantId} {l.Unit} {Text(l.Amount)}"));
            Assert.All(lines, l => Assert.Equal("JPY", l.Currency));
        }

        private async Task<RatingApi> ApiAsync(Func<SeenRequest, Reply?> rating)
        {
            _server = new ScriptedHttpServer(r =>
            {
                lock (_seen)
                {
                    _seen.Add(r.Method + " " + r.Path + " accept=" + (r.Headers.TryGetValue("Accept", out string? a) ? a : string.Empty));
                }

                if (r.Method == "POST" && r.Path.StartsWith("/v3/auth/tokens", StringComparison.Ordinal))
                {
                    JsonNode doc = JsonNode.Parse(FakeKeystone.TokenBody(_server!.BaseUrl, DateTime.UtcNow.AddHours(1)))!;
                    ((JsonArray)doc["token"]!["catalog"]!).Add(new JsonObject
                    {
                        ["type"] = "rating", ["name"] = "cloudkitty",
                        ["endpoints"] = new JsonArray(new JsonObject { ["interface"] = "public", ["region_id"] = "RegionOne", ["url"] = _server.BaseUrl.AbsoluteUri + "rating" }),
                    });
                    return Reply.Json(201, doc.ToJsonString(), ("X-Subject-Token", "tok-1"));
                }

                return rating(r) ?? Reply.Json(404, "{\"message\": \"not here\"}");
            });
            _session = await KeystoneSession.ConnectAsync(new AuthOptions
            {
                AuthUrl = new Uri(_server.BaseUrl, "v3"),
                Method = VdcAuthMethod.Password,
                UserName = "admin",
                UserDomainId = "default",
                Password = new NetworkCredential(string.Empty, "pw").SecurePassword,
                ProjectName = "admin",
                ProjectDomainId = "default",
            }, new HttpSettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
            return new RatingApi(_session);
        }

        [Fact]
        public async Task Summary_IsReadFromV2_Paged_AcceptingJsonOnly()
        {
            int page = 0;
            RatingApi api = await ApiAsync(r =>
            {
                if (!r.Path.StartsWith("/rating/v2/summary?", StringComparison.Ordinal))
                {
                    return null;
                }

                Assert.Contains("begin=2026-11-01T00%3A00%3A00%2B00%3A00", r.Path);
                Assert.Contains("end=2026-12-01T00%3A00%3A00%2B00%3A00", r.Path);
                Assert.Contains("groupby=project_id&groupby=type", r.Path);
                page++;
                // the first page is full (PageSize rows), the second has the rest
                if (r.Path.Contains("offset=0&", StringComparison.Ordinal))
                {
                    var rows = new JsonArray();
                    for (int i = 0; i < RatingApi.PageSize; i++)
                    {
                        rows.Add(new JsonArray("2026-11-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00", 1.0, 0.01, $"p-{i:D4}", "vcpus"));
                    }

                    return Reply.Json(200, new JsonObject { ["total"] = RatingApi.PageSize + 1, ["columns"] = new JsonArray("begin", "end", "qty", "rate", "project_id", "type"), ["results"] = rows }.ToJsonString());
                }

                Assert.Contains($"offset={RatingApi.PageSize}&", r.Path);
                return Reply.Json(200, @"{""total"": 1001, ""columns"": [""project_id"", ""type"", ""qty"", ""rate""], ""results"": [[""p-last"", ""memory"", 2, 0.011]]}");
            });

            IReadOnlyList<RatedTotal> totals = await api.GetSummaryAsync(Nov, Dec, CancellationToken.None);
            Assert.Equal(RatingApi.PageSize + 1, totals.Count);
            Assert.Equal(("p-last", 0.011m), (totals[^1].ProjectId, totals[^1].Price));
            Assert.Equal(2, page);
            Assert.Equal("v2", api.ApiVersion);
            // CloudKitty's v1 API answers XML to "application/json, */*": exactly application/json is sent
            Assert.All(_seen.Where(s => s.Contains("/rating/")), s => Assert.EndsWith("accept=application/json", s));
        }

        [Fact]
        public async Task WithoutV2_TheV1ReportSummaryIsRead()
        {
            RatingApi api = await ApiAsync(r =>
            {
                if (r.Path.StartsWith("/rating/v1/report/summary?", StringComparison.Ordinal))
                {
                    // one groupby text (as CloudKitty 17 in the lab needs it; repeated groupby gives tenant_id "ALL")
                    Assert.Contains("groupby=tenant_id,res_type&all_tenants=true", r.Path);
                    return Reply.Json(200, @"{""summary"": [{""tenant_id"": ""p-a"", ""res_type"": ""vcpus"", ""rate"": ""90.768"", ""begin"": ""2026-11-01T00:00:00"", ""end"": ""2026-12-01T00:00:00""}]}");
                }

                return null;  // /v2/summary: 404, as CloudKitty with v1 storage answers
            });

            RatedTotal total = Assert.Single(await api.GetSummaryAsync(Nov, Dec, CancellationToken.None));
            Assert.Equal(("p-a", "vcpus", (decimal?)null, 90.768m), (total.ProjectId, total.Type, total.Quantity, total.Price));
            Assert.Equal("v1", api.ApiVersion);

            var (lines, _) = CloudKittyCharges.ToLines(new[] { total }, Nov, Dec, _ => null, "EUR", _ => null, CloudKittyCharges.DefaultUnits);
            VdcChargeLine line = Assert.Single(lines);
            Assert.Equal((1m, "90.768", "90.77"), (line.Quantity, Text(line.UnitPrice), Text(line.Amount)));
            Assert.Contains("v1 API gives no quantity", line.Description);
        }
    }
}
