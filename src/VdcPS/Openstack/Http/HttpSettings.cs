using System;

namespace VdcPS.Openstack.Http
{
    /// <summary>Transport settings of one connection (one <see cref="OpenStackHttpClient"/>).</summary>
    internal sealed class HttpSettings
    {
        /// <summary>Time allowed for one attempt of one request.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Retries after the first attempt, for the failures that may be retried.</summary>
        public int MaxRetries { get; set; } = 4;

        /// <summary>First back-off step; it doubles each retry (with jitter) up to <see cref="MaxDelay"/>.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

        /// <summary>The longest Retry-After the client honours; a longer one fails the request.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(120);

        public bool SkipCertificateCheck { get; set; }

        public string? CaCertificatePath { get; set; }

        public int MaxConnectionsPerServer { get; set; } = 16;

        public string UserAgent { get; set; } = "VdcPS";
    }
}
