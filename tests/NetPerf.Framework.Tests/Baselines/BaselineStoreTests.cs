using NetPerf.Baselines;

namespace NetPerf.Tests.Baselines;

public sealed class BaselineStoreTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "netperf-baselines-" + Guid.NewGuid().ToString("N"));
    private readonly BaselineStore store;

    public BaselineStoreTests() => store = new BaselineStore(root);

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Paths_follow_testbed_scenario_and_safe_cell_name()
    {
        var key = new BaselineKey("2c-xeon-6.1", "ThroughputScenarios", "Tcp_throughput/driver=Bridge/pairs=10");

        Assert.Equal(Path.Combine(root, "2c-xeon-6.1", "ThroughputScenarios", "Tcp_throughput__driver=Bridge__pairs=10.json"), store.BaselinePath(key));
        Assert.Equal(Path.Combine(root, "2c-xeon-6.1", "ThroughputScenarios", "Tcp_throughput__driver=Bridge__pairs=10.received.json"), store.ReceivedPath(key));
    }

    [Fact]
    public void Unsafe_names_cannot_escape_the_root()
    {
        var key = new BaselineKey("../..", ".hidden", "a:b?c d");

        var path = store.BaselinePath(key);

        Assert.Equal(Path.Combine(root, "_.__", "_hidden", "a_b_c_d.json"), path);
        var error = Assert.Throws<ArgumentException>(() => store.BaselinePath(key with { Testbed = ".." }));
        Assert.Contains("'..'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_baseline_reads_as_null()
    {
        Assert.Null(store.Read(SampleBaselines.File().Key));
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void Record_then_read_round_trips_and_the_file_is_deterministic()
    {
        var file = SampleBaselines.File();

        var path = store.Record(file);
        var bytes = File.ReadAllBytes(path);
        store.Record(file);

        Assert.Equal(bytes, File.ReadAllBytes(path));
        var read = store.Read(file.Key);
        Assert.NotNull(read);
        Assert.Equal(file.Metrics["aggregate_throughput"].Summary.Min, read.Metrics["aggregate_throughput"].Summary.Min);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void Received_file_leaves_the_baseline_alone_until_accepted()
    {
        var baseline = SampleBaselines.File();
        var received = SampleBaselines.File(scale: 0.7, hoursLater: 2, runId: "r0002");
        var baselinePath = store.Record(baseline);
        var before = File.ReadAllBytes(baselinePath);

        var receivedPath = store.WriteReceived(received);

        Assert.Equal(store.ReceivedPath(baseline.Key), receivedPath);
        Assert.Equal(before, File.ReadAllBytes(baselinePath));
        Assert.Equal(17.23 * 0.7, store.ReadReceived(baseline.Key)!.Metrics["aggregate_throughput"].Values[0], 1);

        var accepted = store.Accept(baseline.Key);

        Assert.Equal(baselinePath, accepted);
        Assert.False(File.Exists(receivedPath));
        Assert.Equal(BaselineJson.Serialize(baseline.WithRunsOf(received, BaselineStore.DefaultKeepRuns)), File.ReadAllText(baselinePath));
    }

    [Fact]
    public void Accept_without_a_received_file_says_what_to_do()
    {
        var key = SampleBaselines.File().Key;

        var error = Assert.Throws<FileNotFoundException>(() => store.Accept(key));

        Assert.Contains("run the cell first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_baseline_is_reported_and_never_overwritten_unless_forced()
    {
        var file = SampleBaselines.File();
        var baselinePath = store.BaselinePath(file.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(baselinePath)!);
        const string conflict = "<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> branch\n";
        File.WriteAllText(baselinePath, conflict);

        var readError = Assert.Throws<BaselineFormatException>(() => store.Read(file.Key));
        Assert.Equal(baselinePath, readError.FilePath);

        var recordError = Assert.Throws<BaselineFormatException>(() => store.Record(file));
        Assert.Contains("force: true", recordError.Message, StringComparison.Ordinal);
        store.WriteReceived(file);
        Assert.Throws<BaselineFormatException>(() => store.Accept(file.Key));
        Assert.Equal(conflict, File.ReadAllText(baselinePath));

        store.Accept(file.Key, force: true);
        Assert.NotNull(store.Read(file.Key));
    }

    [Fact]
    public void Record_replaces_a_malformed_baseline_only_when_forced()
    {
        var file = SampleBaselines.File();
        var baselinePath = store.BaselinePath(file.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(baselinePath)!);
        File.WriteAllText(baselinePath, "{\"format_version\": 1");

        Assert.Throws<BaselineFormatException>(() => store.Record(file));
        store.Record(file, force: true);

        Assert.Equal(BaselineJson.Serialize(file), File.ReadAllText(baselinePath));
    }

    [Fact]
    public void Record_removes_a_stale_received_file()
    {
        var file = SampleBaselines.File();
        var receivedPath = store.WriteReceived(SampleBaselines.File(scale: 0.5));

        store.Record(file);

        Assert.False(File.Exists(receivedPath));
        Assert.False(store.DeleteReceived(file.Key));
    }

    [Fact]
    public void Two_cells_sharing_a_file_name_are_detected()
    {
        var first = SampleBaselines.File(cell: "a/b");
        store.Record(first);
        var otherKey = first.Key with { Cell = "a__b" };

        var error = Assert.Throws<BaselineFormatException>(() => store.Read(otherKey));

        Assert.Contains("belongs to", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_twice_appends_the_second_run()
    {
        var first = SampleBaselines.File(runId: "r0001");
        var second = SampleBaselines.File(scale: 0.8, hoursLater: 24, runId: "r0002");

        store.Record(first);
        store.Record(second);

        var read = store.Read(first.Key)!;
        Assert.Equal(["r0001", "r0002"], read.Runs.Select(r => r.RunId));
        Assert.Equal(17.23456 * 0.8, read.Newest.Metrics["aggregate_throughput"].Values[0], 0.01);
        Assert.Equal(10, read.Metrics["aggregate_throughput"].Values.Count);
    }

    [Fact]
    public void Accept_appends_the_received_run_and_deletes_the_received_file()
    {
        var key = SampleBaselines.File().Key;
        store.Record(SampleBaselines.File(runId: "r0001"));
        store.Record(SampleBaselines.File(hoursLater: 24, runId: "r0002"));
        var receivedPath = store.WriteReceived(BaselineFile.ForRun(key.Scenario, key.Cell, key.Testbed,
            SampleBaselines.Run(scale: 0.7, hoursLater: 48, runId: "r0003") with { Origin = "accept" }));

        store.Accept(key);

        var read = store.Read(key)!;
        Assert.Equal(["r0001", "r0002", "r0003"], read.Runs.Select(r => r.RunId));
        Assert.Equal("accept", read.Newest.Origin);
        Assert.Equal(17.23456 * 0.7, read.Newest.Metrics["aggregate_throughput"].Values[0], 0.01);
        Assert.False(File.Exists(receivedPath));
        Assert.Null(store.ReadReceived(key));
    }

    [Fact]
    public void Accept_with_replace_leaves_only_the_received_run()
    {
        var key = SampleBaselines.File().Key;
        store.Record(SampleBaselines.File(runId: "r0001"));
        store.Record(SampleBaselines.File(hoursLater: 24, runId: "r0002"));
        var received = SampleBaselines.File(scale: 0.7, hoursLater: 48, runId: "r0003");
        var receivedPath = store.WriteReceived(received);

        var path = store.Accept(key, replace: true);

        var run = Assert.Single(store.Read(key)!.Runs);
        Assert.Equal("r0003", run.RunId);
        Assert.Equal(BaselineJson.Serialize(received), File.ReadAllText(path));
        Assert.False(File.Exists(receivedPath));
    }

    [Fact]
    public void Keep_runs_of_three_keeps_the_newest_three()
    {
        var small = new BaselineStore(root, keepRuns: 3);
        for (int i = 1; i <= 5; i++)
            small.Record(SampleBaselines.File(scale: i, hoursLater: 24 * i, runId: $"r000{i}"));

        var read = small.Read(SampleBaselines.File().Key)!;

        Assert.Equal(3, small.KeepRuns);
        Assert.Equal(["r0003", "r0004", "r0005"], read.Runs.Select(r => r.RunId));
        Assert.Equal(17.23456 * 3, read.Runs[0].Metrics["aggregate_throughput"].Values[0], 0.01);
    }

    [Fact]
    public void A_testbed_without_a_folder_is_new()
    {
        Assert.True(store.IsNewTestbed(SampleBaselines.File().Testbed, "r0001"));
        Assert.True(store.IsNewTestbed(SampleBaselines.File().Testbed, runId: null));
    }

    [Fact]
    public void A_testbed_whose_baselines_hold_only_this_run_is_new()
    {
        store.Record(SampleBaselines.File(cell: "a/driver=Bridge", runId: "r0001"));
        store.Record(SampleBaselines.File(cell: "b/driver=Host", runId: "r0001"));
        // A received file from another run does not make a baseline.
        store.WriteReceived(SampleBaselines.File(cell: "c/driver=Ovs", runId: "r0002"));

        Assert.True(store.IsNewTestbed(SampleBaselines.File().Testbed, "r0001"));
        Assert.False(store.IsNewTestbed(SampleBaselines.File().Testbed, "r0002"));
        Assert.False(store.IsNewTestbed(SampleBaselines.File().Testbed, runId: null));
    }

    [Fact]
    public void A_testbed_with_a_run_of_another_job_is_not_new()
    {
        store.Record(SampleBaselines.File(cell: "a/driver=Bridge", runId: "r0001"));
        store.Record(SampleBaselines.File(cell: "b/driver=Host", runId: "r0001"));
        store.Record(SampleBaselines.File(cell: "b/driver=Host", hoursLater: 24, runId: "r0002"));

        Assert.False(store.IsNewTestbed(SampleBaselines.File().Testbed, "r0002"));
        Assert.False(store.IsNewTestbed(SampleBaselines.File().Testbed, "r0001"));
    }

    [Fact]
    public void A_testbed_with_an_unreadable_baseline_is_not_new()
    {
        var key = SampleBaselines.File().Key;
        var path = store.BaselinePath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "<<<<<<< HEAD\n{}\n");

        Assert.False(store.IsNewTestbed(key.Testbed, "r0001"));
    }
}
