using System.Text.Json;
using Microsoft.Playwright;
using NetPerf.Experiments;
using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

/// <summary>Opens the HTML report in a real browser (Debian's chromium driven by Playwright) and checks that every chart was drawn.</summary>
public sealed class ReportBrowserTests : IDisposable
{
    /// <summary>Playwright's own browser download does not work here; Debian's chromium, installed by scripts/setup.sh, is used instead.</summary>
    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly string directory = Directory.CreateTempSubdirectory("netperf-browser-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>The cells of a real run (canned from a scenario run), the synthetic sample run, the confirmations and power facts, a first run, and a cell with hostile names.</summary>
    private static RunResults Cells()
    {
        var canned = Path.Combine(AppContext.BaseDirectory, "Canned", "reports");
        var real = Directory.Exists(Path.Combine(canned, "cells")) ? CellResultReader.ReadDirectory(canned).Cells : [];
        return new RunResults([.. real, .. SampleCells.Run().Cells, .. SampleCells.PowerRun().Cells.Select(c => c with { Scenario = "Power." + c.Scenario }),
            .. SampleCells.Provisional(2), .. HtmlReportTests.HostileRun().Cells], []);
    }

    private sealed record FigureState(string Id, string? Rendered, string? Series, string? Expected, string? Error, int Datasets, int Width, int Height, int PaintedPixels);

    [Fact]
    public async Task Every_chart_renders_in_headless_chromium_without_errors()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"The browser test needs Debian's chromium at '{ChromiumPath}', which is missing. Run scripts/setup.sh (it installs chromium), or 'apt-get install -y chromium', then rerun.");
        var run = Cells();
        var charts = ChartBuilder.Build(run);
        var path = Path.Combine(directory, "report.html");
        File.WriteAllText(path, HtmlReport.Render(run));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The tests run as root in a container, where chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
                problems.Add($"console {message.Type}: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("file:", StringComparison.Ordinal))
                problems.Add($"network request (the report must be self-contained): {request.Url}");
        };
        page.Dialog += (_, dialog) => problems.Add($"a dialog opened (injected script ran?): {dialog.Message}");

        await page.GotoAsync(new Uri(path).AbsoluteUri);
        await page.WaitForSelectorAsync("body[data-report-ready='true']", new() { Timeout = 30_000 });

        var json = await page.EvaluateAsync<JsonElement>("""
            () => Array.from(document.querySelectorAll('figure.chart')).map(f => {
              const canvas = f.querySelector('canvas');
              const chart = canvas ? Chart.getChart(canvas) : undefined;
              let painted = 0;
              if (canvas && canvas.width > 0 && canvas.height > 0) {
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
              }
              return {
                id: f.id, rendered: f.getAttribute('data-rendered'), series: f.getAttribute('data-series'),
                expected: f.getAttribute('data-expected-series'), error: f.getAttribute('data-error'),
                datasets: chart ? chart.data.datasets.length : -1,
                width: canvas ? canvas.width : 0, height: canvas ? canvas.height : 0, paintedPixels: painted
              };
            })
            """);
        var figures = json.Deserialize<List<FigureState>>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        var screenshot = await page.ScreenshotAsync(new() { FullPage = true });
        TestContext.Current.AddAttachment("report.png", screenshot, "image/png");
        TestContext.Current.AddAttachment("report.html", File.ReadAllText(path));

        Assert.True(problems.Count == 0, "The report page reported problems:\n" + string.Join("\n", problems));
        Assert.Equal(charts.Select(c => c.Id), figures.Select(f => f.Id));
        foreach (var (spec, figure) in charts.Zip(figures))
        {
            Assert.True(figure.Error is null, $"Chart '{spec.Title}' ({spec.Id}) failed: {figure.Error}");
            Assert.True(figure.Rendered == "true", $"Chart '{spec.Title}' ({spec.Id}) never finished drawing.");
            Assert.True(figure.Width > 100 && figure.Height > 100, $"Chart '{spec.Title}' has a {figure.Width}x{figure.Height} canvas.");
            Assert.True(figure.PaintedPixels > 1000, $"Chart '{spec.Title}' painted only {figure.PaintedPixels} pixels.");
            Assert.Equal(spec.Series.Count, figure.Datasets);
            Assert.Equal(spec.Series.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), figure.Series);
        }
        Assert.Equal(charts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.GetAttributeAsync("body", "data-charts-rendered"));

        // Every section of the report has at least one chart, and the synthetic run's throughput chart has its two drivers.
        Assert.All(ChartSections.All, section => Assert.Contains(charts, c => c.Section == section));
        var throughput = charts.Single(c => c.Section == ChartSections.ThroughputVsPairs && c.Title.StartsWith(SampleCells.Throughput + ":", StringComparison.Ordinal));
        Assert.Equal(2, figures.Single(f => f.Id == throughput.Id).Datasets);

        // The hostile names arrive as text: no element was injected, and the heading shows the name verbatim.
        Assert.Equal(0, await page.Locator("img").CountAsync());
        var headings = await page.Locator("h3").AllTextContentsAsync();
        Assert.Contains("Scn." + HtmlReportTests.HostileName, headings);
    }
}
