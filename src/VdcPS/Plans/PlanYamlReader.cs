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

        /// <summary>What the reader needs while it walks the events.</summary>
        private sealed class State
        {
            public State(string path, List<PlanProblem> problems)
            {
                Path = path;
                Problems = problems;
            }

            public string Path { get; }

            public List<PlanProblem> Problems { get; }

            public Dictionary<string, PlanYamlNode> Anchors { get; } = new Dictionary<string, PlanYamlNode>(StringComparer.Ordinal);

            /// <summary>Start of the flow collections ('{', '[') not closed yet, innermost last.</summary>
            public Stack<(int Line, int Column, char Open)> OpenFlows { get; } = new Stack<(int, int, char)>();

            public (int Line, int Column) Last { get; set; }
        }

        /// <summary>
        /// Parses the text. Returns null for an empty document or when the YAML is broken; every
        /// problem found is added to <paramref name="problems"/>.
        /// </summary>
        public static PlanYamlNode? Parse(string text, string path, List<PlanProblem> problems)
        {
            var state = new State(path, problems);
            try
            {
                var parser = new Parser(new StringReader(text));
                parser.Consume<StreamStart>();
                if (parser.TryConsume<StreamEnd>(out _))
                {
                    return null;
                }

                parser.Consume<DocumentStart>();
                PlanYamlNode root = ReadNode(parser, state);
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
                string reason = PositionPrefix.Replace(ex.Message, string.Empty).Trim().TrimEnd('.');
                if (reason.Length == 0)
                {
                    reason = "invalid YAML";
                }

                (int line, int column) = Position(ex.Start);
                if (TabIndentation(text) is (int tabLine, int tabColumn))
                {
                    problems.Add(PlanProblem.Error(path, tabLine, tabColumn, null, null, PlanRules.YamlSyntax,
                        $"this line is indented with a tab; YAML allows spaces only ({reason})."));
                    return null;
                }

                int lastContentLine = LastContentLine(text);
                if (line > lastContentLine)
                {
                    // The parser noticed the problem only at the end of the file: point at its cause.
                    if (state.OpenFlows.Count > 0)
                    {
                        (int openLine, int openColumn, char openChar) = state.OpenFlows.Peek();
                        problems.Add(PlanProblem.Error(path, openLine, openColumn, null, null, PlanRules.YamlSyntax,
                            $"this is not valid YAML: the '{openChar}' here is never closed with '{(openChar == '{' ? '}' : ']')}'."));
                        return null;
                    }

                    line = Math.Max(1, lastContentLine);
                    column = 1;
                    reason += " (at the end of the file)";
                }

                string open = state.OpenFlows.Count > 0
                    ? $" The '{state.OpenFlows.Peek().Open}' at line {state.OpenFlows.Peek().Line}, column {state.OpenFlows.Peek().Column} may not be closed."
                    : string.Empty;
                problems.Add(PlanProblem.Error(path, line, column, null, null, PlanRules.YamlSyntax,
                    $"this is not valid YAML: {reason}.{open} Check the indentation (spaces only) and the brackets and quotes around this point."));
                return null;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner fails this way on some unterminated flow collections at the end of a line.
                if (state.OpenFlows.Count > 0)
                {
                    (int line, int column, char openChar) = state.OpenFlows.Peek();
                    char close = openChar == '{' ? '}' : ']';
                    problems.Add(PlanProblem.Error(path, line, column, null, null, PlanRules.YamlSyntax,
                        $"this is not valid YAML: the '{openChar}' here is never closed with '{close}'."));
                }
                else
                {
                    problems.Add(PlanProblem.Error(path, state.Last.Line, state.Last.Column, null, null, PlanRules.YamlSyntax,
                        "this is not valid YAML after this point: look for an unclosed bracket or quote."));
                }

                return null;
            }
        }

        /// <summary>The 1-based number of the last line that holds more than white space (0 for none).</summary>
        private static int LastContentLine(string text)
        {
            string[] lines = text.Split('\n');
            for (int i = lines.Length - 1; i >= 0; i--)
            {
                if (lines[i].Trim().Length > 0)
                {
                    return i + 1;
                }
            }

            return 0;
        }

        /// <summary>The first tab in the indentation of a line (1-based), if any.</summary>
        private static (int Line, int Column)? TabIndentation(string text)
        {
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string l = lines[i];
                for (int c = 0; c < l.Length && (l[c] == ' ' || l[c] == '\t'); c++)
                {
                    if (l[c] == '\t')
                    {
                        return (i + 1, c + 1);
                    }
                }
            }

            return null;
        }

        private static (int Line, int Column) Position(Mark? mark)
        {
            if (mark == null || mark.Value.Line <= 0)
            {
                return (0, 0);
            }

            return ((int)mark.Value.Line, (int)mark.Value.Column);
        }

        private static PlanYamlNode ReadNode(IParser parser, State state)
        {
            if (parser.Current != null)
            {
                state.Last = Position(parser.Current.Start);
            }

            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                string name = alias!.Value.Value;
                if (state.Anchors.TryGetValue(name, out PlanYamlNode? target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"the alias '*{name}' refers to no anchor '&{name}' defined before it");
            }

            if (parser.TryConsume<Scalar>(out var scalar))
            {
                (int line, int column) = Position(scalar!.Start);
                var node = new PlanYamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, line, column);
                Remember(state.Anchors, scalar.Anchor, node);
                return node;
            }

            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                (int line, int column) = Position(seqStart!.Start);
                var list = new PlanYamlSequence(line, column);
                bool flow = seqStart.Style == SequenceStyle.Flow;
                if (flow)
                {
                    state.OpenFlows.Push((line, column, '['));
                }

                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    list.Items.Add(ReadNode(parser, state));
                }

                if (flow)
                {
                    state.OpenFlows.Pop();
                }

                // Registered once complete, so a node can never contain itself.
                Remember(state.Anchors, seqStart.Anchor, list);
                return list;
            }

            if (parser.TryConsume<MappingStart>(out var mapStart))
            {
                (int line, int column) = Position(mapStart!.Start);
                var map = new PlanYamlMapping(line, column);
                bool flow = mapStart.Style == MappingStyle.Flow;
                if (flow)
                {
                    state.OpenFlows.Push((line, column, '{'));
                }

                var merges = new List<PlanYamlMapping>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    ParsingEvent keyEvent = parser.Current!;
                    PlanYamlNode key = ReadNode(parser, state);
                    PlanYamlNode value = ReadNode(parser, state);
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
                                state.Problems.Add(PlanProblem.Error(state.Path, key.Line, key.Column, null, null, PlanRules.YamlSyntax,
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
                        state.Problems.Add(PlanProblem.Error(state.Path, key.Line, key.Column, null, null, PlanRules.YamlSyntax,
                            $"a key must be a plain name, not {key.Kind}."));
                    }
                }

                if (flow)
                {
                    state.OpenFlows.Pop();
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

                Remember(state.Anchors, mapStart.Anchor, map);
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
