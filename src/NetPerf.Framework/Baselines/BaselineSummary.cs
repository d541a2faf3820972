using NetPerf.Statistics;

namespace NetPerf.Baselines;

/// <summary>The summary stored next to a metric's raw values, so a reviewer can read a baseline diff without tools.</summary>
/// <param name="Median">The Harrell-Davis median.</param>
/// <param name="MedianInterval">The median's confidence interval, or <see langword="null"/> when undefined (fewer than 3 values).</param>
/// <param name="Q1">The first quartile.</param>
/// <param name="Q3">The third quartile.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
internal sealed record BaselineSummary(double Median, Interval? MedianInterval, double Q1, double Q3, double Min, double Max)
{
    /// <summary>Takes the stored fields from a full summary.</summary>
    /// <param name="summary">The summary of the metric's values.</param>
    public static BaselineSummary From(SampleSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new BaselineSummary(summary.Median, summary.MedianInterval, summary.Q1, summary.Q3, summary.Min, summary.Max);
    }

    /// <summary>Takes the stored fields from the centre of the values (<see cref="SampleAnalyzer.SummarizeCentre"/>): the same numbers, computed without the shape.</summary>
    /// <param name="centre">The centre of the metric's values.</param>
    public static BaselineSummary From(SampleCentre centre)
    {
        ArgumentNullException.ThrowIfNull(centre);
        return new BaselineSummary(centre.Median, centre.MedianInterval, centre.Q1, centre.Q3, centre.Min, centre.Max);
    }
}
