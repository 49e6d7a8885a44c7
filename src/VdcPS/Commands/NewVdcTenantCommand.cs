using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;
using VdcPS.Plans;
using VdcPS.Quotas;
using VdcPS.Tenants;

namespace VdcPS.Commands
{
    /// <summary>
    /// Provisions a VDC tenant from a plan in one step: Keystone project and user, the plan's role,
    /// and every quota of the plan on Nova, Cinder and Neutron. A failure at any step undoes what was
    /// done; rerunning the same command completes a tenant an interrupted run left half-made.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "VdcTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VdcTenant))]
    public sealed class NewVdcTenantCommand : VdcTenantCmdlet
    {
        internal static readonly Regex NamePattern = new Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.Compiled);
        private static readonly Regex CustomerPattern = new Regex("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$", RegexOptions.Compiled);
        private static readonly Regex EmailPattern = new Regex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.Compiled);
        private readonly HashSet<string> _seenInThisPipeline = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Tenant (project) name: letters, digits, '.', '_', '-'; 1 to 64 characters.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, HelpMessage = "The tenant's name (the Keystone project name)")]
        [Alias("TenantName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VDC plan the customer bought")]
        [ArgumentCompleter(typeof(PlanNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Plan { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The customer's id in your billing system")]
        [Alias("Customer")]
        [ValidateNotNullOrEmpty]
        public string CustomerId { get; set; } = string.Empty;

        /// <summary>The tenant's first user; default: the tenant name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? UserName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("EmailAddress", "Mail")]
        public string? Email { get; set; }

        /// <summary>The user's password; when omitted a strong one is generated and returned once.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        /// <summary>Quota values within the plan's bounds: @{ cores = 16; 'block-storage.gigabytes' = 500 }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Quota { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DomainId { get; set; } = "default";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        /// <summary>When the customer's contract started (default: now). For customers moved into VdcPS whose contract began earlier; billing starts here.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? ActivatedAt { get; set; }

        /// <summary>Take over a tenant whose provisioning another run started less than two minutes ago (after a crash).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Most tenants provisioned at a time (from the pipeline); results keep the input order.</summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 1;

        private OrderedWindow<Provisioned>? _window;
        private CancellationTokenSource? _stop;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private long _lastProgress = -1000;
        private bool _progressShown;
        private int _done;

        /// <summary>One tenant's provisioning: its inputs and what came of it (never thrown: kept here).</summary>
        private sealed class Provisioned
        {
            public VdcContext Context = null!;
            public string Name = string.Empty;
            public List<QuotaTarget> Quotas = null!;
            public TenantCreated? Created;
            public Exception? Error;
        }

        protected override void EndProcessing()
        {
            while (EmitNext(wait: true))
            {
            }

            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(2, "Provisioning tenants", "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        protected override void ProcessRecord()
        {
            VdcContext context = ResolveContext();
            string userName = string.IsNullOrEmpty(UserName) ? Name : UserName!;

            // 1. everything that can be checked without the cloud, before anything is sent
            var problems = new List<string>();
            if (!NamePattern.IsMatch(Name))
            {
                problems.Add($"Tenant name '{Name}' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }

            if (!NamePattern.IsMatch(userName))
            {
                problems.Add($"User name '{userName}' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }

            if (!CustomerPattern.IsMatch(CustomerId))
            {
                problems.Add($"Customer id '{CustomerId}' is not valid: use 1 to 64 letters, digits, '.', '_', ':', '/' or '-'.");
            }

            if (ActivatedAt.HasValue && (ActivatedAt.Value.ToUniversalTime() > DateTime.UtcNow.AddMinutes(5) || ActivatedAt.Value.Year < 2000))
            {
                problems.Add($"Activation time {ActivatedAt.Value.ToUniversalTime():u} is not valid: it must not be in the future.");
            }

            if (!string.IsNullOrEmpty(Email) && !EmailPattern.IsMatch(Email!))
            {
                problems.Add($"E-mail address '{Email}' is not valid.");
            }

            PlanCatalog catalog = LoadCatalog(CatalogPath, context);
            PlanDefinition? plan = catalog.Find(Plan);
            if (plan == null)
            {
                WriteError(new ItemNotFoundException($"Plan '{Plan}' is not in the catalog {catalog.Path}. Plans: {string.Join(", ", catalog.Plans.Select(p => p.Name))}."),
                    ErrorIds.PlanNotFound, ErrorCategory.ObjectNotFound, Plan, "Get-VdcPlan lists the plans.");
                return;
            }

            List<QuotaTarget> overrides = QuotaTargetCalculator.ParseOverrides(Quota, problems);
            List<QuotaTarget> quotas = QuotaTargetCalculator.Targets(plan, overrides, problems);
            if (problems.Count > 0)
            {
                bool quotaProblem = problems.Any(p => p.StartsWith("Quota", StringComparison.Ordinal));
                WriteError(new ArgumentException(string.Join(Environment.NewLine, problems)),
                    quotaProblem ? ErrorIds.QuotaOutOfPlan : ErrorIds.TenantInputInvalid, ErrorCategory.InvalidArgument, Name);
                return;
            }

            if (!_seenInThisPipeline.Add(DomainId + "/" + Name))
            {
                WriteError(new ArgumentException($"Tenant '{Name}' appears more than once in the input: only the first is provisioned."),
                    ErrorIds.TenantInputInvalid, ErrorCategory.InvalidArgument, Name, "Remove the duplicate row.");
                return;
            }

            string target = $"tenant '{Name}' (plan '{plan.Name}', customer '{CustomerId}', user '{userName}') in {context.Name}";
            if (!ShouldProcess(target, "Create"))
            {
                return;
            }

            var request = new TenantRequest
            {
                Name = Name,
                Plan = plan,
                CustomerId = CustomerId,
                UserName = userName,
                Email = Email,
                Password = Password,
                DomainId = DomainId,
                Description = Description ?? $"{plan.DisplayName} for customer {CustomerId}",
                Quotas = quotas,
                TakeOver = Force.IsPresent,
                ActivatedAt = ActivatedAt,
            };
            var item = new Provisioned { Context = context, Name = Name, Quotas = quotas };
            if (ThrottleLimit == 1)
            {
                // One at a time (the default): the work's messages are written as they come.
                try
                {
                    item.Created = RunAsync((_, ct) => new TenantService(context).CreateAsync(request, ct));
                }
                catch (PipelineStoppedException)
                {
                    Journal(context, Name, "Stopped", null, null, "Stopped by the user; what this run had done was rolled back.");
                    throw;
                }
                catch (Exception e)
                {
                    item.Error = e;
                }

                Complete(item);
                return;
            }

            // Bounded concurrency: at most ThrottleLimit tenants in flight, results in input order.
            _stop ??= CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            _window ??= new OrderedWindow<Provisioned>(ThrottleLimit);
            while (_window.IsFull)
            {
                EmitNext(wait: true);
            }

            _window.Start(async ct =>
            {
                try
                {
                    item.Created = await new TenantService(context).CreateAsync(request, ct).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    item.Error = e;
                }

                return item;
            }, _stop.Token);
            while (EmitNext(wait: false))
            {
            }
        }

        /// <summary>Writes the head of the window (waiting for it when asked); false when there was nothing to write.</summary>
        private bool EmitNext(bool wait)
        {
            if (_window == null)
            {
                return false;
            }

            Provisioned item;
            BufferedOutput output;
            try
            {
                bool got = wait ? _window.TakeNext(_stop!.Token, out item, out output) : _window.TryTakeCompleted(out item, out output);
                if (!got)
                {
                    return false;
                }
            }
            catch (OperationCanceledException) when (_stop!.IsCancellationRequested)
            {
                DrainAfterStop();
                throw new PipelineStoppedException();
            }

            try
            {
                output.Replay(this);
                Complete(item);
            }
            catch
            {
                // The pipeline is stopping (Ctrl+C, a write that failed): cancel the rest, let it roll back.
                _stop!.Cancel();
                DrainAfterStop();
                throw;
            }

            return true;
        }

        /// <summary>After a stop: waits for the tenants still in flight to finish their rollback, and journals them.</summary>
        private void DrainAfterStop()
        {
            while (_window != null && _window.Count > 0)
            {
                Provisioned item;
                try
                {
                    _window.TakeNext(CancellationToken.None, out item, out _);
                }
                catch (Exception)
                {
                    continue;
                }

                Journal(item.Context, item.Name, item.Created != null ? "Created" : "Stopped", null, null,
                    item.Created != null ? "Completed before the stop." : "Stopped by the user; what this run had done was rolled back.");
            }
        }

        /// <summary>Journals one tenant's outcome and writes it (the tenant, or its error), then shows progress.</summary>
        private void Complete(Provisioned item)
        {
            VdcContext context = item.Context;
            _done++;
            ShowProgress(item.Name);
            if (item.Error != null)
            {
                if (item.Error is OperationCanceledException && CancellationToken.IsCancellationRequested)
                {
                    Journal(context, item.Name, "Stopped", null, null, "Stopped by the user; what this run had done was rolled back.");
                    throw new PipelineStoppedException();
                }

                ErrorRecord error = TenantError(item.Error, item.Name);
                Journal(context, item.Name, "Failed", null, null, ErrorFactory.Unwrap(item.Error).Message);
                WriteError(error);
                return;
            }

            TenantCreated created = item.Created!;
            VdcTenant tenant = created.Tenant.ToTenant(context.Name);
            TenantNameCompleter.Remember(context, tenant.Name);
            if (!created.AlreadyComplete)
            {
                AuditSnapshot after = created.Tenant.Snapshot();
                after["quotas"] = QuotaTarget.Snapshot(item.Quotas);
                Journal(context, item.Name, created.Resumed ? "Completed" : "Created", null, after);
                if (created.Password != null)
                {
                    tenant.Credential = new PSCredential(tenant.UserName, new NetworkCredential(string.Empty, created.Password).SecurePassword);
                }
            }

            WriteObject(tenant);
        }

        private void ShowProgress(string name)
        {
            // Only on runs of more than one tenant that take a while, at most 4 times a second.
            long now = _clock.ElapsedMilliseconds;
            if (_done < 2 || now < 1000 || now - _lastProgress < 250)
            {
                return;
            }

            _lastProgress = now;
            _progressShown = true;
            WriteProgress(new ProgressRecord(2, "Provisioning tenants", $"{_done} tenants done ({name})"));
        }
    }
}
