using NetPerf.Experiments;

// Author-facing, so in namespace NetPerf rather than NetPerf.Experiments (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// Everything one cell of a scenario produced in a run: its trials, the verdict per metric and where the
/// baseline files are. One JSON file per cell is written to the results folder; reports read them.
/// </summary>
/// <param name="Scenario">The scenario (test class.method), e.g. <c>HostVsBridge.Tcp_throughput</c>.</param>
/// <param name="CellId">Stable cell id, e.g. <c>driver=Bridge/pairs=10</c>.</param>
/// <param name="DisplayName">Readable form, e.g. <c>Tcp_throughput(driver: Bridge, pairs: 10)</c>.</param>
/// <param name="Driver">The network driver.</param>
/// <param name="Pairs">Client/server pairs.</param>
/// <param name="Axes">Every axis value of the cell by axis key (driver, pairs, msg, protocol, pinning, cores).</param>
/// <param name="Facts">Testbed and environment facts (engine version, OVS datapath, subnet, image, ...).</param>
/// <param name="Trials">The raw measurements of each trial.</param>
/// <param name="Metrics">Per metric: summary, comparison with the baseline and verdict.</param>
/// <param name="Outcome">
/// The cell's overall outcome: Passed, Regressed (confirmed on a fresh testbed unless confirmation is off), Unconfirmed
/// (regressed on the first run only; the cell passes), Improved, Inconclusive, NewBaseline (no baseline; the cell fails),
/// Provisional (first run on a new testbed, recorded as its baseline), Recorded, Accepted or Failed.
/// </param>
/// <param name="Message">The message shown for the cell (the failure text when it failed).</param>
/// <param name="BaselinePath">The baseline file, when one applies.</param>
/// <param name="ReceivedPath">The received file written by this run, when one was written.</param>
/// <param name="StartedUtc">When the cell started.</param>
/// <param name="DurationSeconds">Wall time of the cell including provisioning (and the confirmation, when one ran).</param>
/// <param name="Confirmation">
/// The confirmation on a fresh testbed, when the first run regressed; <see cref="Trials"/>, <see cref="Metrics"/> and
/// <see cref="Facts"/> stay those of the first run.
/// </param>
/// <param name="SecondConfirmation">
/// The second confirmation on another fresh testbed, when the first run and its confirmation together were worse than a
/// baseline of several runs beyond the gate: the three runs together decide.
/// </param>
public sealed record CellResult(
    string Scenario,
    string CellId,
    string DisplayName,
    string Driver,
    int Pairs,
    IReadOnlyDictionary<string, string> Axes,
    IReadOnlyDictionary<string, string> Facts,
    IReadOnlyList<TrialRecord> Trials,
    IReadOnlyList<MetricResult> Metrics,
    string Outcome,
    string Message,
    string? BaselinePath,
    string? ReceivedPath,
    DateTimeOffset StartedUtc,
    double DurationSeconds,
    CellConfirmation? Confirmation = null,
    CellConfirmation? SecondConfirmation = null);

/// <summary>The raw measurements of one trial.</summary>
/// <param name="Trial">1-based trial number.</param>
/// <param name="Measurements">Every value measured (aggregates have no flow; per-flow values name their flow).</param>
/// <param name="StartSkewMs">Measured start skew between the pairs, in ms (NaN when the workload has no synchronized start).</param>
public sealed record TrialRecord(int Trial, IReadOnlyList<MeasurementRecord> Measurements, double StartSkewMs);

/// <summary>One measured value in plain form (for JSON and CSV).</summary>
/// <param name="Metric">Metric name.</param>
/// <param name="Unit">Unit symbol.</param>
/// <param name="Value">The value.</param>
/// <param name="Flow">Flow name for per-flow values (e.g. <c>pair-3</c>), null for aggregates.</param>
public sealed record MeasurementRecord(string Metric, string Unit, double Value, string? Flow);

/// <summary>A metric of a cell: its samples, summaries, the comparison with the baseline and the verdict.</summary>
/// <param name="Metric">Metric name.</param>
/// <param name="Unit">Unit symbol.</param>
/// <param name="Direction">HigherIsBetter or LowerIsBetter.</param>
/// <param name="Gated">True when a regression of this metric fails the test; false when only reported.</param>
/// <param name="Tolerance">The gate's tolerance as a fraction (0.05 = 5%), null when not gated.</param>
/// <param name="BaselineValues">The baseline's trial values (empty when there is no baseline).</param>
/// <param name="CurrentValues">This run's trial values.</param>
/// <param name="BaselineMedian">Median of the baseline, if any.</param>
/// <param name="BaselineCiLower">Lower end of the baseline median's confidence interval.</param>
/// <param name="BaselineCiUpper">Upper end of the baseline median's confidence interval.</param>
/// <param name="CurrentMedian">Median of this run.</param>
/// <param name="CurrentCiLower">Lower end of this run's median confidence interval.</param>
/// <param name="CurrentCiUpper">Upper end of this run's median confidence interval.</param>
/// <param name="ChangePercent">Change of the median in percent (positive = larger), null without a baseline.</param>
/// <param name="PValue">p-value of the one-sided test in the direction that matters, null without a baseline.</param>
/// <param name="Verdict">Unchanged, Improved, Regressed, Inconclusive, or NoBaseline.</param>
/// <param name="Reason">One line explaining the verdict.</param>
/// <param name="BaselineRuns">How many baseline runs the comparison rests on (0 without a comparison).</param>
/// <param name="DetectableChangePercent">
/// The smallest regression, in percent, this cell detects with 90% power (confirmation included), or
/// <see langword="null"/> when it cannot be estimated (no baseline, or values that are not positive).
/// </param>
/// <param name="BetweenRunCvPercent">How much the baseline's run medians vary, in percent; <see langword="null"/> with fewer than two runs.</param>
/// <param name="PowerNote">One sentence on what the cell can see and, when the tolerance is below that, what it needs.</param>
/// <param name="ToleranceBelowDetectable">Whether the gate's tolerance is smaller than the regression the cell can detect.</param>
/// <param name="GatePercent">
/// The gate applied, in percent: the scenario's tolerance, or wider where the baseline's runs differ too much for it
/// (set by the data); <see langword="null"/> when not gated or without a run-level comparison.
/// </param>
public sealed record MetricResult(
    string Metric,
    string Unit,
    string Direction,
    bool Gated,
    double? Tolerance,
    IReadOnlyList<double> BaselineValues,
    IReadOnlyList<double> CurrentValues,
    double? BaselineMedian,
    double? BaselineCiLower,
    double? BaselineCiUpper,
    double CurrentMedian,
    double? CurrentCiLower,
    double? CurrentCiUpper,
    double? ChangePercent,
    double? PValue,
    string Verdict,
    string Reason,
    int BaselineRuns = 0,
    double? DetectableChangePercent = null,
    double? BetweenRunCvPercent = null,
    string? PowerNote = null,
    bool ToleranceBelowDetectable = false,
    double? GatePercent = null);
