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
}
