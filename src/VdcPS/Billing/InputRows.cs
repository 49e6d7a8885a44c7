using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using VdcPS.Models;

namespace VdcPS.Billing
{
    /// <summary>Why a value of an input row could not be read (the stable error ids of <see cref="InputRows"/>).</summary>
    internal sealed class InputRowProblem
    {
        public InputRowProblem(string id, string column, string value, string reason)
        {
            Id = id;
            Column = column;
            Value = value;
            Reason = reason;
        }

        /// <summary>InputValueInvalid, InputValueAmbiguous or InputValueMissing.</summary>
        public string Id { get; }

        public string Column { get; }

        public string Value { get; }

        public string Reason { get; }

        /// <summary>"Row 3, column Quantity: '37,5' is not a number ..." (rows count from 1, the header not counted).</summary>
        public string Message(int row) => string.Format(CultureInfo.InvariantCulture, "Row {0}, column {1}: {2}", row, Column, Reason);
    }

    /// <summary>
    /// Reads the rows that come back from a file (Import-Csv, Import-Clixml, ConvertFrom-Json, custom
    /// objects) into the module's own models, with one documented rule for every culture, instead of
    /// PowerShell's casts (which read the text "False" as $true, "37,5" as 375, and 01.10.2026 as
    /// January 10th). The rule (about_VdcPS_Billing, "Files that round-trip"):
    /// <list type="bullet">
    /// <item>Text values: as they are.</item>
    /// <item>True/False: the words True and False in any case, nothing else.</item>
    /// <item>Numbers: an optional minus sign, digits, and at most one decimal separator: the dot in
    /// every culture, or the current culture's decimal separator (the comma in de-DE). No thousands
    /// separators, no exponent, no currency sign.</item>
    /// <item>Dates: ISO 8601 (2026-10-01, 2026-10-01T13:05:00Z, with an offset) always; otherwise the
    /// format Export-Csv writes in the invariant culture (10/01/2026 13:05:00) or in the current
    /// culture (01.10.2026 13:05:00 in de-DE); a value that both read differently is ambiguous
    /// and refused. A time without a zone is UTC.</item>
    /// <item>Enumerations: a member's name, in any case.</item>
    /// <item>Empty values: nothing for optional dates (SuspendedAt), the empty text for text; a
    /// required column that is missing or empty is refused.</item>
    /// </list>
    /// Typed values (objects from Import-Clixml, Select-Object, or the module itself) are taken as
    /// they are. A row with a value it cannot read becomes a placeholder that carries the problem
    /// (<see cref="ProblemOf"/>): the cmdlet reports it with the row number and skips it.
    /// </summary>
    internal static class InputRows
    {
        public const string InputValueInvalid = nameof(InputValueInvalid);
        public const string InputValueAmbiguous = nameof(InputValueAmbiguous);
        public const string InputValueMissing = nameof(InputValueMissing);

        private static readonly ConditionalWeakTable<object, InputRowProblem> Problems = new ConditionalWeakTable<object, InputRowProblem>();

        private static readonly Dictionary<Type, string[]> Required = new Dictionary<Type, string[]>
        {
            [typeof(VdcUsageRecord)] = new[] { nameof(VdcUsageRecord.TenantId), nameof(VdcUsageRecord.Resource), nameof(VdcUsageRecord.Quantity), nameof(VdcUsageRecord.PeriodStart), nameof(VdcUsageRecord.PeriodEnd) },
            [typeof(VdcChargeLine)] = new[] { nameof(VdcChargeLine.ChargeType), nameof(VdcChargeLine.PeriodStart), nameof(VdcChargeLine.PeriodEnd), nameof(VdcChargeLine.Amount), nameof(VdcChargeLine.Currency) },
            [typeof(VdcTenant)] = new[] { nameof(VdcTenant.Id) },
        };

