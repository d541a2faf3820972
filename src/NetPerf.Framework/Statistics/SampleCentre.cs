namespace NetPerf.Statistics;

/// <summary>The centre of a metric's trial values: what <see cref="SampleAnalyzer.SummarizeCentre"/> gives, the same numbers as the matching parts of <see cref="SampleSummary"/>.</summary>
/// <param name="Values">The trial values, in the order they were measured.</param>
/// <param name="Median">The Harrell-Davis median.</param>
/// <param name="MedianInterval">The median's confidence interval, or <see langword="null"/> when undefined (fewer than 3 values).</param>
/// <param name="Q1">The first quartile.</param>
/// <param name="Q3">The third quartile.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
internal sealed record SampleCentre(IReadOnlyList<double> Values, double Median, Interval? MedianInterval, double Q1, double Q3, double Min, double Max);
