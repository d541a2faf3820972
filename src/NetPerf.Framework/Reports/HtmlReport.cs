using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NetPerf.Reports;

/// <summary>The HTML report of a run: one self-contained file with the summary tables and the charts.</summary>
/// <remarks>
/// <para>
/// The page needs no network: the chart library (Chart.js, vendored by <c>scripts/vendor-chart.sh</c>), the style and
/// the drawing script are inlined, and the charts are drawn from a JSON blob in
/// <c>&lt;script type="application/json" id="netperf-data"&gt;</c> (see <see cref="ChartBuilder"/>).
/// </para>
/// <para>
/// All text from the results is escaped: <see cref="HtmlText.Encode"/> in the markup and
/// <see cref="HtmlText.EscapeScriptJson"/> in the JSON; the script puts text into the page only through
/// <c>textContent</c> and the canvas. After drawing, each chart's <c>&lt;figure&gt;</c> carries
/// <c>data-rendered="true"</c>, <c>data-series</c> (series drawn) and <c>data-expected-series</c>, and the body carries
/// <c>data-report-ready</c>, <c>data-charts-total</c> and <c>data-charts-rendered</c>, for tests and for people.
/// </para>
/// <para>
/// The tables carry the same columns as <see cref="MarkdownSummary"/>: what each gate detects (its power note as the
/// cell's tooltip; class <c>underpowered</c> and a list below the table when the tolerance is below it), the baseline's
/// runs and their spread, and a confirmation row under each first-run row of a re-run cell. Each cell's trials chart
/// notes the same facts (<see cref="ChartBuilder.GateNote"/>) and draws a confirmation's trials beside the first run's.
/// A first run on a testbed shows <see cref="FirstRunNotice"/> under the totals, in <c>&lt;pre id="first-run"&gt;</c>.
/// </para>
/// </remarks>
internal static class HtmlReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        // Escaping for the script element is done explicitly afterwards, so non-ASCII text stays readable here.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Renders the report of <paramref name="results"/>.</summary>
    /// <param name="results">The run's cells.</param>
    /// <param name="title">The page title; <c>NetPerf report</c> when omitted.</param>
    /// <param name="generatedUtc">When the report was made (shown in the page); now when omitted.</param>
    /// <param name="workingDirectory">Where the first-run notice's commit command is run from (see <see cref="FirstRunNotice.Format"/>); absolute paths when omitted.</param>
    public static string Render(RunResults results, string? title = null, DateTimeOffset? generatedUtc = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        title ??= "NetPerf report";
        var charts = ChartBuilder.Build(results);
        var totals = results.Totals();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            // No network: nothing may be loaded from anywhere but this file.
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
            .Append("<title>").Append(HtmlText.Encode(title)).Append("</title>\n")
            .Append("<style>\n").Append(Asset("report.css")).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(HtmlText.Encode(title)).Append("</h1>\n")
            .Append("<p class=\"meta\">Generated ")
            .Append(HtmlText.Encode((generatedUtc ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)))
            .Append(". Numbers in the invariant format; medians are Harrell-Davis medians, intervals their confidence intervals.</p>\n")
            .Append("<p class=\"totals\" id=\"totals\">").Append(HtmlText.Encode(totals.ToString())).Append("</p>\n");

        var notice = FirstRunNotice.Format(results.Cells, workingDirectory);
        if (notice.Length > 0)
            html.Append("<pre class=\"notice\" id=\"first-run\">").Append(HtmlText.Encode(notice)).Append("</pre>\n");

        if (results.Problems.Count > 0)
        {
            html.Append("<ul class=\"messages problems\">\n");
            foreach (var problem in results.Problems)
                html.Append("<li>Left out: ").Append(HtmlText.Encode(problem)).Append("</li>\n");
            html.Append("</ul>\n");
        }

        html.Append("<h2>Summary</h2>\n");
        if (results.Cells.Count == 0)
            html.Append("<p>No cell results were found.</p>\n");
        foreach (var scenario in results.ByScenario())
            AppendScenarioTable(html, scenario.Key, [.. scenario]);

        html.Append("<div id=\"charts\"></div>\n");
        if (charts.Count == 0)
            html.Append("<p>No charts: the cells hold no measurements to draw.</p>\n");

        var blob = JsonSerializer.Serialize(new { sections = ChartSections.All, charts }, JsonOptions);
        html.Append("<script type=\"application/json\" id=\"netperf-data\">").Append(HtmlText.EscapeScriptJson(blob)).Append("</script>\n")
            .Append("<script>\n").Append(Asset("chart.umd.min.js")).Append("\n</script>\n")
            .Append("<script>\n").Append(Asset("report.js")).Append("</script>\n")
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendScenarioTable(StringBuilder html, string scenario, IReadOnlyList<CellResult> cells)
    {
        html.Append("<h3>").Append(HtmlText.Encode(scenario)).Append("</h3>\n<table>\n<thead><tr>");
        foreach (var column in MarkdownSummary.Columns)
            html.Append("<th>").Append(HtmlText.Encode(column)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        var rows = SummaryRow.For(cells);
        foreach (var row in rows)
        {
            var c = row.Cell;
            var m = row.Metric;
            var css = RowClass(row);
            html.Append(css.Length > 0 ? $"<tr class=\"{css}\">" : "<tr>");
            Cell(html, c.Driver);
            Cell(html, ReportFormat.Integer(c.Pairs), numeric: true);
            Cell(html, row.OtherAxes);
            Cell(html, row.MetricLabel);
            Cell(html, m is null ? "-" : ReportFormat.Value(m.BaselineMedian, m.Unit), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.Value(m.CurrentMedian, m.Unit), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.Change(m.ChangePercent), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.Interval(m.CurrentCiLower, m.CurrentCiUpper, m.Unit), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.Detectable(m), numeric: true, title: m?.PowerNote, css: row.ToleranceBelowDetectable ? "underpowered" : null);
            Cell(html, m is null ? "-" : ReportFormat.BaselineRuns(m), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.BetweenRunSpread(m), numeric: true);
            Cell(html, row.Verdict, title: m?.Reason ?? c.Message);
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");

        var underpowered = rows.Where(r => r.ToleranceBelowDetectable).ToList();
        if (underpowered.Count > 0)
        {
            html.Append("<ul class=\"messages power-notes\">\n");
            foreach (var row in underpowered)
            {
                var m = row.Metric!;
                html.Append("<li><strong>Tolerance below detectable regression</strong> ")
                    .Append(HtmlText.Encode($"{ChartBuilder.CellLabel(row.Cell)}, {m.Metric}: tolerance {ReportFormat.Tolerance(m.Tolerance)}, {ReportFormat.Detectable(m)}: {ToleranceWarnings.Advice(m)}"))
                    .Append("</li>\n");
            }
            html.Append("</ul>\n");
        }

        var listed = cells.Where(c => (SummaryRow.IsFailing(c.Outcome) && c.Message.Length > 0) || SummaryRow.IsWarning(c.Outcome))
            .OrderBy(c => SummaryRow.OutcomeRank(c.Outcome)).ThenBy(c => c.CellId, StringComparer.Ordinal).ToList();
        if (listed.Count > 0)
        {
            html.Append("<ul class=\"messages\">\n");
            foreach (var cell in listed)
            {
                html.Append("<li><strong>").Append(HtmlText.Encode(cell.Outcome)).Append("</strong> ").Append(HtmlText.Encode(cell.DisplayName));
                if (cell.Message.Length > 0)
                    html.Append(": ").Append(HtmlText.Encode(cell.Message));
                if (cell.Confirmation is { } confirmation)
                    html.Append(HtmlText.Encode(string.Create(CultureInfo.InvariantCulture,
                        $" (confirmation on a fresh testbed: {confirmation.Outcome}, {confirmation.Trials.Count} trials, {confirmation.DurationSeconds:0.#} s)")));
                if (cell.SecondConfirmation is { } second)
                    html.Append(HtmlText.Encode(string.Create(CultureInfo.InvariantCulture,
                        $" (second confirmation on another fresh testbed: {second.Outcome}, {second.Trials.Count} trials, {second.DurationSeconds:0.#} s)")));
                html.Append("</li>\n");
            }
            html.Append("</ul>\n");
        }
    }

    /// <summary>The row's class: what the row means for the run (regressed, failed, unconfirmed, provisional, improved, inconclusive), or none.</summary>
    private static string RowClass(SummaryRow row)
    {
        var c = row.Cell;
        var m = row.Metric;
        if (c.Outcome == "Unconfirmed" && (m is null || m.Gated))
            return "unconfirmed";
        if (c.Outcome == FirstRunNotice.ProvisionalOutcome)
            return "provisional";
        return (m is null ? c.Outcome : m.Gated ? m.Verdict : "") switch
        {
            "Regressed" => "regressed",
            "Failed" or "NewBaseline" => "failed",
            "Improved" => "improved",
            "Inconclusive" => "inconclusive",
            _ => "",
        };
    }

    private static void Cell(StringBuilder html, string text, bool numeric = false, string? title = null, string? css = null)
    {
        var classes = string.Join(' ', new[] { numeric ? "num" : null, css }.Where(x => x is not null));
        html.Append(classes.Length > 0 ? $"<td class=\"{classes}\"" : "<td");
        if (!string.IsNullOrEmpty(title))
            html.Append(" title=\"").Append(HtmlText.Encode(title)).Append('"');
        html.Append('>').Append(HtmlText.Encode(text)).Append("</td>");
    }

    /// <summary>Reads an embedded asset (<c>Reports/Assets/*</c>) as text.</summary>
    internal static string Asset(string name)
    {
        var resource = "NetPerf.Reports.Assets." + name;
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource '{resource}' is missing from {typeof(HtmlReport).Assembly.GetName().Name}; check the EmbeddedResource items in NetPerf.Framework.csproj.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        // The inlined script must not end its own element early.
        if (text.Contains("</script", StringComparison.OrdinalIgnoreCase) || text.Contains("<!--", StringComparison.Ordinal))
            throw new InvalidOperationException($"The asset '{name}' contains '</script' or '<!--' and cannot be inlined as it is.");
        return text;
    }
}
