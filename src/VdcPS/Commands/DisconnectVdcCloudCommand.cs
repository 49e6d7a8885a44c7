using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Completers;
using VdcPS.Contexts;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>
    /// Closes connections: revokes the token VdcPS obtained (a token you passed in is left
    /// alone), forgets the context, and clears the current context if it was this one.
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "VdcCloud", DefaultParameterSetName = CurrentSet, SupportsShouldProcess = true)]
    [OutputType(typeof(void))]
    public sealed class DisconnectVdcCloudCommand : VdcCmdlet
    {
        private const string CurrentSet = "Current";
        private const string ContextSet = "Context";
        private const string NameSet = "Name";
        private const string AllSet = "All";

        [Parameter(ParameterSetName = ContextSet, Mandatory = true, ValueFromPipeline = true, Position = 0)]
        [Contexts.ContextArgument]
        [ArgumentCompleter(typeof(Completers.ContextNameCompleter))]
        [ValidateNotNull]
        public VdcContext[]? Context { get; set; }

        [Parameter(ParameterSetName = NameSet, Mandatory = true)]
        [ArgumentCompleter(typeof(ContextNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        [Parameter(ParameterSetName = AllSet, Mandatory = true)]
        public SwitchParameter All { get; set; }

        private readonly List<VdcContext> _targets = new List<VdcContext>();

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case ContextSet:
                    _targets.AddRange(Context!);
                    break;
                case NameSet:
                    foreach (string name in Name!)
                    {
                        WildcardPattern pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                        List<VdcContext> matches = ContextStore.All.Where(c => pattern.IsMatch(c.Name)).ToList();
                        if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                        {
                            WriteError(new ItemNotFoundException($"No context named '{name}' in this session."), ErrorIds.ContextNotFound, ErrorCategory.ObjectNotFound, name);
                        }

                        _targets.AddRange(matches);
                    }

                    break;
                case AllSet:
                    _targets.AddRange(ContextStore.All);
                    break;
                default:
                    VdcContext? current = ContextStore.Current;
                    if (current != null)
                    {
                        _targets.Add(current);
                    }
                    else
                    {
                        WriteVerbose("Not connected: nothing to disconnect.");
                    }

                    break;
            }
        }

        protected override void EndProcessing()
        {
            foreach (VdcContext context in _targets.Distinct())
            {
                if (!ShouldProcess($"context '{context.Name}' ({context.UserName} at {context.AuthUrl})", "Disconnect"))
                {
                    continue;
                }

                try
                {
                    RunAsync((output, token) => ConnectionService.RevokeAsync(context, token));
                    WriteVerbose(context.CanRenewToken ? $"Revoked the token of context '{context.Name}'." : $"Left the caller's token of context '{context.Name}' valid.");
                }
                catch (PipelineStoppedException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    // The context is forgotten anyway: a token that cannot be revoked expires by itself.
                    WriteWarning($"Could not revoke the token of context '{context.Name}': {ErrorFactory.Unwrap(e).Message}");
                }

                ContextStore.Remove(context);
                context.IsCurrent = false;
                ConnectionService.Close(context);
            }
        }
    }
}
