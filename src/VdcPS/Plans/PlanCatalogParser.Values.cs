using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using VdcPS.Internal.Yaml;

namespace VdcPS.Plans
{
    // PlanCatalogParser, part: reading values (numbers, money, text, quota numbers) and keys (unknown keys, repeated keys, suggestions) (the class is described in PlanCatalogParser.cs).
    internal sealed partial class PlanCatalogParser
    {
        // ------------------------------------------------------------------ values

        private string? Text(YamlTreeEntry entry, string? plan, string setting)
        {
            if (entry.Value is YamlTreeScalar s)
            {
                return s.IsNull ? null : s.Value;
            }

            Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.WrongType,
                $"'{entry.Key.Value}' must be a single value, not {entry.Value.Kind}.");
            return null;
        }

        private string? Currency(YamlTreeEntry entry, string? plan, string setting)
        {
            string? code = Text(entry, plan, setting);
            if (code == null)
            {
                if (entry.Value is YamlTreeScalar)
                {
                    Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.MissingValue,
                        "'currency' is empty; give an ISO 4217 code such as EUR.");
                }

                return null;
            }

            if (!CurrencyCodes.IsKnown(code))
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.UnknownCurrency,
                    (plan != null ? $"plan '{plan}': " : string.Empty) + CurrencyCodes.Explain(code));
                return null;
            }

            return code;
        }

        private string? Role(YamlTreeEntry entry, string? plan, string setting)
        {
            string? role = Text(entry, plan, setting);
            string who = plan != null ? $"of plan '{plan}' " : string.Empty;
            if (role == null || role.Trim().Length == 0)
            {
                if (entry.Value is YamlTreeScalar)
                {
                    Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.InvalidRole,
                        $"the role {who}is empty; give the Keystone role the tenant's user gets (usually '{DefaultRole}'), or leave the key out.");
                }

                return null;
            }

            if (role != role.Trim() || role.Length > 255)
            {
                Error(entry.Value.Line, entry.Value.Column, plan, setting, PlanRules.InvalidRole,
                    $"the role {who}'{role}' is not a valid Keystone role name (1 to 255 characters, no leading or trailing spaces).");
                return null;
            }

            return role;
        }

        private decimal? Money(YamlTreeNode node, string plan, string setting, string what)
        {
            decimal? value = Number(node, plan, setting, what, allowNegative: true);
            if (value != null && value.Value < 0)
            {
                Error(node.Line, node.Column, plan, setting, PlanRules.NegativePrice,
                    $"{what} of plan '{plan}' is negative ({value.Value.ToString(CultureInfo.InvariantCulture)}); prices are 0 or more (give discounts on the invoice, not in the catalog).");
                return null;
            }

            return value;
        }

        private decimal? Number(YamlTreeNode node, string plan, string setting, string what, bool allowNegative)
        {
            if (!(node is YamlTreeScalar s) || s.IsNull)
            {
                Error(node.Line, node.Column, plan, setting, node is YamlTreeScalar ? PlanRules.MissingValue : PlanRules.WrongType,
                    $"{what} of plan '{plan}' must be a number such as 149.00, not {node.Kind}.");
                return null;
            }

            string text = s.Value.Trim();
            if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
            {
                if (!allowNegative && value < 0)
                {
                    Error(node.Line, node.Column, plan, setting, PlanRules.InvalidNumber,
                        $"{what} of plan '{plan}' is negative ({text}); it must be 0 or more.");
                    return null;
                }

                return value;
            }

            if (Regex.IsMatch(text, @"^[+-]?\d+(\.\d*)?$"))
            {
                // digits only, but beyond what a decimal holds (about 7.9e28)
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidNumber,
                    $"{what} of plan '{plan}' is {text}, which is too large: a price is at most {decimal.MaxValue:0} (with fewer decimals as the number grows).");
                return null;
            }

            string hint;
            if (text.IndexOf(',') >= 0 && decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            {
                hint = $" Use a dot as the decimal separator: {text.Replace(',', '.')}.";
            }
            else if (Regex.IsMatch(text, @"\d") && Regex.IsMatch(text, @"[^\d.,+\-\s]"))
            {
                hint = " Write the plain number without a currency or unit (149.00); the plan's 'currency' says what it is in.";
            }
            else
            {
                hint = " Write a plain decimal number such as 149.00 or 0.0125.";
            }

            Error(node.Line, node.Column, plan, setting, PlanRules.InvalidNumber, $"{what} of plan '{plan}' is '{s.Value}', which is not a number.{hint}");
            return null;
        }

        private long? QuotaNumber(YamlTreeNode node, string plan, string setting, string what)
        {
            if (!(node is YamlTreeScalar s) || s.IsNull)
            {
                Error(node.Line, node.Column, plan, setting, node is YamlTreeScalar ? PlanRules.MissingValue : PlanRules.WrongType,
                    $"{what} must be a whole number (or -1 / unlimited), not {node.Kind}.");
                return null;
            }

            string text = s.Value.Trim();
            if (string.Equals(text, "unlimited", StringComparison.OrdinalIgnoreCase))
            {
                return PlanQuota.Unlimited;
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                if (value < PlanQuota.Unlimited)
                {
                    Error(node.Line, node.Column, plan, setting, PlanRules.InvalidQuotaValue,
                        $"{what} is {text}; a quota is 0 or more, or -1 (unlimited).");
                    return null;
                }

                return value;
            }

            if (Regex.IsMatch(text, @"^[+-]?\d+$"))
            {
                // a whole number, but beyond a 64-bit quota
                Error(node.Line, node.Column, plan, setting, PlanRules.InvalidQuotaValue,
                    $"{what} is {text}, which is too large: a quota is at most {long.MaxValue}.");
                return null;
            }

            string hint = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? " Quotas are whole numbers."
                : Regex.IsMatch(text, @"^\d+\s*[A-Za-z]+$") ? " Write the number only: the unit is fixed by the quota (ram in MB, gigabytes in GB)." : string.Empty;
            Error(node.Line, node.Column, plan, setting, PlanRules.InvalidQuotaValue,
                $"{what} is '{s.Value}', which is not a whole number or 'unlimited'.{hint}");
            return null;
        }

        // ------------------------------------------------------------------ keys

        /// <summary>
        /// The mapping's entries by key, keeping the first of repeated keys. Unknown keys and
        /// repeated keys are reported.
        /// </summary>
        private Dictionary<string, YamlTreeEntry> Keys(YamlTreeMapping map, string[] allowed, string? plan, string setting, string where)
        {
            var result = new Dictionary<string, YamlTreeEntry>(StringComparer.Ordinal);
            foreach (YamlTreeEntry e in map.Entries)
            {
                string key = e.Key.Value;
                string s = setting.Length == 0 ? key : setting + "." + key;
                if (result.TryGetValue(key, out YamlTreeEntry? first))
                {
                    Duplicate(e, first, plan, s, where);
                    continue;
                }

                if (Array.IndexOf(allowed, key) < 0)
                {
                    Error(e.Key.Line, e.Key.Column, plan, s, PlanRules.UnknownKey,
                        $"'{key}' is not a setting of {where}. {Suggest(key, allowed)}Allowed: {string.Join(", ", allowed)}.");
                    continue;
                }

                result.Add(key, e);
            }

            return result;
        }

        /// <summary>The mapping's entries with repeated keys reported and dropped (for free-form keys: units, services, quotas).</summary>
        private IEnumerable<YamlTreeEntry> DistinctEntries(YamlTreeMapping map, string plan, string setting, string where)
        {
            var seen = new Dictionary<string, YamlTreeEntry>(StringComparer.Ordinal);
            var result = new List<YamlTreeEntry>();
            foreach (YamlTreeEntry e in map.Entries)
            {
                if (seen.TryGetValue(e.Key.Value, out YamlTreeEntry? first))
                {
                    Duplicate(e, first, plan, setting + "." + e.Key.Value, where);
                    continue;
                }

                seen.Add(e.Key.Value, e);
                result.Add(e);
            }

            return result;
        }

        private void Duplicate(YamlTreeEntry again, YamlTreeEntry first, string? plan, string setting, string where)
            => Error(again.Key.Line, again.Key.Column, plan, setting, PlanRules.DuplicateKey,
                $"'{again.Key.Value}' is given twice in {where} (first at line {first.Key.Line}); keep one of them.");

        /// <summary>"Did you mean 'x'? " for a close candidate (same letters ignoring case/-/_, or at most 2 edits), else "".</summary>
        internal static string Suggest(string given, IEnumerable<string> candidates)
        {
            string Normalize(string s) => new string(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
            string g = Normalize(given);
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string c in candidates)
            {
                int d = string.Equals(Normalize(c), g, StringComparison.Ordinal) ? 0 : Distance(given.ToLowerInvariant(), c.ToLowerInvariant());
                if (d < bestDistance)
                {
                    best = c;
                    bestDistance = d;
                }
            }

            int limit = given.Length <= 4 ? 1 : 2;
            return best != null && bestDistance <= limit ? $"Did you mean '{best}'? " : string.Empty;
        }

        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (int j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1); // transposition
                    }
                }
            }

            return d[a.Length, b.Length];
        }

        private static string Show(long v) => v.ToString(CultureInfo.InvariantCulture);

        private void Error(int line, int column, string? plan, string? setting, string rule, string message)
            => _problems.Add(PlanProblem.Error(_path, line, column, plan, setting, rule, message));

        private void Warning(int line, int column, string? plan, string? setting, string rule, string message)
            => _problems.Add(PlanProblem.Warning(_path, line, column, plan, setting, rule, message));
    }
}
