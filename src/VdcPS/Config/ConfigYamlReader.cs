using System;
using System.Collections.Generic;
using VdcPS.Internal.Yaml;

namespace VdcPS.Config
{
    /// <summary>
    /// Reads a clouds.yaml / secure.yaml / clouds-public.yaml (or their .yml/.json forms: JSON is
    /// YAML) into a <see cref="ConfigMap"/> tree with the module's one YAML reader
    /// (<see cref="YamlTreeReader"/>), then resolves it the way PyYAML's SafeLoader, which
    /// openstacksdk uses, does: YAML 1.1 booleans and nulls, and a repeated key wins over the
    /// earlier one.
    /// </summary>
    internal static class ConfigYamlReader
    {
        private const string StrTag = "tag:yaml.org,2002:str";
        private const string NullTag = "tag:yaml.org,2002:null";

        private static readonly HashSet<string> Trues = new HashSet<string>(StringComparer.Ordinal)
        {
            "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        };

        private static readonly HashSet<string> Falses = new HashSet<string>(StringComparer.Ordinal)
        {
            "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        };

        /// <summary>
        /// Parses one file. Returns null for an empty document (PyYAML's safe_load gives None).
        /// Throws <see cref="CloudConfigException"/> (InvalidFile) with the 1-based line and
        /// column of the first problem.
        /// </summary>
        public static object? Parse(string text, string path)
        {
            var problems = new List<YamlTreeProblem>();
            YamlTreeNode? root = YamlTreeReader.Read(text, problems);
            if (problems.Count > 0)
            {
                YamlTreeProblem first = problems[0];
                int? line = first.Line > 0 ? first.Line : (int?)null;
                int? column = line.HasValue ? first.Column : (int?)null;
                string where = line.HasValue ? $" at line {line}, column {column}" : string.Empty;
                throw new CloudConfigException(
                    CloudConfigException.ReasonInvalidFile,
                    $"The OpenStack configuration file '{path}' cannot be used{where}: {first.Message}",
                    path,
                    line,
                    column,
                    first.Cause);
            }

            return root == null ? null : new Converter().Value(root);
        }

        /// <summary>
        /// One conversion of a tree. A node reached twice (an alias) gives the same object, as in
        /// PyYAML; values taken in through a merge key are copies, so that a later change to one
        /// cloud's settings cannot reach another cloud that merged the same anchor.
        /// </summary>
        private sealed class Converter
        {
            private readonly Dictionary<YamlTreeNode, object?> _done = new Dictionary<YamlTreeNode, object?>();

            public object? Value(YamlTreeNode node)
            {
                if (_done.TryGetValue(node, out object? known))
                {
                    return known;
                }

                object? value;
                switch (node)
                {
                    case YamlTreeScalar scalar:
                        value = Resolve(scalar);
                        break;
                    case YamlTreeSequence sequence:
                        var list = new List<object?>(sequence.Items.Count);
                        foreach (YamlTreeNode item in sequence.Items)
                        {
                            list.Add(Value(item));
                        }

                        value = list;
                        break;
                    default:
                        value = Map((YamlTreeMapping)node);
                        break;
                }

                _done[node] = value;
                return value;
            }

            private ConfigMap Map(YamlTreeMapping mapping)
            {
                // Merged keys first (as PyYAML orders them), then the mapping's own keys, the last
                // of a repeated key winning.
                var map = new ConfigMap();
                foreach (YamlTreeEntry e in mapping.Entries)
                {
                    if (e.Inherited)
                    {
                        map.Set(e.Key.Value, ConfigMap.CloneValue(Value(e.Value)));
                    }
                }

                foreach (YamlTreeEntry e in mapping.Entries)
                {
                    if (!e.Inherited)
                    {
                        map.Set(e.Key.Value, Value(e.Value));
                    }
                }

                return map;
            }
        }

        private static object? Resolve(YamlTreeScalar scalar)
        {
            string text = scalar.Value;
            if (scalar.Tag == StrTag)
            {
                return new ConfigScalar(text);
            }

            if (scalar.Tag == NullTag || scalar.IsNull)
            {
                return null;
            }

            if (!scalar.IsPlain)
            {
                return new ConfigScalar(text);
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
