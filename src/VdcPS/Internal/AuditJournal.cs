using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace VdcPS.Internal
{
    /// <summary>
    /// Append-only journal of every change VdcPS makes: one JSON object per line (who, when, which
    /// cloud, what, target, before, after, outcome). Location: $env:VDCPS_JOURNAL, else
    /// $XDG_DATA_HOME/vdcps/journal.jsonl (~/.local/share/vdcps/journal.jsonl). Never holds a secret:
    /// callers pass only plan, customer, state, quota values and names.
    /// The journal is VdcPS's own file, not an OpenStack document: it is written with
    /// System.Text.Json's forward-only writer and read with its reader, from typed values.
    /// </summary>
    internal static class AuditJournal
    {
        private static readonly object FileGate = new object();

        internal static string DefaultPath()
        {
            string? explicitPath = Environment.GetEnvironmentVariable("VDCPS_JOURNAL");
            if (!string.IsNullOrEmpty(explicitPath))
            {
                return explicitPath!;
            }

            string? dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(dataHome))
            {
                string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                dataHome = string.IsNullOrEmpty(local)
                    ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
                    : local;
            }

            return Path.Combine(dataHome!, "vdcps", "journal.jsonl");
        }

        /// <summary>Writes one entry. A journal that cannot be written is reported, never fatal to the change itself.</summary>
        internal static string? Write(
            string operatorName, string cloud, string action, string target, string outcome,
            AuditSnapshot? before, AuditSnapshot? after, string? message = null)
        {
            string path = DefaultPath();
            var text = new MemoryStream();
            using (var json = new Utf8JsonWriter(text))
            {
                json.WriteStartObject();
                json.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("operator", operatorName);
                json.WriteString("host", Environment.MachineName);
                json.WriteString("cloud", cloud);
                json.WriteString("action", action);
                json.WriteString("target", target);
                json.WriteString("outcome", outcome);
                json.WritePropertyName("before");
                WriteValue(json, before);
                json.WritePropertyName("after");
                WriteValue(json, after);
                json.WritePropertyName("message");
                WriteValue(json, message);
                json.WriteEndObject();
            }

            text.WriteByte((byte)'\n');
            try
            {
                lock (FileGate)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    byte[] line = text.ToArray();
                    // Append mode: each line lands whole even with several processes writing.
                    for (int attempt = 0; ; attempt++)
                    {
                        try
                        {
                            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                            stream.Write(line, 0, line.Length);
                            break;
                        }
                        catch (IOException) when (attempt < 5)
                        {
                            Thread.Sleep(20 * (attempt + 1));
                        }
                    }
                }

                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return $"Could not write the audit journal {path}: {e.Message}";
            }
        }

        private static void WriteValue(Utf8JsonWriter json, object? value)
        {
            switch (value)
            {
                case null:
                    json.WriteNullValue();
                    break;
                case string s:
                    json.WriteStringValue(s);
                    break;
                case bool b:
                    json.WriteBooleanValue(b);
                    break;
                case int i:
                    json.WriteNumberValue(i);
                    break;
                case long l:
                    json.WriteNumberValue(l);
                    break;
                case AuditSnapshot snapshot:
                    json.WriteStartObject();
                    foreach (KeyValuePair<string, object?> item in snapshot)
                    {
                        json.WritePropertyName(item.Key);
                        WriteValue(json, item.Value);
                    }

                    json.WriteEndObject();
                    break;
                default:
                    json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        internal static IEnumerable<AuditJournalEntry> Read(string path)
        {
            if (!File.Exists(path))
            {
                yield break;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                AuditJournalEntry? entry = null;
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(line);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        JsonElement e = doc.RootElement;
                        entry = new AuditJournalEntry
                        {
                            Time = Text(e, "time"),
                            Operator = Text(e, "operator"),
                            Host = Text(e, "host"),
                            Cloud = Text(e, "cloud"),
                            Action = Text(e, "action"),
                            Target = Text(e, "target"),
                            Outcome = Text(e, "outcome"),
                            Before = Raw(e, "before"),
                            After = Raw(e, "after"),
                            Message = Text(e, "message"),
                        };
                    }
                }
                catch (JsonException)
                {
                    // a torn line (crash mid-write) is skipped, not fatal
                }

                if (entry != null)
                {
                    yield return entry;
                }
            }
        }

        private static string Text(JsonElement e, string key)
            => e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;

        /// <summary>The value's JSON text, compact; '' when absent or null.</summary>
        private static string Raw(JsonElement e, string key)
        {
            if (!e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
            {
                return string.Empty;
            }

            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                v.WriteTo(json);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    /// <summary>One line of the audit journal as read back (strings as written; Before and After as JSON text).</summary>
    internal sealed class AuditJournalEntry
    {
        public string Time { get; set; } = string.Empty;
        public string Operator { get; set; } = string.Empty;
        public string Host { get; set; } = string.Empty;
        public string Cloud { get; set; } = string.Empty;
        public string Action { get; set; } = string.Empty;
        public string Target { get; set; } = string.Empty;
        public string Outcome { get; set; } = string.Empty;
        public string Before { get; set; } = string.Empty;
        public string After { get; set; } = string.Empty;
        public string Message { get; set; } = string.Empty;
    }
}
