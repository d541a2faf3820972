using NetPerf.Testbeds;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Scripts;

/// <summary>The test scripts' own behaviour: what CI sees at the end of a run.</summary>
public class TestScriptTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "dotnet-test.sh"))) return dir.FullName;
        }
        throw new InvalidOperationException($"scripts/dotnet-test.sh not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public async Task A_filter_that_matches_no_test_fails_and_says_so()
    {
        var root = RepositoryRoot();
        var results = Directory.CreateTempSubdirectory("netperf-no-tests-").FullName;
        try
        {
            var run = await HostCommand.RunAsync("bash",
                [Path.Combine(root, "scripts", "dotnet-test.sh"), Path.Combine(root, "tests", "NetPerf.Framework.Tests"), "--no-build",
                 "--results-directory", results, "--filter-class", "NetPerf.Tests.No.Such.Class"],
                TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
            var lines = run.Stdout.TrimEnd().Split('\n');

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains(lines, l => l.StartsWith("no test ran: the filter", StringComparison.Ordinal) && l.Contains("NetPerf.Tests.No.Such.Class", StringComparison.Ordinal));
            Assert.Equal("0 passed, 0 failed", lines[^1]);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public async Task The_main_job_follows_progress_on_the_console_and_exits_0_when_its_cells_pass()
    {
        var availability = CapabilityCheckRegistry.Default.Check(Driver.Host);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var root = RepositoryRoot();
        var scratch = Directory.CreateTempSubdirectory("netperf-main-job-").FullName;
        try
        {
            // One short Host cell recorded into scratch folders: the script's own exit status and last line are under test.
            var run = await HostCommand.RunAsync("env",
                [$"NETPERF_BASELINES={Path.Combine(scratch, "baselines")}", $"NETPERF_RESULTS={Path.Combine(scratch, "results")}",
                 "NETPERF_RECORD=1", "NETPERF_RECORD_TRIALS=1", "NETPERF_TRIALS=1", "NETPERF_MAX_DURATION=1",
                 "bash", Path.Combine(root, "scripts", "scenarios.sh"), "--filter-method", "*HostVsBridge.Tcp_bitrate", "--filter-trait", "driver=Host"],
                TimeSpan.FromMinutes(8), TestContext.Current.CancellationToken);
            var lines = run.Stdout.TrimEnd().Split('\n');

            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
            Assert.Equal("1 passed, 0 failed", lines[^1]);
            Assert.Contains(lines, l => l.Contains("Tcp_bitrate(driver: Host, pairs: 1): run: provisioning 1 pair on Host", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("Tcp_bitrate(driver: Host, pairs: 1): Recorded in ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
