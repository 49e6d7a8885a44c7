using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VdcPS.Config
{
    /// <summary>
    /// Reads a clouds.yaml / secure.yaml / clouds-public.yaml (or their .yml/.json forms: JSON is
    /// YAML) into a <see cref="ConfigMap"/> tree, resolving scalars the way PyYAML's SafeLoader
    /// does (YAML 1.1 booleans and nulls), anchors/aliases and the <c>&lt;&lt;</c> merge key, and
    /// letting a repeated key win over the earlier one as PyYAML does. YamlDotNet stays inside
    /// this class.
    /// </summary>
    internal static class ConfigYamlReader
    {
        private const string MergeKey = "<<";
        private const string StrTag = "tag:yaml.org,2002:str";
        private const string NullTag = "tag:yaml.org,2002:null";

        private static readonly HashSet<string> Nulls = new HashSet<string>(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

        private static readonly HashSet<string> Trues = new HashSet<string>(StringComparer.Ordinal)
        {
            "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        };

        private static readonly HashSet<string> Falses = new HashSet<string>(StringComparer.Ordinal)
        {
            "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        };

        private static readonly Regex PositionPrefix = new Regex(@"^\s*\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

        /// <summary>
        /// Parses one file. Returns null for an empty document (PyYAML's safe_load gives None).
        /// Throws <see cref="CloudConfigException"/> (InvalidFile) with the 1-based line and
        /// column of the problem.
        /// </summary>
        public static object? Parse(string text, string path)
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
                var anchors = new Dictionary<string, object?>(StringComparer.Ordinal);
                object? root = ReadNode(parser, anchors, path);
                parser.Consume<DocumentEnd>();
                if (!parser.TryConsume<StreamEnd>(out _))
                {
                    ParsingEvent? next = parser.Current;
                    throw Invalid(path, next?.Start, "the file holds more than one YAML document; a configuration file must hold exactly one");
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

                Mark start = ex.Start;
                int? line = start.Line > 0 ? (int)start.Line : (int?)null;
                int? column = start.Line > 0 ? (int)start.Column : (int?)null;
                string where = line.HasValue ? $" at line {line}, column {column}" : string.Empty;
                return ThrowInvalid(path, line, column,
                    $"The OpenStack configuration file '{path}' is not valid YAML{where}: {reason}", ex);
            }
        }

        private static object? ThrowInvalid(string path, int? line, int? column, string message, Exception? inner) =>
            throw new CloudConfigException(CloudConfigException.ReasonInvalidFile, message, path, line, column, inner);

        private static CloudConfigException Invalid(string path, Mark? at, string reason)
        {
            int? line = at.HasValue && at.Value.Line > 0 ? (int)at.Value.Line : (int?)null;
            int? column = line.HasValue ? (int)at!.Value.Column : (int?)null;
            string where = line.HasValue ? $" at line {line}, column {column}" : string.Empty;
            return new CloudConfigException(
                CloudConfigException.ReasonInvalidFile,
                $"The OpenStack configuration file '{path}' cannot be used{where}: {reason}",
                path,
                line,
                column);
        }

        private static object? ReadNode(IParser parser, Dictionary<string, object?> anchors, string path)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                string name = alias!.Value.Value;
                if (!anchors.TryGetValue(name, out object? target))
                {
                    throw Invalid(path, alias.Start, $"the alias '*{name}' refers to no anchor defined before it");
                }

                return target;
            }

            if (parser.TryConsume<Scalar>(out var scalar))
            {
                object? value = ResolveScalar(scalar!);
                Remember(anchors, scalar!.Anchor, value);
                return value;
            }

            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                var list = new List<object?>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    list.Add(ReadNode(parser, anchors, path));
                }

                Remember(anchors, seqStart!.Anchor, list);
                return list;
            }

            if (parser.TryConsume<MappingStart>(out var mapStart))
            {
                var map = new ConfigMap();
                var merges = new List<ConfigMap>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    ParsingEvent keyEvent = parser.Current!;
                    object? key = ReadNode(parser, anchors, path);
                    object? value = ReadNode(parser, anchors, path);
                    bool isMergeKey = keyEvent is Scalar ks && ks.Style == ScalarStyle.Plain && ks.Value == MergeKey;
                    if (isMergeKey)
                    {
                        switch (value)
                        {
                            case ConfigMap m:
                                merges.Add(m);
                                break;
                            case List<object?> l when l.All(x => x is ConfigMap):
                                // PyYAML: with a list, earlier mappings win over later ones.
                                merges.AddRange(l.Cast<ConfigMap>());
                                break;
                            default:
                                throw Invalid(path, keyEvent.Start, "the merge key '<<' must be given a mapping or a list of mappings");
                        }

                        continue;
                    }

                    string keyText;
                    switch (key)
                    {
                        case ConfigScalar s:
                            keyText = s.Text;
                            break;
                        case null:
                            keyText = keyEvent is Scalar nk ? nk.Value : string.Empty;
                            break;
                        default:
                            throw Invalid(path, keyEvent.Start, "a mapping key must be a plain value, not a list or a mapping");
                    }

                    // PyYAML keeps the last of repeated keys.
                    map.Set(keyText, value);
                }

                if (merges.Count > 0)
                {
                    // Merged keys first (earlier sources win), then the mapping's own keys override.
                    var merged = new ConfigMap();
                    foreach (ConfigMap source in merges)
                    {
                        foreach (KeyValuePair<string, object?> e in source.Entries)
                        {
                            if (!merged.ContainsKey(e.Key))
                            {
                                merged.Set(e.Key, ConfigMap.CloneValue(e.Value));
                            }
                        }
                    }

                    foreach (KeyValuePair<string, object?> e in map.Entries)
                    {
                        merged.Set(e.Key, e.Value);
                    }

                    map = merged;
                }

                Remember(anchors, mapStart!.Anchor, map);
                return map;
            }

            ParsingEvent? unexpected = parser.Current;
            throw Invalid(path, unexpected?.Start, "unexpected YAML content");
        }

        private static void Remember(Dictionary<string, object?> anchors, AnchorName anchor, object? value)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = value;
            }
        }

        private static object? ResolveScalar(Scalar scalar)
        {
            string text = scalar.Value;
            string? tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            if (tag == StrTag)
            {
                return new ConfigScalar(text);
            }

            if (tag == NullTag)
            {
                return null;
            }

            if (scalar.Style != ScalarStyle.Plain)
            {
                return new ConfigScalar(text);
            }

            if (Nulls.Contains(text))
            {
                return null;
            }

            if (Trues.Contains(text))
            {
                return new ConfigScalar(text, true);
            }

            if (Falses.Contains(text))
            {
                return new ConfigScalar(text, false);
            }

            return new ConfigScalar(text);
        }
    }
}
