using System;
using System.Collections.Generic;
using System.IO;

namespace VdcPS.Plans
{
    /// <summary>Reads plan catalog files.</summary>
    internal static class PlanCatalogLoader
    {
        private static readonly object CacheLock = new object();
        private static readonly Dictionary<string, (DateTime WriteTime, long Length, PlanCatalog Catalog)> Cache =
            new Dictionary<string, (DateTime, long, PlanCatalog)>(StringComparer.Ordinal);

        /// <summary>
        /// Loads the catalog at <paramref name="path"/>. Throws <see cref="PlanCatalogException"/>:
        /// NotFound (no such file), Unreadable, or Invalid listing ALL errors with file, line and column.
        /// Warnings do not stop loading; they are in <see cref="PlanCatalog.Warnings"/>.
        /// </summary>
        public static PlanCatalog Load(string path)
        {
            (PlanCatalog? catalog, IReadOnlyList<PlanProblem> problems, string fullPath) = Read(path);
            if (catalog == null)
            {
                throw PlanCatalogException.Invalid(fullPath, problems);
            }

            return catalog;
        }

        /// <summary>
        /// Every problem of the catalog at <paramref name="path"/> (errors and warnings, in file
        /// order; empty when it is fine). Throws <see cref="PlanCatalogException"/> NotFound or Unreadable.
        /// </summary>
        public static IReadOnlyList<PlanProblem> Validate(string path) => Read(path).Problems;

        /// <summary><see cref="Validate"/> and, when the catalog has no errors, the catalog itself (else null).</summary>
        public static (PlanCatalog? Catalog, IReadOnlyList<PlanProblem> Problems) Check(string path)
        {
            (PlanCatalog? catalog, IReadOnlyList<PlanProblem> problems, _) = Read(path);
            return (catalog, problems);
        }

        /// <summary>
        /// <see cref="Load"/>, reusing the last result while the file's time stamp and length are
        /// unchanged (tab completion and per-tenant loops read the catalog often).
        /// </summary>
        public static PlanCatalog LoadCached(string path)
        {
            string fullPath = Path.GetFullPath(path);
            var info = new FileInfo(fullPath);
            if (info.Exists)
            {
                lock (CacheLock)
                {
                    if (Cache.TryGetValue(fullPath, out var hit) && hit.WriteTime == info.LastWriteTimeUtc && hit.Length == info.Length)
                    {
                        return hit.Catalog;
                    }
                }
            }

            PlanCatalog catalog = Load(fullPath);
            if (info.Exists)
            {
                lock (CacheLock)
                {
                    Cache[fullPath] = (info.LastWriteTimeUtc, info.Length, catalog);
                }
            }

            return catalog;
        }

        /// <summary>Parses catalog text (for tests and for callers that already hold the text).</summary>
        internal static (PlanCatalog? Catalog, IReadOnlyList<PlanProblem> Problems) Parse(string text, string path)
            => PlanCatalogParser.Parse(text, path);

        private static (PlanCatalog? Catalog, IReadOnlyList<PlanProblem> Problems, string FullPath) Read(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("A catalog path is required.", nameof(path));
            }

            string fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath))
            {
                throw new PlanCatalogException(
                    PlanCatalogException.ReasonUnreadable,
                    $"The plan catalog path '{fullPath}' is a folder; give the catalog file itself (for example '{Path.Combine(fullPath, "plans.yaml")}').",
                    fullPath);
            }

            if (!File.Exists(fullPath))
            {
                throw new PlanCatalogException(
                    PlanCatalogException.ReasonNotFound,
                    $"The plan catalog '{fullPath}' does not exist.",
                    fullPath);
            }

            string text;
            try
            {
                text = File.ReadAllText(fullPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new PlanCatalogException(
                    PlanCatalogException.ReasonUnreadable,
                    $"The plan catalog '{fullPath}' cannot be read: {ex.Message}",
                    fullPath,
                    innerException: ex);
            }

            (PlanCatalog? catalog, IReadOnlyList<PlanProblem> problems) = PlanCatalogParser.Parse(text, fullPath);
            return (catalog, problems, fullPath);
        }
    }
}
