using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Internal;
using VdcPS.Openstack.Compute;

namespace VdcPS.Usage
{
    /// <summary>A server whose usage line was replaced by its rated life.</summary>
    internal sealed class RatedServer
    {
        public RatedServer(NovaServerUsage nova, ServerLifeUsage life)
        {
            Nova = nova;
            Life = life;
        }

        /// <summary>Nova's line (its hours priced at the latest flavor, counted from the last launch).</summary>
        public NovaServerUsage Nova { get; }

        public ServerLifeUsage Life { get; }
    }

    /// <summary>
    /// Where Nova's os-simple-tenant-usage line of a server is wrong and how it should read instead
    /// (issue 13 item 4; the rule is in about_VdcPS_Billing, "Resizes, shelves and rebuilds").
    /// <para>
    /// Before the usage is read, <see cref="ScanAsync"/> asks Nova two cheap cloud-wide questions: which servers
    /// have a resize migration changed since the period's start (os-migrations) and which are shelved now.
    /// Only if there is any does Get-VdcUsage need Nova's per-server lines (<see cref="UsageRequest.NeedsServerLines"/>),
    /// so the usual month stays on the fast detailed=0 walk. With the lines, a server is a candidate when it was
    /// resized, is shelved, or was (re)launched inside the period (Nova's started_at is its last launch, which
    /// unshelve, resize, rebuild and rescue reset). A candidate's instance actions are read; if they hold a step that
    /// Nova gets wrong (resize, revert, shelve, offload, unshelve, rebuild, rescue), its life is rated with
    /// <see cref="ServerLife"/> and replaces Nova's line; otherwise Nova's line stands as it is.
    /// </para>
    /// <para>
    /// The flavor of each stretch: after the last flavor change it is the server's flavor now (Nova's line).
    /// Before, it is the resize migration's old flavor, which Nova gives only as its internal key. That key is
    /// mapped to a flavor exactly or not at all: the key the server runs at now is its current flavor, and the
    /// flavors API sorted by that key (sort_key=id) fixes the others when no key can be missing between two
    /// known ones (keys are positive and increasing; a deleted or hidden flavor leaves a gap and nothing is
    /// inferred across it). A stretch whose flavor cannot be known is rated at the server's flavor now (as Nova
    /// does) with a warning that names it.
    /// </para>
    /// </summary>
    internal sealed class ServerLifeRater
    {
        /// <summary>Stable prefix of the warning for a stretch whose flavor is not known (findable with -WarningVariable).</summary>
        internal const string FlavorUnknown = "ServerFlavorUnknown";

        /// <summary>Stable prefix of the warning when the servers' history cannot be read at all.</summary>
        internal const string HistoryUnavailable = "ServerHistoryUnavailable";

        private static readonly HashSet<string> Decisive = new HashSet<string>(StringComparer.Ordinal)
        {
            "resize", "revertResize", "shelve", "shelveOffload", "unshelve", "rebuild", "rescue", "unrescue", "evacuate",
        };

        private static readonly HashSet<string> Detailed = new HashSet<string>(StringComparer.Ordinal)
        {
            "create", "resize", "revertResize", "shelve", "shelveOffload", "unshelve",
        };

        private readonly InstanceActionApi _actions;
        private readonly ServerHistoryApi _history;
        private readonly SemaphoreSlim _gate;
        private readonly ICmdletOutput _output;
        private readonly DateTime _start;
        private readonly DateTime _end;
        private Dictionary<string, List<ServerMigration>> _resized = new Dictionary<string, List<ServerMigration>>(StringComparer.Ordinal);
        private HashSet<string> _shelved = new HashSet<string>(StringComparer.Ordinal);
        private HashSet<string> _shelvedProjects = new HashSet<string>(StringComparer.Ordinal);
        private Task<List<FlavorInfo>>? _flavors;

        public ServerLifeRater(InstanceActionApi actions, ServerHistoryApi history, SemaphoreSlim gate, ICmdletOutput output, DateTime start, DateTime end)
        {
            _actions = actions;
            _history = history;
            _gate = gate;
            _output = output;
            _start = start;
            _end = end;
        }

