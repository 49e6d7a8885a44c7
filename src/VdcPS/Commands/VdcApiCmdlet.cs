using System;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>Base of the cmdlets that talk to a cloud: adds -Context and resolves it.</summary>
    public abstract class VdcApiCmdlet : VdcCmdlet
    {
        /// <summary>The connection to use; the runspace's current context when omitted.</summary>
        [Parameter]
        [Contexts.ContextArgument]
        [ArgumentCompleter(typeof(Completers.ContextNameCompleter))]
        [ValidateNotNull]
        public VdcContext? Context { get; set; }

        /// <summary>The explicit -Context, else the current one; a terminating error when there is none.</summary>
        internal VdcContext ResolveContext()
        {
            VdcContext? context = Context ?? ContextStore.Current;
            if (context == null)
            {
                ThrowTerminating(
                    new InvalidOperationException("There is no connection to an OpenStack cloud in this session."),
                    ErrorIds.NoVdcContext,
                    ErrorCategory.ConnectionError,
                    null,
                    "Run Connect-VdcCloud first, or pass a context with -Context.");
            }

            return context!;
        }

        /// <summary>
        /// Checks a -SystemContext parameter (Keystone unified limits need a system-scoped token):
        /// null is fine, any other scope is a terminating error.
        /// </summary>
        internal void RequireSystemScope(VdcContext? systemContext)
        {
            if (systemContext != null && systemContext.ScopeType != VdcScopeType.System)
            {
                ThrowTerminating(new ArgumentException($"-SystemContext '{systemContext.Name}' is scoped to {systemContext.Scope}, not to the system."),
                    ErrorIds.QuotaInputInvalid, ErrorCategory.InvalidArgument, systemContext.Name, "Connect with 'Connect-VdcCloud -System -NoSetCurrent' and pass that context.");
            }
        }
    }
}
