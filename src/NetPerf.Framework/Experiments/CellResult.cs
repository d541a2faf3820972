namespace NetPerf.Experiments;

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
/// The cell's overall outcome: Passed, Regressed, Improved, Inconclusive, NewBaseline, Recorded, Failed,
/// Unconfirmed (the first run regressed, the confirmation on a fresh testbed did not: the cell passes with a warning) or
/// Provisional (the first run on a testbed without baselines: the run was recorded as a provisional baseline and the cell passes).
/// </param>
/// <param name="Message">The message shown for the cell (the failure text when it failed).</param>
/// <param name="BaselinePath">The baseline file, when one applies.</param>
/// <param name="ReceivedPath">The received file written by this run, when one was written.</param>
/// <param name="StartedUtc">When the cell started.</param>
/// <param name="DurationSeconds">Wall time of the cell including provisioning.</param>
/// <param name="Confirmation">
/// The confirmation run, when the first run came out Regressed and the cell was re-run on a fresh testbed;
/// <see langword="null"/> otherwise.
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
    CellConfirmation? Confirmation = null);

/// <summary>The re-run of a cell whose first run came out Regressed, on a fresh testbed, compared with the same baseline.</summary>
/// <remarks>A regression is claimed only when the confirmation agrees; otherwise the cell is Unconfirmed and passes with a warning.</remarks>
/// <param name="Trials">The raw measurements of each trial of the confirmation run.</param>
/// <param name="Metrics">Per metric: summary, comparison with the baseline and verdict of the confirmation run.</param>
/// <param name="Outcome">Regressed when the confirmation agreed with the first run, Unconfirmed when it did not.</param>
/// <param name="DurationSeconds">Wall time of the confirmation run including provisioning its testbed.</param>
/// <param name="Facts">Facts of the confirmation's testbed (engine version, OVS datapath, subnet, image, ...).</param>
public sealed record CellConfirmation(
    IReadOnlyList<TrialRecord> Trials,
    IReadOnlyList<MetricResult> Metrics,
    string Outcome,
    double DurationSeconds,
    IReadOnlyDictionary<string, string> Facts);

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
/// <param name="BaselineRuns">How many runs the baseline holds (each on a fresh testbed); 0 without a baseline.</param>
/// <param name="DetectableChangePercent">
/// The smallest regression of this gated metric the cell detects with 90% power, confirmation included, in percent;
/// <see langword="null"/> when it cannot be estimated or the metric is not gated.
/// </param>
/// <param name="BetweenRunCvPercent">
/// How much the medians of the baseline's runs differ between runs (coefficient of variation, in percent);
/// <see langword="null"/> when the baseline holds fewer than two runs.
/// </param>
/// <param name="PowerNote">One readable sentence on what the gate can detect, with advice when its tolerance is below that; <see langword="null"/> when not known.</param>
/// <param name="ToleranceBelowDetectable">True when the gate's tolerance is below <paramref name="DetectableChangePercent"/>, so a regression of the tolerance's size would likely pass unseen.</param>
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
    bool ToleranceBelowDetectable = false);
