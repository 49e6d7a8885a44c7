using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using VdcPS.Models;

namespace VdcPS.Internal
{
    /// <summary>
    /// The contexts of each runspace and which one is current. Per runspace, so that parallel
    /// runspaces (ForEach-Object -Parallel, thread jobs) never share or overwrite each other's
    /// connection by accident. Nothing is persisted.
    /// </summary>
    internal static class ContextStore
    {
        private static readonly ConditionalWeakTable<Runspace, RunspaceContexts> Table = new ConditionalWeakTable<Runspace, RunspaceContexts>();
        private static readonly RunspaceContexts NoRunspace = new RunspaceContexts();

        internal sealed class RunspaceContexts
        {
            internal readonly List<VdcContext> All = new List<VdcContext>();
            internal VdcContext? Current;
        }

        private static RunspaceContexts ForCurrentRunspace()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            return runspace == null ? NoRunspace : Table.GetValue(runspace, _ => new RunspaceContexts());
        }

        internal static VdcContext? Current
        {
            get
            {
                RunspaceContexts contexts = ForCurrentRunspace();
                lock (contexts)
                {
                    return contexts.Current;
                }
            }
        }

        internal static IReadOnlyList<VdcContext> All
        {
            get
            {
                RunspaceContexts contexts = ForCurrentRunspace();
                lock (contexts)
                {
                    return contexts.All.ToArray();
                }
            }
        }

        /// <summary>Adds a context; a context of the same name is replaced and returned so it can be closed.</summary>
        internal static VdcContext? Add(VdcContext context, bool makeCurrent)
        {
            RunspaceContexts contexts = ForCurrentRunspace();
            lock (contexts)
            {
                VdcContext? replaced = contexts.All.Find(c => string.Equals(c.Name, context.Name, System.StringComparison.OrdinalIgnoreCase));
                if (replaced != null)
                {
                    contexts.All.Remove(replaced);
                    if (ReferenceEquals(contexts.Current, replaced))
                    {
                        contexts.Current = null;
                    }
                }

                contexts.All.Add(context);
                if (makeCurrent || contexts.Current == null)
                {
                    contexts.Current = context;
                }

                return replaced;
            }
        }

        internal static bool Remove(VdcContext context)
        {
            RunspaceContexts contexts = ForCurrentRunspace();
            lock (contexts)
            {
                bool removed = contexts.All.Remove(context);
                if (ReferenceEquals(contexts.Current, context))
                {
                    contexts.Current = null;
                }

                return removed;
            }
        }

        /// <summary>
        /// Makes a context the current one without reconnecting. A context object from another
        /// runspace (ForEach-Object -Parallel's $using:) joins this runspace's list first; it keeps
        /// sharing its session (and token) with the runspace that made it.
        /// </summary>
        internal static void Select(VdcContext context)
        {
            RunspaceContexts contexts = ForCurrentRunspace();
            lock (contexts)
            {
                if (!contexts.All.Contains(context))
                {
                    contexts.All.RemoveAll(c => string.Equals(c.Name, context.Name, System.StringComparison.OrdinalIgnoreCase));
                    contexts.All.Add(context);
                }

                contexts.Current = context;
            }
        }

        internal static bool IsCurrent(VdcContext context) => ReferenceEquals(Current, context);
    }
}
