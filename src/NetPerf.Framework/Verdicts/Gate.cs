namespace NetPerf.Verdicts;

/// <summary>A regression gate on one metric: how large a change matters and how sure the verdict must be.</summary>
/// <remarks>
/// The tolerance is relative and symmetric: with 0.05, a throughput (higher is better) regresses when
/// current values are below 95% of the baseline, and a latency regresses when they are above 105%.
/// </remarks>
internal sealed record Gate
{
    private readonly Metric metric = null!;
    private readonly double tolerance;
    private readonly double alpha;

    /// <summary>Creates a gate.</summary>
    /// <param name="metric">The metric the gate watches.</param>
    /// <param name="tolerance">The practical threshold as a fraction of the baseline, in [0, 1) (any non-negative value for a lower-is-better metric).</param>
    /// <param name="alpha">The significance level, in (0, 0.5].</param>
    public Gate(Metric metric, double tolerance = VerdictDefaults.Tolerance, double alpha = VerdictDefaults.Alpha)
    {
        Metric = metric;
        Tolerance = tolerance;
        Alpha = alpha;
    }

    /// <summary>The metric the gate watches; its direction says which way is a regression.</summary>
    public Metric Metric
    {
        get => metric;
        init => metric = value ?? throw new ArgumentNullException(nameof(Metric), "A gate needs the 'Metric' it watches.");
    }

    /// <summary>The practical threshold as a fraction of the baseline median, e.g. 0.05 for 5%.</summary>
    public double Tolerance
    {
        get => tolerance;
        // A lower-is-better metric can worsen by more than 100% (a latency that triples), so only its upper end is open.
        init => tolerance = value >= 0 && (value < 1 || (Metric?.Direction == Direction.LowerIsBetter && double.IsFinite(value)))
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, Metric?.Direction == Direction.LowerIsBetter
                ? $"The tolerance of the gate on '{Metric.Name}' must be a non-negative fraction, e.g. 0.05 for 5%."
                : $"The tolerance of the gate on '{Metric?.Name}' must be a fraction in [0, 1), e.g. 0.05 for 5%.");
    }

    /// <summary>The significance level of the one-sided tests, e.g. 0.05.</summary>
    public double Alpha
    {
        get => alpha;
        init => alpha = value is > 0 and <= 0.5
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Alpha), value, $"The significance level of the gate on '{Metric?.Name}' must lie in (0, 0.5], e.g. 0.05.");
    }
}
