using NetPerf.Statistics;

namespace NetPerf.Verdicts;

/// <summary>The run-level side of a comparison (see <see cref="RunLevelCheck"/>): this run against the spread of the baseline's runs.</summary>
internal sealed record RunLevelResult
{
    /// <summary>The baseline's spread between and within runs.</summary>
    public required RunSpread Spread { get; init; }

    /// <summary>The current run's median.</summary>
    public required double CurrentMedian { get; init; }

    /// <summary>Current median / the baseline's centre (geometric mean of run medians).</summary>
    public required double Ratio { get; init; }

    /// <summary>The one-sided prediction bound as a ratio to the centre: an unchanged run lands beyond it with probability alpha.</summary>
    public required double PredictionBound { get; init; }

    /// <summary>p-value of "this run is worse than an unchanged run would be".</summary>
    public required double WorsePValue { get; init; }

    /// <summary>p-value of "this run is better than an unchanged run would be".</summary>
    public required double BetterPValue { get; init; }

    /// <summary>Worse beyond the prediction bound at alpha AND beyond the tolerance.</summary>
    public required bool Worse { get; init; }

    /// <summary>Better beyond the prediction bound at alpha AND beyond the tolerance.</summary>
    public required bool Better { get; init; }

    /// <summary>Worse than the baseline's centre by more than half the gate: a first run that is measured again on a fresh testbed.</summary>
    public bool Screened { get; init; }

    /// <summary>How many current runs were judged together (2 for a run and its confirmation).</summary>
    public int CurrentRuns { get; init; } = 1;

    /// <summary>
    /// The gate as a fraction: the scenario's tolerance, or, when the baseline's runs differ too much for it, the smallest
    /// change the data lets a run and its confirmation tell from noise (<see cref="RunLevelCheck.GateTolerance"/>).
    /// </summary>
    public double GateTolerance { get; init; }

    /// <summary>The smallest regression (fraction) the cell detects with 90% power, confirmation included.</summary>
    public required double DetectableChange { get; init; }

    /// <summary>Whether the scenario's tolerance is below what the data supports: the data set the gate (<see cref="GateTolerance"/>), or the test cannot see a change that small.</summary>
    public required bool ToleranceBelowDetectable { get; init; }

    /// <summary>When <see cref="ToleranceBelowDetectable"/>: what the cell needs (more runs, more trials, or another design).</summary>
    public string? Advice { get; init; }
}
