using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Repairs what Test-VdcTenant reports as repairable: quotas set back to the recorded values,
    /// project and user enabled as the tenant's state says, the plan's role granted again, the
    /// starter network made whole. Under the tenant's lease, every fix read back, repaired quotas
    /// recorded in the quota history. Writes one row per finding with Repaired set.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "VdcTenant", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VdcTenantDrift))]
    public sealed class RepairVdcTenantCommand : VdcTenantTargetCmdlet
    {
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        /// <summary>Also lower a quota below what the tenant uses now (otherwise such a quota is left and reported).</summary>
        [Parameter]
        public SwitchParameter AllowBelowUsage { get; set; }

        protected override void ProcessRecord()
        {
            VdcContext context = ResolveContext();
            PlanCatalog catalog = LoadCatalog(CatalogPath, context);
            var drift = new TenantDrift(context);
            foreach (var target in Targets())
            {
                // Test-VdcTenant | Repair-VdcTenant brings one row per finding: each tenant once.
                if (!_done.Add(target.Id ?? DomainId + "/" + target.Name))
                {
                    continue;
                }

                if (target.Id == null && WildcardPattern.ContainsWildcardCharacters(target.Name))
                {
                    WriteError(new ArgumentException($"'{target.Name}' is a wildcard: Repair-VdcTenant repairs tenants by exact name or id."), ErrorIds.TenantInputInvalid,
                        ErrorCategory.InvalidArgument, target.Label, "Test-VdcTenant 'acme*' | Repair-VdcTenant repairs the tenants a wildcard finds.");
                    continue;
                }

                try
                {
                    var notFound = new List<string>();
                    IReadOnlyList<TenantRecord> found = RunAsync((_, ct) => drift.ResolveAsync(
                        target.Id == null ? Array.Empty<string>() : new[] { target.Id },
                        target.Id == null ? new[] { target.Name! } : Array.Empty<string>(),
                        DomainId, notFound, ct));
                    if (found.Count == 0)
                    {
                        WriteError(new ItemNotFoundException($"Tenant '{target.Label}' was not found."), ErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound,
                            target.Label, "Get-VdcTenant lists the tenants.");
                        continue;
                    }

                    TenantRecord tenant = found[0];
                    IReadOnlyList<VdcTenantDrift> findings = RunAsync((_, ct) => drift.CheckAsync(tenant, catalog, ct));
                    var repairable = findings.Where(f => f.Repairable).ToList();
                    if (repairable.Count == 0)
                    {
                        WriteVerbose($"Tenant '{tenant.Name}': nothing to repair ({findings.Count} finding(s), none repairable).");
                        foreach (VdcTenantDrift f in findings)
                        {
                            f.Message = string.IsNullOrEmpty(f.Message) ? "Not repairable by Repair-VdcTenant." : f.Message;
                            WriteObject(f);
                        }

                        continue;
                    }

                    string what = string.Join(", ", repairable.Select(f => $"{f.Aspect} {f.Actual} -> {f.Expected}"));
                    if (!ShouldProcess($"tenant '{tenant.Name}' ({tenant.Id}) in {context.Name}", $"Repair {repairable.Count} finding(s): {what}"))
                    {
                        continue;
                    }

                    IReadOnlyList<VdcTenantDrift> result = RunAsync((_, ct) => drift.RepairAsync(tenant, catalog, AllowBelowUsage.IsPresent, ct));
                    var repaired = result.Where(f => f.Repaired).ToList();
                    Journal(context, tenant.Name, repaired.Count > 0 ? "Repaired" : "Unchanged", null, null,
                        repaired.Count == 0 ? "Nothing was repaired." : "Repaired: " + string.Join("; ", repaired.Select(f => $"{f.Kind} {f.Aspect} {f.Actual} -> {f.Expected}")));
                    foreach (VdcTenantDrift f in result)
                    {
                        if (f.Repairable && !f.Repaired)
                        {
                            WriteWarning($"Tenant '{tenant.Name}': {f.Aspect} not repaired: {f.Message}");
                        }

                        WriteObject(f);
                    }
                }
                catch (PipelineStoppedException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    Journal(context, target.Label, "Failed", null, null, ErrorFactory.Unwrap(e).Message);
                    WriteError(TenantError(e, target.Label));
                }
            }
        }
    }
}
