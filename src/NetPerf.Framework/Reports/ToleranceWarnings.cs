using System.Globalization;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>
/// The gates whose tolerance is below the regression they can detect (see <see cref="MetricResult.ToleranceBelowDetectable"/>),
/// as console lines for a CI log: a regression as large as such a gate's tolerance would most likely pass unseen.
/// </summary>
/// <remarks><c>netperf report</c> prints these lines; <c>summary.md</c> marks the same rows and lists them below each table.</remarks>
internal static class ToleranceWarnings
{
    /// <summary>What to do when a gate cannot see its tolerance and the cell says nothing more specific.</summary>
    public const string DefaultAdvice = "record more baseline runs on fresh testbeds (NETPERF_RECORD=1), run more or longer trials, or gate on the ratio to a control arm (.RelativeTo(Driver.Host)); until then the data sets the gate";

    /// <summary>The gated first-run metrics of <paramref name="cells"/> whose tolerance is below their detectable regression, in report order.</summary>
    /// <param name="cells">The cells of a run.</param>
    public static IReadOnlyList<(CellResult Cell, MetricResult Metric)> Find(IEnumerable<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return [.. cells
            .OrderBy(c => c.Scenario, StringComparer.Ordinal).ThenBy(c => c.CellId, StringComparer.Ordinal)
            .SelectMany(c => c.Metrics.Where(m => m.Gated && m.ToleranceBelowDetectable).Select(m => (c, m)))];
    }

    /// <summary>
    /// A heading and one line per gate whose tolerance is below its detectable regression: scenario and cell, metric,
    /// tolerance, detectable regression and advice. Empty when every gate can see its tolerance.
    /// </summary>
    /// <param name="cells">The cells of a run.</param>
    public static IReadOnlyList<string> Format(IEnumerable<CellResult> cells)
    {
        var found = Find(cells);
        if (found.Count == 0)
            return [];
        var lines = new List<string>(found.Count + 1)
        {
            found.Count == 1
                ? "== 1 gate has a tolerance below the regression it can detect (a regression of that size would likely pass) =="
                : $"== {found.Count.ToString(CultureInfo.InvariantCulture)} gates have a tolerance below the regression they can detect (a regression of that size would likely pass) ==",
        };
        foreach (var (cell, metric) in found)
            lines.Add($"{cell.Scenario} {cell.CellId}: {metric.Metric} tolerance {ReportFormat.Tolerance(metric.Tolerance)}, {ReportFormat.Detectable(metric)}; {Advice(metric)}");
        return lines;
    }

    /// <summary>The metric's own note on what it can detect (with advice), or <see cref="DefaultAdvice"/> when it has none.</summary>
    /// <param name="metric">A gated metric.</param>
    public static string Advice(MetricResult metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return string.IsNullOrWhiteSpace(metric.PowerNote) ? DefaultAdvice : metric.PowerNote.Trim();
    }
}
