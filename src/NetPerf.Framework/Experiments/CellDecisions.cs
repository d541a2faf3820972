using NetPerf.Baselines;
using NetPerf.Verdicts;

namespace NetPerf.Experiments;

/// <summary>The runner's decisions that need no engine: what to do without a baseline, whether to confirm, whether the confirmation agrees.</summary>
internal static class CellDecisions
{
    /// <summary>What to do with a cell that has no baseline, in a run that does not record.</summary>
    /// <param name="accept">Accept mode.</param>
    /// <param name="ci">The run is a CI job (<c>CI=true</c>).</param>
    /// <param name="isNewTestbed">
    /// Whether the testbed holds no baseline, or only runs this process recorded (asked only when needed: it reads every
    /// baseline of the testbed).
    /// </param>
    public static MissingBaselineAction ForMissingBaseline(bool accept, bool ci, Func<bool> isNewTestbed)
    {
        ArgumentNullException.ThrowIfNull(isNewTestbed);
        if (accept) return MissingBaselineAction.Accept;
        if (!isNewTestbed()) return MissingBaselineAction.FailMissing;
        return ci ? MissingBaselineAction.FailNewTestbedInCi : MissingBaselineAction.Provisional;
    }

    /// <summary>
    /// A comparison against baseline runs of which other machines' decide (<see cref="Baselines.BaselineRunSelection.OtherMachinesDecide"/>):
    /// a change against them can be the machine, so Regressed and Improved become Inconclusive, and the reason says why.
    /// </summary>
    /// <param name="comparison">The comparison against the chosen runs.</param>
    /// <param name="runs">The runs chosen.</param>
    public static Comparison OnOtherMachines(Comparison comparison, Baselines.BaselineRunSelection runs)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(runs);
        string change = comparison.ChangeRatio is { } ratio ? Statistics.NumberFormatting.FormatChange(ratio) : "the change";
        return comparison with
        {
            OtherMachinesOnly = true,
            Verdict = comparison.Verdict is Verdict.Regressed or Verdict.Improved ? Verdict.Inconclusive : comparison.Verdict,
            Reason = $"{runs.OtherMachinesReason(change)} Against those runs: {comparison.Reason}",
        };
    }

    /// <summary>
    /// Whether this run is added to its baseline because this machine has too few runs of its own: outside CI, record
    /// and accept mode, when a gated metric was judged on other machines' runs (<see cref="Comparison.OtherMachinesOnly"/>).
    /// </summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="gated">The comparisons of the gated metrics.</param>
    public static bool ShouldRecordForThisMachine(ExperimentSettings settings, IEnumerable<Comparison> gated)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(gated);
        return !settings.Ci && !settings.Record && !settings.Accept && gated.Any(c => c.OtherMachinesOnly);
    }

    /// <summary>
    /// The gated metrics <paramref name="baseline"/> holds no numbers for, e.g. a gate added after it was recorded. The
    /// comparison skips them, so a cell that passed its other gates would pass without checking these: the runner fails it.
    /// </summary>
    /// <param name="gates">The cell's gates.</param>
    /// <param name="baseline">The cell's baseline.</param>
    public static IReadOnlyList<string> GatesMissingFrom(IEnumerable<Gate> gates, BaselineFile baseline)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(baseline);
        return [.. gates.Select(g => g.Metric.Name).Where(name => !baseline.Metrics.ContainsKey(name)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether a first run with these gated comparisons is measured again on a fresh testbed.</summary>
    /// <param name="settings">The run's settings: never in record or accept mode, never with confirmation off.</param>
    /// <param name="gated">The comparisons of the gated metrics.</param>
    /// <remarks>
    /// A Regressed metric is confirmed; so is, against a baseline of several runs, a metric the run-level check screened
    /// (worse than the baseline by more than half the gate): the run and its confirmation are then judged together, which
    /// sees a regression that one run alone leaves inconclusive.
    /// </remarks>
    public static bool ShouldConfirm(ExperimentSettings settings, IEnumerable<Comparison> gated)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Confirm && !settings.Record && !settings.Accept && gated.Any(c => c.NeedsConfirmation);
    }

    /// <summary>
    /// The gated metrics that regressed on the first run and regressed again in the confirmation. Empty means the
    /// confirmation does not agree: the cell is Unconfirmed. A metric that regresses only in the confirmation does not count.
    /// </summary>
    /// <param name="first">The first run's comparisons of the gated metrics.</param>
    /// <param name="confirmation">The confirmation's comparisons of the gated metrics.</param>
    public static IReadOnlyList<string> ConfirmedRegressions(IEnumerable<Comparison> first, IEnumerable<Comparison> confirmation) =>
        ConfirmedRegressions(first, confirmation, new Dictionary<string, RunLevelResult?>(StringComparer.Ordinal));

    /// <summary>
    /// The gated metrics whose regression the confirmation confirms. Where <paramref name="combined"/> holds a judgement
    /// of the first run and its confirmation together (a baseline of several runs, see <see cref="Comparer.Confirm"/>),
    /// that judgement decides; otherwise (one baseline run) the first run and the confirmation must each be Regressed.
    /// </summary>
    /// <param name="first">The first run's comparisons of the gated metrics.</param>
    /// <param name="confirmation">The confirmation's comparisons of the gated metrics.</param>
    /// <param name="combined">Per metric name, the two runs judged together, or <see langword="null"/> where that is not possible.</param>
    public static IReadOnlyList<string> ConfirmedRegressions(IEnumerable<Comparison> first, IEnumerable<Comparison> confirmation, IReadOnlyDictionary<string, RunLevelResult?> combined)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(confirmation);
        ArgumentNullException.ThrowIfNull(combined);
        var again = confirmation.Where(c => c.Verdict == Verdict.Regressed).Select(c => c.Metric.Name).ToHashSet(StringComparer.Ordinal);
        return [.. first.Where(c => combined.TryGetValue(c.Metric.Name, out var both) && both is not null
                ? both.Worse
                : c.Verdict == Verdict.Regressed && again.Contains(c.Metric.Name))
            .Select(c => c.Metric.Name).Distinct()];
    }

    /// <summary>
    /// Whether a cell whose first run and confirmation are confirmed worse together is measured a third time, on another
    /// fresh testbed, before it fails: when any confirmed metric was judged against a baseline of several runs.
    /// </summary>
    /// <param name="confirmed">The metrics the first run and its confirmation confirm (<see cref="ConfirmedRegressions(IEnumerable{Comparison}, IEnumerable{Comparison}, IReadOnlyDictionary{string, RunLevelResult?})"/>).</param>
    /// <param name="combined">Per metric name, the two runs judged together, or <see langword="null"/> (one baseline run).</param>
    /// <remarks>
    /// A confirmation runs minutes after the first run, on the same machine in the same state, so a slow spell of the
    /// machine moves both: judged leave-runs-out over the committed runs of this project's machine (docs/calibration-runs.md),
    /// 7 of 36 pairs of unchanged job runs were red with two runs, all of them pairs with one of the two runs recorded while
    /// the machine was 3-8% slower in most cells. The mean of three runs beyond the gate, each beyond half of it, is
    /// what then fails a cell; a real regression beyond the gate keeps showing and is caught as before. One-run baselines
    /// keep the rule that each run is Regressed on its own.
    /// </remarks>
    public static bool NeedsSecondConfirmation(IReadOnlyList<string> confirmed, IReadOnlyDictionary<string, RunLevelResult?> combined)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        ArgumentNullException.ThrowIfNull(combined);
        return confirmed.Any(n => combined.TryGetValue(n, out var both) && both is not null);
    }
}
