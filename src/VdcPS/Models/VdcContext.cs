using System;
using VdcPS.Openstack.Identity;

namespace VdcPS.Models
{
    /// <summary>
    /// A connection to one OpenStack cloud, as Connect-VdcCloud returns it. Every VdcPS cmdlet
    /// takes one with -Context; without it, the runspace's current context is used. It shows who
    /// is connected, to what scope, where, and until when; it never shows a secret.
    /// </summary>
    public sealed class VdcContext
    {
        internal VdcContext(string name, KeystoneSession session)
        {
            Name = name;
            Session = session;
            ConnectedAt = DateTime.UtcNow;
        }

        internal KeystoneSession Session { get; }

        /// <summary>Name of the context: the cloud's name in clouds.yaml, or user@host.</summary>
        public string Name { get; }

        /// <summary>The clouds.yaml cloud it came from, "environment" for OS_* variables, or empty.</summary>
        public string Cloud => Session.Options.CloudName ?? string.Empty;

        public Uri AuthUrl => Session.IdentityUrl;

        public VdcAuthMethod AuthMethod => Session.Options.Method;

        public string UserName => Session.Token.User.Name ?? string.Empty;

        public string UserId => Session.Token.User.Id ?? string.Empty;

        public string UserDomain => Session.Token.User.DomainName ?? Session.Token.User.DomainId ?? string.Empty;

        public VdcScopeType ScopeType
            => Session.Token.System ? VdcScopeType.System
                : Session.Token.Project != null ? VdcScopeType.Project
                : Session.Token.Domain != null ? VdcScopeType.Domain
                : VdcScopeType.Unscoped;

        /// <summary>The scope in one word: the project or domain name, or "system".</summary>
        public string Scope
            => ScopeType switch
            {
                VdcScopeType.System => "system",
                VdcScopeType.Project => Session.Token.Project?.Name ?? Session.Token.Project?.Id ?? string.Empty,
                VdcScopeType.Domain => "domain " + (Session.Token.Domain?.Name ?? Session.Token.Domain?.Id),
                _ => "unscoped",
            };

        public string ProjectName => Session.Token.Project?.Name ?? string.Empty;

        public string ProjectId => Session.Token.Project?.Id ?? string.Empty;

        public string ProjectDomain => Session.Token.Project?.DomainName ?? Session.Token.Project?.DomainId ?? string.Empty;

        public string DomainName => Session.Token.Domain?.Name ?? string.Empty;

        public string DomainId => Session.Token.Domain?.Id ?? string.Empty;

        /// <summary>Role names of the token, comma-separated.</summary>
        public string Roles => string.Join(",", Session.Token.Roles);

        public string Region => Session.Options.Region ?? string.Empty;

        public string Interface => Session.Options.Interface;

        /// <summary>When the current token expires (UTC). VdcPS renews it before then.</summary>
        public DateTime TokenExpiresAt => Session.Token.ExpiresAt;

        public bool CanRenewToken => Session.CanRenew;

        public Uri? ComputeEndpoint => Session.TryGetEndpoint("compute");

        public Uri? BlockStorageEndpoint => Session.TryGetEndpoint("block-storage");

        public Uri? NetworkEndpoint => Session.TryGetEndpoint("network");

        public Uri? MetricEndpoint => Session.TryGetEndpoint("metric");

        public Uri? RatingEndpoint => Session.TryGetEndpoint("rating");

        /// <summary>Compute API microversion range the cloud offers ("2.1-2.93"), once discovered.</summary>
        public string ComputeMicroversions
            => Session.ComputeVersions is { } v ? $"{v.Min}-{v.Max}" : string.Empty;

        public bool SkipCertificateCheck => Session.Http.Settings.SkipCertificateCheck;

        public DateTime ConnectedAt { get; }

        /// <summary>Whether this is the runspace's current context (set when the object is output).</summary>
        public bool IsCurrent { get; internal set; }

        public override string ToString() => Name;
    }
}
