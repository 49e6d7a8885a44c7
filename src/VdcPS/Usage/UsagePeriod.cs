using System;

namespace VdcPS.Usage
{
    /// <summary>The billing period: [Start, End) in UTC.</summary>
    internal static class UsagePeriod
    {
        /// <summary>
        /// Resolves -Start/-End: none → the previous calendar month (UTC); only Start → one calendar
        /// month from Start; only End is refused. Times of kind Local are converted to UTC; times of
        /// kind Unspecified (what "2026-10-01" becomes) are taken as UTC.
        /// </summary>
        public static (DateTime Start, DateTime End) Resolve(DateTime? start, DateTime? end, DateTime utcNow)
        {
            if (start == null && end == null)
            {
                var thisMonth = new DateTime(utcNow.Year, utcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                return (thisMonth.AddMonths(-1), thisMonth);
            }

            if (start == null)
            {
                throw new ArgumentException("-End needs -Start: give both, only -Start (one month), or neither (the previous month).");
            }

            DateTime s = Utc(start.Value);
            DateTime e = end.HasValue ? Utc(end.Value) : s.AddMonths(1);
            if (s >= e)
            {
                throw new ArgumentException($"The period is empty: -Start {Show(s)} is not before -End {Show(e)}.");
            }

            if (s >= utcNow)
            {
                throw new ArgumentException($"The period starts at {Show(s)}, after now ({Show(utcNow)}): there is no usage yet.");
            }

            return (s, e);
        }

        public static DateTime Utc(DateTime t) => t.Kind switch
        {
            DateTimeKind.Utc => t,
            DateTimeKind.Local => t.ToUniversalTime(),
            _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        };

        public static string Show(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Seconds of the period rounded up to whole hours: one resample bucket covers it (with at most one more).</summary>
        public static int ResampleSeconds(DateTime start, DateTime end)
        {
            double hours = Math.Ceiling((end - start).TotalHours);
            return (int)Math.Max(3600, Math.Min(hours * 3600, int.MaxValue / 2));
        }
    }
}
