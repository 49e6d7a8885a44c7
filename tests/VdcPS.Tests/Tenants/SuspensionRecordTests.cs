using System;
using VdcPS.Models;
using VdcPS.Tenants;
using Xunit;

namespace VdcPS.Tests.Tenants
{
    public class SuspensionRecordTests
    {
        [Fact]
        public void A_record_reads_back_what_was_written()
        {
            var record = new SuspensionRecord(VdcSuspensionMode.Shelve, new DateTime(2026, 11, 18, 9, 30, 0, DateTimeKind.Utc), new[]
            {
                new ServerHold("a1", stopped: false, shelved: true, locked: true),
                new ServerHold("b2", stopped: false, shelved: false, locked: false),
                new ServerHold("c3", stopped: false, shelved: true, locked: true, wasOff: true),
            });

            string text = record.Format();
            Assert.Equal("mode=shelve;at=2026-11-18T09:30:00Z;servers=a1:shelved+locked,b2:kept,c3:shelved-off+locked", text);

            SuspensionRecord back = SuspensionRecord.Parse(text)!;
            Assert.Equal(VdcSuspensionMode.Shelve, back.Mode);
            Assert.Equal(record.At, back.At);
            Assert.Collection(back.Servers,
                s => { Assert.Equal("a1", s.Id); Assert.True(s.Shelved); Assert.False(s.Stopped); Assert.True(s.Locked); },
                s => { Assert.Equal("b2", s.Id); Assert.False(s.Shelved); Assert.False(s.Stopped); Assert.False(s.Locked); },
                s => { Assert.Equal("c3", s.Id); Assert.True(s.Shelved); Assert.True(s.WasOff); Assert.True(s.Locked); });
        }

        [Fact]
        public void A_stop_record_without_servers_reads_back()
        {
            SuspensionRecord back = SuspensionRecord.Parse("mode=stop;at=2026-11-18T09:30:00Z;servers=")!;
            Assert.Equal(VdcSuspensionMode.Stop, back.Mode);
            Assert.Empty(back.Servers);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public void No_text_is_no_record(string? text) => Assert.Null(SuspensionRecord.Parse(text));

        [Theory]
        [InlineData("mode=freeze;at=2026-11-18T09:30:00Z;servers=")]
        [InlineData("mode=1;at=2026-11-18T09:30:00Z;servers=")]
        [InlineData("mode=stop;at=yesterday;servers=")]
        [InlineData("mode=stop;servers=a:stopped")]
        [InlineData("mode=stop;at=2026-11-18T09:30:00Z;servers=a:paused")]
        [InlineData("mode=stop;at=2026-11-18T09:30:00Z;servers=a:stopped+frozen")]
        [InlineData("mode=stop;at=2026-11-18T09:30:00Z;servers=:stopped")]
        [InlineData("garbage")]
        public void A_damaged_record_is_an_error_never_a_guess(string text)
            => Assert.Throws<FormatException>(() => SuspensionRecord.Parse(text));
    }
}
