using System.Text;
using NetPerf.Statistics;

namespace NetPerf.Verdicts;

/// <summary>Writes the text a reviewer of a red run reads: which cell and metric, the numbers, the verdict, the files, what to do.</summary>
internal static class FailureMessage
{
    /// <summary>Formats the message for one compared metric of one cell.</summary>
    /// <param name="cellName">The cell, e.g. <c>Tcp_throughput/driver=Bridge/pairs=10</c>.</param>
    /// <param name="comparison">The comparison to report.</param>
    /// <param name="baselinePath">The baseline file, or <see langword="null"/> when there is none.</param>
    /// <param name="receivedPath">The received file with the new numbers, or <see langword="null"/> when none was written.</param>
    /// <param name="howToAccept">What to run to accept the new numbers as the baseline, e.g. a command line.</param>
    /// <returns>Lines separated by <c>\n</c>, invariant culture, without a trailing newline.</returns>
    public static string Format(string cellName, Comparison comparison, string? baselinePath, string? receivedPath, string howToAccept)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cellName);
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(howToAccept);

        var metric = comparison.Metric;
        string direction = metric.Direction == Direction.HigherIsBetter ? "higher is better" : "lower is better";
        string worse = metric.Direction == Direction.HigherIsBetter ? "lower" : "higher";
        string better = metric.Direction == Direction.HigherIsBetter ? "higher" : "lower";
        string tolerance = NumberFormatting.FormatPercent(comparison.Tolerance);

        var text = new StringBuilder();
        text.Append($"NetPerf: cell '{cellName}', metric '{metric.Name}' ({metric.Unit}, {direction}): {comparison.Verdict.ToString().ToUpperInvariant()}\n");
        text.Append($"  baseline: {DescribeSample(comparison.Baseline, metric.Unit)}\n");
        text.Append($"  current:  {DescribeSample(comparison.Current, metric.Unit)}\n");
        text.Append($"  change:   {DescribeChange(comparison)}; tolerance ±{tolerance}\n");
        string pLabel = comparison.Verdict switch
        {
            Verdict.Improved => $"one-sided Mann-Whitney, current {better} by more than {tolerance}",
            Verdict.Unchanged => $"equivalence, current within ±{tolerance}",
            _ => $"one-sided Mann-Whitney, current {worse} by more than {tolerance}",
        };
        text.Append($"  p-value:  {NumberFormatting.FormatPValue(comparison.DecisivePValue)} ({pLabel}); alpha {NumberFormatting.Format(comparison.Alpha)}\n");
        text.Append($"  verdict:  {comparison.Verdict}. {comparison.Reason}\n");
        AppendOutliers(text, "baseline", comparison.Baseline, metric.Unit);
        AppendOutliers(text, "current", comparison.Current, metric.Unit);
        text.Append($"  baseline file: {baselinePath ?? "(none)"}\n");
        text.Append($"  received file: {receivedPath ?? "(none)"}\n");
        text.Append($"  If the new numbers are expected, accept them: {howToAccept}");
        return text.ToString();
    }

    private static string DescribeSample(SampleSummary summary, Unit unit)
    {
        string interval = summary.MedianInterval is { } i
            ? $"{NumberFormatting.Format(i.ConfidenceLevel * 100)}% CI [{NumberFormatting.Format(i.Lower)}, {NumberFormatting.Format(i.Upper)}] {unit}"
            : $"CI undefined (n < {StatisticsDefaults.MinimumCountForInterval})";
        return $"median {NumberFormatting.Format(summary.Median)} {unit}, {interval}, n = {summary.Count}";
    }

    private static string DescribeChange(Comparison comparison)
    {
        string text = comparison.ChangeRatio is { } ratio
            ? $"{NumberFormatting.FormatChange(ratio)} (median)"
            : "undefined (the baseline median is 0)";
        if (comparison.HodgesLehmannRatio is { } hl)
        {
            text += $", Hodges-Lehmann {NumberFormatting.FormatChange(hl)}";
            if (comparison.HodgesLehmannInterval is { } i)
                text += $" [{NumberFormatting.FormatChange(i.Lower)}, {NumberFormatting.FormatChange(i.Upper)}] at {NumberFormatting.Format(i.ConfidenceLevel * 100)}%";
        }
        return text;
    }

    private static void AppendOutliers(StringBuilder text, string label, SampleSummary summary, Unit unit)
    {
        if (summary.Outliers.Count > 0)
            text.Append($"  note:     {label} outliers (kept in the analysis): {string.Join(", ", summary.Outliers.Select(v => NumberFormatting.Format(v)))} {unit}\n");
    }
}
