using VdcPS.Models;

namespace VdcPS.Plans
{
    /// <summary>Stable names of the catalog rules (<see cref="VdcPlanProblem.Rule"/>): scripts and tests match on them.</summary>
    internal static class PlanRules
    {
        public const string FileNotFound = nameof(FileNotFound);
        public const string YamlSyntax = nameof(YamlSyntax);
        public const string EmptyCatalog = nameof(EmptyCatalog);
        public const string WrongType = nameof(WrongType);
        public const string UnknownKey = nameof(UnknownKey);
        public const string DuplicateKey = nameof(DuplicateKey);
        public const string MissingValue = nameof(MissingValue);
        public const string UnsupportedApiVersion = nameof(UnsupportedApiVersion);
        public const string NoPlans = nameof(NoPlans);
        public const string InvalidPlanName = nameof(InvalidPlanName);
        public const string DuplicatePlan = nameof(DuplicatePlan);
        public const string UnknownCurrency = nameof(UnknownCurrency);
        public const string InvalidRole = nameof(InvalidRole);
        public const string InvalidNumber = nameof(InvalidNumber);
        public const string NegativePrice = nameof(NegativePrice);
        public const string UnknownRateUnit = nameof(UnknownRateUnit);
        public const string UnknownService = nameof(UnknownService);
        public const string UnknownResource = nameof(UnknownResource);
        public const string InvalidQuotaValue = nameof(InvalidQuotaValue);
        public const string MinGreaterThanMax = nameof(MinGreaterThanMax);
        public const string DefaultOutOfRange = nameof(DefaultOutOfRange);
        public const string RemovedResource = nameof(RemovedResource);
        public const string SuspiciousRam = nameof(SuspiciousRam);
        public const string NothingToSell = nameof(NothingToSell);
        public const string NoQuotas = nameof(NoQuotas);
        public const string AllocationWithoutQuota = nameof(AllocationWithoutQuota);
        public const string AllocationIncludedOutOfRange = nameof(AllocationIncludedOutOfRange);
        public const string AllocationUnlimited = nameof(AllocationUnlimited);
        public const string IncludedUsageNotPriced = nameof(IncludedUsageNotPriced);
        public const string VolumeTypesNotAllowed = nameof(VolumeTypesNotAllowed);
        public const string InvalidVolumeType = nameof(InvalidVolumeType);
        public const string InvalidCidr = nameof(InvalidCidr);
        public const string InvalidAddress = nameof(InvalidAddress);
        public const string InvalidPortRange = nameof(InvalidPortRange);
        public const string UnknownProtocol = nameof(UnknownProtocol);

        // Test-VdcPlan -Context: the catalog against a connected cloud (severity Unmeasured)
        public const string RateNotMeasured = nameof(RateNotMeasured);
        public const string UnknownVolumeType = nameof(UnknownVolumeType);
    }

    /// <summary>One problem found in a plan catalog (see <see cref="VdcPlanProblem"/> for the public form).</summary>
    internal sealed class PlanProblem
    {
        private PlanProblem(VdcPlanProblemSeverity severity, string file, int line, int column, string? plan, string? setting, string rule, string message)
        {
            Severity = severity;
            File = file;
            Line = line;
            Column = column;
            Plan = plan;
            Setting = setting;
            Rule = rule;
            Message = message;
        }

        public VdcPlanProblemSeverity Severity { get; }

        public string File { get; }

        public int Line { get; }

        public int Column { get; }

        public string? Plan { get; }

        public string? Setting { get; }

        public string Rule { get; }

        public string Message { get; }

        public bool IsError => Severity == VdcPlanProblemSeverity.Error;

        public static PlanProblem Error(string file, int line, int column, string? plan, string? setting, string rule, string message)
            => new PlanProblem(VdcPlanProblemSeverity.Error, file, line, column, plan, setting, rule, message);

        public static PlanProblem Warning(string file, int line, int column, string? plan, string? setting, string rule, string message)
            => new PlanProblem(VdcPlanProblemSeverity.Warning, file, line, column, plan, setting, rule, message);

        public static PlanProblem Unmeasured(string file, int line, int column, string? plan, string? setting, string rule, string message)
            => new PlanProblem(VdcPlanProblemSeverity.Unmeasured, file, line, column, plan, setting, rule, message);

        public VdcPlanProblem ToModel() => new VdcPlanProblem
        {
            Severity = Severity,
            File = File,
            Line = Line,
            Column = Column,
            Plan = Plan ?? string.Empty,
            Setting = Setting ?? string.Empty,
            Rule = Rule,
            Message = Message,
        };

        public override string ToString() => ToModel().ToString();
    }
}