        /// <summary>False when the history could not be read: Nova's lines stand.</summary>
        public bool Available { get; private set; }

        /// <summary>Servers rated (their lines replaced).</summary>
        public int Rated { get; private set; }

        /// <summary>Reads the resize migrations since the start and the shelved servers.</summary>
        public async Task ScanAsync(CancellationToken ct)
        {
            try
            {
                Task<List<ServerMigration>> resizes = Gated(token => _history.ListResizesAsync(_start, token), ct);
                Task<List<(string ServerId, string ProjectId)>> shelved = Gated(token => _history.ListShelvedAsync(token), ct);
                List<ServerMigration> migrations = await resizes.ConfigureAwait(false);
                List<(string ServerId, string ProjectId)> held = await shelved.ConfigureAwait(false);
                _resized = migrations.GroupBy(m => m.InstanceUuid, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList(), StringComparer.Ordinal);
                _shelved = new HashSet<string>(held.Select(s => s.ServerId), StringComparer.Ordinal);
                _shelvedProjects = new HashSet<string>(held.Select(s => s.ProjectId), StringComparer.Ordinal);
                Available = true;
                _output.Verbose($"Nova: {_resized.Count} servers with a resize since {UsagePeriod.Show(_start)}, {_shelved.Count} shelved now.");
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                _output.Warning($"{HistoryUnavailable}: cannot read Nova's migrations or shelved servers ({ErrorFactory.Unwrap(e).Message}): "
                    + "servers are reported as Nova's os-simple-tenant-usage counts them (a resized server at its latest flavor, hours from its last launch). "
                    + "Reading them needs the admin role.");
            }
        }

        /// <summary>Whether anything in the cloud may make Nova's lines wrong (then the per-server lines are needed).</summary>
        public bool AnySignal(Func<string, bool>? keepProject)
            => Available && (_resized.Count > 0 || _shelvedProjects.Any(p => keepProject == null || keepProject(p)));

        /// <summary>Whether Nova's line of this server may be wrong (its instance actions are read then).</summary>
        public bool IsCandidate(NovaServerUsage s)
            => Available && (_resized.ContainsKey(s.InstanceId) || _shelved.Contains(s.InstanceId) || (s.StartedAt.HasValue && s.StartedAt.Value > _start));

        /// <summary>Rates every candidate among <paramref name="lines"/>; returns the servers whose line is replaced.</summary>
        public async Task<List<RatedServer>> RateAsync(IReadOnlyList<NovaServerUsage> lines, DateTime countedUntil, CancellationToken ct)
        {
            var tasks = lines.Where(IsCandidate).Select(s => RateOneAsync(s, countedUntil, ct)).ToList();
            var rated = new List<RatedServer>();
            foreach (RatedServer? r in await Task.WhenAll(tasks).ConfigureAwait(false))
            {
                if (r != null)
                {
                    rated.Add(r);
                }
            }

            Rated += rated.Count;
            return rated;
        }

        private async Task<RatedServer?> RateOneAsync(NovaServerUsage s, DateTime countedUntil, CancellationToken ct)
        {
            try
            {
                return await RateOneCoreAsync(s, countedUntil, ct).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                _output.Warning($"{HistoryUnavailable}: server {s.Name} ({s.InstanceId}): {e.Message} Nova's line is reported as it is.");
                return null;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                // One server whose history cannot be read (an instance-action request that failed after its
                // retries) keeps Nova's line, as when the scan fails: the other servers are still rated.
                _output.Warning($"{HistoryUnavailable}: server {s.Name} ({s.InstanceId}): its instance actions cannot be read "
                    + $"({ErrorFactory.Unwrap(e).Message}). Nova's line is reported as it is.");
                return null;
            }
        }

