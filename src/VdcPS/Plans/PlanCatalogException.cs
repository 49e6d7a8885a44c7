using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using VdcPS.Models;
using VdcPS.Plans;

namespace VdcPS
{
    /// <summary>
    /// The plan catalog cannot be used: it was not found (<see cref="ReasonNotFound"/>, the message
    /// names every place searched), it cannot be read (<see cref="ReasonUnreadable"/>), or it has
    /// errors (<see cref="ReasonInvalid"/>: <see cref="Problems"/> lists all of them, each with file,
    /// line and column; <see cref="Line"/>/<see cref="Column"/> are those of the first).
    /// </summary>
    public sealed class PlanCatalogException : Exception
    {
        /// <summary>No catalog file at the place the location rule chose.</summary>
        public const string ReasonNotFound = "NotFound";

        /// <summary>The file exists but cannot be read (permissions, a folder, I/O error).</summary>
        public const string ReasonUnreadable = "Unreadable";

        /// <summary>The file has one or more errors.</summary>
        public const string ReasonInvalid = "Invalid";

        public PlanCatalogException(
            string reason,
            string message,
            string? filePath = null,
            IReadOnlyList<VdcPlanProblem>? problems = null,
            Exception? innerException = null)
            : base(message, innerException)
        {
            Reason = reason ?? throw new ArgumentNullException(nameof(reason));
            FilePath = filePath;
            Problems = problems ?? Array.Empty<VdcPlanProblem>();
            VdcPlanProblem? first = Problems.FirstOrDefault(p => p.Severity == VdcPlanProblemSeverity.Error && p.Line > 0);
            Line = first?.Line;
            Column = first?.Column;
        }

        /// <summary><see cref="ReasonNotFound"/>, <see cref="ReasonUnreadable"/> or <see cref="ReasonInvalid"/>.</summary>
        public string Reason { get; }

        /// <summary>The catalog file concerned (for NotFound: the path that was chosen but does not exist).</summary>
        public string? FilePath { get; }

        /// <summary>1-based line of the first error, when known.</summary>
        public int? Line { get; }

        /// <summary>1-based column of the first error, when known.</summary>
        public int? Column { get; }

        /// <summary>Every problem of the catalog (errors and warnings), in file order.</summary>
        public IReadOnlyList<VdcPlanProblem> Problems { get; }

        internal static PlanCatalogException Invalid(string path, IReadOnlyList<PlanProblem> problems)
        {
            List<PlanProblem> errors = problems.Where(p => p.IsError).ToList();
            var sb = new StringBuilder();
            sb.Append("The plan catalog '").Append(path).Append("' has ")
              .Append(errors.Count).Append(errors.Count == 1 ? " error" : " errors")
              .Append(" and cannot be used until ").Append(errors.Count == 1 ? "it is" : "they are").Append(" fixed:");
            foreach (PlanProblem p in errors)
            {
                sb.Append(Environment.NewLine).Append("  ").Append(p.ToString());
            }

            return new PlanCatalogException(ReasonInvalid, sb.ToString(), path, problems.Select(p => p.ToModel()).ToList());
        }
    }
}
