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
/// </remarks>
public static class HtmlReport
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
    public static string Render(RunResults results, string? title = null, DateTimeOffset? generatedUtc = null)
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

    private static void AppendScenarioTable(StringBuilder html, string scenario, IReadOnlyList<Experiments.CellResult> cells)
    {
        html.Append("<h3>").Append(HtmlText.Encode(scenario)).Append("</h3>\n<table>\n<thead><tr>");
        foreach (var column in MarkdownSummary.Columns)
            html.Append("<th>").Append(HtmlText.Encode(column)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in SummaryRow.For(cells))
        {
            var c = row.Cell;
            var m = row.Metric;
            string css = (m is null ? c.Outcome : m.Gated ? m.Verdict : "") switch
            {
                "Regressed" => "regressed",
                "Failed" or "NewBaseline" => "failed",
                "Improved" => "improved",
                "Inconclusive" => "inconclusive",
                _ => "",
            };
            html.Append(css.Length > 0 ? $"<tr class=\"{css}\">" : "<tr>");
            Cell(html, c.Driver);
            Cell(html, ReportFormat.Integer(c.Pairs), numeric: true);
            Cell(html, row.OtherAxes);
            Cell(html, m?.Metric ?? "-");
            Cell(html, m is null ? "-" : ReportFormat.Value(m.BaselineMedian, m.Unit), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.Value(m.CurrentMedian, m.Unit), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.Change(m.ChangePercent), numeric: true);
            Cell(html, m is null ? "-" : ReportFormat.Interval(m.CurrentCiLower, m.CurrentCiUpper, m.Unit), numeric: true);
            Cell(html, row.Verdict, title: m?.Reason ?? c.Message);
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");

        var failing = cells.Where(c => SummaryRow.IsFailing(c.Outcome) && c.Message.Length > 0).ToList();
        if (failing.Count > 0)
        {
            html.Append("<ul class=\"messages\">\n");
            foreach (var cell in failing)
                html.Append("<li><strong>").Append(HtmlText.Encode(cell.Outcome)).Append("</strong> ")
                    .Append(HtmlText.Encode(cell.DisplayName)).Append(": ").Append(HtmlText.Encode(cell.Message)).Append("</li>\n");
            html.Append("</ul>\n");
        }
    }

    private static void Cell(StringBuilder html, string text, bool numeric = false, string? title = null)
    {
        html.Append(numeric ? "<td class=\"num\"" : "<td");
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
