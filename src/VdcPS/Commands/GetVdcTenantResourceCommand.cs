using System;
using System.Collections.Generic;
using System.Management.Automation;
using VdcPS.Models;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Lists what a tenant's project (and its user) owns, in the order Remove-VdcTenant would delete
    /// it: one flat object per resource (service, type, id, name, status, dependency level). Reads
    /// only; changes nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "VdcTenantResource", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(VdcTenantResource))]
    public sealed class GetVdcTenantResourceCommand : VdcTenantTargetCmdlet
    {
        protected override void ProcessRecord()
        {
            VdcContext context = ResolveContext();
            var service = new TenantService(context);
            foreach (var target in Targets())
            {
                var project = Resolve(service, target);
                if (project == null)
                {
                    continue;
                }

                IReadOnlyList<VdcTenantResource> resources;
                try
                {
                    resources = RunAsync((_, ct) => service.ResourcesAsync(project, context.Name, ct));
                }
                catch (PipelineStoppedException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    WriteError(TenantError(e, target.Label));
                    continue;
                }

                WriteVerbose($"Tenant '{project.TenantName}' ({project.Id}) owns {resources.Count} resource(s).");
                foreach (VdcTenantResource resource in resources)
                {
                    WriteObject(resource);
                }
            }
        }
    }
}
