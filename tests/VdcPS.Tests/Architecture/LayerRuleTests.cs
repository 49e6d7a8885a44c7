using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using VdcPS.Commands;
using Xunit;

namespace VdcPS.Tests.Architecture
{
    /// <summary>
    /// The one rule of the layers (docs/design.md): a cmdlet talks to feature services and never to the
    /// OpenStack layer; only the OpenStack layer builds or parses JSON documents. Checked twice: in the
    /// compiled assembly (every type, member signature, local and instruction operand of the cmdlet
    /// types, so a `var` or a property chain cannot hide a reference) and in the source (imports).
    /// </summary>
    public class LayerRuleTests
    {
        private const string OpenstackNamespace = "VdcPS.Openstack";
        private const string JsonDomNamespace = "System.Text.Json.Nodes";

        private static readonly Assembly Module = typeof(VdcCmdlet).Assembly;

        [Fact]
        public void Cmdlets_reference_no_type_of_the_OpenStack_layer()
        {
            List<string> offences = Offences(Module.GetTypes().Where(t => t.Namespace == "VdcPS.Commands"), OpenstackNamespace);
            Assert.True(offences.Count == 0, "Cmdlets must go through a feature service:" + Environment.NewLine + string.Join(Environment.NewLine, offences));
        }

        [Fact]
        public void Only_the_OpenStack_layer_uses_JSON_documents()
        {
            List<string> offences = Offences(Module.GetTypes().Where(t => !InNamespace(t, OpenstackNamespace)), JsonDomNamespace);
            Assert.True(offences.Count == 0, "JsonObject/JsonNode belong in src/VdcPS/Openstack (typed request and result types):" + Environment.NewLine + string.Join(Environment.NewLine, offences.Distinct()));
        }

        [Fact]
        public void Only_the_one_YAML_reader_uses_YamlDotNet()
        {
            // The dependency resolver names YamlDotNet to tell where it was loaded from; it reads no YAML.
            List<string> offences = Offences(Module.GetTypes().Where(t => !InNamespace(t, "VdcPS.Internal.Yaml") && !InNamespace(t, "VdcPS.Isolation")), "YamlDotNet");
            Assert.True(offences.Count == 0, "YAML is read by src/VdcPS/Internal/Yaml/YamlTreeReader only:" + Environment.NewLine + string.Join(Environment.NewLine, offences));
            Assert.NotEmpty(Offences(Module.GetTypes().Where(t => InNamespace(t, "VdcPS.Internal.Yaml")), "YamlDotNet"));
        }

