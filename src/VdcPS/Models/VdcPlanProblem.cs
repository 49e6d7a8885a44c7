namespace VdcPS.Models
{
    /// <summary>
    /// One problem of a plan catalog, as Test-VdcPlan reports it: where it is (file, 1-based line
    /// and column), which plan and setting it concerns, and what to do about it.
    /// </summary>
    public sealed class VdcPlanProblem
    {
        /// <summary>Error (the catalog cannot be used) or Warning.</summary>
        public VdcPlanProblemSeverity Severity { get; set; }

        /// <summary>Full path of the catalog file.</summary>
        public string File { get; set; } = string.Empty;

        /// <summary>1-based line; 0 when the problem concerns the whole file.</summary>
        public int Line { get; set; }

        /// <summary>1-based column; 0 when the problem concerns the whole file.</summary>
        public int Column { get; set; }

        /// <summary>The plan concerned; empty for problems outside a plan.</summary>
        public string Plan { get; set; } = string.Empty;

        /// <summary>The setting concerned as a dotted path (plans.vdc-small.quotas.compute.cores.min); empty when none.</summary>
        public string Setting { get; set; } = string.Empty;

        /// <summary>A stable name of the rule that was broken (MinGreaterThanMax, UnknownResource...), for scripts.</summary>
        public string Rule { get; set; } = string.Empty;

        /// <summary>What is wrong and how to fix it.</summary>
        public string Message { get; set; } = string.Empty;

        /// <summary>file:line:column: severity: message, the way compilers report problems.</summary>
        public override string ToString()
            => Line > 0
                ? $"{File}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()}: {Message}"
                : $"{File}: {Severity.ToString().ToLowerInvariant()}: {Message}";
    }
}
