using NetPerf.Workloads.Flows;
using NetPerf.Workloads.Orchestration;

namespace NetPerf.Tests.Workloads;

public class OrchestrationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_port_that_only_another_process_listens_on_is_named_as_in_use_and_no_client_starts()
    {
        // Exit 4 of the readiness check: for 2 s a socket listened on the pair's port that no process of the server
        // container holds, while the server itself neither listened nor exited (PortTakenTests covers the servers that exit).
        using var host = new FakeWorkloadHost(2)
        {
            Answer = s => s.Contains("ss -Hltnp \"sport = :5202\"", StringComparison.Ordinal) ? new CommandResult(4, "", "", TimeSpan.Zero) : null,
            Client = (_, _) => (Canned.Read("iperf3/tcp-1stream-omit1.json"), "", 0),
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => new Iperf3Workload { Duration = TimeSpan.FromSeconds(3) }.RunAsync(host, None));

        Assert.Equal("server-1", e.NodeName);
        Assert.Contains("Port 5202 of pair 1 is already in use by another process in the network namespace of the server container 'server-1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("a socket of another process listens there and the server did not get it in 2 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("free the port or run again", e.Message, StringComparison.Ordinal);
        Assert.Empty(host.ClientScripts);
    }

    [Fact]
    public async Task Nobody_starts_before_go_and_go_waits_for_the_last_client()
    {
        using var host = new FakeWorkloadHost(3)
        {
            ArrivalDelay = p => TimeSpan.FromMilliseconds(p.Index == 2 ? 300 : 0),
            Client = (_, _) => (Canned.Read("iperf3/tcp-1stream-omit1.json"), "", 0),
        };

        var result = await new Iperf3Workload { Duration = TimeSpan.FromSeconds(3) }.RunAsync(host, None);

        var lastReady = host.ReadyAt.Values.Max();
        Assert.Equal(3, host.StartedAt.Count);
        Assert.All(host.StartedAt.Values, started => Assert.True(started >= lastReady, "a client started before the last one was ready"));
        Assert.True(host.GoSeenAt >= lastReady);
        Assert.Equal(3, host.ServerScripts.Count);
        Assert.Equal(3, result.Flows.Count);
        Assert.Contains(host.OtherCommands, c => c.Contains("ss -Hltnp \"sport = :5203\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Iperf3_aggregate_is_the_sum_of_flow_rates_in_the_common_window_and_skew_is_measured()
    {
        using var host = new FakeWorkloadHost(2)
        {
            ArrivalDelay = p => TimeSpan.FromMilliseconds(p.Index * 50),
            Client = (p, _) => (Canned.Read(p.Index == 0 ? "iperf3/tcp-1stream-omit1.json" : "iperf3/tcp-3streams.json"), "", 0),
        };

        var result = await new Iperf3Workload { Duration = TimeSpan.FromSeconds(2), Interval = TimeSpan.FromSeconds(0.5) }.RunAsync(host, None);

        var released = host.ReleasedMicroseconds;
        Assert.Equal((released.Values.Max() - released.Values.Min()) / 1000.0, result.StartSkewMilliseconds, 6);
        Assert.Equal(result.StartSkewMilliseconds, result.Value(Metrics.StartSkew));
        var window = result.Window!;
        var expected = result.Flows.Sum(f => OverlapWindow.Within(f.ReceiverIntervals, window) * 8 / window.Seconds / 1e9);
        Assert.Equal(expected, result.Value(Metrics.AggregateThroughput), 9);
        Assert.Equal(result.Value(Metrics.FlowThroughput, "pair-0") + result.Value(Metrics.FlowThroughput, "pair-1"), result.Value(Metrics.AggregateThroughput), 9);
        // pair-0 warmed up for 1 s; the window starts after its warm-up and ends when pair-1 (2 s) stops.
        Assert.True(window.Start > 1.0 && window.End < 2.1, window.ToString());
        Assert.Equal(1 + 3, result.Value(Metrics.Retransmits));
        Assert.Equal("iperf 3.12", result.ToolVersions["iperf3"]);
        Assert.Equal(2, result.RawOutputs.Count);
        // The fake's CPU: 4 containers used 1 CPU-second each over 1 s.
        var bytes = result.BytesMoved!.Value;
        Assert.Equal(4.0 / (bytes / 1e9), result.Value(Metrics.CpuSecondsPerGb), 9);
        Assert.Equal(50.0, result.Value(Metrics.HostCpuPercent), 9);
    }

    [Fact]
    public async Task Iperf3_client_command_carries_the_options()
    {
        using var host = new FakeWorkloadHost(1) { Client = (_, _) => (Canned.Read("iperf3/tcp-bitrate-500M.json"), "", 0) };
        var workload = Workload.Iperf3Tcp(TimeSpan.FromSeconds(2), bitRateBitsPerSecond: 500_000_000) with { WarmUp = TimeSpan.Zero, MessageLengthBytes = 65536 };

        var result = await workload.RunAsync(host, None);

        var script = Assert.Single(host.ClientScripts);
        Assert.Contains("iperf3 -c 10.0.0.2 -p 5201 -t 2 -O 0 -i 1 -P 1 -b 500000000 -l 65536 -J --get-server-output", script);
        Assert.Contains("iperf3 -s -1 -J -p 5201 -i 1", Assert.Single(host.ServerScripts));
        Assert.InRange(result.Value(Metrics.AggregateThroughput), 0.45, 0.55);
    }

    [Fact]
    public async Task Clients_write_their_output_to_files_of_the_run_directory_not_to_the_exec_stream()
    {
        // Every write a tool makes on the exec stream wakes the test process while the tools run (docs/reliability.md).
        using var host = new FakeWorkloadHost(2) { Client = (_, _) => (Canned.Read("iperf3/tcp-bitrate-500M.json"), "", 0) };

        var result = await new Iperf3Workload { Duration = TimeSpan.FromSeconds(2), WarmUp = TimeSpan.Zero }.RunAsync(host, None);

        Assert.All(host.ClientScripts, s => Assert.Matches(@"^d=\S+; exec > ""\$d/client\.\d\.out"" 2> ""\$d/client\.\d\.err""; : > ", s));
        Assert.InRange(result.Value(Metrics.AggregateThroughput), 0.9, 1.1);
        Assert.Equal(2, result.RawOutputs.Count(r => r.Content.Contains("\"sum_sent\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Iperf3_refused_connection_names_the_client_and_quotes_iperf3()
    {
        using var host = new FakeWorkloadHost(2)
        {
            Client = (p, _) => (Canned.Read(p.Index == 1 ? "iperf3/error-connection-refused.json" : "iperf3/tcp-bitrate-500M.json"), "", 0),
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => new Iperf3Workload { Duration = TimeSpan.FromSeconds(2), WarmUp = TimeSpan.Zero }.RunAsync(host, None));

        Assert.Equal("iperf3 on 'client-1' failed: 'unable to connect to server: Connection refused'", e.Message);
        Assert.Equal("client-1", e.NodeName);
    }

    [Fact]
    public async Task Iperf3_run_cut_short_is_reported_as_missing_intervals()
    {
        using var host = new FakeWorkloadHost(1) { Client = (_, _) => (Canned.Read("iperf3/tcp-bitrate-500M.json"), "", 0) };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => new Iperf3Workload { Duration = TimeSpan.FromSeconds(10) }.RunAsync(host, None));

        Assert.Contains("iperf3 on 'client-0' reported intervals covering 2 s of the requested 10 s; intervals are missing.", e.Message);
    }

    [Fact]
    public async Task Client_that_exits_before_the_barrier_aborts_the_run_and_is_named()
    {
        using var host = new FakeWorkloadHost(2)
        {
            FailBeforeBarrier = p => p.Index == 1 ? new CommandResult(127, "", "bash: command not found", TimeSpan.Zero) : null,
            Client = (_, _) => (Canned.Read("iperf3/tcp-bitrate-500M.json"), "", 0),
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => new Iperf3Workload { Duration = TimeSpan.FromSeconds(2) }.RunAsync(host, None));

        Assert.Contains("Client 'client-1' exited before the start barrier released it", e.Message);
        Assert.Contains("bash: command not found", e.Message);
        Assert.Empty(host.StartedAt);
    }

    [Fact]
    public async Task Iperf2_intervals_before_the_warm_up_are_dropped()
    {
        using var host = new FakeWorkloadHost(1) { Client = (_, _) => (Canned.Read("iperf2/tcp-3s.csv"), "", 0) };

        var result = await new Iperf2Workload { Duration = TimeSpan.FromSeconds(3) }.RunAsync(host, None);

        var flow = Assert.Single(result.Flows);
        Assert.True(flow.Intervals[0].Omitted);
        Assert.Equal((4671668224.0 + 4050255872.0) * 8 / 2 / 1e9, result.Value(Metrics.AggregateThroughput), 3);
        Assert.Contains("iperf -c 10.0.0.2 -p 5201 -t 3 -i 1 -P 1 -y C", Assert.Single(host.ClientScripts));
    }

    [Fact]
    public async Task Sockperf_ping_pong_reports_per_flow_summary_and_merged_percentiles()
    {
        using var host = new FakeWorkloadHost(1) { Client = (_, _) => (Canned.Read("sockperf/pp-tcp-350B.stdout"), "", 0) };
        var workload = new SockperfPingPongWorkload { Duration = TimeSpan.FromSeconds(1) };
        var run = await RunOnly(host, workload);

        var result = workload.Summarise(run, [Canned.Read("sockperf/pp-tcp-350B-full-log.csv")]);

        Assert.Equal(57.088, result.Value(Metrics.LatencyP99, "pair-0"));
        Assert.Equal(27.679, result.Value(Metrics.LatencyP50, "pair-0"));
        Assert.InRange(result.Value(Metrics.LatencyP50), 27.6, 27.75);
        Assert.InRange(result.Value(Metrics.LatencyMax), 89.14, 89.15);
        Assert.Equal("3.7-no.git", result.ToolVersions["sockperf"]);
        Assert.Contains("sockperf pp --tcp -i 10.0.0.2 -p 5201 -m 350 -t 1 --full-log", Assert.Single(host.ClientScripts));
    }

    [Fact]
    public async Task Sockperf_throughput_bit_rate_is_message_rate_times_size()
    {
        using var host = new FakeWorkloadHost(1) { Client = (_, _) => (Canned.Read("sockperf/tp-tcp-1400B.stdout"), "", 0) };

        var result = await new SockperfThroughputWorkload { Duration = TimeSpan.FromSeconds(2) }.RunAsync(host, None);

        Assert.Equal(1018237, result.Value(Metrics.MessagesPerSecond));
        Assert.Equal(1018237.0 * 1400 * 8 / 1e9, result.Value(Metrics.AggregateThroughput), 9);
    }

    [Fact]
    public async Task Fixed_size_flow_completion_is_measured_from_release_to_the_receivers_last_byte()
    {
        using var host = new FakeWorkloadHost(2)
        {
            // The receivers report end of file 12.5 ms (pair 0) and 20 ms (pair 1) after their sender's release.
            ServerAfterClient = (p, released) => Receiver(5_000_000, released + (p.Index == 0 ? 12_500 : 20_000)),
        };

        var result = await Workload.FixedSizeFlows(5_000_000).RunAsync(host, None);

        Assert.Equal(12.5, result.Value(Metrics.FlowCompletionTime, "pair-0"), 9);
        Assert.Equal(20.0, result.Value(Metrics.FlowCompletionTime, "pair-1"), 9);
        Assert.Equal(16.25, result.Value(Metrics.FctMedian), 9);
        Assert.Equal(20.0, result.Value(Metrics.FctP99), 9);
        Assert.Contains("head -c 5000000 /dev/zero | nc -N -v 10.0.0.2 5201", host.ClientScripts.Single(s => s.Contains("5201", StringComparison.Ordinal)));
        Assert.Contains("nc -d -l -p 5202 | wc -c", host.ServerScripts.Single(s => s.Contains("5202", StringComparison.Ordinal)));
        Assert.Equal("OpenBSD netcat (Debian patchlevel 1.219-1)", result.ToolVersions["nc"]);
    }

    [Fact]
    public async Task Fewer_bytes_received_than_sent_fails_loudly()
    {
        using var host = new FakeWorkloadHost(1) { ServerAfterClient = (_, released) => Receiver(4_000_000, released + 1000) };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.FixedSizeFlows(5_000_000).RunAsync(host, None));

        Assert.Contains("netcat receiver on 'server-0' got 4000000 bytes but 'client-0' sent 5000000", e.Message);
    }

    [Fact]
    public async Task Refused_netcat_sender_quotes_nc()
    {
        using var host = new FakeWorkloadHost(1)
        {
            Client = (_, _) => ("", "nc: connect to 10.0.0.2 port 5201 (tcp) failed: Connection refused\n", 1),
            ServerAfterClient = (_, released) => Receiver(0, released + 1000),
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.FixedSizeFlows().RunAsync(host, None));

        Assert.Contains("netcat sender on 'client-0' exited with code 1", e.Message);
        Assert.Contains("failed: Connection refused", e.Message);
    }

    [Fact]
    public async Task Elephant_mice_reports_completion_per_class()
    {
        var workload = Workload.ElephantMice(elephantFraction: 0.25, elephantBytes: 50_000_000, mouseBytes: 5_000_000, seed: 3);
        var elephants = ElephantMiceWorkload.DrawElephants(4, 0.25, 3);
        using var host = new FakeWorkloadHost(4)
        {
            ServerAfterClient = (p, released) => elephants[p.Index] ? Receiver(50_000_000, released + 100_000) : Receiver(5_000_000, released + 10_000),
        };

        var result = await workload.RunAsync(host, None);

        Assert.Equal(100.0, result.Value(Metrics.ElephantFctMedian), 6);
        Assert.Equal(10.0, result.Value(Metrics.MiceFctMedian), 6);
        Assert.Equal(100.0, result.Value(Metrics.FctP99), 6);
        var big = host.ClientScripts.Count(s => s.Contains("head -c 50000000 ", StringComparison.Ordinal));
        Assert.Equal(1, big);
    }

    private static string Receiver(long bytes, long atMicroseconds) =>
        $"{FlowCompletionParser.BytesMarker}{bytes} {FlowCompletionParser.AtMarker}{atMicroseconds / 1_000_000}.{atMicroseconds % 1_000_000:D6}\n";

    private static async Task<SynchronizedRunResult> RunOnly(FakeWorkloadHost host, SockperfPingPongWorkload workload)
    {
        using var barrier = StartBarrier.Create(host, workload.Name);
        return await SynchronizedRun.ExecuteAsync(host, barrier, new SynchronizedRunSpec
        {
            Tool = "sockperf",
            Server = (_, _) => "exec sockperf sr --tcp -p 5201",
            Client = (pair, b) => workload.ClientCommand(pair, b.InContainer("log.csv")),
            ClientTimeout = TimeSpan.FromSeconds(30),
        }, None);
    }
}
