using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Completers
{
    /// <summary>
    /// Completes tenant names from the names this session has already seen (Get-VdcTenant,
    /// New-VdcTenant fill the cache): never a network call per keystroke.
    /// </summary>
    public sealed class TenantNameCompleter : IArgumentCompleter
    {
        private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> Seen =
            new ConcurrentDictionary<string, ConcurrentDictionary<string, byte>>(StringComparer.OrdinalIgnoreCase);

        internal static void Remember(VdcContext context, string name)
            => Seen.GetOrAdd(context.Name, _ => new ConcurrentDictionary<string, byte>(StringComparer.OrdinalIgnoreCase))[name] = 0;

        internal static void Forget(VdcContext context, string name)
        {
            if (Seen.TryGetValue(context.Name, out ConcurrentDictionary<string, byte>? names))
            {
                names.TryRemove(name, out _);
            }
        }

        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            VdcContext? context = (fakeBoundParameters?["Context"] as PSObject)?.BaseObject as VdcContext
                ?? fakeBoundParameters?["Context"] as VdcContext
                ?? ContextStore.Current;
            if (context == null || !Seen.TryGetValue(context.Name, out ConcurrentDictionary<string, byte>? names))
            {
                return Enumerable.Empty<CompletionResult>();
            }

            return CompletionHelper.Complete(names.Keys, wordToComplete);
        }
    }
}