        private async Task<RatedServer?> RateOneCoreAsync(NovaServerUsage s, DateTime countedUntil, CancellationToken ct)
        {
            List<InstanceAction> actions = await Gated(token => _actions.ListAsync(s.InstanceId, token), ct).ConfigureAwait(false);
            if (!actions.Any(a => Decisive.Contains(a.Action)))
            {
                return null; // created in the period and nothing since that Nova gets wrong
            }

            // Details (events) of the steps whose time is an event's finish, oldest first.
            actions = actions.OrderBy(a => a.StartTime).ToList();
            var detailed = await Task.WhenAll(actions.Select(a => Detailed.Contains(a.Action)
                ? Gated(token => _actions.GetAsync(s.InstanceId, a.RequestId, token), ct)
                : Task.FromResult(a))).ConfigureAwait(false);

            LifeFlavor now = new LifeFlavor(s.Flavor, s.Vcpus, s.MemoryMb, s.LocalGb);
            List<LifeEvent> events = await BuildLifeAsync(s, detailed, now, ct).ConfigureAwait(false);
            DateTime until = countedUntil < _end ? countedUntil : _end;
            ServerLifeUsage life = ServerLife.Rate(events, _start, until > _start ? until : _start);
            _output.Verbose($"Server {s.Name} ({s.InstanceId}): Nova {s.Hours:0.######} h at {s.Flavor}; rated {life.Hours:0.######} h on a host: "
                + string.Join(", ", life.Intervals.GroupBy(i => i.Flavor.Name).Select(g => $"{g.Sum(i => i.Hours):0.######} h at {g.Key}")) + ".");
            return new RatedServer(s, life);
        }

        /// <summary>The server's life as bill steps, flavors resolved from its resize migrations.</summary>
        private async Task<List<LifeEvent>> BuildLifeAsync(NovaServerUsage s, InstanceAction[] actions, LifeFlavor now, CancellationToken ct)
        {
            // Flavor changes that took effect, in order, each resize with the migration it made (matched in order of time).
            _resized.TryGetValue(s.InstanceId, out List<ServerMigration>? migrations);
            var unmatched = new Queue<ServerMigration>(migrations ?? new List<ServerMigration>());
            var steps = new List<(InstanceAction Action, DateTime At, LifeStep Step, long? KeyBefore, long? KeyAfter)>();
            ServerMigration? lastResize = null;
            foreach (InstanceAction a in actions)
            {
                LifeStep step = ServerLife.StepOf(a.Action);
                DateTime? at = ServerLife.EffectTime(a);
                if (at == null)
                {
                    continue; // did not take effect (its decisive event failed)
                }

                long? keyBefore = null, keyAfter = null;
                if (a.Action == "resize")
                {
                    while (unmatched.Count > 0 && unmatched.Peek().CreatedAt < a.StartTime)
                    {
                        unmatched.Dequeue();
                    }

                    lastResize = unmatched.Count > 0 ? unmatched.Dequeue() : null;
                    keyBefore = lastResize?.OldFlavorKey;
                    keyAfter = lastResize?.NewFlavorKey;
                }
                else if (a.Action == "revertResize")
                {
                    keyBefore = lastResize?.NewFlavorKey;
                    keyAfter = lastResize?.OldFlavorKey;
                }

                if (a.Action == "delete" && s.EndedAt.HasValue)
                {
                    at = s.EndedAt.Value; // Nova's terminated_at: when the deletion was done
                }

                steps.Add((a, at.Value, step, keyBefore, keyAfter));
            }

            // Flavors backwards from now: the last change leads to the flavor now; each earlier stretch runs at
            // the flavor before the next change (its migration's old key), mapped to a flavor exactly or not at all.
            var changes = steps.Where(x => x.Step == LifeStep.FlavorChange).ToList();
            var flavorAfter = new Dictionary<int, LifeFlavor>();
            LifeFlavor current = now;
            long? currentKey = changes.Count > 0 ? changes[changes.Count - 1].KeyAfter : null;
            LifeFlavor first = now;
            for (int i = changes.Count - 1; i >= 0; i--)
            {
                flavorAfter[i] = current;
                long? keyBefore = changes[i].KeyBefore;
                LifeFlavor? before = keyBefore.HasValue ? await ResolveAsync(keyBefore.Value, currentKey, current, ct).ConfigureAwait(false) : null;
                bool known = before != null;
                if (before == null)
                {
                    _output.Warning($"{FlavorUnknown}: server {s.Name} ({s.InstanceId}): the flavor it ran at before its "
                        + $"{changes[i].Action.Action} at {UsagePeriod.Show(changes[i].At)} is not known "
                        + (keyBefore.HasValue
                            ? $"(Nova gives only its internal key {keyBefore.Value}, which no flavor maps to exactly)"
                            : "(Nova keeps no migration record of it: Nova drops them when the server is deleted)")
                        + $"; that time is rated at {current.Name}, the flavor after it, as Nova does.");
                    before = current;
                }

                current = before;
                currentKey = known ? keyBefore : null; // a stretch rated at a stand-in flavor anchors nothing
                first = before;
            }

            var events = new List<LifeEvent>();
            int change = 0;
            bool created = false;
            foreach (var x in steps)
            {
                switch (x.Step)
                {
                    case LifeStep.Create:
                        events.Add(new LifeEvent(x.At, LifeStep.Create, first));
                        created = true;
                        break;
                    case LifeStep.FlavorChange:
                        events.Add(new LifeEvent(x.At, LifeStep.FlavorChange, flavorAfter[change++]));
                        break;
                    default:
                        events.Add(new LifeEvent(x.At, x.Step));
                        break;
                }
            }

            if (!created)
            {
                // Nova prunes no actions, but a cloud may have archived them: the life before the oldest action is
                // unknown, so it starts at Nova's own start (or the period's, whichever is later).
                throw new FormatException("its instance actions have no creation.");
            }

            return events;
        }

