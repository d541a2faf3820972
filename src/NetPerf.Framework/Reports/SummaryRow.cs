using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>One row of a run's summary table: one metric of one cell (or the cell alone when it has no metrics).</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Metric">The metric, or <see langword="null"/> for a cell that produced no metrics (e.g. it failed before measuring).</param>
public sealed record SummaryRow(CellResult Cell, MetricResult? Metric)
{
    /// <summary>The axes other than driver and pairs, as <c>key=value</c> joined by <c>, </c> (empty when there are none).</summary>
    public string OtherAxes => string.Join(", ", Cell.Axes
        .Where(a => a.Key is not ("driver" or "pairs"))
        .OrderBy(a => a.Key, StringComparer.Ordinal)
        .Select(a => $"{a.Key}={a.Value}"));

    /// <summary>The verdict shown: the metric's verdict, marked <c>(reported)</c> when it is not gated, or the cell's outcome.</summary>
    public string Verdict => Metric is null ? Cell.Outcome : Metric.Gated ? Metric.Verdict : Metric.Verdict + " (reported)";

    /// <summary>Builds the rows of one scenario, most severe first: regressed cells, failed cells, inconclusive, improved, the rest; within a cell, gated metrics that regressed first.</summary>
    /// <param name="cells">The cells of one scenario.</param>
    /// <param name="includeReported">Whether metrics that are only reported (not gated) get rows; a cell without gated metrics always shows all of its metrics.</param>
    public static IReadOnlyList<SummaryRow> For(IEnumerable<CellResult> cells, bool includeReported = true)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var rows = new List<SummaryRow>();
        foreach (var cell in cells
                     .OrderBy(c => OutcomeRank(c.Outcome))
                     .ThenBy(c => c.Driver, StringComparer.Ordinal)
                     .ThenBy(c => c.Pairs)
                     .ThenBy(c => c.CellId, StringComparer.Ordinal))
        {
            if (cell.Metrics.Count == 0)
            {
                rows.Add(new SummaryRow(cell, null));
                continue;
            }
            var metrics = includeReported || !cell.Metrics.Any(m => m.Gated) ? cell.Metrics : cell.Metrics.Where(m => m.Gated);
            rows.AddRange(metrics
                .OrderBy(m => m.Gated ? 0 : 1)
                .ThenBy(m => VerdictRank(m.Verdict))
                .Select(m => new SummaryRow(cell, m)));
        }
        return rows;
    }

    /// <summary>Sort rank of a cell outcome: 0 for the most severe (Regressed).</summary>
    /// <param name="outcome">The cell's outcome.</param>
    public static int OutcomeRank(string outcome) => outcome switch
    {
        "Regressed" => 0,
        "Failed" => 1,
        "NewBaseline" => 2,
        "Inconclusive" => 3,
        "Improved" => 4,
        "Passed" => 6,
        _ => 5,
    };

    /// <summary>Whether the cell's outcome fails its test (Regressed, Failed, NewBaseline).</summary>
    /// <param name="outcome">The cell's outcome.</param>
    public static bool IsFailing(string outcome) => OutcomeRank(outcome) <= 2;

    private static int VerdictRank(string verdict) => verdict switch
    {
        "Regressed" => 0,
        "Inconclusive" => 1,
        "Improved" => 2,
        "NoBaseline" => 3,
        _ => 4,
    };
}
