using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VdcPS.Plans
{
    /// <summary>A node of a plan catalog's YAML, with the 1-based line and column where it starts.</summary>
    internal abstract class PlanYamlNode
    {
        protected PlanYamlNode(int line, int column)
        {
            Line = line;
            Column = column;
        }

        public int Line { get; }

        public int Column { get; }

        /// <summary>"a value", "a list", "a mapping": for messages.</summary>
        public abstract string Kind { get; }
    }

    internal sealed class PlanYamlScalar : PlanYamlNode
    {
        private static readonly HashSet<string> Nulls = new HashSet<string>(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

        public PlanYamlScalar(string value, bool plain, int line, int column)
            : base(line, column)
        {
            Value = value;
            IsPlain = plain;
        }

        /// <summary>The text exactly as written (without quotes).</summary>
        public string Value { get; }

        /// <summary>Written without quotes (so <c>null</c>, <c>~</c> and nothing at all mean "no value").</summary>
        public bool IsPlain { get; }

        /// <summary>An empty value (<c>key:</c>, <c>key: null</c>, <c>key: ~</c>).</summary>
        public bool IsNull => IsPlain && Nulls.Contains(Value);

        public override string Kind => IsNull ? "an empty value" : "a value";
    }

    internal sealed class PlanYamlSequence : PlanYamlNode
    {
        public PlanYamlSequence(int line, int column)
            : base(line, column)
        {
        }

        public List<PlanYamlNode> Items { get; } = new List<PlanYamlNode>();

        public override string Kind => "a list";
    }

    internal sealed class PlanYamlEntry
    {
        public PlanYamlEntry(PlanYamlScalar key, PlanYamlNode value, bool inherited)
        {
            Key = key;
            Value = value;
            Inherited = inherited;
        }

        public PlanYamlScalar Key { get; }

        public PlanYamlNode Value { get; }

        /// <summary>Came in through a merge key (<c>&lt;&lt;: *anchor</c>), not written in this mapping.</summary>
        public bool Inherited { get; }
    }

    internal sealed class PlanYamlMapping : PlanYamlNode
    {
        public PlanYamlMapping(int line, int column)
            : base(line, column)
        {
        }

        /// <summary>Every entry in file order, repeated keys included (the validator reports them).</summary>
        public List<PlanYamlEntry> Entries { get; } = new List<PlanYamlEntry>();

        public override string Kind => "a mapping";
    }

    /// <summary>
    /// Reads a plan catalog into <see cref="PlanYamlNode"/>s that keep line and column of every
    /// key and value, so that each problem can be reported where it is. Unlike a dictionary-based
    /// loader it keeps repeated keys (a repeated key is a mistake the validator reports, never
    /// silently "last one wins"). Anchors, aliases and the merge key <c>&lt;&lt;</c> work, so one
    /// plan can reuse another's quota block. YamlDotNet stays inside this class.
    /// </summary>
    internal static class PlanYamlReader
    {
        private const string MergeKey = "<<";

        private static readonly Regex PositionPrefix = new Regex(@"^\s*\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

        /// <summary>
        /// Parses the text. Returns null for an empty document or when the YAML is broken; every
        /// problem found is added to <paramref name="problems"/>.
        /// </summary>
        public static PlanYamlNode? Parse(string text, string path, List<PlanProblem> problems)
        {
            try
            {
                var parser = new Parser(new StringReader(text));
                parser.Consume<StreamStart>();
                if (parser.TryConsume<StreamEnd>(out _))
                {
                    return null;
                }

                parser.Consume<DocumentStart>();
                var anchors = new Dictionary<string, PlanYamlNode>(StringComparer.Ordinal);
                PlanYamlNode root = ReadNode(parser, anchors, path, problems);
                parser.Consume<DocumentEnd>();
                if (!parser.TryConsume<StreamEnd>(out _))
                {
                    (int line, int column) = Position(parser.Current?.Start);
                    problems.Add(PlanProblem.Error(path, line, column, null, null, PlanRules.YamlSyntax,
                        "the file holds a second YAML document (after '---'); a plan catalog is exactly one document."));
                }

                return root;
            }
            catch (YamlException ex)
            {
                string reason = PositionPrefix.Replace(ex.Message, string.Empty).Trim();
                if (reason.Length == 0)
                {
                    reason = "invalid YAML";
                }

                (int line, int column) = Position(ex.Start);
                problems.Add(PlanProblem.Error(path, line, column, null, null, PlanRules.YamlSyntax,
                    $"this is not valid YAML: {reason}. Check the indentation (spaces only, no tabs) and the quotes around this point."));
                return null;
            }
        }

        private static (int Line, int Column) Position(Mark? mark)
        {
            if (mark == null || mark.Value.Line <= 0)
            {
                return (0, 0);
            }

            return ((int)mark.Value.Line, (int)mark.Value.Column);
        }

        private static PlanYamlNode ReadNode(IParser parser, Dictionary<string, PlanYamlNode> anchors, string path, List<PlanProblem> problems)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                string name = alias!.Value.Value;
                if (anchors.TryGetValue(name, out PlanYamlNode? target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"the alias '*{name}' refers to no anchor '&{name}' defined before it");
            }

            if (parser.TryConsume<Scalar>(out var scalar))
            {
                (int line, int column) = Position(scalar!.Start);
                var node = new PlanYamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, line, column);
                Remember(anchors, scalar.Anchor, node);
                return node;
            }

            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                (int line, int column) = Position(seqStart!.Start);
                var list = new PlanYamlSequence(line, column);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    list.Items.Add(ReadNode(parser, anchors, path, problems));
                }

                // Registered once complete, so a node can never contain itself.
                Remember(anchors, seqStart.Anchor, list);
                return list;
            }

            if (parser.TryConsume<MappingStart>(out var mapStart))
            {
                (int line, int column) = Position(mapStart!.Start);
                var map = new PlanYamlMapping(line, column);
                var merges = new List<PlanYamlMapping>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    ParsingEvent keyEvent = parser.Current!;
                    PlanYamlNode key = ReadNode(parser, anchors, path, problems);
                    PlanYamlNode value = ReadNode(parser, anchors, path, problems);
                    if (keyEvent is Scalar ks && ks.Style == ScalarStyle.Plain && ks.Value == MergeKey)
                    {
                        switch (value)
                        {
                            case PlanYamlMapping m:
                                merges.Add(m);
                                break;
                            case PlanYamlSequence s when s.Items.TrueForAll(i => i is PlanYamlMapping):
                                // YAML merge: with a list, earlier mappings win over later ones.
                                merges.AddRange(s.Items.ConvertAll(i => (PlanYamlMapping)i));
                                break;
                            default:
                                problems.Add(PlanProblem.Error(path, key.Line, key.Column, null, null, PlanRules.YamlSyntax,
                                    "the merge key '<<' must be given an alias of a mapping (<<: *name) or a list of them."));
                                break;
                        }

                        continue;
                    }

                    if (key is PlanYamlScalar keyScalar)
                    {
                        map.Entries.Add(new PlanYamlEntry(keyScalar, value, inherited: false));
                    }
                    else
                    {
                        problems.Add(PlanProblem.Error(path, key.Line, key.Column, null, null, PlanRules.YamlSyntax,
                            $"a key must be a plain name, not {key.Kind}."));
                    }
                }

                // Merged entries come after the mapping's own; a key the mapping writes itself wins.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (PlanYamlEntry own in map.Entries)
                {
                    seen.Add(own.Key.Value);
                }

                foreach (PlanYamlMapping source in merges)
                {
                    foreach (PlanYamlEntry e in source.Entries)
                    {
                        if (seen.Add(e.Key.Value))
                        {
                            map.Entries.Add(new PlanYamlEntry(e.Key, e.Value, inherited: true));
                        }
                    }
                }

                Remember(anchors, mapStart.Anchor, map);
                return map;
            }

            ParsingEvent? unexpected = parser.Current;
            throw new YamlException(unexpected?.Start ?? Mark.Empty, unexpected?.End ?? Mark.Empty, "unexpected YAML content");
        }

        private static void Remember(Dictionary<string, PlanYamlNode> anchors, AnchorName anchor, PlanYamlNode node)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }
        }
    }
}
