using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>Gets VDC tenants: by name (wildcards), id, plan, customer, state or enabled.</summary>
    [Cmdlet(VerbsCommon.Get, "VdcTenant", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(VdcTenant))]
    public sealed class GetVdcTenantCommand : VdcTenantCmdlet
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";

        [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TenantName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TenantNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TenantId", "ProjectId")]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PlanNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Plan { get; set; }

        [Parameter]
        [Alias("Customer")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? CustomerId { get; set; }

        [Parameter]
        public VdcTenantState[]? State { get; set; }

        /// <summary>Only enabled ($true) or only disabled ($false) tenants.</summary>
        [Parameter]
        public bool? Enabled { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string DomainId { get; set; } = "default";

        /// <summary>Also list projects that VdcPS did not create (State Unmanaged).</summary>
        [Parameter]
        public SwitchParameter IncludeUnmanaged { get; set; }

        protected override void ProcessRecord()
        {
            VdcContext context = ResolveContext();
            var service = new TenantService(context);
            IEnumerable<TenantRecord> projects;
            try
            {
                if (ParameterSetName == IdSet)
                {
                    var found = new List<TenantRecord>();
                    foreach (string id in Id!)
                    {
                        TenantRecord? project = RunAsync((_, ct) => service.FindAsync(id, null, DomainId, ct));
                        if (project == null)
                        {
                            WriteError(new ItemNotFoundException($"No tenant with id '{id}'."), ErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound, id);
                        }
                        else
                        {
                            found.Add(project);
                        }
                    }

                    projects = found;
                }
                else
                {
                    // One request (Keystone does not page projects): it filters domain and enabled; names,
                    // plans and customers are matched here, case-insensitively, whatever Keystone's database collation.
                    projects = RunAsync((_, ct) => service.ListAsync(DomainId, Enabled, null, ct));
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                ThrowTerminatingError(TenantError(e, DomainId));
                return;
            }

            List<WildcardPattern>? names = Patterns(Name);
            List<WildcardPattern>? plans = Patterns(Plan);
            List<WildcardPattern>? customers = Patterns(CustomerId);
            var matchedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var terminatedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (TenantRecord project in projects.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
            {
                // terminated tenants are found by the name they had (their project is vdcps-terminated-<id>)
                if (names != null && !names.Any(p => p.IsMatch(project.TenantName)))
                {
                    continue;
                }

                VdcTenant tenant;
                try
                {
                    tenant = project.ToTenant(context.Name);
                }
                catch (TenantRecordDamagedException e)
                {
                    // Reported, never shown as if nothing were wrong; the other tenants follow.
                    matchedNames.Add(project.TenantName);
                    WriteError(TenantError(e, project.Name));
                    continue;
                }

                // Terminated tenants only when asked for by -State (or by id): every pipeline from
                // Get-VdcTenant into a change acts on live tenants, and a reused name means the live one.
                if (tenant.State == VdcTenantState.Terminated && ParameterSetName != IdSet && (State == null || !State.Contains(VdcTenantState.Terminated)))
                {
                    terminatedNames.Add(tenant.Name);
                    continue;
                }

                if ((tenant.State == VdcTenantState.Unmanaged && !IncludeUnmanaged && ParameterSetName != IdSet)
                    || (plans != null && !plans.Any(p => p.IsMatch(tenant.Plan)))
                    || (customers != null && !customers.Any(p => p.IsMatch(tenant.CustomerId)))
                    || (State != null && !State.Contains(tenant.State))
                    || (Enabled.HasValue && tenant.Enabled != Enabled.Value))
                {
                    continue;
                }

                matchedNames.Add(tenant.Name);
                TenantNameCompleter.Remember(context, tenant.Name);
                WriteObject(tenant);
            }

            foreach (string name in Name?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)) ?? Enumerable.Empty<string>())
            {
                if (!matchedNames.Contains(name))
                {
                    bool terminated = terminatedNames.Contains(name);
                    WriteError(new ItemNotFoundException($"Tenant '{name}' was not found in domain '{DomainId}'{(terminated ? " (only a terminated tenant of that name, which Get-VdcTenant lists with -State Terminated)" : string.Empty)}."),
                        ErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound, name,
                        terminated ? $"Get-VdcTenant -Name '{name}' -State Terminated shows the terminated tenant." : "Get-VdcTenant without -Name lists the tenants.");
                }
            }
        }

        private static List<WildcardPattern>? Patterns(string[]? values)
            => values?.Select(v => WildcardPattern.Get(v, WildcardOptions.IgnoreCase)).ToList();
    }
}
