using System.Text;

namespace NetPerf.Reports;

/// <summary>The markdown summary of a run: per scenario a table of cells and their gated metrics, regressions first, then a totals line.</summary>
/// <remarks>
/// Written to <c>{results}/summary.md</c> and appended to the file named by <c>$GITHUB_STEP_SUMMARY</c> (see
/// <see cref="ReportWriter"/>), so a pull request's check page shows it. Every piece of text from the results is
/// escaped with <see cref="MarkdownText"/>.
/// </remarks>
public static class MarkdownSummary
{
    /// <summary>The column headers of each scenario's table.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["Driver", "Pairs", "Other axes", "Metric", "Baseline median", "Current median", "Change", "Current median CI", "Verdict"];

    /// <summary>Renders the summary of <paramref name="results"/>.</summary>
    /// <param name="results">The run's cells.</param>
    /// <param name="title">The heading; <c>NetPerf results</c> when omitted.</param>
    public static string Render(RunResults results, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var totals = results.Totals();
        var md = new StringBuilder();
        md.Append("## ").Append(MarkdownText.Escape(title ?? "NetPerf results")).Append("\n\n");
        md.Append("**").Append(MarkdownText.Escape(totals.ToString())).Append("**\n\n");
        if (results.Cells.Count == 0)
            md.Append("No cell results were found: no scenario cell ran to the point of writing a result.\n\n");
        else
            md.Append("Gated metrics only; every metric is in report.html, data.csv and data.json.\n\n");

        foreach (var scenario in results.ByScenario())
        {
            md.Append("### ").Append(MarkdownText.Escape(scenario.Key)).Append("\n\n");
            md.Append(MarkdownText.Header(Columns, 1, 4, 5, 6, 7)).Append('\n');
            foreach (var row in SummaryRow.For(scenario, includeReported: false))
                md.Append(RowText(row)).Append('\n');
            md.Append('\n');

            var failing = scenario.Where(c => SummaryRow.IsFailing(c.Outcome)).OrderBy(c => SummaryRow.OutcomeRank(c.Outcome)).ThenBy(c => c.CellId, StringComparer.Ordinal).ToList();
            foreach (var cell in failing)
            {
                var firstLine = cell.Message.Split('\n', 2)[0].Trim();
                md.Append("- **").Append(MarkdownText.Escape(cell.Outcome)).Append("** ").Append(MarkdownText.Escape(cell.DisplayName));
                if (firstLine.Length > 0)
                    md.Append(": ").Append(MarkdownText.Escape(firstLine));
                md.Append('\n');
            }
            if (failing.Count > 0)
                md.Append('\n');
        }

        foreach (var problem in results.Problems)
            md.Append("- Left out: ").Append(MarkdownText.Escape(problem)).Append('\n');
        if (results.Problems.Count > 0)
            md.Append('\n');
        md.Append(MarkdownText.Escape(totals.ToString())).Append('\n');
        return md.ToString();
    }

    private static string RowText(SummaryRow row)
    {
        var c = row.Cell;
        var m = row.Metric;
        var cells = m is null
            ? new[] { c.Driver, ReportFormat.Integer(c.Pairs), row.OtherAxes, "-", "-", "-", "-", "-" }
            : [
                c.Driver, ReportFormat.Integer(c.Pairs), row.OtherAxes, m.Metric,
                ReportFormat.Value(m.BaselineMedian, m.Unit), ReportFormat.Value(m.CurrentMedian, m.Unit),
                ReportFormat.Change(m.ChangePercent), ReportFormat.Interval(m.CurrentCiLower, m.CurrentCiUpper, m.Unit),
            ];
        // Bold is markup, so it is added after escaping; it marks what fails the run.
        var verdict = MarkdownText.Escape(row.Verdict);
        bool failing = m is null ? SummaryRow.IsFailing(c.Outcome) : m.Gated && m.Verdict == "Regressed";
        if (failing)
            verdict = "**" + verdict + "**";
        return "| " + string.Join(" | ", cells.Select(MarkdownText.Escape).Append(verdict)) + " |";
    }
}
