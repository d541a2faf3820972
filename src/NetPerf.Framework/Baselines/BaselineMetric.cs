using NetPerf.Statistics;

namespace NetPerf.Baselines;

/// <summary>One metric in a baseline file: its unit and direction, its gate tolerance, the raw trial values and their summary.</summary>
/// <param name="Unit">The unit of every value.</param>
/// <param name="Direction">Which way is better.</param>
/// <param name="Tolerance">The gate tolerance as a fraction, or <see langword="null"/> when the metric is only reported, not gated.</param>
/// <param name="Values">The raw trial values (comparisons use these, not the summary).</param>
/// <param name="Summary">The summary of <paramref name="Values"/>, for readers.</param>
internal sealed record BaselineMetric(Unit Unit, Direction Direction, double? Tolerance, IReadOnlyList<double> Values, BaselineSummary Summary)
{
    /// <summary>Builds the entry for <paramref name="metric"/> from trial values, summarising them.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="values">The trial values; at least one, all finite.</param>
    /// <param name="tolerance">The gate tolerance, or <see langword="null"/> when only reported.</param>
    /// <param name="analyzer">The analyser for the summary; <see cref="SampleAnalyzer.Default"/> when omitted.</param>
    public static BaselineMetric Create(Metric metric, IReadOnlyList<double> values, double? tolerance, SampleAnalyzer? analyzer = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        // Only the centre: a baseline stores nothing of the shape, which costs most of a full summary's time.
        var centre = (analyzer ?? SampleAnalyzer.Default).SummarizeCentre(values);
        return new BaselineMetric(metric.Unit, metric.Direction, tolerance, centre.Values, BaselineSummary.From(centre));
    }

    /// <summary>The metric this entry describes, under the key <paramref name="name"/> it is stored with.</summary>
    /// <param name="name">The metric's name (its key in <see cref="BaselineFile.Metrics"/>).</param>
    public Metric ToMetric(string name) => new(name, Unit, Direction);
}
