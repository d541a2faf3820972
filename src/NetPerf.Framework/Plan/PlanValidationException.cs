using System.Globalization;

namespace NetPerf.Plan;

/// <summary>Thrown when an experiment plan is declared wrongly; carries every error found, not only the first.</summary>
/// <remarks>Each error names the method as <c>'Type.Method'</c> and says how to fix it.</remarks>
internal sealed class PlanValidationException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    /// <param name="scenario">The method the plan belongs to, as <c>Type.Method</c>.</param>
    /// <param name="errors">Every error found; at least one.</param>
    public PlanValidationException(string scenario, IReadOnlyList<string> errors)
        : base(Describe(scenario, errors))
    {
        Scenario = scenario;
        Errors = errors;
    }

    /// <summary>The method the plan belongs to, as <c>Type.Method</c>.</summary>
    public string Scenario { get; }

    /// <summary>Every error found, each a complete sentence naming the method and the fix.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Describe(string scenario, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var header = errors.Count == 1
            ? $"The experiment plan of '{scenario}' is invalid:"
            : string.Create(CultureInfo.InvariantCulture, $"The experiment plan of '{scenario}' has {errors.Count} errors:");
        return header + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e));
    }
}
