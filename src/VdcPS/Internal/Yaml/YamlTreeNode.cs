using System;
using System.Collections.Generic;

namespace VdcPS.Internal.Yaml
{
    /// <summary>
    /// A node of a YAML document as <see cref="YamlTreeReader"/> reads it: what was written, and the
    /// 1-based line and column where it starts, so that every caller can say where a problem is.
    /// </summary>
    internal abstract class YamlTreeNode
    {
        protected YamlTreeNode(int line, int column)
        {
            Line = line;
            Column = column;
        }

        public int Line { get; }

        public int Column { get; }

        /// <summary>"a value", "a list", "a mapping": for messages.</summary>
        public abstract string Kind { get; }
    }

    internal sealed class YamlTreeScalar : YamlTreeNode
    {
        private static readonly HashSet<string> Nulls = new HashSet<string>(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

        public YamlTreeScalar(string value, bool plain, string? tag, int line, int column)
            : base(line, column)
        {
            Value = value;
            IsPlain = plain;
            Tag = tag;
        }

        /// <summary>The text exactly as written (without quotes).</summary>
        public string Value { get; }

        /// <summary>Written without quotes (so <c>null</c>, <c>~</c> and nothing at all mean "no value").</summary>
        public bool IsPlain { get; }

        /// <summary>An explicit tag such as <c>tag:yaml.org,2002:str</c> (<c>!!str</c>), or null.</summary>
        public string? Tag { get; }

        /// <summary>An empty value (<c>key:</c>, <c>key: null</c>, <c>key: ~</c>).</summary>
        public bool IsNull => IsPlain && Nulls.Contains(Value);

        public override string Kind => IsNull ? "an empty value" : "a value";
    }

    internal sealed class YamlTreeSequence : YamlTreeNode
    {
        public YamlTreeSequence(int line, int column)
            : base(line, column)
        {
        }

        public List<YamlTreeNode> Items { get; } = new List<YamlTreeNode>();

        public override string Kind => "a list";
    }

    /// <summary>One key and its value in a <see cref="YamlTreeMapping"/>.</summary>
    internal sealed class YamlTreeEntry
    {
        public YamlTreeEntry(YamlTreeScalar key, YamlTreeNode value, bool inherited)
        {
            Key = key;
            Value = value;
            Inherited = inherited;
        }

        public YamlTreeScalar Key { get; }

        public YamlTreeNode Value { get; }

        /// <summary>Came in through a merge key (<c>&lt;&lt;: *anchor</c>), not written in this mapping.</summary>
        public bool Inherited { get; }
    }

    internal sealed class YamlTreeMapping : YamlTreeNode
    {
        public YamlTreeMapping(int line, int column)
            : base(line, column)
        {
        }

        /// <summary>
        /// The entries written in the mapping, in file order and with repeated keys kept (each
        /// caller decides what a repeated key means), then the inherited ones
        /// (<see cref="YamlTreeEntry.Inherited"/>) whose keys the mapping does not write itself.
        /// </summary>
        public List<YamlTreeEntry> Entries { get; } = new List<YamlTreeEntry>();

        public override string Kind => "a mapping";
    }
}
