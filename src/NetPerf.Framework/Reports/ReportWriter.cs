using System.Text;

namespace NetPerf.Reports;

/// <summary>Writes every report of a run into its results folder: <c>summary.md</c>, <c>report.html</c>, <c>data.json</c> and <c>data.csv</c>.</summary>
/// <remarks>
/// Reads <c>{results}/cells/*.json</c> with <see cref="CellResultReader"/>. When <c>$GITHUB_STEP_SUMMARY</c> names a file
/// the markdown summary is appended to it, so GitHub Actions shows it on the run's page. Files are written as UTF-8
/// without a byte order mark.
/// </remarks>
internal static class ReportWriter
{
    /// <summary>The environment variable GitHub Actions sets to the file a step appends its summary to.</summary>
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Reads the cells in <paramref name="resultsDirectory"/> and writes the reports next to them.</summary>
    /// <param name="resultsDirectory">The run's results folder.</param>
    /// <param name="stepSummaryPath">The file to append the markdown to; read from <c>$GITHUB_STEP_SUMMARY</c> when omitted, nothing appended when that is unset.</param>
    /// <exception cref="DirectoryNotFoundException">The results folder does not exist.</exception>
    public static ReportFiles Write(string resultsDirectory, string? stepSummaryPath = null)
    {
        var results = CellResultReader.ReadDirectory(resultsDirectory);
        return Write(results, resultsDirectory, stepSummaryPath ?? Environment.GetEnvironmentVariable(StepSummaryVariable));
    }

    /// <summary>Writes the reports of <paramref name="results"/> into <paramref name="resultsDirectory"/>.</summary>
    /// <param name="results">The cells.</param>
    /// <param name="resultsDirectory">Where to write.</param>
    /// <param name="stepSummaryPath">The file to append the markdown to, or <see langword="null"/>.</param>
    /// <param name="workingDirectory">
    /// Where the first-run notice's commit command is meant to be run from (see <see cref="FirstRunNotice.Format"/>);
    /// the current directory when omitted (<c>scripts/scenarios.sh</c> runs the report from the repository root).
    /// </param>
    public static ReportFiles Write(RunResults results, string resultsDirectory, string? stepSummaryPath, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrWhiteSpace(resultsDirectory);
        Directory.CreateDirectory(resultsDirectory);
        var summary = Path.Combine(resultsDirectory, "summary.md");
        var html = Path.Combine(resultsDirectory, "report.html");
        var json = Path.Combine(resultsDirectory, "data.json");
        var csv = Path.Combine(resultsDirectory, "data.csv");

        workingDirectory ??= Environment.CurrentDirectory;
        var markdown = MarkdownSummary.Render(results, workingDirectory: workingDirectory);
        File.WriteAllText(summary, markdown, Utf8);
        File.WriteAllText(html, HtmlReport.Render(results, workingDirectory: workingDirectory), Utf8);
        File.WriteAllText(json, RawData.ToJson(results), Utf8);
        File.WriteAllText(csv, RawData.ToCsv(results), Utf8);

        string? step = string.IsNullOrWhiteSpace(stepSummaryPath) ? null : stepSummaryPath;
        if (step is not null)
            File.AppendAllText(step, markdown + "\n", Utf8);
        return new ReportFiles(summary, html, json, csv, step, results.Totals(), results.Problems);
    }
}