        private static readonly Regex IsoDate = new Regex(
            @"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>The problem of a placeholder made for a row that could not be read, or null.</summary>
        public static InputRowProblem? ProblemOf(object row) => row != null && Problems.TryGetValue(row, out InputRowProblem? p) ? p : null;

        /// <summary>
        /// <paramref name="input"/> (one object or a collection) as <typeparamref name="T"/> objects,
        /// in order: objects of the type as they are, other objects read property by property.
        /// </summary>
        public static object? Transform<T>(object? input, CultureInfo culture)
            where T : class, new()
        {
            object? value = input is PSObject pso ? pso.BaseObject : input;
            if (value == null || value is T || value is T[])
            {
                return value;
            }

            if (value is IEnumerable items && !(value is string) && !(value is IDictionary))
            {
                var list = new List<T>();
                foreach (object? item in items)
                {
                    if (item != null)
                    {
                        list.Add(Read<T>(item, culture));
                    }
                }

                return list.ToArray();
            }

            return Read<T>(input!, culture);
        }

        /// <summary>One object as <typeparamref name="T"/>; a placeholder carrying the first problem when a value cannot be read.</summary>
        public static T Read<T>(object input, CultureInfo culture)
            where T : class, new()
        {
            object baseObject = input is PSObject p ? p.BaseObject : input;
            if (baseObject is T typed)
            {
                return typed;
            }

            var result = new T();
            InputRowProblem? problem = null;
            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            if (baseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    values[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = entry.Value;
                }
            }
            else
            {
                foreach (PSPropertyInfo property in PSObject.AsPSObject(input).Properties)
                {
                    if (!values.ContainsKey(property.Name))
                    {
                        try
                        {
                            values[property.Name] = property.Value;
                        }
                        catch (GetValueException)
                        {
                            // a property that throws when read is as good as missing
                        }
                    }
                }
            }

            Required.TryGetValue(typeof(T), out string[]? required);
            foreach (PropertyInfo property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanWrite || property.PropertyType == typeof(PSCredential) || property.PropertyType.IsArray)
                {
                    continue;
                }

                bool isRequired = required != null && required.Contains(property.Name);
                if (!values.TryGetValue(property.Name, out object? raw))
                {
                    if (isRequired)
                    {
                        problem ??= new InputRowProblem(InputValueMissing, property.Name, string.Empty, "the column is missing.");
                    }

                    continue;
                }

                raw = raw is PSObject wrapped ? wrapped.BaseObject : raw;
                if (isRequired && (raw == null || (raw is string s && s.Trim().Length == 0)))
                {
                    problem ??= new InputRowProblem(InputValueMissing, property.Name, string.Empty, "the value is empty.");
                    continue;
                }

                InputRowProblem? valueProblem = ReadValue(property.PropertyType, property.Name, raw, culture, out object? converted);
                if (valueProblem != null)
                {
                    problem ??= valueProblem;
                    continue;
                }

                if (converted != null || !property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) != null)
                {
                    property.SetValue(result, converted ?? (property.PropertyType == typeof(string) ? string.Empty : null));
                }
            }

            if (problem != null)
            {
                Problems.Add(result, problem);
            }

            return result;
        }

