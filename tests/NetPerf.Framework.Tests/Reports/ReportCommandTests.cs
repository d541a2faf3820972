using NetPerf.Experiments;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Reports;

/// <summary>Runs the CLI's <c>report</c> command as a child process, the way scripts/scenarios.sh does.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netperf-cli-report-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Task<CommandResult> Netperf(params string[] args) =>
        HostCommand.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "netperf.dll"), .. args], TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Report_writes_the_files_and_prints_their_paths_and_the_totals()
    {
        var sink = new JsonCellResultSink(directory);
        foreach (var cell in SampleCells.Run().Cells)
            sink.Write(cell);

        var result = await Netperf("report", "--results", directory);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var lines = result.Stdout.TrimEnd().Split('\n');
        foreach (var name in new[] { "summary.md", "report.html", "data.json", "data.csv" })
        {
            Assert.Contains($"report: {Path.Combine(directory, name)}", lines);
            Assert.True(File.Exists(Path.Combine(directory, name)), name);
        }
        Assert.Equal("report: 8 cells: 1 regressed, 1 failed, 0 unconfirmed, 0 improved, 1 inconclusive, 5 passed, 0 provisional, 0 other (recorded, accepted)", lines[^1]);
    }

    [Fact]
    public async Task Report_prints_the_gates_below_their_detectable_regression_and_the_first_run_notice_before_the_totals()
    {
        var sink = new JsonCellResultSink(directory);
        var baselines = Path.Combine(directory, "baselines");
        foreach (var cell in SampleCells.PowerRun().Cells.Concat(SampleCells.Provisional(3, baselines)))
            sink.Write(cell);

        var result = await Netperf("report", "--results", directory);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var lines = result.Stdout.TrimEnd().Split('\n');
        int heading = Array.IndexOf(lines, "== 1 gate has a tolerance below the regression it can detect (a regression of that size would likely pass) ==");
        Assert.True(heading > 0, result.Stdout);
        Assert.StartsWith("Latency.Ping_pong driver=Host/pairs=1/msg=350: latency_p50 tolerance 5%, detects >= 12%; detects regressions of 12% or more", lines[heading + 1]);
        int notice = Array.IndexOf(lines, "== First run on testbed '2c-amd-epyc-6.18': 3 cells recorded as provisional baselines ==");
        Assert.True(notice > heading, result.Stdout);
        // The test's working directory is not above the temporary folder, so the paths stay absolute.
        Assert.Equal($"Written to:   {Path.Combine(baselines, SampleCells.Testbed)}/", lines[notice + 1]);
        Assert.Equal($"Commit them:  git add {Path.Combine(baselines, SampleCells.Testbed)} && git commit -m 'Baselines for {SampleCells.Testbed}'", lines[notice + 2]);
        Assert.StartsWith("From the next run on, every cell compares against them;", lines[notice + 3]);
        Assert.Equal("report: 9 cells: 1 regressed, 0 failed, 1 unconfirmed, 0 improved, 1 inconclusive, 3 passed, 3 provisional, 0 other (recorded, accepted)", lines[^1]);
        Assert.Contains("== First run on testbed '2c-amd-epyc-6.18'", File.ReadAllText(Path.Combine(directory, "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_on_a_missing_folder_fails_with_a_message()
    {
        var result = await Netperf("report", "--results", Path.Combine(directory, "missing"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
