using NetPerf.Workloads.Mesh;

namespace NetPerf.Tests.Workloads;

/// <summary>The mesh workload on canned node output (captured from three real nodes on a bridge: 40 records at 1200/min, batches of 10, 128 bytes).</summary>
public class MeshWorkloadTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly MeshWorkload Mesh = Workload.Mesh(recordsPerMinute: 1200, duration: TimeSpan.FromSeconds(2), batchSize: 10, recordSizeBytes: 128);

    [Fact]
    public void Parser_reads_every_line_of_a_node_report()
    {
        var report = MeshNodeParser.Parse(Canned.Read("mesh/communicate-node-1.txt"), "server-1");

        Assert.Equal((1, 3, 40L, 1200L, 10L, 128L, true), (report.Index, report.Nodes, report.RecordsPerNode, report.RecordsPerMinute, report.BatchSize, report.RecordSizeBytes, report.Communicate));
        Assert.Equal("5.2.15(1)-release", report.BashVersion);
        Assert.Equal(1795383225_783710, report.StartMicroseconds);
        Assert.Equal(1795383227_784895, report.LocalDoneMicroseconds);
        Assert.Equal(1795383227_815027, report.AllReceivedMicroseconds);
        Assert.Equal(4, report.Batches);
        Assert.Equal(0, report.Failures);
        Assert.Equal(120, report.StoreRecords);
        Assert.Equal(15360, report.StoreBytes);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(new Dictionary<string, long> { ["0"] = 40, ["1"] = 40, ["2"] = 40 }, report.RecordsByOrigin);
        Assert.Empty(report.FailedLinks);
    }

    [Fact]
    public void Parser_collects_failed_links_and_ignores_other_lines()
    {
        var stdout = Canned.Read("mesh/communicate-node-2.txt").Replace("mesh-all-received=1795383227.811464\n", "", StringComparison.Ordinal)
            + "nc: something unrelated\nmesh-listener=0 status=124\nmesh-sender=1 status=1\n";

        var report = MeshNodeParser.Parse(stdout, "server-2");

        Assert.Null(report.AllReceivedMicroseconds);
        Assert.Equal(["listener for node 0 exited with status 124", "sender for node 1 exited with status 1"], report.FailedLinks);
    }

    [Fact]
    public async Task Deviation_is_each_nodes_execution_time_over_the_expected_time()
    {
        using var host = MeshHost(p => (Canned.Read($"mesh/communicate-node-{p.Index}.txt"), "", 0));

        var result = await Mesh.RunAsync(host, None);

        Assert.Equal(TimeSpan.FromSeconds(2), Mesh.ExpectedTime);
        Assert.Equal(40, Mesh.RecordsPerNode);
        // Execution time = all received - start, from the canned times; expected 40 records / 1200 per minute = 2 s.
        Assert.Equal(2.021176, result.Value(Metrics.MeshExecutionTime, "node-0"), 6);
        Assert.Equal(100 * (2.021176 - 2) / 2, result.Value(Metrics.MeshDeviation, "node-0"), 6);
        Assert.Equal(100 * (2.031317 - 2) / 2, result.Value(Metrics.MeshDeviation, "node-1"), 6);
        Assert.Equal(100 * (2.040366 - 2) / 2, result.Value(Metrics.MeshDeviation, "node-2"), 6);
        Assert.Equal(2.040366, result.Value(Metrics.MeshExecutionTime), 6);
        Assert.Equal(100 * (2.040366 - 2) / 2, result.Value(Metrics.MeshDeviation), 6);
        Assert.Equal(100 * (2.031317 - 2) / 2, result.Value(Metrics.MeshDeviationMedian), 6);
        Assert.Equal(["node-0", "node-1", "node-2"], result.Flows.Select(f => f.Name));
        Assert.All(result.Flows, f => Assert.Equal(80L * 128, f.Totals.ReceivedBytes));
        Assert.Equal(3L * 80 * 128, result.BytesMoved);
        Assert.Equal("5.2.15(1)-release", result.ToolVersions["bash"]);
        Assert.Equal("OpenBSD netcat (Debian patchlevel 1.219-1)", result.ToolVersions["nc"]);
        Assert.Equal(4, result.RawOutputs.Count);
    }

    [Fact]
    public async Task Nodes_are_the_servers_and_all_start_at_the_barrier_with_the_runs_parameters()
    {
        string? program = null;
        FakeWorkloadHost host = null!;
        host = new FakeWorkloadHost(3)
        {
            ServerAfterClient = null,
            Client = (p, _) =>
            {
                var run = Directory.GetDirectories(host.SharedDirectoryOnHost).Single();
                program ??= File.ReadAllText(Path.Combine(run, "mesh-node.sh"));
                return (Canned.Read($"mesh/communicate-node-{p.Index}.txt"), "", 0);
            },
        };
        using var _ = host;

        await Mesh.RunAsync(host, None);

        Assert.Equal(3, host.StartedAt.Count);
        Assert.Equal(3, host.ClientScripts.Count);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(host.ClientScripts, s => s.Contains($"mesh_prepare {i}; d=", StringComparison.Ordinal)));
        Assert.NotNull(program);
        Assert.Contains("mesh_addresses=(10.0.0.2 10.0.0.4 10.0.0.6)", program);
        Assert.Contains("mesh_records=40 ", program);
        Assert.Contains("mesh_rate=1200 ", program);
        Assert.Contains("mesh_batch=10 ", program);
        Assert.Contains("mesh_size=128 ", program);
        Assert.Contains("mesh_communicate=1", program);
        // Nothing to stop after a clean run: every node stopped its own listeners.
        Assert.DoesNotContain(host.OtherCommands, c => c.Contains("/pids", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Baseline_mode_expects_only_the_nodes_own_records()
    {
        using var host = MeshHost(p => (Canned.Read($"mesh/local-node-{p.Index}.txt"), "", 0));

        var result = await (Mesh with { Communicate = false }).RunAsync(host, None);

        Assert.Equal("mesh-local", result.Workload);
        Assert.Equal(100 * (2.001877 - 2) / 2, result.Value(Metrics.MeshDeviation, "node-0"), 6);
        Assert.Equal(100 * (2.001877 - 2) / 2, result.Value(Metrics.MeshDeviation), 6);
        Assert.Equal(100 * (2.000995 - 2) / 2, result.Value(Metrics.MeshDeviationMedian), 6);
        Assert.All(result.Flows, f => Assert.Equal(0L, f.Totals.ReceivedBytes));
    }

    [Fact]
    public async Task Missing_records_fail_the_run_naming_the_node_and_the_counts()
    {
        // Node 2 got only 35 of node 0's 40 records; its listener for node 0 timed out.
        var short2 = Canned.Read("mesh/communicate-node-2.txt")
            .Replace("mesh-all-received=1795383227.811464\n", "mesh-listener=0 status=124\n", StringComparison.Ordinal)
            .Replace("mesh-store records=120 bytes=15360", "mesh-store records=115 bytes=14720", StringComparison.Ordinal)
            .Replace("mesh-origin=0 records=40", "mesh-origin=0 records=35", StringComparison.Ordinal);
        using var host = MeshHost(p => p.Index == 2 ? (short2, "", 4) : (Canned.Read($"mesh/communicate-node-{p.Index}.txt"), "", 0));

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Mesh.RunAsync(host, None));

        Assert.Equal("server-2", e.NodeName);
        Assert.Contains("Mesh node 'server-2' holds 115 of the 120 records it should (origin 0: 35/40, origin 1: 40/40, origin 2: 40/40; 0 duplicates)", e.Message);
        Assert.Contains("listener for node 0 exited with status 124", e.Message);
        Assert.Contains("Exit 4", e.Message);
        // The failed node is told to stop whatever it left running.
        Assert.Contains(host.OtherCommands, c => c.Contains("node.2/pids", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicated_records_fail_the_run_even_when_the_total_is_right()
    {
        var doubled = Canned.Read("mesh/communicate-node-0.txt")
            .Replace("mesh-origin=1 records=40", "mesh-origin=1 records=41", StringComparison.Ordinal)
            .Replace("mesh-origin=2 records=40", "mesh-origin=2 records=39", StringComparison.Ordinal)
            .Replace("duplicates=0", "duplicates=1", StringComparison.Ordinal);
        using var host = MeshHost(p => (p.Index == 0 ? doubled : Canned.Read($"mesh/communicate-node-{p.Index}.txt"), "", 0));

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Mesh.RunAsync(host, None));

        Assert.Contains("Mesh node 'server-0' holds 120 of the 120 records it should (origin 0: 40/40, origin 1: 41/40, origin 2: 39/40; 1 duplicates)", e.Message);
    }

    [Fact]
    public async Task Torn_records_fail_the_run()
    {
        var torn = Canned.Read("mesh/communicate-node-1.txt").Replace("bytes=15360", "bytes=15359", StringComparison.Ordinal);
        using var host = MeshHost(p => (p.Index == 1 ? torn : Canned.Read($"mesh/communicate-node-{p.Index}.txt"), "", 0));

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Mesh.RunAsync(host, None));

        Assert.Equal("Mesh node 'server-1' holds 15359 bytes for 120 records of 128 bytes; records were torn or merged in transit.", e.Message);
    }

    [Fact]
    public async Task Garbled_output_fails_the_run_quoting_the_line()
    {
        var garbled = Canned.Read("mesh/communicate-node-0.txt").Replace("mesh-all-received=1795383227.806924", "mesh-all-received=17953832x7.806924", StringComparison.Ordinal);
        using var host = MeshHost(p => (p.Index == 0 ? garbled : Canned.Read($"mesh/communicate-node-{p.Index}.txt"), "", 0));

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Mesh.RunAsync(host, None));

        Assert.Equal("Mesh node 'server-0' printed a garbled line 'mesh-all-received=17953832x7.806924': '17953832x7.806924' is not a time of the form SECONDS.MICROSECONDS.", e.Message);
        Assert.Equal("server-0", e.NodeName);
    }

    [Theory]
    [InlineData("mesh-store records=120 bytes=15360 duplicates=0", "", "did not report 'mesh-store records='")]
    [InlineData("mesh-batches=4 failures=0", "mesh-batches=4", "printed a garbled line 'mesh-batches=4': 'failures=' is missing")]
    [InlineData("mesh-origin=2 records=40", "mesh-origin=2 records=40 records=40", "'records' appears twice")]
    [InlineData("mesh-origin=2 records=40", "mesh-origin=1 records=40", "origin '1' is counted twice")]
    [InlineData("mesh-bash=5.2.15(1)-release", "mesh-bsh=5.2.15(1)-release", "'mesh-bsh' is not a line a mesh node prints")]
    [InlineData("communicate=1", "communicate=yes", "'yes' (communicate) is not a whole number")]
    public void Parser_rejects_incomplete_or_garbled_reports(string line, string replacement, string expected)
    {
        var stdout = Canned.Read("mesh/communicate-node-0.txt").Replace(line, replacement, StringComparison.Ordinal);

        var e = Assert.Throws<WorkloadException>(() => MeshNodeParser.Parse(stdout, "server-0"));

        Assert.Contains(expected, e.Message);
        Assert.StartsWith("Mesh node 'server-0' ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_from_another_configuration_is_rejected()
    {
        using var host = MeshHost(p => (Canned.Read($"mesh/communicate-node-{p.Index}.txt"), "", 0));

        var e = await Assert.ThrowsAsync<WorkloadException>(() => (Mesh with { BatchSize = 20 }).RunAsync(host, None));

        Assert.Contains("Mesh node 'server-0' ran as node 0 of 3 with 40 records at 1200/min, batch 10", e.Message);
        Assert.Contains("but the run configured node 0 of 3 with 40 records at 1200/min, batch 20", e.Message);
    }

    [Fact]
    public async Task A_node_that_fails_to_listen_is_named_before_anyone_starts()
    {
        using var host = new FakeWorkloadHost(2)
        {
            ServerAfterClient = null,
            FailBeforeBarrier = p => p.Index == 1 ? new CommandResult(90, "mesh-node=1 nodes=2\n", "mesh-error=the listener for node 0 on port 20002 exited: nc: Address already in use\n", TimeSpan.Zero) : null,
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Mesh.RunAsync(host, None));

        Assert.Contains("'server-1' exited before the start barrier released it", e.Message);
        Assert.Contains("Address already in use", e.Message);
        Assert.Empty(host.StartedAt);
    }

    [Fact]
    public async Task Misconfiguration_lists_every_error()
    {
        using var host = MeshHost(_ => ("", "", 0));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => (Mesh with { RecordsPerMinute = 0, BatchSize = 0, RecordSizeBytes = 16 }).RunAsync(host, None));

        Assert.Contains("RecordsPerMinute must be 1 to 6000000 (is 0).", e.Message);
        Assert.Contains("BatchSize must be at least 1 (is 0).", e.Message);
        Assert.Contains("RecordSizeBytes must be 48 to 65536 (is 16).", e.Message);
    }

    [Theory]
    [InlineData(600, 10, 100)]
    [InlineData(3000, 2, 100)]
    [InlineData(7, 1, 1)]
    public void Factory_turns_the_emulated_duration_into_records_per_node(int rate, int seconds, int records)
    {
        Assert.Equal(records, Workload.Mesh(rate, TimeSpan.FromSeconds(seconds)).RecordsPerNode);
    }

    private static FakeWorkloadHost MeshHost(Func<Pair, (string Stdout, string Stderr, int Exit)> node) =>
        new(3) { ServerAfterClient = null, Client = (p, _) => node(p) };
}
