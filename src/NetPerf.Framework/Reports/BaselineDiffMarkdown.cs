using System.Globalization;
using System.Text;
using NetPerf.Statistics;

namespace NetPerf.Reports;

/// <summary>Shows a <see cref="BaselineDiff"/> as markdown for a pull-request review: one row per added, removed or moved metric.</summary>
internal static class BaselineDiffMarkdown
{
    /// <summary>The column headers of the table.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["Cell change", "Testbed", "Scenario", "Cell", "Metric", "Before median", "After median", "Change", "Trials"];

    /// <summary>Renders <paramref name="diff"/>.</summary>
    /// <param name="diff">The comparison of two snapshots.</param>
    public static string Render(BaselineDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var md = new StringBuilder();
        md.Append("## Baseline changes: ").Append(MarkdownText.Escape(diff.Before.Label)).Append(" → ").Append(MarkdownText.Escape(diff.After.Label)).Append("\n\n");
        md.Append(string.Create(CultureInfo.InvariantCulture,
            $"{diff.Added} cell(s) added, {diff.Removed} removed, {diff.Changed} changed, {diff.UnchangedCells} unchanged.\n\n"));

        if (diff.Cells.Count > 0)
        {
            md.Append(MarkdownText.Header(Columns, 5, 6, 7, 8)).Append('\n');
            foreach (var cell in diff.Cells)
            {
                string kind = cell.Kind.ToString().ToLowerInvariant();
                if (cell.Metrics.Count == 0)
                    md.Append(MarkdownText.Row([kind, cell.Key.Testbed, cell.Key.Scenario, cell.Key.Cell, "(environment only)", "-", "-", "-", "-"])).Append('\n');
                foreach (var m in cell.Metrics)
                {
                    md.Append(MarkdownText.Row([
                        kind, cell.Key.Testbed, cell.Key.Scenario, cell.Key.Cell,
                        m.Kind is MetricChangeKind.Moved || cell.Kind != CellChangeKind.Changed ? m.Metric : $"{m.Metric} ({m.Kind.ToString().ToLowerInvariant()})",
                        ReportFormat.Value(m.BeforeMedian, m.Unit), ReportFormat.Value(m.AfterMedian, m.Unit), Change(m), Trials(m),
                    ])).Append('\n');
                }
            }
            md.Append('\n');
        }

        foreach (var cell in diff.Cells.Where(c => c.Environment.Count > 0))
            md.Append("- Environment of ").Append(MarkdownText.Escape(cell.Key.ToString())).Append(" changed: ")
                .Append(MarkdownText.Escape(string.Join("; ", cell.Environment))).Append('\n');
        foreach (var problem in diff.Before.Problems.Select(p => $"{diff.Before.Label}: {p}").Concat(diff.After.Problems.Select(p => $"{diff.After.Label}: {p}")))
            md.Append("- Unreadable, left out: ").Append(MarkdownText.Escape(problem)).Append('\n');
        return md.ToString();
    }

    private static string Change(MetricChange m)
    {
        if (m.ChangePercent is not { } p)
            return "-";
        var text = NumberFormatting.FormatChange(1 + p / 100);
        return text == "0.0%" ? text : text + (m.IsWorse ? " (worse)" : " (better)");
    }

    private static string Trials(MetricChange m) => m.Kind switch
    {
        MetricChangeKind.Added => ReportFormat.Integer(m.AfterTrials),
        MetricChangeKind.Removed => ReportFormat.Integer(m.BeforeTrials),
        _ => m.BeforeTrials == m.AfterTrials ? ReportFormat.Integer(m.AfterTrials) : $"{ReportFormat.Integer(m.BeforeTrials)} → {ReportFormat.Integer(m.AfterTrials)}",
    };
}
