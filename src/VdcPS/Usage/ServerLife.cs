using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Openstack.Compute;

namespace VdcPS.Usage
{
    /// <summary>The size a server ran at: what its flavor gives it.</summary>
    internal sealed class LifeFlavor
    {
        public LifeFlavor(string name, decimal vcpus, decimal memoryMb, decimal localGb)
        {
            Name = name;
            Vcpus = vcpus;
            MemoryMb = memoryMb;
            LocalGb = localGb;
        }

        public string Name { get; }
        public decimal Vcpus { get; }
        public decimal MemoryMb { get; }
        public decimal LocalGb { get; }
    }

    /// <summary>What a step of a server's life does to its bill.</summary>
    internal enum LifeStep
    {
        /// <summary>The server starts to exist (Nova action "create"); carries the first flavor.</summary>
        Create,

        /// <summary>The flavor changes from this time on (resize finished, or reverted); carries the new flavor.</summary>
        FlavorChange,

        /// <summary>The server leaves its host (shelve, shelveOffload): no instance, vCPU, RAM or disk hours until it returns.</summary>
        Offload,

        /// <summary>The server is placed on a host again (unshelve).</summary>
        Return,

        /// <summary>The server is gone (delete).</summary>
        Delete,

        /// <summary>Does not change the bill (rebuild, rescue, unrescue, stop, start, reboot, confirmResize, ...): it still holds its host.</summary>
        Neutral,
    }

    /// <summary>One dated step of a server's life.</summary>
    internal sealed class LifeEvent
    {
        public LifeEvent(DateTime at, LifeStep step, LifeFlavor? flavor = null)
        {
            At = at;
            Step = step;
            Flavor = flavor;
        }

        public DateTime At { get; }
        public LifeStep Step { get; }

        /// <summary>For <see cref="LifeStep.Create"/> and <see cref="LifeStep.FlavorChange"/>: the flavor from <see cref="At"/> on.</summary>
        public LifeFlavor? Flavor { get; }
    }

    /// <summary>One billed stretch of a server's life, clipped to the period, at one flavor.</summary>
    internal sealed class LifeInterval
    {
        public LifeInterval(DateTime from, DateTime to, LifeFlavor flavor)
        {
            From = from;
            To = to;
            Flavor = flavor;
        }

        public DateTime From { get; }
        public DateTime To { get; }
        public LifeFlavor Flavor { get; }
        public decimal Hours => (decimal)(To - From).Ticks / TimeSpan.TicksPerHour;
    }

    /// <summary>A server's usage over a period, summed over its real intervals (same units as Nova's lines).</summary>
    internal sealed class ServerLifeUsage
    {
        public ServerLifeUsage(IReadOnlyList<LifeInterval> intervals)
        {
            Intervals = intervals;
            foreach (LifeInterval i in intervals)
            {
                decimal h = i.Hours;
                Hours += h;
                VcpuHours += h * i.Flavor.Vcpus;
                MemoryMbHours += h * i.Flavor.MemoryMb;
                LocalGbHours += h * i.Flavor.LocalGb;
            }
        }

        public IReadOnlyList<LifeInterval> Intervals { get; }
        public decimal Hours { get; }
        public decimal VcpuHours { get; }
        public decimal MemoryMbHours { get; }
        public decimal LocalGbHours { get; }
    }

    /// <summary>
    /// Rates a server's real life, where Nova's os-simple-tenant-usage cannot: Nova prices the whole life at
    /// the current flavor and counts from launched_at, which unshelve, resize, revert-resize, rebuild and
    /// rescue reset. Here a server is billed from its creation to its deletion (or the period's end), at the
    /// flavor of each stretch, except while shelved: a shelved(-offloaded) server holds no host, so it
    /// bills no instance, vCPU, RAM or local-disk hours from the shelve until the unshelve.
    /// </summary>
    internal static class ServerLife
    {
        /// <summary>The bill step of a Nova instance action name (os-instance-actions "action").</summary>
        public static LifeStep StepOf(string novaAction) => novaAction switch
        {
            "create" => LifeStep.Create,
            "resize" => LifeStep.FlavorChange,
            "revertResize" => LifeStep.FlavorChange,
            "shelve" => LifeStep.Offload,
            "shelveOffload" => LifeStep.Offload,
            "unshelve" => LifeStep.Return,
            "delete" => LifeStep.Delete,
            _ => LifeStep.Neutral,
        };

