using NetPerf.Baselines;
using NetPerf.Testbeds.Host;
using NetPerf.Tests.Baselines;

namespace NetPerf.Tests.Cli;

/// <summary>Runs <c>netperf merge-runs</c> and <c>netperf accept</c> as child processes on temporary baselines folders.</summary>
public sealed class MergeRunsCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netperf-cli-merge-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Task<CommandResult> Netperf(params string[] args) =>
        HostCommand.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "netperf.dll"), .. args], TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

    private string Folder(string name) => Path.Combine(directory, name);

    [Fact]
    public async Task Merge_adds_the_runs_of_another_folder_labels_them_and_does_not_add_them_twice()
    {
        var target = new BaselineStore(Folder("into"));
        target.Record(SampleBaselines.File());
        new BaselineStore(Folder("from")).Record(BaselineFile.ForRun("ThroughputScenarios", SampleBaselines.File().Cell, SampleBaselines.File().Testbed,
            SampleBaselines.Run(scale: 0.9, hoursLater: 5, runId: "r0002") with { Commit = null }));

        var first = await Netperf("merge-runs", "--from", Folder("from"), "--into", Folder("into"), "--origin", "second machine", "--commit", "abc1234");
        var again = await Netperf("merge-runs", "--from", Folder("from"), "--into", Folder("into"));

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("1 -> 2 runs", first.Stdout, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        var merged = target.Read(SampleBaselines.File().Key)!;
        Assert.Equal(2, merged.Runs.Count);
        Assert.Equal("second machine", merged.Newest.Origin);
        Assert.Equal("abc1234", merged.Newest.Commit);
        Assert.Equal(10, merged.Metrics[SampleBaselines.Throughput.Name].Values.Count);
    }

    [Fact]
    public async Task Merge_reports_hostile_files_on_either_side_leaves_them_as_they_are_and_merges_the_rest()
    {
        // Target: the sample's baseline is truncated (unreadable); the other cell's is fine.
        var target = new BaselineStore(Folder("into"));
        var broken = target.BaselinePath(SampleBaselines.File().Key);
        Directory.CreateDirectory(Path.GetDirectoryName(broken)!);
        var brokenText = BaselineJson.Serialize(SampleBaselines.File())[..200];
        await File.WriteAllTextAsync(broken, brokenText, TestContext.Current.CancellationToken);
        target.Record(SampleBaselines.File(cell: "other"));
        // Source: a run for each of them, and a file whose testbed is '..'.
        var source = new BaselineStore(Folder("from"));
        source.Record(SampleBaselines.File(hoursLater: 5, runId: "r0002"));
        source.Record(SampleBaselines.File(cell: "other", hoursLater: 5, runId: "r0002"));
        var hostile = Path.Combine(Folder("from"), "dots.json");
        await File.WriteAllTextAsync(hostile, BaselineJson.Serialize(SampleBaselines.File()).Replace(
            $"\"testbed\": \"{SampleBaselines.File().Testbed}\"", "\"testbed\": \"..\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var result = await Netperf("merge-runs", "--from", Folder("from"), "--into", Folder("into"));

        // Before, the unreadable target crashed the command (uncaught BaselineFormatException) and '..' an ArgumentException.
        Assert.True(result.ExitCode == 1, result.Stdout + result.Stderr);
        Assert.Contains($"skipped {hostile}: Baseline file '{hostile}' is not valid at '$.testbed': '..' cannot name a baseline", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Baseline file '{broken}' is not valid", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 run(s) added, 0 file(s) upgraded, 2 problem(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(brokenText, await File.ReadAllTextAsync(broken, TestContext.Current.CancellationToken));
        Assert.Equal(2, target.Read(SampleBaselines.File(cell: "other").Key)!.Runs.Count);
    }

    [Fact]
    public async Task Upgrade_rewrites_a_format_1_file_as_format_2_with_one_run()
    {
        var key = SampleBaselines.File().Key;
        var path = new BaselineStore(Folder("b")).BaselinePath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, FormatOne(key), TestContext.Current.CancellationToken);

        var result = await Netperf("merge-runs", "--into", Folder("b"), "--upgrade");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("format 1 -> 2", result.Stdout, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.Contains("\"format_version\": 2", text, StringComparison.Ordinal);
        var file = BaselineJson.Deserialize(text, path);
        Assert.Equal("format 1", Assert.Single(file.Runs).Origin);
        Assert.Equal([1.5, 1.6, 1.4], file.Metrics["aggregate_throughput"].Values);
    }

    [Fact]
    public async Task Merge_without_a_source_or_upgrade_says_what_to_pass()
    {
        var result = await Netperf("merge-runs", "--into", Folder("none"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--from", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_adds_the_received_run_and_replace_starts_over()
    {
        var store = new BaselineStore(Folder("acc"));
        var sample = SampleBaselines.File();
        store.Record(sample);
        store.WriteReceived(BaselineFile.ForRun(sample.Scenario, sample.Cell, sample.Testbed, SampleBaselines.Run(scale: 0.8, hoursLater: 1, runId: "r0002")));

        var append = await Netperf("accept", "--baselines", Folder("acc"));
        store.WriteReceived(BaselineFile.ForRun(sample.Scenario, sample.Cell, sample.Testbed, SampleBaselines.Run(scale: 0.7, hoursLater: 2, runId: "r0003")));
        var replace = await Netperf("accept", "--baselines", Folder("acc"), "--replace");

        Assert.True(append.ExitCode == 0, append.Stdout + append.Stderr);
        Assert.Contains("2 runs kept", append.Stdout, StringComparison.Ordinal);
        Assert.True(replace.ExitCode == 0, replace.Stdout + replace.Stderr);
        Assert.Contains("replaced; 1 run kept", replace.Stdout, StringComparison.Ordinal);
        Assert.Equal("r0003", Assert.Single(store.Read(sample.Key)!.Runs).RunId);
        Assert.False(File.Exists(store.ReceivedPath(sample.Key)));
    }

    private static string FormatOne(BaselineKey key) => $$"""
        {
          "cell": "{{key.Cell}}",
          "commit": "e984abf",
          "fingerprint": {
            "cores": 2,
            "cpu_model": "AMD EPYC",
            "engine_version": "20.10.24+dfsg1",
            "image_id": "sha256:731a",
            "kernel": "6.18.44-fc-v769",
            "offloads": {},
            "ovs_datapath": null,
            "ovs_version": null,
            "tool_versions": {
              "iperf3": "iperf 3.12"
            }
          },
          "format_version": 1,
          "metrics": {
            "aggregate_throughput": {
              "direction": "higher_is_better",
              "summary": {
                "max": 1.6,
                "median": 1.5,
                "median_ci": null,
                "min": 1.4,
                "q1": 1.45,
                "q3": 1.55
              },
              "tolerance": 0.15,
              "unit": "Gbit/s",
              "values": [
                1.5,
                1.6,
                1.4
              ]
            }
          },
          "recorded_at": "2026-11-22T10:00:00Z",
          "scenario": "{{key.Scenario}}",
          "testbed": "{{key.Testbed}}"
        }

        """;
}
