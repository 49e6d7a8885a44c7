using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using VdcPS.Internal;

namespace VdcPS.Completers
{
    /// <summary>Completes the names of this runspace's contexts.</summary>
    public sealed class ContextNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionHelper.Complete(ContextStore.All.Select(c => c.Name), wordToComplete);
    }

    internal static class CompletionHelper
    {
        /// <summary>Names that start with the word typed so far, quoted when they need it.</summary>
        internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? wordToComplete)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            WildcardPattern pattern = WildcardPattern.Get(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
            foreach (string name in names.Distinct().OrderBy(n => n, System.StringComparer.OrdinalIgnoreCase))
            {
                if (pattern.IsMatch(name))
                {
                    string text = name.IndexOfAny(new[] { ' ', '\t', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '@', '#' }) >= 0
                        ? "'" + name.Replace("'", "''") + "'"
                        : name;
                    yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
                }
            }
        }
    }
}