        /// <summary>
        /// When an action took effect on the bill: the finish of the compute event that did the work
        /// (compute__do_build_and_run_instance: the server runs from then, as Nova's launched_at; compute_finish_resize: the new flavor runs from then; compute_shelve_instance or
        /// compute_shelve_offload_instance: the host is released; compute_unshelve_instance: placed again;
        /// compute_finish_revert_resize), or, for any other action or when the detail is not at hand or the
        /// event has not finished, the action's start_time. Null when the detail is at hand and its decisive
        /// event failed (a resize that ended in Error changed no flavor): the action did not take effect.
        /// </summary>
        public static DateTime? EffectTime(InstanceAction action)
        {
            string? decisive = action.Action switch
            {
                "create" => "compute__do_build_and_run_instance",
                "resize" => "compute_finish_resize",
                "revertResize" => "compute_finish_revert_resize",
                "shelve" => "compute_shelve_instance",
                "shelveOffload" => "compute_shelve_offload_instance",
                "unshelve" => "compute_unshelve_instance",
                _ => null,
            };
            if (decisive != null && action.Events != null)
            {
                foreach (InstanceActionEvent e in action.Events)
                {
                    if (e.Event == decisive && e.FinishTime.HasValue && e.Result == "Success")
                    {
                        return e.FinishTime.Value;
                    }

                    if (e.Event == decisive && e.Result == "Error")
                    {
                        return null;
                    }
                }
            }

            return action.StartTime;
        }

        /// <summary>
        /// The server's billed intervals within [start, end). Events are taken in time order (equal times in
        /// the given order). The first step must be a Create with a flavor; a FlavorChange must carry its flavor.
        /// </summary>
        /// <exception cref="FormatException">The life cannot be rated (no creation, a flavor change without a flavor, a step after deletion).</exception>
        public static ServerLifeUsage Rate(IEnumerable<LifeEvent> events, DateTime start, DateTime end)
        {
            if (end < start)
            {
                throw new ArgumentException("The period ends before it starts.", nameof(end));
            }

            List<LifeEvent> ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).ToList();
            if (ordered.Count == 0 || ordered[0].Step != LifeStep.Create || ordered[0].Flavor == null)
            {
                throw new FormatException("The server's life has no creation with a flavor: it cannot be rated.");
            }

            var intervals = new List<LifeInterval>();
            LifeFlavor flavor = ordered[0].Flavor!;
            bool onHost = true;
            DateTime since = ordered[0].At;
            bool deleted = false;

            void Close(DateTime at)
            {
                DateTime from = since < start ? start : since;
                DateTime to = at > end ? end : at;
                if (onHost && to > from)
                {
                    intervals.Add(new LifeInterval(from, to, flavor));
                }

                since = at;
            }

            foreach (LifeEvent e in ordered.Skip(1))
            {
                if (deleted)
                {
                    throw new FormatException($"The server's life has a step at {e.At:o} after its deletion.");
                }

                switch (e.Step)
                {
                    case LifeStep.Create:
                        throw new FormatException($"The server's life has a second creation at {e.At:o}.");
                    case LifeStep.FlavorChange:
                        if (e.Flavor == null)
                        {
                            throw new FormatException($"The server's flavor change at {e.At:o} does not say the new flavor.");
                        }

                        Close(e.At);
                        flavor = e.Flavor;
                        break;
                    case LifeStep.Offload:
                        if (onHost)
                        {
                            Close(e.At);
                            onHost = false;
                        }

                        break;
                    case LifeStep.Return:
                        if (!onHost)
                        {
                            Close(e.At);
                            onHost = true;
                        }

                        break;
                    case LifeStep.Delete:
                        Close(e.At);
                        deleted = true;
                        break;
                }
            }

            if (!deleted)
            {
                Close(end > since ? end : since);
            }

            return new ServerLifeUsage(intervals);
        }
    }
}
