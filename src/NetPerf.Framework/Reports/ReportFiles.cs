namespace NetPerf.Reports;

/// <summary>The files <see cref="ReportWriter"/> wrote and the run's totals.</summary>
/// <param name="Summary">The markdown summary, <c>{results}/summary.md</c>.</param>
/// <param name="Html">The HTML report, <c>{results}/report.html</c>.</param>
/// <param name="Json">All cells as JSON, <c>{results}/data.json</c>.</param>
/// <param name="Csv">The tidy CSV, <c>{results}/data.csv</c>.</param>
/// <param name="StepSummary">The <c>$GITHUB_STEP_SUMMARY</c> file the summary was appended to, or <see langword="null"/>.</param>
/// <param name="Totals">How many cells ended with each outcome.</param>
/// <param name="Problems">Cell files that could not be read (also listed in the reports).</param>
internal sealed record ReportFiles(string Summary, string Html, string Json, string Csv, string? StepSummary, RunTotals Totals, IReadOnlyList<string> Problems)
{
    /// <summary>All files written, the step summary last when there is one.</summary>
    public IEnumerable<string> All => new[] { Summary, Html, Json, Csv }.Concat(StepSummary is null ? [] : [StepSummary]);
}
