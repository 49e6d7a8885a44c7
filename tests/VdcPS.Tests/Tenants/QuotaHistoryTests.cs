using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using VdcPS.Tenants;
using Xunit;

namespace VdcPS.Tests.Tenants
{
    /// <summary>The compact, bounded quota history kept on the tenant's project (vdcps_quota_history).</summary>
    public class QuotaHistoryTests
    {
        private static DateTime Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, DateTimeKind.Utc);

        private static QuotaRecord Entry(DateTime at, string source, params (string Key, long Value)[] values)
            => QuotaHistory.Entry(at, source, values.Select(v => new KeyValuePair<string, long>(v.Key, v.Value)));

        [Fact]
        public void Entries_AreCompactText_ToTheSecond_AndParseBack()
        {
            QuotaRecord e = QuotaHistory.Entry(new DateTime(2026, 11, 19, 10, 0, 5, 999, DateTimeKind.Utc), QuotaHistory.SetQuota,
                new[] { new KeyValuePair<string, long>("compute.cores", 8), new KeyValuePair<string, long>("network.floatingip", -1) });
            Assert.Equal("2026-11-19T10:00:05Z set-quota compute.cores=8 network.floatingip=-1", e.ToString());
            QuotaRecord back = Assert.Single(QuotaHistory.ParseText(e.ToString()));
            Assert.Equal((e.At, e.Source, 8L, -1L), (back.At, back.Source, back.Values["compute.cores"], back.Values["network.floatingip"]));
        }

        [Theory]
        [InlineData("2026-11-19T10:00:00Z set-quota cores=8")]            // no service
        [InlineData("2026-11-19T10:00:00Z changed compute.cores=8")]      // unknown source
        [InlineData("yesterday set-quota compute.cores=8")]
        [InlineData("2026-11-19T10:00:00Z set-quota compute.cores=-2")]
        public void BadText_IsAFormatError(string text)
            => Assert.Throws<FormatException>(() => QuotaHistory.ParseText(text));

        [Fact]
        public void TheHistory_StaysWithinItsBound_ByFoldingTheOldestEntriesIntoABaseline()
        {
            var records = new List<QuotaRecord> { Entry(Utc(2026, 1, 1), QuotaHistory.NewTenant, ("compute.cores", 4), ("compute.ram", 8192)) };
            for (int i = 0; i < 400; i++)
            {
                records.Add(Entry(Utc(2026, 1, 2).AddHours(i), QuotaHistory.SetQuota, ("compute.cores", 5 + (i % 20))));
            }

            List<QuotaRecord> bounded = QuotaHistory.Bound(records);
            var json = new JsonArray(bounded.Select(r => (JsonNode)JsonValue.Create(r.ToString())!).ToArray());
            Assert.True(json.ToJsonString().Length <= QuotaHistory.MaxChars, json.ToJsonString().Length.ToString());
            Assert.True(bounded.Count > 200, bounded.Count.ToString());

            // the newest entries are kept exactly; the oldest kept entry is a baseline with every value in force then
            Assert.Equal(records.Last().ToString(), bounded.Last().ToString());
            QuotaRecord baseline = bounded[0];
            Assert.Equal(QuotaHistory.Baseline, baseline.Source);
            Assert.Equal(8192L, baseline.Values["compute.ram"]);
            QuotaRecord original = records.Single(r => r.At == baseline.At);
            Assert.Equal(original.Values["compute.cores"], baseline.Values["compute.cores"]);
            Assert.Equal(bounded.Skip(1).Select(r => r.ToString()), records.Where(r => r.At > baseline.At).Select(r => r.ToString()));
        }

        [Fact]
        public void AHistoryWithinTheBound_IsKeptAsItIs()
        {
            var records = new List<QuotaRecord>
            {
                Entry(Utc(2026, 1, 1), QuotaHistory.NewTenant, ("compute.cores", 4)),
                Entry(Utc(2026, 2, 1), QuotaHistory.SetQuota, ("compute.cores", 6)),
            };
            Assert.Equal(records.Select(r => r.ToString()), QuotaHistory.Bound(records).Select(r => r.ToString()));
        }
    }
}
