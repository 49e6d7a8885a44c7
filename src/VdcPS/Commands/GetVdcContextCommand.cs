using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>Shows the current connection, or all connections of this runspace.</summary>
    [Cmdlet(VerbsCommon.Get, "VdcContext", DefaultParameterSetName = CurrentSet)]
    [OutputType(typeof(VdcContext))]
    public sealed class GetVdcContextCommand : VdcCmdlet
    {
        private const string CurrentSet = "Current";
        private const string ListSet = "List";

        /// <summary>Contexts by name (wildcards allowed).</summary>
        [Parameter(ParameterSetName = ListSet, Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContextNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>All contexts of this runspace, not only the current one.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter ListAvailable { get; set; }

        protected override void EndProcessing()
        {
            IEnumerable<VdcContext> contexts;
            if (ParameterSetName == CurrentSet)
            {
                VdcContext? current = ContextStore.Current;
                if (current == null)
                {
                    WriteVerbose("Not connected: run Connect-VdcCloud.");
                    return;
                }

                contexts = new[] { current };
            }
            else
            {
                contexts = ContextStore.All;
                if (Name != null)
                {
                    var patterns = Name.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
                    contexts = contexts.Where(c => patterns.Any(p => p.IsMatch(c.Name))).ToList();
                    foreach (string name in Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
                    {
                        if (!contexts.Any(c => string.Equals(c.Name, name, System.StringComparison.OrdinalIgnoreCase)))
                        {
                            WriteError(new ItemNotFoundException($"No context named '{name}' in this session. Get-VdcContext -ListAvailable lists them."),
                                ErrorIds.ContextNotFound, ErrorCategory.ObjectNotFound, name);
                        }
                    }
                }
            }

            foreach (VdcContext context in contexts)
            {
                context.IsCurrent = ContextStore.IsCurrent(context);
                WriteObject(context);
            }
        }
    }
}
