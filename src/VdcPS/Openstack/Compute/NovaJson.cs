using System;
using System.Globalization;
using System.Text.Json;

namespace VdcPS.Openstack.Compute
{
    /// <summary>Reading Nova's streamed documents (usage, server history, instance actions): text and times.</summary>
    internal static class NovaJson
    {
        /// <summary>A string property; empty when absent, null or not a string.</summary>
        internal static string Text(JsonElement e, string name)
            => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;

        /// <summary>Nova's times: naive UTC ("2026-12-06T13:46:34.557371") or with a zone; null when absent.</summary>
        internal static DateTime? Time(JsonElement e, string name)
        {
            string text = Text(e, name);
            if (text.Length == 0)
            {
                return null;
            }

            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime t))
            {
                throw new FormatException($"Nova's '{name}' = '{text}' is not a time.");
            }

            return t;
        }
    }
}
