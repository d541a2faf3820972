using System.Globalization;
using System.Text;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>The markdown summary of a run: per scenario a table of cells and their gated metrics, regressions first, then a totals line.</summary>
/// <remarks>
/// <para>
/// Written to <c>{results}/summary.md</c> and appended to the file named by <c>$GITHUB_STEP_SUMMARY</c> (see
/// <see cref="ReportWriter"/>), so a pull request's check page shows it. Every piece of text from the results is
/// escaped with <see cref="MarkdownText"/>.
/// </para>
/// <para>
/// Each gated metric shows the regression it can detect, how many runs its baseline holds and how much those runs
/// differ. A gate whose tolerance is below what it can detect is marked <c>[n]</c> and explained below the table. A
/// cell that was re-run to confirm a regression shows its first run and its confirmation on consecutive rows.
/// Unconfirmed and provisional cells are counted in the totals and named below them, and a first run on a testbed
/// ends with <see cref="FirstRunNotice"/> in a code block.
/// </para>
/// </remarks>
internal static class MarkdownSummary
{
    /// <summary>The column headers of each scenario's table.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "Driver", "Pairs", "Other axes", "Metric", "Baseline median", "Current median", "Change", "Current median CI",
        "Detectable regression", "Baseline runs", "Between-run spread", "Verdict",
    ];

    /// <summary>How many provisional cells are named below the totals before the rest are only counted.</summary>
    public const int ProvisionalNamed = 10;

    /// <summary>Renders the summary of <paramref name="results"/>.</summary>
    /// <param name="results">The run's cells.</param>
    /// <param name="title">The heading; <c>NetPerf results</c> when omitted.</param>
    /// <param name="workingDirectory">Where the first-run notice's commit command is run from (see <see cref="FirstRunNotice.Format"/>); absolute paths when omitted.</param>
    public static string Render(RunResults results, string? title = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var totals = results.Totals();
        var md = new StringBuilder();
        md.Append("## ").Append(MarkdownText.Escape(title ?? "NetPerf results")).Append("\n\n");
        md.Append("**").Append(MarkdownText.Escape(totals.ToString())).Append("**\n\n");
        AppendNamedOutcomes(md, results.Cells);
        if (results.Cells.Count == 0)
            md.Append("No cell results were found: no scenario cell ran to the point of writing a result.\n\n");
        else
            md.Append("Gated metrics only; every metric is in report.html, data.csv and data.json. ")
                .Append("Detectable regression: the smallest regression the gate detects with 90% power, confirmation included; ")
                .Append("between-run spread: how much the baseline's run medians differ (coefficient of variation).\n\n");

        foreach (var scenario in results.ByScenario())
        {
            md.Append("### ").Append(MarkdownText.Escape(scenario.Key)).Append("\n\n");
            md.Append(MarkdownText.Header(Columns, 1, 4, 5, 6, 7, 8, 9, 10)).Append('\n');
            var rows = SummaryRow.For(scenario, includeReported: false);
            var flagged = rows.Where(r => r.ToleranceBelowDetectable).ToList();
            foreach (var row in rows)
                md.Append(RowText(row, flagged.IndexOf(row) + 1)).Append('\n');
            md.Append('\n');

            for (int i = 0; i < flagged.Count; i++)
            {
                var row = flagged[i];
                var m = row.Metric!;
                md.Append("- \\[").Append(ReportFormat.Integer(i + 1)).Append("\\] ")
                    .Append(MarkdownText.Escape($"{ChartBuilder.CellLabel(row.Cell)}, {m.Metric}: the tolerance {ReportFormat.Tolerance(m.Tolerance)} is below the detectable regression ("))
                    .Append(ReportFormat.Detectable(m)).Append("): ").Append(MarkdownText.Escape(ToleranceWarnings.Advice(m)))
                    .Append('\n');
            }
            if (flagged.Count > 0)
                md.Append('\n');

            var listed = scenario.Where(c => SummaryRow.IsFailing(c.Outcome) || SummaryRow.IsWarning(c.Outcome))
                .OrderBy(c => SummaryRow.OutcomeRank(c.Outcome)).ThenBy(c => c.CellId, StringComparer.Ordinal).ToList();
            foreach (var cell in listed)
            {
                md.Append("- **").Append(MarkdownText.Escape(cell.Outcome)).Append("** ").Append(MarkdownText.Escape(cell.DisplayName));
                var line = MessageLine(cell);
                if (line.Length > 0)
                    md.Append(": ").Append(MarkdownText.Escape(line));
                md.Append('\n');
            }
            if (listed.Count > 0)
                md.Append('\n');
        }

        foreach (var problem in results.Problems)
            md.Append("- Left out: ").Append(MarkdownText.Escape(problem)).Append('\n');
        if (results.Problems.Count > 0)
            md.Append('\n');

        var notice = FirstRunNotice.Format(results.Cells, workingDirectory);
        if (notice.Length > 0)
        {
            // A code block keeps the command copyable; a fence longer than any backtick run inside cannot be closed early.
            var fence = new string('`', Math.Max(3, LongestRun(notice, '`') + 1));
            md.Append(fence).Append("text\n").Append(notice).Append(fence).Append("\n\n");
        }
        md.Append(MarkdownText.Escape(totals.ToString())).Append('\n');
        return md.ToString();
    }

    /// <summary>The first line of the cell's message; for an Unconfirmed cell without one, what Unconfirmed means.</summary>
    private static string MessageLine(CellResult cell)
    {
        var line = cell.Message.Split('\n', 2)[0].Trim();
        if (line.Length == 0 && SummaryRow.IsWarning(cell.Outcome))
            line = "regressed in the first run but not in the confirmation on a fresh testbed; passes with a warning";
        return line;
    }

    private static void AppendNamedOutcomes(StringBuilder md, IReadOnlyList<CellResult> cells)
    {
        var unconfirmed = cells.Where(c => c.Outcome == "Unconfirmed").OrderBy(c => c.Scenario, StringComparer.Ordinal).ThenBy(c => c.CellId, StringComparer.Ordinal).ToList();
        if (unconfirmed.Count > 0)
            md.Append("Unconfirmed (regressed in the first run, not in the confirmation on a fresh testbed; they pass with a warning): ")
                .Append(MarkdownText.Escape(string.Join(", ", unconfirmed.Select(Name)))).Append(".\n\n");

        var provisional = cells.Where(c => c.Outcome == FirstRunNotice.ProvisionalOutcome).OrderBy(c => c.Scenario, StringComparer.Ordinal).ThenBy(c => c.CellId, StringComparer.Ordinal).ToList();
        if (provisional.Count > 0)
        {
            var named = string.Join(", ", provisional.Take(ProvisionalNamed).Select(Name));
            if (provisional.Count > ProvisionalNamed)
                named += string.Create(CultureInfo.InvariantCulture, $" and {provisional.Count - ProvisionalNamed} more");
            md.Append("Provisional (first run on a testbed without baselines, recorded as provisional baselines; they pass, see the first-run notice at the end): ")
                .Append(MarkdownText.Escape(named)).Append(".\n\n");
        }
    }

    private static string Name(CellResult cell) => $"{cell.Scenario} {cell.CellId}";

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (char x in text)
        {
            run = x == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    private static string RowText(SummaryRow row, int footnote)
    {
        var c = row.Cell;
        var m = row.Metric;
        var cells = m is null
            ? new[] { c.Driver, ReportFormat.Integer(c.Pairs), row.OtherAxes, "-", "-", "-", "-", "-", "-", "-", "-" }
            : [
                c.Driver, ReportFormat.Integer(c.Pairs), row.OtherAxes, row.MetricLabel,
                ReportFormat.Value(m.BaselineMedian, m.Unit), ReportFormat.Value(m.CurrentMedian, m.Unit),
                ReportFormat.Change(m.ChangePercent), ReportFormat.Interval(m.CurrentCiLower, m.CurrentCiUpper, m.Unit),
                ReportFormat.Detectable(m), ReportFormat.BaselineRuns(m), ReportFormat.BetweenRunSpread(m),
            ];
        var escaped = cells.Select(MarkdownText.Escape).ToArray();
        // The detectable regression is NetPerf's own text (digits and ">="), left unescaped so the file reads "detects >= 12%".
        if (m is not null)
            escaped[8] = ReportFormat.Detectable(m);
        // The footnote marker is markup, added after escaping; it points to the note below the table.
        if (footnote > 0)
            escaped[8] += " \\[" + ReportFormat.Integer(footnote) + "\\]";
        // Bold is markup too; it marks what fails the run.
        var verdict = MarkdownText.Escape(row.Verdict);
        if (row.FailsRun)
            verdict = "**" + verdict + "**";
        return "| " + string.Join(" | ", escaped.Append(verdict)) + " |";
    }
}
