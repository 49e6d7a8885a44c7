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

        /// <summary>The microversion to send: the highest both sides know.</summary>
        internal static Version Choose((Version Min, Version Max) range)
            => range.Max < Newest ? range.Max : Newest;
    }
}