        [Fact]
        public void Cmdlet_sources_import_no_OpenStack_namespace_and_no_JSON_document_outside_Openstack()
        {
            string src = Path.Combine(RepositoryRoot(), "src", "VdcPS");
            var offences = new List<string>();
            foreach (string file in Directory.GetFiles(Path.Combine(src, "Commands"), "*.cs"))
            {
                foreach (string line in File.ReadLines(file).Where(l => CommandsImport.IsMatch(l)))
                {
                    offences.Add($"{Path.GetFileName(file)}: {line.Trim()}");
                }
            }

            foreach (string file in Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.StartsWith(Path.Combine(src, "Openstack") + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                foreach (string line in File.ReadLines(file).Where(l => JsonDocument.IsMatch(l)))
                {
                    offences.Add($"{Path.GetRelativePath(src, file)}: {line.Trim()}");
                }
            }

            Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
        }

        [Fact]
        public void The_checker_sees_references_in_signatures_locals_and_instructions()
        {
            // The rule tests are only worth something if the scanner finds what it looks for.
            Type probe = typeof(Probe);
            var used = References(probe).Select(r => r.Type).ToList();
            Assert.Contains(typeof(System.Text.Json.Nodes.JsonObject), used); // local and newobj
            Assert.Contains(typeof(System.Text.Json.Nodes.JsonNode), used); // call return type
            Assert.Contains(typeof(Uri), used); // field
            Assert.Contains(typeof(VdcPS.Openstack.Identity.ProjectDto), used); // only through a `var` and a property chain

            // and the two rules report such a type
            Assert.NotEmpty(Offences(new[] { probe }, OpenstackNamespace));
            Assert.NotEmpty(Offences(new[] { probe }, JsonDomNamespace));
        }

        [Fact]
        public void The_source_check_sees_an_import_and_a_JSON_document()
        {
            Assert.Matches(CommandsImport, "using VdcPS.Openstack.Identity;");
            Assert.Matches(JsonDocument, "var body = new JsonObject { [\"a\"] = 1 };");
            Assert.DoesNotMatch(JsonDocument, "using System.Text.Json;");
        }

        private static readonly Regex CommandsImport = new Regex(@"\bVdcPS\.Openstack\b");

        private static readonly Regex JsonDocument = new Regex(@"\b(JsonObject|JsonNode|JsonArray|System\.Text\.Json\.Nodes)\b");

        private static List<string> Offences(IEnumerable<Type> types, string forbiddenNamespace)
        {
            var offences = new List<string>();
            foreach (Type type in types)
            {
                foreach ((string where, Type used) in References(type))
                {
                    if (InNamespace(used, forbiddenNamespace))
                    {
                        offences.Add($"{type.FullName}: {where} uses {used.FullName}");
                    }
                }
            }

            return offences.Distinct().ToList();
        }

        private sealed class Probe
        {
#pragma warning disable CS0649, CS0169
            private Uri? _field;
#pragma warning restore CS0649, CS0169

            public string Run()
            {
                var o = new System.Text.Json.Nodes.JsonObject { ["a"] = 1 };
                var tenant = new VdcPS.Tenants.TenantRecord(new VdcPS.Openstack.Identity.ProjectDto { Name = "p" });
                return System.Text.Json.Nodes.JsonNode.Parse("{}")!.ToJsonString() + o.Count + tenant.Project.Name;
            }
        }

        private static bool InNamespace(Type type, string ns)
            => type.Namespace != null && (type.Namespace == ns || type.Namespace.StartsWith(ns + ".", StringComparison.Ordinal));

        /// <summary>Every type a type (with its nested, compiler-made types) refers to, with where.</summary>
        private static IEnumerable<(string Where, Type Type)> References(Type type)
        {
            const BindingFlags All = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (Type nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var r in References(nested))
                {
                    yield return r;
                }
            }

            if (type.BaseType != null)
            {
                foreach (Type t in Expand(type.BaseType))
                {
                    yield return ("base type", t);
                }
            }

            foreach (Type i in type.GetInterfaces())
            {
                foreach (Type t in Expand(i))
                {
                    yield return ("interface", t);
                }
            }

            foreach (FieldInfo f in type.GetFields(All))
            {
                foreach (Type t in Expand(f.FieldType))
                {
                    yield return ($"field {f.Name}", t);
                }
            }

            foreach (PropertyInfo p in type.GetProperties(All))
            {
                foreach (Type t in Expand(p.PropertyType))
                {
                    yield return ($"property {p.Name}", t);
                }
            }

            foreach (MethodBase m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (m is MethodInfo mi)
                {
                    foreach (Type t in Expand(mi.ReturnType))
                    {
                        yield return ($"{m.Name} returns", t);
                    }
                }

                foreach (ParameterInfo p in m.GetParameters())
                {
                    foreach (Type t in Expand(p.ParameterType))
                    {
                        yield return ($"{m.Name}({p.Name})", t);
                    }
                }

                MethodBody? body = m.GetMethodBody();
                if (body == null)
                {
                    continue;
                }

                foreach (LocalVariableInfo local in body.LocalVariables)
                {
                    foreach (Type t in Expand(local.LocalType))
                    {
                        yield return ($"{m.Name} local", t);
                    }
                }

                foreach (MemberInfo member in Operands(m, body))
                {
                    IEnumerable<Type> types = member switch
                    {
                        Type t => Expand(t),
                        FieldInfo f => Expand(f.FieldType).Concat(Expand(f.DeclaringType!)),
                        MethodInfo call => Expand(call.ReturnType).Concat(Expand(call.DeclaringType!)).Concat(call.GetParameters().SelectMany(p => Expand(p.ParameterType))),
                        ConstructorInfo ctor => Expand(ctor.DeclaringType!).Concat(ctor.GetParameters().SelectMany(p => Expand(p.ParameterType))),
                        _ => Enumerable.Empty<Type>(),
                    };
                    foreach (Type t in types)
                    {
                        yield return ($"{m.Name} uses {member.Name}", t);
                    }
                }
            }
        }

        /// <summary>A type with its element and generic argument types.</summary>
        private static IEnumerable<Type> Expand(Type type)
        {
            if (type.HasElementType)
            {
                foreach (Type t in Expand(type.GetElementType()!))
                {
                    yield return t;
                }

                yield break;
            }

            if (type.IsGenericParameter)
            {
                yield break;
            }

            yield return type;
            if (type.IsGenericType)
            {
                foreach (Type arg in type.GetGenericArguments())
                {
                    foreach (Type t in Expand(arg))
                    {
                        yield return t;
                    }
                }
            }
        }

        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        /// <summary>The members named by the method's instructions (calls, field accesses, type tokens).</summary>
        private static IEnumerable<MemberInfo> Operands(MethodBase method, MethodBody body)
        {
            byte[] il = body.GetILAsByteArray() ?? Array.Empty<byte>();
            Type[]? typeArgs = method.DeclaringType != null && method.DeclaringType.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
            Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
            int i = 0;
            while (i < il.Length)
            {
                short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
                i += il[i] == 0xFE ? 2 : 1;
                OpCode op = OpCodesByValue[value];
                switch (op.OperandType)
                {
                    case OperandType.InlineMethod:
                    case OperandType.InlineField:
                    case OperandType.InlineType:
                    case OperandType.InlineTok:
                        int token = BitConverter.ToInt32(il, i);
                        MemberInfo? member = null;
                        try
                        {
                            member = method.Module.ResolveMember(token, typeArgs, methodArgs);
                        }
                        catch (ArgumentException)
                        {
                        }

                        if (member != null)
                        {
                            yield return member;
                        }

                        i += 4;
                        break;
                    case OperandType.InlineSwitch:
                        int count = BitConverter.ToInt32(il, i);
                        i += 4 + (4 * count);
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        i += 8;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        i += 1;
                        break;
                    case OperandType.InlineVar:
                        i += 2;
                        break;
                    default:
                        i += 4;
                        break;
                }
            }
        }

        private static string RepositoryRoot()
        {
            string? dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "VdcPS.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("VdcPS.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
