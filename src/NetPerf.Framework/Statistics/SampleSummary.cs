namespace NetPerf.Statistics;

/// <summary>What a set of trial values of one metric looks like: centre, spread, outliers and shape.</summary>
/// <remarks>
/// Produced by <see cref="SampleAnalyzer.Summarize"/>. Every number is finite: quantities that a sample is too
/// small to define are <see langword="null"/> and <see cref="Notes"/> says why. Quantiles are Harrell-Davis
/// estimates, so the median of an even-sized sample is a weighted blend, not the mean of the two middle values.
/// </remarks>
internal sealed record SampleSummary
{
    /// <summary>The trial values, in the order they were measured.</summary>
    public required IReadOnlyList<double> Values { get; init; }

    /// <summary>The number of values (n).</summary>
    public int Count => Values.Count;

    /// <summary>The Harrell-Davis median.</summary>
    public required double Median { get; init; }

    /// <summary>
    /// The confidence interval of the median (Harrell-Davis with the Maritz-Jarrett standard error), or
    /// <see langword="null"/> when there are fewer than <see cref="StatisticsDefaults.MinimumCountForInterval"/> values.
    /// With few values it is wide and may reach below the smallest value.
    /// </summary>
    public required Interval? MedianInterval { get; init; }

    /// <summary>The first quartile (Harrell-Davis, p = 0.25).</summary>
    public required double Q1 { get; init; }

    /// <summary>The third quartile (Harrell-Davis, p = 0.75).</summary>
    public required double Q3 { get; init; }

    /// <summary>The smallest value.</summary>
    public required double Min { get; init; }

    /// <summary>The largest value.</summary>
    public required double Max { get; init; }

    /// <summary>The arithmetic mean.</summary>
    public required double Mean { get; init; }

    /// <summary>The sample standard deviation (n - 1 in the denominator), or <see langword="null"/> for a single value.</summary>
    public required double? StandardDeviation { get; init; }

    /// <summary>The lower Tukey fence, Q1 - 1.5 IQR.</summary>
    public required double LowerFence { get; init; }

    /// <summary>The upper Tukey fence, Q3 + 1.5 IQR.</summary>
    public required double UpperFence { get; init; }

    /// <summary>The values outside the Tukey fences, ascending. They are reported, never dropped from the analysis.</summary>
    public required IReadOnlyList<double> Outliers { get; init; }

    /// <summary>Brendan Gregg's mValue: 2 for a unimodal sample, higher when the histogram has several peaks.</summary>
    public required double MValue { get; init; }

    /// <summary>The number of modes the Lowland detector finds (1 when the sample is too small or constant).</summary>
    public required int Modes { get; init; }

    /// <summary>
    /// Whether the sample may have several modes (Lowland finds more than one, or the mValue exceeds
    /// <see cref="StatisticsDefaults.MultimodalMValue"/>). A warning for reports: the median of a
    /// multimodal sample hides which mode a run landed in. With about 10 noisy values the mValue
    /// crosses 3.2 now and then by chance, so treat the flag as a hint.
    /// </summary>
    public required bool IsMultimodal { get; init; }

    /// <summary>Whether every value is the same.</summary>
    public bool IsConstant => Min == Max;

    /// <summary>Plain-language remarks on what could not be computed and why, for reports.</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}
