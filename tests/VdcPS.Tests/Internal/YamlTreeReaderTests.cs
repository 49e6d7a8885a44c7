using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using VdcPS.Config;
using VdcPS.Internal.Yaml;
using VdcPS.Plans;
using Xunit;

namespace VdcPS.Tests.Internal
{
    /// <summary>
    /// The module's one YAML reader, and that the plan catalog and the cloud configuration both
    /// go through it: the same broken text is reported at the same place by both, and each keeps
    /// its own meaning of a repeated key (the catalog reports it, the configuration lets the last
    /// win as PyYAML does).
    /// </summary>
    public class YamlTreeReaderTests
    {
        private static (YamlTreeNode? Root, List<YamlTreeProblem> Problems) Read(string text)
        {
            var problems = new List<YamlTreeProblem>();
            return (YamlTreeReader.Read(text, problems), problems);
        }

        private static YamlTreeMapping Mapping(YamlTreeNode? node) => Assert.IsType<YamlTreeMapping>(node);

        private static string[] Keys(YamlTreeMapping m) => m.Entries.Select(e => e.Key.Value).ToArray();

        [Fact]
        public void Keeps_positions_repeated_keys_styles_and_tags()
        {
            (YamlTreeNode? root, List<YamlTreeProblem> problems) = Read("a: 1\nb: 'x'\na: !!str 2\nc: ~\nd: [1, 2]\n");
            Assert.Empty(problems);
            YamlTreeMapping m = Mapping(root);
            Assert.Equal(new[] { "a", "b", "a", "c", "d" }, Keys(m));
            var second = Assert.IsType<YamlTreeScalar>(m.Entries[2].Value);
            Assert.Equal(("2", "tag:yaml.org,2002:str", 3, 4), (second.Value, second.Tag, second.Line, second.Column));
            Assert.False(Assert.IsType<YamlTreeScalar>(m.Entries[1].Value).IsPlain);
            Assert.True(Assert.IsType<YamlTreeScalar>(m.Entries[3].Value).IsNull);
            Assert.Equal(2, Assert.IsType<YamlTreeSequence>(m.Entries[4].Value).Items.Count);
            Assert.Equal((5, 1), (m.Entries[4].Key.Line, m.Entries[4].Key.Column));
        }

        [Fact]
        public void Merge_key_own_keys_win_earlier_sources_win_and_a_sources_last_repeat_is_taken()
        {
            (YamlTreeNode? root, List<YamlTreeProblem> problems) = Read(
                "x: &x {a: 1, b: 1, b: 2}\ny: &y {a: 9, c: 9}\nz:\n  <<: [*x, *y]\n  c: own\n");
            Assert.Empty(problems);
            YamlTreeMapping z = Mapping(Mapping(root).Entries[2].Value);
            Assert.Equal(new[] { "c", "a", "b" }, Keys(z));
            Assert.Equal(new[] { false, true, true }, z.Entries.Select(e => e.Inherited).ToArray());
            Assert.Equal(new[] { "own", "1", "2" }, z.Entries.Select(e => ((YamlTreeScalar)e.Value).Value).ToArray());
        }

        [Theory]
        [InlineData("a: 1\n---\nb: 2\n", 2, 1, "second YAML document")]
        [InlineData("a: *nothing\n", 1, 4, "refers to no anchor")]
        [InlineData("a:\n  b: 1\n\tc: 2\n", 3, 1, "indented with a tab")]
        [InlineData("a: {b: 1,\n  c: 2\n", 1, 4, "never closed with '}'")]
        [InlineData("<<: 5\n", 1, 1, "merge key")]
        [InlineData("[a]: 1\n", 1, 1, "a key must be a plain name, not a list")]
        public void Problems_point_at_their_cause(string text, int line, int column, string words)
        {
            (_, List<YamlTreeProblem> problems) = Read(text);
            YamlTreeProblem p = Assert.Single(problems);
            Assert.Equal((line, column), (p.Line, p.Column));
            Assert.Contains(words, p.Message);
        }

        [Fact]
        public void An_empty_document_is_no_tree_and_no_problem()
        {
            (YamlTreeNode? root, List<YamlTreeProblem> problems) = Read("# only a comment\n");
            Assert.Null(root);
            Assert.Empty(problems);
        }

        [Theory]
        [InlineData("clouds:\n  a:\n\tb: 1\n")]
        [InlineData("clouds: {a: {b: 1}\n")]
        [InlineData("clouds:\n  a: 1\n---\nx: 2\n")]
        public void Catalog_and_configuration_report_the_same_broken_text_at_the_same_place(string text)
        {
            IReadOnlyList<PlanProblem> planProblems = PlanCatalogParser.Parse(text, "/p/plans.yaml").Problems;
            PlanProblem plan = planProblems.First(p => p.Rule == PlanRules.YamlSyntax);

            var ex = Assert.Throws<CloudConfigException>(() => ConfigYamlReader.Parse(text, "/c/clouds.yaml"));
            Assert.Equal(CloudConfigException.ReasonInvalidFile, ex.Reason);
            Assert.Equal((plan.Line, plan.Column), (ex.Line ?? 0, ex.Column ?? 0));
            Assert.Contains(plan.Message, ex.Message);
            Assert.Contains($"line {plan.Line}, column {plan.Column}", ex.Message);
        }

        [Fact]
        public void Configuration_resolves_like_pyyaml_last_repeat_wins_and_merged_values_are_copies()
        {
            object? parsed = ConfigYamlReader.Parse(
                "base: &b {verify: no, region: R1, region: R2, auth: {username: u}}\nclouds:\n  a: {<<: *b, name: A}\n  c: {<<: *b}\n  e: *b\n", "/c/clouds.yaml");
            var root = Assert.IsType<ConfigMap>(parsed);
            var clouds = Assert.IsType<ConfigMap>(root.Get("clouds"));
            var a = Assert.IsType<ConfigMap>(clouds.Get("a"));
            Assert.Equal(new[] { "verify", "region", "auth", "name" }, a.Keys.ToArray());
            Assert.Equal(false, Assert.IsType<ConfigScalar>(a.Get("verify")).Bool);
            Assert.Equal("R2", a.Get("region")!.ToString());
            var c = Assert.IsType<ConfigMap>(clouds.Get("c"));
            Assert.Equal("R2", c.Get("region")!.ToString());
            var baseAuth = Assert.IsType<ConfigMap>(Assert.IsType<ConfigMap>(root.Get("base")).Get("auth"));
            Assert.NotSame(baseAuth, a.Get("auth")); // merged mappings are copies
            Assert.Equal("u", Assert.IsType<ConfigMap>(a.Get("auth")).Get("username")!.ToString());
            Assert.Same(root.Get("base"), clouds.Get("e")); // a plain alias is the same value, as in PyYAML
        }
    }
}
