using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using VdcPS.Config;

namespace VdcPS.Completers
{
    /// <summary>Completes cloud names from clouds.yaml (the same files the openstack CLI reads).</summary>
    public sealed class CloudNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionHelper.Complete(CloudConfigLoader.GetCloudNames(new SystemEnvironmentReader(CurrentLocation())), wordToComplete);

        /// <summary>PowerShell's current folder: ./clouds.yaml is looked up there, as the CLI does in its cwd.</summary>
        private static string? CurrentLocation()
        {
            try
            {
                return System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
            }
            catch (System.Exception)
            {
                return null;
            }
        }
    }
}
