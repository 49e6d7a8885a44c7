using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Contexts;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>
    /// Makes another of the runspace's contexts the current one, without reconnecting (Az's
    /// Select-AzContext). Also brings a context object passed with $using: into a parallel runspace.
    /// </summary>
    [Cmdlet(VerbsCommon.Select, "VdcContext", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(VdcContext))]
    public sealed class SelectVdcContextCommand : VdcCmdlet
    {
        private const string NameSet = "Name";
        private const string InputObjectSet = "InputObject";

        /// <summary>The name of the context to make current.</summary>
        [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, HelpMessage = "Name of a context (Get-VdcContext -ListAvailable)")]
        [ArgumentCompleter(typeof(ContextNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The context to make current (from Get-VdcContext, Connect-VdcCloud or $using:).</summary>
        [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
        [ContextArgument]
        [ValidateNotNull]
        public VdcContext? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            VdcContext? context = InputObject ?? ContextResolver.Find(Name!);
            if (context == null)
            {
                WriteError(new ItemNotFoundException(ContextResolver.NotFoundMessage(Name!)), ErrorIds.ContextNotFound, ErrorCategory.ObjectNotFound, Name,
                    "Get-VdcContext -ListAvailable lists the contexts; Connect-VdcCloud makes one.");
                return;
            }

            if (!ShouldProcess($"context '{context.Name}' ({context.UserName} at {context.AuthUrl})", "Make current"))
            {
                return;
            }

            ContextStore.Select(context);
            context.IsCurrent = true;
            WriteVerbose($"The current context is now '{context.Name}' ({context.ScopeType} scope '{context.Scope}').");
            WriteObject(context);
        }
    }
}
