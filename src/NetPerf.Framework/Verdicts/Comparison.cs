using NetPerf.Statistics;

namespace NetPerf.Verdicts;

/// <summary>The result of comparing current trials of one metric against its baseline (see <see cref="Comparer"/>).</summary>
/// <remarks>
/// Ratios are current / baseline, whatever the metric's direction: 0.7 means current values are 30% lower.
/// The p-values come from one-sided Mann-Whitney tests against the shifted baseline, so they answer
/// "is the change beyond the tolerance?", not "is there any change?".
/// </remarks>
internal sealed record Comparison
{
    /// <summary>The metric compared.</summary>
    public required Metric Metric { get; init; }

    /// <summary>The summary of the baseline trials.</summary>
    public required SampleSummary Baseline { get; init; }

    /// <summary>The summary of the current trials.</summary>
    public required SampleSummary Current { get; init; }

    /// <summary>Current median / baseline median, or <see langword="null"/> when the baseline median is 0.</summary>
    public required double? ChangeRatio { get; init; }

    /// <summary>
    /// The Hodges-Lehmann ratio (median of all current/baseline pairs), or <see langword="null"/> when a value is
    /// not positive. More robust than <see cref="ChangeRatio"/> because it uses every pair of trials.
    /// </summary>
    public required double? HodgesLehmannRatio { get; init; }

    /// <summary>
    /// The distribution-free (Moses) interval of the ratio at confidence 1 - 2 alpha, or <see langword="null"/> when
    /// there are too few trials for one or a value is not positive. The verdict follows from it: wholly below or
    /// above the tolerance band means a change, wholly inside means <see cref="Verdict.Unchanged"/>.
    /// </summary>
    public required Interval? HodgesLehmannInterval { get; init; }

    /// <summary>p-value of the one-sided Mann-Whitney test "current is worse than the baseline by more than the tolerance".</summary>
    public required double RegressionPValue { get; init; }

    /// <summary>p-value of the one-sided Mann-Whitney test "current is better than the baseline by more than the tolerance".</summary>
    public required double ImprovementPValue { get; init; }

    /// <summary>
    /// p-value of the equivalence test: the larger p of the two one-sided Mann-Whitney tests "current is above
    /// baseline x (1 - tolerance)" and "current is below baseline x (1 + tolerance)".
    /// </summary>
    public required double EquivalencePValue { get; init; }

    /// <summary>The gate's tolerance as a fraction: the scenario's, or higher where the baseline's spread set it (see <see cref="RequestedTolerance"/>).</summary>
    public required double Tolerance { get; init; }

    /// <summary>The tolerance the scenario asked for (the goal), set on comparisons against a baseline of runs; <see cref="Tolerance"/> is the gate applied.</summary>
    public double? RequestedTolerance { get; init; }

    /// <summary>
    /// Whether a first run with this comparison is measured again on a fresh testbed before its verdict stands: it is
    /// Regressed, or (against a baseline of several runs) worse than the baseline by more than half the gate, where the
    /// run and its confirmation judged together (<see cref="Comparer.Confirm"/>) may see what one run leaves inconclusive.
    /// </summary>
    public bool NeedsConfirmation =>
        !OtherMachinesOnly && (Verdict == Verdict.Regressed || RunLevel is { Screened: true, Spread.BetweenRunSpreadKnown: true });

    /// <summary>
    /// Whether the baseline runs compared with came from other machines (this machine has fewer than the 3 runs a
    /// verdict uses on their own): a difference can then be the machine as well as the code, so no change is claimed
    /// (<see cref="Verdict.Inconclusive"/>), nothing is confirmed and no trials are added.
    /// </summary>
    public bool OtherMachinesOnly { get; init; }

    /// <summary>Whether the baseline's spread set the gate above the scenario's tolerance.</summary>
    public bool GateSetByData => RequestedTolerance is { } r && Tolerance > r * (1 + 1e-9);

    /// <summary>The gate's significance level.</summary>
    public required double Alpha { get; init; }

    /// <summary>The verdict.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>One line saying why, for people: the numbers behind the verdict.</summary>
    public required string Reason { get; init; }

    /// <summary>How many baseline runs the comparison rests on (1 for a single-run baseline).</summary>
    public int BaselineRuns { get; init; } = 1;

    /// <summary>
    /// The run-level check against the spread of the baseline's runs, or <see langword="null"/> when values are not
    /// positive. With one baseline run it is present but its between-run spread is unknown.
    /// </summary>
    public RunLevelResult? RunLevel { get; init; }

    /// <summary>The smallest regression (a fraction) this cell detects with 90% power, confirmation included; <see langword="null"/> when it cannot be estimated.</summary>
    public double? DetectableChange => RunLevel?.DetectableChange is { } d && double.IsFinite(d) ? d : null;

    /// <summary>One sentence on what the cell can see: the detectable regression, and what it needs when the tolerance is below it.</summary>
    public string PowerNote
    {
        get
        {
            if (RunLevel is not { } r)
                return "detectable regression unknown (the run-level check needs positive values)";
            if (!double.IsFinite(r.DetectableChange))
                return $"cannot detect any regression: with {Current.Count} current trials the trial-level test cannot reach alpha {NumberFormatting.Format(Alpha)}; run more trials";
            string text = $"detects regressions of {NumberFormatting.FormatPercent(r.DetectableChange)} or more with 90% power (alpha {NumberFormatting.Format(Alpha)}, {BaselineRuns} baseline run{(BaselineRuns == 1 ? "" : "s")}, {Current.Count} trials, confirmation included)";
            if (!r.Spread.BetweenRunSpreadKnown)
                text += "; between-run spread unknown with one baseline run, so this assumes runs differ no more than trials";
            if (r.ToleranceBelowDetectable && r.Advice is { } advice)
                text += $"; the tolerance {NumberFormatting.FormatPercent(RequestedTolerance ?? Tolerance)} is below what it can see: {advice}";
            return text;
        }
    }

    /// <summary>
    /// The p-value behind the verdict: the improvement p for <see cref="Verdict.Improved"/>, the equivalence p for
    /// <see cref="Verdict.Unchanged"/>, and the regression p otherwise (what a reviewer of a gate asks about).
    /// </summary>
    public double DecisivePValue => Verdict switch
    {
        Verdict.Improved => ImprovementPValue,
        Verdict.Unchanged => EquivalencePValue,
        _ => RegressionPValue,
    };
}
