using NetPerf.Experiments;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Reports;

/// <summary>Runs the CLI's <c>report</c> command as a child process, the way scripts/scenarios.sh does.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netperf-cli-report-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Task<NetPerf.Workloads.CommandResult> Netperf(params string[] args) =>
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
        Assert.Equal("report: 8 cells: 1 regressed, 1 failed, 0 improved, 1 inconclusive, 5 passed, 0 other (recorded, accepted)", lines[^1]);
    }

    [Fact]
    public async Task Report_on_a_missing_folder_fails_with_a_message()
    {
        var result = await Netperf("report", "--results", Path.Combine(directory, "missing"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
