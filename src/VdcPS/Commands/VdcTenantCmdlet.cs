using System;
using System.Collections.Generic;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>Shared by the tenant cmdlets: plan catalog, tenant lookup, audit journal, error mapping.</summary>
    public abstract class VdcTenantCmdlet : VdcApiCmdlet
    {
        private PlanCatalog? _catalog;

        /// <summary>Writes one audit journal entry; a journal that cannot be written becomes a warning.</summary>
        internal void Journal(VdcContext context, string target, string outcome, AuditSnapshot? before, AuditSnapshot? after, string? message = null)
        {
            string? problem = AuditJournal.Write(
                context.UserName + "@" + context.Scope, context.Name, MyInvocation.MyCommand.Name, target, outcome, before, after, message);
            if (problem != null)
            {
                WriteWarning(problem);
            }
        }

        /// <summary>
        /// A journal writer for the end of a change, called by the tenant's lease while it is still
        /// held, so that the journal lists the changes of one tenant in the order they were made. It
        /// runs off the pipeline thread: a journal problem becomes a warning through the operation log.
        /// <paramref name="entry"/> returns null when there is nothing to record (nothing changed).
        /// </summary>
        internal Action<T> JournalWhileHeld<T>(VdcContext context, string target, Func<T, (string Outcome, AuditSnapshot? Before, AuditSnapshot? After)?> entry, string? message = null)
        {
            string operatorName = context.UserName + "@" + context.Scope;
            string command = MyInvocation.MyCommand.Name;
            return result =>
            {
                var e = entry(result);
                if (e == null)
                {
                    return;
                }

                string? problem = AuditJournal.Write(operatorName, context.Name, command, target, e.Value.Outcome, e.Value.Before, e.Value.After, message);
                if (problem != null)
                {
                    OperationLog.Warning(problem);
                }
            };
        }

        /// <summary>The plan catalog, found by the documented rule (parameter, VDCPS_PLAN_CATALOG, cloud, home); read once per command.</summary>
        internal PlanCatalog LoadCatalog(string? catalogPath, VdcContext? context)
            => _catalog ??= LoadPlanCatalog(catalogPath, context);

        /// <summary>Maps a failure of a tenant operation to an error record with the right id.</summary>
        internal ErrorRecord TenantError(Exception exception, object target)
        {
            exception = ErrorFactory.Unwrap(exception);
            switch (exception)
            {
                case TenantRefusedException refused:
                    return ErrorFactory.Create(refused, refused.ErrorId, refused.Category, target, refused.RecommendedAction);
                case TenantRecordDamagedException damaged:
                    return ErrorFactory.Create(damaged, ErrorIds.TenantRecordDamaged, ErrorCategory.InvalidData, target, damaged.RecommendedAction);
                case VdcOperationFailedException failed when failed.InnerException is TenantRecordDamagedException damaged:
                    return ErrorFactory.Create(failed, ErrorIds.TenantRecordDamaged, ErrorCategory.InvalidData, target, damaged.RecommendedAction);
                case VdcOperationFailedException failed when failed.InnerException is TenantRefusedException inner:
                    return ErrorFactory.Create(failed, inner.ErrorId, inner.Category, target, inner.RecommendedAction);
                case VdcOperationFailedException failed when failed.InnerException is QuotaChangedConcurrentlyException:
                    return ErrorFactory.Create(failed, ErrorIds.QuotaChangedConcurrently, ErrorCategory.ResourceBusy, target,
                        "Check the tenant's quotas (Get-VdcQuota) and agree with whoever changes them by hand; then run the command again if its values are still wanted.");
                case VdcOperationFailedException failed when failed.InnerException is QuotaNotAppliedException:
                    return ErrorFactory.Create(failed, ErrorIds.QuotaNotApplied, ErrorCategory.InvalidResult, target,
                        "Check whether the cloud enforces Keystone unified limits.");
                case VdcOperationFailedException failed:
                    {
                        ErrorRecord inner = ErrorFactory.FromException(failed.InnerException ?? failed, ErrorIds.TenantOperationFailed, target);
                        return ErrorFactory.Create(failed, ErrorIds.TenantOperationFailed, inner.CategoryInfo.Category, target,
                            string.IsNullOrEmpty(failed.NotRolledBack) ? "Fix the cause and run the command again." : "Remove what could not be rolled back, or run the command again.");
                    }

                case EndpointNotFoundException:
                    return ErrorFactory.FromException(exception, ErrorIds.EndpointNotFound, target);
                default:
                    return ErrorFactory.FromException(exception, ErrorIds.TenantOperationFailed, target);
            }
        }
    }

    /// <summary>
    /// Tenant cmdlets that take existing tenants by id (the Id set) or as objects from the pipeline
    /// (the InputObject set); how they take names (the Name set, with its DomainId) is said by the two
    /// bases below. Get-VdcTenant and Get-VdcUsage declare their own: they have no InputObject set and
    /// bind Id and DomainId in other sets.
    /// </summary>
    public abstract class VdcTenantInputCmdlet : VdcTenantCmdlet
    {
        protected const string NameSet = "Name";
        protected const string IdSet = "Id";
        protected const string InputObjectSet = "InputObject";

        [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TenantId", "ProjectId")]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public VdcTenant[]? InputObject { get; set; }

        /// <summary>The names given in the Name set (null: none given).</summary>
        protected abstract string[]? NamesGiven { get; }

        /// <summary>The targets of this pipeline object: (id or null, name or null, label for messages).</summary>
        internal IEnumerable<(string? Id, string? Name, string Label)> Targets()
        {
            switch (ParameterSetName)
            {
                case IdSet:
                    foreach (string id in Id!)
                    {
                        yield return (id, null, id);
                    }

                    break;
                case InputObjectSet:
                    foreach (VdcTenant tenant in InputObject!)
                    {
                        yield return (string.IsNullOrEmpty(tenant.Id) ? null : tenant.Id, tenant.Name, tenant.Name);
                    }

                    break;
                default:
                    foreach (string name in NamesGiven ?? Array.Empty<string>())
                    {
                        yield return (null, name, name);
                    }

                    break;
            }
        }
    }

    /// <summary>Tenant cmdlets that read tenants given by name (wildcards; none: every tenant), id or object.</summary>
    public abstract class VdcTenantSelectionCmdlet : VdcTenantInputCmdlet
    {
        /// <summary>Tenant names (wildcards allowed); default: every tenant VdcPS manages in the domain.</summary>
        [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TenantName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completers.TenantNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        [Parameter(ParameterSetName = NameSet)]
        [ValidateNotNullOrEmpty]
        public string DomainId { get; set; } = "default";

        protected override string[]? NamesGiven => Name;
    }

    /// <summary>Tenant cmdlets that act on existing tenants given by object, id or exact name.</summary>
    public abstract class VdcTenantTargetCmdlet : VdcTenantInputCmdlet
    {
        [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TenantName")]
        [ArgumentCompleter(typeof(Completers.TenantNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>The Keystone domain of tenants given by name.</summary>
        [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DomainId { get; set; } = "default";

        protected override string[]? NamesGiven => Name;

        /// <summary>Looks a target up; writes TenantNotFound / TenantNotManaged and returns null when unusable.</summary>
        internal TenantRecord? Resolve(TenantService service, (string? Id, string? Name, string Label) target, bool requireManaged = true)
        {
            TenantRecord? project;
            try
            {
                project = RunAsync((_, ct) => service.FindAsync(target.Id, target.Name, DomainId, ct));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e)
            {
                WriteError(TenantError(e, target.Label));
                return null;
            }

            return Accept(project, target, requireManaged);
        }

        /// <summary>The checks of <see cref="Resolve"/> on a project already looked up (null: not found).</summary>
        internal TenantRecord? Accept(TenantRecord? project, (string? Id, string? Name, string Label) target, bool requireManaged = true)
        {
            if (project == null)
            {
                WriteError(new ItemNotFoundException($"Tenant '{target.Label}' was not found{(target.Id == null ? $" in domain '{DomainId}'" : string.Empty)}."),
                    ErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound, target.Label, "Get-VdcTenant lists the tenants.");
                return null;
            }

            if (requireManaged && !project.Managed)
            {
                WriteError(new InvalidOperationException($"Project '{project.Name}' ({project.Id}) was not created by VdcPS: VdcPS does not change it."),
                    ErrorIds.TenantNotManaged, ErrorCategory.InvalidOperation, target.Label);
                return null;
            }

            try
            {
                TenantRecord.Validate(project);
            }
            catch (TenantRecordDamagedException e)
            {
                WriteError(TenantError(e, target.Label));
                return null;
            }

            return project;
        }
    }
}
