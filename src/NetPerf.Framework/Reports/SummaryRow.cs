using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>One row of a run's summary table: one metric of one cell (or the cell alone when it has no metrics).</summary>
/// <remarks>
/// A cell that was re-run to confirm a regression (see <see cref="CellResult.Confirmation"/>) gets two rows per metric:
/// the first run's, then the confirmation's (<see cref="IsConfirmation"/>), so both medians and verdicts are side by side;
/// a cell with a second confirmation (<see cref="CellResult.SecondConfirmation"/>) gets a third row (<see cref="IsSecondConfirmation"/>).
/// </remarks>
/// <param name="Cell">The cell.</param>
/// <param name="Metric">The metric, or <see langword="null"/> for a cell that produced no metrics (e.g. it failed before measuring).</param>
/// <param name="IsConfirmation">True when <paramref name="Metric"/> comes from the cell's confirmation run, not its first run.</param>
/// <param name="IsSecondConfirmation">True when <paramref name="Metric"/> comes from the cell's second confirmation run (then <paramref name="IsConfirmation"/> is true too).</param>
internal sealed record SummaryRow(CellResult Cell, MetricResult? Metric, bool IsConfirmation = false, bool IsSecondConfirmation = false)
{
    private string ConfirmationLabel => IsSecondConfirmation ? "second confirmation" : "confirmation";

    /// <summary>The axes other than driver and pairs, as <c>key=value</c> joined by <c>, </c> (empty when there are none).</summary>
    public string OtherAxes => string.Join(", ", Cell.Axes
        .Where(a => a.Key is not ("driver" or "pairs"))
        .OrderBy(a => a.Key, StringComparer.Ordinal)
        .Select(a => $"{a.Key}={a.Value}"));

    /// <summary>The metric's name as shown: <c>aggregate_throughput</c>, <c>aggregate_throughput (confirmation)</c> on a confirmation row, <c>-</c> without a metric.</summary>
    public string MetricLabel => Metric is null ? "-" : IsConfirmation ? $"{Metric.Metric} ({ConfirmationLabel})" : Metric.Metric;

    /// <summary>
    /// The verdict shown: the metric's verdict, marked <c>(reported)</c> when it is not gated, or the cell's outcome.
    /// A cell with a confirmation marks its first run's verdict <c>(first run)</c> and its confirmation's verdict
    /// <c>(confirmation)</c>, followed on a gated row by the cell's outcome, e.g. <c>Unchanged (confirmation) → Unconfirmed</c>.
    /// A gated metric of a Provisional cell shows <c>Provisional</c>.
    /// </summary>
    public string Verdict
    {
        get
        {
            if (Metric is null)
                return Cell.Outcome;
            if (IsConfirmation)
                return Metric.Gated ? $"{Metric.Verdict} ({ConfirmationLabel}) → {Cell.Outcome}" : $"{Metric.Verdict} (reported, {ConfirmationLabel})";
            if (Cell.Outcome == FirstRunNotice.ProvisionalOutcome && Metric.Gated)
                return Cell.Outcome;
            if (Cell.Confirmation is not null)
                return Metric.Gated ? Metric.Verdict + " (first run)" : Metric.Verdict + " (reported, first run)";
            return Metric.Gated ? Metric.Verdict : Metric.Verdict + " (reported)";
        }
    }

    /// <summary>
    /// Whether this row is what fails the run: a gated metric that regressed in a cell whose regression stands (not
    /// Unconfirmed), or, without a metric, a failing cell outcome.
    /// </summary>
    public bool FailsRun => Metric is null
        ? IsFailing(Cell.Outcome)
        : Metric.Gated && Metric.Verdict == "Regressed" && Cell.Outcome != "Unconfirmed";

    /// <summary>Whether this first-run row is a gate whose tolerance is below the regression it can detect (see <see cref="MetricResult.ToleranceBelowDetectable"/>).</summary>
    public bool ToleranceBelowDetectable => !IsConfirmation && Metric is { Gated: true, ToleranceBelowDetectable: true };

    /// <summary>
    /// Builds the rows of one scenario, most severe first: regressed cells, failed cells, unconfirmed, inconclusive,
    /// improved, the rest; within a cell, gated metrics that regressed first, each followed by its confirmation row.
    /// </summary>
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
            foreach (var metric in metrics.OrderBy(m => m.Gated ? 0 : 1).ThenBy(m => VerdictRank(m.Verdict)))
            {
                rows.Add(new SummaryRow(cell, metric));
                if (cell.Confirmation?.Metrics.FirstOrDefault(m => m.Metric == metric.Metric) is { } confirmed)
                    rows.Add(new SummaryRow(cell, confirmed, IsConfirmation: true));
                if (cell.SecondConfirmation?.Metrics.FirstOrDefault(m => m.Metric == metric.Metric) is { } again)
                    rows.Add(new SummaryRow(cell, again, IsConfirmation: true, IsSecondConfirmation: true));
            }
        }
        return rows;
    }

    /// <summary>Sort rank of a cell outcome: 0 for the most severe (Regressed), the highest for Passed.</summary>
    /// <param name="outcome">The cell's outcome.</param>
    public static int OutcomeRank(string outcome) => outcome switch
    {
        "Regressed" => 0,
        "Failed" => 1,
        "NewBaseline" => 2,
        "Unconfirmed" => 3,
        "Inconclusive" => 4,
        "Improved" => 5,
        "Provisional" => 7,
        "Passed" => 8,
        _ => 6,
    };

    /// <summary>Whether the cell's outcome fails its test (Regressed, Failed, NewBaseline).</summary>
    /// <param name="outcome">The cell's outcome.</param>
    public static bool IsFailing(string outcome) => OutcomeRank(outcome) <= 2;

    /// <summary>Whether the cell passed but its reviewer should look at it: Unconfirmed (a regression the confirmation did not repeat).</summary>
    /// <param name="outcome">The cell's outcome.</param>
    public static bool IsWarning(string outcome) => outcome == "Unconfirmed";

    private static int VerdictRank(string verdict) => verdict switch
    {
        "Regressed" => 0,
        "Inconclusive" => 1,
        "Improved" => 2,
        "NoBaseline" => 3,
        _ => 4,
    };
}