        /// <summary>
        /// The flavor behind Nova's internal key <paramref name="key"/>, exactly or null. Known: <paramref name="anchorKey"/>
        /// is <paramref name="anchor"/>. The flavors sorted by key place the others when no key can be missing in between.
        /// </summary>
        private async Task<LifeFlavor?> ResolveAsync(long key, long? anchorKey, LifeFlavor anchor, CancellationToken ct)
        {
            if (anchorKey == key)
            {
                return anchor;
            }

            if (anchorKey == null)
            {
                return null;
            }

            _flavors ??= Gated(token => _history.ListFlavorsByKeyAsync(token), ct);
            List<FlavorInfo> byKey;
            try
            {
                byKey = await _flavors.ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                _output.Verbose($"Nova's flavors cannot be listed ({ErrorFactory.Unwrap(e).Message}).");
                return null;
            }

            FlavorInfo? f = FlavorKeys.Place(byKey, key, anchorKey.Value, anchor.Name);
            return f == null ? null : new LifeFlavor(f.Name, f.Vcpus, f.RamMb, f.DiskGb);
        }

        private async Task<T> Gated<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Nova's internal flavor keys placed on the flavors API's list sorted by that key, exactly or not at all.</summary>
    internal static class FlavorKeys
    {
        /// <summary>
        /// The flavor with internal key <paramref name="key"/>, given that the flavor named <paramref name="anchorName"/>
        /// has key <paramref name="anchorKey"/> and <paramref name="byKey"/> lists the flavors in increasing key order.
        /// Keys are positive integers, strictly increasing along the list. Below the anchor at position p: the keys
        /// 1..anchorKey-1 fill positions 0..p-1 exactly when anchorKey - 1 == p. Above it nothing is exact (keys may
        /// jump: deleted flavors, auto-increment steps of a database cluster). Null when not exact.
        /// </summary>
        public static FlavorInfo? Place(IReadOnlyList<FlavorInfo> byKey, long key, long anchorKey, string anchorName)
        {
            int p = -1;
            for (int i = 0; i < byKey.Count; i++)
            {
                if (string.Equals(byKey[i].Name, anchorName, StringComparison.Ordinal))
                {
                    if (p >= 0)
                    {
                        return null; // names are unique in Nova; two of them: the list is not what it should be
                    }

                    p = i;
                }
            }

            if (p < 0 || key < 1 || key >= anchorKey || anchorKey - 1 != p)
            {
                return null;
            }

            return byKey[(int)(key - 1)];
        }
    }
}
