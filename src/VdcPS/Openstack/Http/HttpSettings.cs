using System;
using System.Globalization;

namespace VdcPS.Openstack.Http
{
    /// <summary>Transport settings of one connection (one <see cref="OpenStackHttpClient"/>).</summary>
    internal sealed class HttpSettings
    {
        /// <summary>Time allowed for one attempt of one request.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Retries after the first attempt, for the failures that may be retried.</summary>
        public int MaxRetries { get; set; } = 4;

        /// <summary>
        /// First back-off step; it doubles each retry (with jitter) up to <see cref="MaxDelay"/>. Default
        /// 500 ms, or the milliseconds in VDCPS_RETRY_DELAY_MS when the connection is made (0-60000;
        /// test suites that inject faults set it low: the same retries, without the waits).
        /// </summary>
        public TimeSpan BaseDelay { get; set; } = ParseRetryDelay(Environment.GetEnvironmentVariable(RetryDelayVariable));

        internal const string RetryDelayVariable = "VDCPS_RETRY_DELAY_MS";

        internal static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(500);

        /// <summary>VDCPS_RETRY_DELAY_MS's value, or the default when it is unset or not a whole number 0-60000.</summary>
        internal static TimeSpan ParseRetryDelay(string? value)
            => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int ms) && ms <= 60000
                ? TimeSpan.FromMilliseconds(ms)
                : DefaultBaseDelay;

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

        /// <summary>The longest Retry-After the client honours; a longer one fails the request.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(120);

        public bool SkipCertificateCheck { get; set; }

        public string? CaCertificatePath { get; set; }

        public int MaxConnectionsPerServer { get; set; } = 16;

        public string UserAgent { get; set; } = "VdcPS";
    }
}