        /// <summary>Reads one value for a property of <paramref name="type"/>; null on success.</summary>
        internal static InputRowProblem? ReadValue(Type type, string column, object? raw, CultureInfo culture, out object? value)
        {
            value = null;
            Type target = Nullable.GetUnderlyingType(type) ?? type;
            bool nullable = !type.IsValueType || Nullable.GetUnderlyingType(type) != null;
            string? text = raw as string;
            if (raw == null || (text != null && text.Trim().Length == 0))
            {
                if (nullable)
                {
                    value = target == typeof(string) ? (raw ?? string.Empty) : null;
                    return null;
                }

                return new InputRowProblem(InputValueMissing, column, string.Empty, "the value is empty.");
            }

            if (target == typeof(string))
            {
                value = text ?? Convert.ToString(raw, CultureInfo.InvariantCulture);
                return null;
            }

            if (text == null)
            {
                // a typed value (Import-Clixml, Select-Object, the module's own objects)
                if (target.IsInstanceOfType(raw))
                {
                    value = target == typeof(DateTime) ? TenantTimeline.Utc((DateTime)raw) : raw;
                    return null;
                }

                if (target == typeof(DateTime) && raw is DateTimeOffset offset)
                {
                    value = offset.UtcDateTime;
                    return null;
                }

                if (target == typeof(decimal) && (raw is int || raw is long || raw is short || raw is byte || raw is uint || raw is ulong))
                {
                    value = Convert.ToDecimal(raw, CultureInfo.InvariantCulture);
                    return null;
                }

                if (target == typeof(decimal) && (raw is double || raw is float))
                {
                    // shortest round-trip text of the binary number, read back as a decimal: 0.1 stays 0.1
                    text = raw is double d ? d.ToString("R", CultureInfo.InvariantCulture) : ((float)raw).ToString("R", CultureInfo.InvariantCulture);
                }
                else if (target.IsEnum && (raw is Enum))
                {
                    text = raw.ToString();
                }
                else if (target.IsEnum && (raw is int || raw is long || raw is short || raw is byte))
                {
                    // Import-Clixml gives an enumeration back as its number
                    object member = Enum.ToObject(target, raw);
                    if (Enum.IsDefined(target, member))
                    {
                        value = member;
                        return null;
                    }

                    return new InputRowProblem(InputValueInvalid, column, Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty,
                        $"{raw} is not one of {string.Join(", ", Enum.GetNames(target))}.");
                }
                else
                {
                    return new InputRowProblem(InputValueInvalid, column, Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty,
                        string.Format(CultureInfo.InvariantCulture, "a value of type {0} cannot be read as {1}.", raw.GetType().Name, target.Name));
                }
            }

            string trimmed = text.Trim();
            if (target == typeof(bool))
            {
                if (string.Equals(trimmed, "True", StringComparison.OrdinalIgnoreCase))
                {
                    value = true;
                    return null;
                }

                if (string.Equals(trimmed, "False", StringComparison.OrdinalIgnoreCase))
                {
                    value = false;
                    return null;
                }

                return new InputRowProblem(InputValueInvalid, column, text, $"'{text}' is neither True nor False.");
            }

            if (target == typeof(decimal))
            {
                return ReadDecimal(column, trimmed, culture, out value);
            }

            if (target == typeof(int))
            {
                if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
                {
                    value = i;
                    return null;
                }

                return new InputRowProblem(InputValueInvalid, column, text, $"'{text}' is not a whole number.");
            }

            if (target == typeof(DateTime))
            {
                return ReadDate(column, trimmed, culture, out value);
            }

            if (target.IsEnum)
            {
                string? name = Enum.GetNames(target).FirstOrDefault(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
                if (name != null)
                {
                    value = Enum.Parse(target, name);
                    return null;
                }

                return new InputRowProblem(InputValueInvalid, column, text,
                    $"'{text}' is not one of {string.Join(", ", Enum.GetNames(target))}.");
            }

            // a type without a culture question (a Uri, a Guid): PowerShell's own conversion
            try
            {
                value = LanguagePrimitives.ConvertTo(trimmed, target, CultureInfo.InvariantCulture);
                return null;
            }
            catch (PSInvalidCastException)
            {
                return new InputRowProblem(InputValueInvalid, column, text, $"'{text}' cannot be read as {target.Name}.");
            }
        }

        /// <summary>
        /// Digits with at most one decimal separator: the dot, or the culture's separator. No
        /// thousands separators: the dot is never read as one, so 1.234 is always one point two three four.
        /// </summary>
        internal static InputRowProblem? ReadDecimal(string column, string text, CultureInfo culture, out object? value)
        {
            value = null;
            NumberFormatInfo format = culture.NumberFormat;
            string body = text;
            bool negative = false;
            if (body.StartsWith("-", StringComparison.Ordinal) || body.StartsWith("+", StringComparison.Ordinal))
            {
                negative = body[0] == '-';
                body = body.Substring(1);
            }
            else if (format.NegativeSign.Length > 0 && format.NegativeSign != "-" && body.StartsWith(format.NegativeSign, StringComparison.Ordinal))
            {
                negative = true;
                body = body.Substring(format.NegativeSign.Length);
            }

            string separator = format.NumberDecimalSeparator;
            string? canonical = Digits(body, ".");
            if (canonical == null && separator != ".")
            {
                canonical = Digits(body, separator);
            }

            if (canonical != null && decimal.TryParse((negative ? "-" : string.Empty) + canonical, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal d))
            {
                value = d;
                return null;
            }

            string accepted = separator == "." ? "the dot" : $"the dot or '{separator}'";
            return new InputRowProblem(InputValueInvalid, column, text,
                $"'{text}' is not a number: write digits with {accepted} as the decimal separator and no thousands separators (culture '{culture.Name}').");
        }

        /// <summary>"12.5" for "12" + separator + "5"; null unless the text is digits with at most one separator between digits.</summary>
        private static string? Digits(string body, string separator)
        {
            int at = body.IndexOf(separator, StringComparison.Ordinal);
            string whole = at < 0 ? body : body.Substring(0, at);
            string fraction = at < 0 ? string.Empty : body.Substring(at + separator.Length);
            bool AllDigits(string s) => s.Length > 0 && s.All(c => c >= '0' && c <= '9');
            if (!AllDigits(whole) || (at >= 0 && !AllDigits(fraction)))
            {
                return null;
            }

            return at < 0 ? whole : whole + "." + fraction;
        }

        /// <summary>ISO 8601 always; otherwise the invariant culture's and the current culture's formats, refused when they disagree.</summary>
        internal static InputRowProblem? ReadDate(string column, string text, CultureInfo culture, out object? value)
        {
            value = null;
            const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
            if (IsoDate.IsMatch(text))
            {
                string iso = text.Replace(' ', 'T');
                if (DateTime.TryParse(iso, CultureInfo.InvariantCulture, Utc, out DateTime isoValue))
                {
                    value = DateTime.SpecifyKind(isoValue, DateTimeKind.Utc);
                    return null;
                }

                return new InputRowProblem(InputValueInvalid, column, text, $"'{text}' is not a date (ISO 8601, such as 2026-10-01T00:00:00Z).");
            }

            DateTime? invariant = Exact(text, CultureInfo.InvariantCulture);
            DateTime? local = culture.Equals(CultureInfo.InvariantCulture) ? invariant : Exact(text, culture);
            if (invariant.HasValue && local.HasValue && invariant.Value != local.Value)
            {
                return new InputRowProblem(InputValueAmbiguous, column, text, string.Format(CultureInfo.InvariantCulture,
                    "'{0}' is ambiguous: {1:yyyy-MM-dd HH:mm:ss} in the invariant format, {2:yyyy-MM-dd HH:mm:ss} in culture '{3}'. Write dates as ISO 8601 (yyyy-MM-ddTHH:mm:ssZ).",
                    text, invariant.Value, local.Value, culture.Name));
            }

            DateTime? result = invariant ?? local;
            if (result.HasValue)
            {
                value = DateTime.SpecifyKind(result.Value, DateTimeKind.Utc);
                return null;
            }

            return new InputRowProblem(InputValueInvalid, column, text, string.Format(CultureInfo.InvariantCulture,
                "'{0}' is not a date: write ISO 8601 (2026-10-01T00:00:00Z), or the date as Export-Csv writes it in culture '{1}' ({2}).",
                text, culture.Name, new DateTime(2026, 10, 1, 13, 5, 0).ToString(culture)));
        }

        /// <summary>The date in one of the culture's short-date or general formats (what Export-Csv writes), or null.</summary>
        private static DateTime? Exact(string text, CultureInfo culture)
        {
            DateTimeFormatInfo format = culture.DateTimeFormat;
            string[] patterns = format.GetAllDateTimePatterns('G')
                .Concat(format.GetAllDateTimePatterns('g'))
                .Concat(format.GetAllDateTimePatterns('d'))
                .Select(Spaces)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            string normalized = Spaces(text);
            return DateTime.TryParseExact(normalized, patterns, culture, DateTimeStyles.AllowWhiteSpaces, out DateTime parsed)
                ? parsed
                : (DateTime?)null;
        }

        /// <summary>No-break and narrow no-break spaces (ICU puts them before AM/PM) as plain spaces, so a hand-edited file reads the same.</summary>
        private static string Spaces(string s) => s.Replace('\u202F', ' ').Replace('\u00A0', ' ');
    }

    /// <summary>
    /// Reads pipeline or parameter input that is not already a usage row (Import-Csv rows and other
    /// objects) with the rule of <see cref="InputRows"/> in the current culture, before PowerShell's
    /// own conversion would misread it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class UsageRowsAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
            => InputRows.Transform<VdcUsageRecord>(inputData, CultureInfo.CurrentCulture);
    }

    /// <summary>Tenant objects from files: see <see cref="UsageRowsAttribute"/>.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class TenantRowsAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
            => InputRows.Transform<VdcTenant>(inputData, CultureInfo.CurrentCulture);
    }

    /// <summary>Charge lines from files: see <see cref="UsageRowsAttribute"/>.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ChargeLineRowsAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
            => InputRows.Transform<VdcChargeLine>(inputData, CultureInfo.CurrentCulture);
    }
}
