using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Http;
using VdcPS.Openstack.Identity;

namespace VdcPS.Openstack.Compute
{
    /// <summary>
    /// Nova microversion negotiation: the compute endpoint's version document gives the range the
    /// cloud offers (min_version..version); VdcPS asks for the highest it knows that the cloud has.
    /// </summary>
    internal static class ComputeVersions
    {
        /// <summary>The newest microversion whose behaviour VdcPS has been written against.</summary>
        internal static readonly Version Newest = new Version(2, 96);

        /// <summary>Paging of os-simple-tenant-usage (limit/marker) arrived with 2.40.</summary>
        internal static readonly Version UsagePaging = new Version(2, 40);

        internal static async Task<(Version Min, Version Max)> DiscoverAsync(KeystoneSession session, CancellationToken cancellationToken)
        {
            Uri endpoint = session.GetEndpoint("compute");
            var request = new ApiRequest(HttpMethod.Get, endpoint, "compute");
            ApiResponse response = await session.SendAsync(request, cancellationToken).ConfigureAwait(false);
            JsonNode? version = JsonNode.Parse(response.Body)?["version"];
            string? max = version?["version"]?.GetValue<string>();
            string? min = version?["min_version"]?.GetValue<string>();

            // A cloud without microversions (plain v2) reports empty strings: it speaks 2.1 behaviour at best.
            Version maxVersion = Version.TryParse(max, out Version? a) ? a : new Version(2, 1);
            Version minVersion = Version.TryParse(min, out Version? b) ? b : new Version(2, 1);
            return (minVersion, maxVersion);
        }

        private static readonly SemaphoreSlim DiscoveryLock = new SemaphoreSlim(1, 1);

        /// <summary>The microversion to send: the highest both sides know.</summary>
        internal static Version Choose((Version Min, Version Max) range)
            => range.Max < Newest ? range.Max : Newest;

        /// <summary>The microversion every compute request of this connection sends (discovered once per connection, shared by every Nova client).</summary>
        internal static async Task<Version> NegotiateAsync(KeystoneSession session, CancellationToken ct)
        {
            if (session.ComputeVersions == null)
            {
                await DiscoveryLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    session.ComputeVersions ??= await DiscoverAsync(session, ct).ConfigureAwait(false);
                }
                finally
                {
                    DiscoveryLock.Release();
                }
            }

            return Choose(session.ComputeVersions!.Value);
        }

        /// <summary>Names the negotiated microversion on a request, in the current header and the legacy one (before 2.27).</summary>
        internal static async Task AddHeadersAsync(KeystoneSession session, ApiRequest request, CancellationToken ct)
        {
            Version v = await NegotiateAsync(session, ct).ConfigureAwait(false);
            request.Headers["OpenStack-API-Version"] = $"compute {v}";
            request.Headers["X-OpenStack-Nova-API-Version"] = v.ToString();
        }
    }
}
