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
            => CompletionHelper.Complete(CloudConfigLoader.GetCloudNames(new SystemEnvironmentReader()), wordToComplete);
    }
}
