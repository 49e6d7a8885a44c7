using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VdcPS.Internal.Yaml
{
    /// <summary>
    /// The one YAML reader of the module (plan catalogs, clouds.yaml and its siblings). It reads one
    /// document into <see cref="YamlTreeNode"/>s that keep the line and column of every key and
    /// value, keeps repeated keys (the caller decides: the plan catalog reports them, the cloud
    /// configuration lets the last win as PyYAML does), and resolves anchors, aliases and the merge
    /// key <c>&lt;&lt;</c>. What it cannot read becomes a <see cref="YamlTreeProblem"/> that points
    /// at the cause (a tab in the indentation, a bracket never closed) rather than at the end of the
    /// file where the parser noticed. YamlDotNet stays inside this class.
    /// </summary>
    internal static class YamlTreeReader
    {
        private const string MergeKey = "<<";

        private static readonly Regex PositionPrefix = new Regex(@"^\s*\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

        /// <summary>What the reader needs while it walks the events.</summary>
        private sealed class State
        {
            public State(List<YamlTreeProblem> problems)
            {
                Problems = problems;
            }

            public List<YamlTreeProblem> Problems { get; }

            public Dictionary<string, YamlTreeNode> Anchors { get; } = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);

            /// <summary>Start of the flow collections ('{', '[') not closed yet, innermost last.</summary>
            public Stack<(int Line, int Column, char Open)> OpenFlows { get; } = new Stack<(int, int, char)>();

            public (int Line, int Column) Last { get; set; }
        }

        /// <summary>
        /// Reads the text. Returns null for an empty document or when the YAML is broken; every
        /// problem found is added to <paramref name="problems"/> (a tree can be returned with
        /// problems, for example a second document after the first).
        /// </summary>
        public static YamlTreeNode? Read(string text, List<YamlTreeProblem> problems)
        {
            var state = new State(problems);
            try
            {
                var parser = new Parser(new StringReader(text));
                parser.Consume<StreamStart>();
                if (parser.TryConsume<StreamEnd>(out _))
                {
                    return null;
                }

                parser.Consume<DocumentStart>();
                YamlTreeNode root = ReadNode(parser, state);
                parser.Consume<DocumentEnd>();
                if (!parser.TryConsume<StreamEnd>(out _))
                {
                    (int line, int column) = Position(parser.Current?.Start);
                    problems.Add(new YamlTreeProblem(line, column,
                        "the file holds a second YAML document (after '---'); it must hold exactly one document."));
                }

                return root;
            }
            catch (YamlException ex)
            {
                problems.Add(SyntaxProblem(text, state, ex));
                return null;
            }
            catch (InvalidOperationException ex)
            {
                // YamlDotNet's scanner fails this way on some unterminated flow collections at the end of a line.
                if (state.OpenFlows.Count > 0)
                {
                    (int line, int column, char openChar) = state.OpenFlows.Peek();
                    problems.Add(new YamlTreeProblem(line, column,
                        $"this is not valid YAML: the '{openChar}' here is never closed with '{Closing(openChar)}'.", ex));
                }
                else
                {
                    problems.Add(new YamlTreeProblem(state.Last.Line, state.Last.Column,
                        "this is not valid YAML after this point: look for an unclosed bracket or quote.", ex));
                }

                return null;
            }
        }

        private static char Closing(char open) => open == '{' ? '}' : ']';

        private static YamlTreeProblem SyntaxProblem(string text, State state, YamlException ex)
        {
            string reason = PositionPrefix.Replace(ex.Message, string.Empty).Trim().TrimEnd('.');
            if (reason.Length == 0)
            {
                reason = "invalid YAML";
            }

            (int line, int column) = Position(ex.Start);
            if (TabIndentation(text) is (int tabLine, int tabColumn))
            {
                return new YamlTreeProblem(tabLine, tabColumn,
                    $"this line is indented with a tab; YAML allows spaces only ({reason}).", ex);
            }

            int lastContentLine = LastContentLine(text);
            if (line > lastContentLine)
            {
                // The parser noticed the problem only at the end of the file: point at its cause.
                if (state.OpenFlows.Count > 0)
                {
                    (int openLine, int openColumn, char openChar) = state.OpenFlows.Peek();
                    return new YamlTreeProblem(openLine, openColumn,
                        $"this is not valid YAML: the '{openChar}' here is never closed with '{Closing(openChar)}'.", ex);
                }

                line = Math.Max(1, lastContentLine);
                column = 1;
                reason += " (at the end of the file)";
            }

            string open = state.OpenFlows.Count > 0
                ? $" The '{state.OpenFlows.Peek().Open}' at line {state.OpenFlows.Peek().Line}, column {state.OpenFlows.Peek().Column} may not be closed."
                : string.Empty;
            return new YamlTreeProblem(line, column,
                $"this is not valid YAML: {reason}.{open} Check the indentation (spaces only) and the brackets and quotes around this point.", ex);
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

        private static YamlTreeNode ReadNode(IParser parser, State state)
        {
            if (parser.Current != null)
            {
                state.Last = Position(parser.Current.Start);
            }

            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                string name = alias!.Value.Value;
                if (state.Anchors.TryGetValue(name, out YamlTreeNode? target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"the alias '*{name}' refers to no anchor '&{name}' defined before it");
            }

            if (parser.TryConsume<Scalar>(out var scalar))
            {
                (int line, int column) = Position(scalar!.Start);
                string? tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
                var node = new YamlTreeScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, tag, line, column);
                Remember(state.Anchors, scalar.Anchor, node);
                return node;
            }

            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                (int line, int column) = Position(seqStart!.Start);
                var list = new YamlTreeSequence(line, column);
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
                var map = new YamlTreeMapping(line, column);
                bool flow = mapStart.Style == MappingStyle.Flow;
                if (flow)
                {
                    state.OpenFlows.Push((line, column, '{'));
                }

                var merges = new List<YamlTreeMapping>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    ParsingEvent keyEvent = parser.Current!;
                    YamlTreeNode key = ReadNode(parser, state);
                    YamlTreeNode value = ReadNode(parser, state);
                    if (keyEvent is Scalar ks && ks.Style == ScalarStyle.Plain && ks.Value == MergeKey)
                    {
                        switch (value)
                        {
                            case YamlTreeMapping m:
                                merges.Add(m);
                                break;
                            case YamlTreeSequence s when s.Items.TrueForAll(i => i is YamlTreeMapping):
                                // YAML merge: with a list, earlier mappings win over later ones.
                                merges.AddRange(s.Items.ConvertAll(i => (YamlTreeMapping)i));
                                break;
                            default:
                                state.Problems.Add(new YamlTreeProblem(key.Line, key.Column,
                                    "the merge key '<<' must be given an alias of a mapping (<<: *name) or a list of them."));
                                break;
                        }

                        continue;
                    }

                    if (key is YamlTreeScalar keyScalar)
                    {
                        map.Entries.Add(new YamlTreeEntry(keyScalar, value, inherited: false));
                    }
                    else
                    {
                        state.Problems.Add(new YamlTreeProblem(key.Line, key.Column,
                            $"a key must be a plain name, not {key.Kind}."));
                    }
                }

                if (flow)
                {
                    state.OpenFlows.Pop();
                }

                Inherit(map, merges);
                Remember(state.Anchors, mapStart.Anchor, map);
                return map;
            }

            ParsingEvent? unexpected = parser.Current;
            throw new YamlException(unexpected?.Start ?? Mark.Empty, unexpected?.End ?? Mark.Empty, "unexpected YAML content");
        }

        /// <summary>
        /// Adds the merged mappings' entries after the mapping's own: a key the mapping writes itself
        /// wins, an earlier source wins over a later one, and within one source the last of a
        /// repeated key is taken (that mapping's own value, as a YAML loader builds it).
        /// </summary>
        private static void Inherit(YamlTreeMapping map, List<YamlTreeMapping> merges)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (YamlTreeEntry own in map.Entries)
            {
                seen.Add(own.Key.Value);
            }

            foreach (YamlTreeMapping source in merges)
            {
                var last = new Dictionary<string, YamlTreeEntry>(StringComparer.Ordinal);
                foreach (YamlTreeEntry e in source.Entries)
                {
                    if (!e.Inherited || !last.ContainsKey(e.Key.Value))
                    {
                        last[e.Key.Value] = e;
                    }
                }

                foreach (YamlTreeEntry e in source.Entries)
                {
                    if (seen.Add(e.Key.Value))
                    {
                        YamlTreeEntry taken = last[e.Key.Value];
                        map.Entries.Add(new YamlTreeEntry(taken.Key, taken.Value, inherited: true));
                    }
                }
            }
        }

        private static void Remember(Dictionary<string, YamlTreeNode> anchors, AnchorName anchor, YamlTreeNode node)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }
        }
    }
}
