using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;

namespace VdcPS.Internal
{
    /// <summary>
    /// Append-only journal of every change VdcPS makes: one JSON object per line (who, when, which
    /// cloud, what, target, before, after, outcome). Location: $env:VDCPS_JOURNAL, else
    /// $XDG_DATA_HOME/vdcps/journal.jsonl (~/.local/share/vdcps/journal.jsonl). Never holds a secret:
    /// callers pass only plan, customer, state, quota values and names.
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
            JsonNode? before, JsonNode? after, string? message = null)
        {
            string path = DefaultPath();
            var entry = new JsonObject
            {
                ["time"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["operator"] = operatorName,
                ["host"] = Environment.MachineName,
                ["cloud"] = cloud,
                ["action"] = action,
                ["target"] = target,
                ["outcome"] = outcome,
                ["before"] = before,
                ["after"] = after,
                ["message"] = message,
            };
            try
            {
                lock (FileGate)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    byte[] line = Encoding.UTF8.GetBytes(entry.ToJsonString() + "\n");
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

        internal static IEnumerable<JsonObject> Read(string path)
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

                JsonObject? entry = null;
                try
                {
                    entry = JsonNode.Parse(line) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    // a torn line (crash mid-write) is skipped, not fatal
                }

                if (entry != null)
                {
                    yield return entry;
                }
            }
        }
    }
}
