namespace NetPerf.Tests.Workloads;

/// <summary><see cref="WrkWorkload"/> on a fake testbed with real wrk output (Canned/wrk): command line, aggregation, failures.</summary>
public class WrkWorkloadTests
{
    private const double MiB = 1024 * 1024;
    private const double GiB = 1024 * 1024 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Client_runs_wrk_against_its_pairs_server_port_and_nothing_is_started_in_the_server()
    {
        using var host = Host(2, _ => "wrk/bridge-1k.stdout");

        await Workload.Wrk(TimeSpan.FromSeconds(2), connections: 16, path: "/64k.bin").RunAsync(host, None);

        Assert.Contains(host.ClientScripts, s => s.EndsWith("; wrk -t1 -c16 -d2s --latency http://10.0.0.2:5201/64k.bin", StringComparison.Ordinal));
        Assert.Contains(host.ClientScripts, s => s.EndsWith("; wrk -t1 -c16 -d2s --latency http://10.0.0.4:5202/64k.bin", StringComparison.Ordinal));
        // The servers are the pairs' own containers, serving already: no server is started, each is checked for its port.
        Assert.Empty(host.ServerScripts);
        Assert.Contains(host.OtherCommands, c => c.Contains("ss -Hltn \"sport = :5201\"", StringComparison.Ordinal));
        Assert.Contains(host.OtherCommands, c => c.Contains("ss -Hltn \"sport = :5202\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_one_thread_ten_connections_three_seconds_of_1k_bin()
    {
        var pair = new Pair(3, new Node("s", "sid", "172.19.0.5"), new Node("c", "cid", "172.19.0.6"), 5204);

        Assert.Equal(["wrk", "-t1", "-c10", "-d3s", "--latency", "http://172.19.0.5:5204/1k.bin"], Workload.Wrk().ClientArguments(pair));
        Assert.Equal(["wrk", "-t2", "-c4", "-d10s", "--latency", "http://172.19.0.5:5204/a"], (Workload.Wrk(TimeSpan.FromSeconds(10), 4, "/a") with { Threads = 2 }).ClientArguments(pair));
    }

    [Fact]
    public async Task Requests_per_second_is_the_sum_over_pairs_and_latency_percentiles_the_median_of_the_pairs()
    {
        // pair-0: 1k.bin (48586.42 req/s, p50 170 us, p99 0.96 ms); pair-1: 64k.bin (18188.03 req/s, p50 337 us, p99 8.99 ms).
        using var host = Host(2, p => p.Index == 0 ? "wrk/bridge-1k.stdout" : "wrk/bridge-64k.stdout");

        var result = await Workload.Wrk().RunAsync(host, None);

        Assert.Equal(48586.42 + 18188.03, result.Value(Metrics.RequestsPerSecond), 6);
        // Two pairs: the median is the mean of the two.
        Assert.Equal((170 + 337) / 2.0, result.Value(Metrics.HttpLatencyP50), 9);
        Assert.Equal((960 + 8990) / 2.0, result.Value(Metrics.HttpLatencyP99), 9);
        Assert.Equal(48586.42, result.Value(Metrics.RequestsPerSecond, "pair-0"));
        Assert.Equal(18188.03, result.Value(Metrics.RequestsPerSecond, "pair-1"));
        Assert.Equal(170, result.Value(Metrics.HttpLatencyP50, "pair-0"));
        Assert.Equal(8990, result.Value(Metrics.HttpLatencyP99, "pair-1"));
        Assert.Equal(["pair-0", "pair-1"], result.Flows.Select(f => f.Name));
        Assert.Equal((long)(177.75 * MiB), result.Flows[0].Totals.ReceivedBytes);
        Assert.Equal(3.0, result.Flows[1].Totals.Seconds);

        // CPU as every workload measures it: the fake's 4 containers used 1 CPU-second each, the host 2 of 4 cores.
        var bytes = (long)(177.75 * MiB + 3.35 * GiB);
        Assert.Equal(bytes, result.BytesMoved);
        Assert.Equal(4.0 / (bytes / 1e9), result.Value(Metrics.CpuSecondsPerGb), 9);
        Assert.Equal(50.0, result.Value(Metrics.HostCpuPercent), 9);
        Assert.Equal(result.StartSkewMilliseconds, result.Value(Metrics.StartSkew));
        Assert.Equal("wrk debian/4.1.0-3+b2 [epoll]", result.ToolVersions["wrk"]);
        Assert.Equal(["pair-0.client.wrk.txt", "pair-1.client.wrk.txt"], result.RawOutputs.Select(r => r.FileName));
    }

    [Fact]
    public async Task One_slow_pair_does_not_move_the_median_percentiles()
    {
        using var host = Host(3, p => p.Index == 1 ? "wrk/bridge-64k.stdout" : "wrk/bridge-1k.stdout");

        var result = await Workload.Wrk().RunAsync(host, None);

        Assert.Equal(170, result.Value(Metrics.HttpLatencyP50));
        Assert.Equal(960, result.Value(Metrics.HttpLatencyP99));
        Assert.Equal(2 * 48586.42 + 18188.03, result.Value(Metrics.RequestsPerSecond), 6);
    }

    [Fact]
    public async Task Error_responses_fail_the_trial_with_their_count_and_what_to_check()
    {
        using var host = Host(2, p => p.Index == 1 ? "wrk/bridge-404-not-found.stdout" : "wrk/bridge-1k.stdout");

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.Wrk().RunAsync(host, None));

        Assert.Equal("client-1", e.NodeName);
        Assert.Contains("'client-1' loading 'http://172.19.0.2/missing.bin' (server 'server-1'): 0 socket errors (connect 0, read 0, write 0, timeout 0) and 69621 responses with a status above 399, of 69621 requests in 2 s", e.Message);
        Assert.Contains("that the path exists on the server", e.Message);
        Assert.Contains("'docker logs server-1'", e.Message);
        Assert.DoesNotContain("client-0", e.Message);
    }

    [Fact]
    public async Task Socket_errors_fail_the_trial_with_their_count_per_kind()
    {
        using var host = Host(1, _ => "wrk/server-stopped-mid-run.stdout");

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.Wrk().RunAsync(host, None));

        Assert.Contains("978 socket errors (connect 0, read 17, write 961, timeout 0) and 0 responses with a status above 399, of 58151 requests in 4 s", e.Message);
        Assert.Contains("read errors", e.Message);
    }

    [Fact]
    public async Task A_server_that_never_answered_is_named_with_what_wrk_said()
    {
        using var host = Host(1, _ => "wrk/server-paused.stdout");

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.Wrk().RunAsync(host, None));

        Assert.Contains("wrk on 'client-0' completed no request to 'http://172.19.0.2/1k.bin'", e.Message);
    }

    [Fact]
    public async Task Refused_connection_quotes_wrk_without_the_barriers_line()
    {
        using var host = new FakeWorkloadHost(1)
        {
            ServerAfterClient = null,
            Client = (_, _) => ("", Canned.Read("wrk/error-connection-refused.stderr"), 1),
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.Wrk().RunAsync(host, None));

        Assert.Equal("wrk on 'client-0' reported nothing; it said: 'unable to connect to 172.19.0.2:81 Connection refused'", e.Message);
    }

    [Fact]
    public async Task A_client_image_without_wrk_is_named_before_anything_runs()
    {
        using var host = new FakeWorkloadHost(1)
        {
            ServerAfterClient = null,
            Answer = s => s.Contains("wrk -v", StringComparison.Ordinal) ? new CommandResult(127, "sh: 1: wrk: not found\n", "", TimeSpan.Zero) : null,
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.Wrk().RunAsync(host, None));

        Assert.Contains("wrk is not in the client container 'client-0' ('wrk -v' said: 'sh: 1: wrk: not found')", e.Message);
        Assert.Contains("HttpImage.Reference", e.Message);
        Assert.Empty(host.ClientScripts);
    }

    [Fact]
    public async Task A_server_container_that_does_not_listen_on_the_pairs_port_is_named_with_what_to_do()
    {
        using var host = new FakeWorkloadHost(1)
        {
            ServerAfterClient = null,
            Answer = s => s.Contains("ss -Hltn", StringComparison.Ordinal) ? new CommandResult(1, "", "", TimeSpan.Zero) : null,
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => Workload.Wrk().RunAsync(host, None));

        Assert.Equal("server-0", e.NodeName);
        Assert.Contains("Nothing listened on TCP port 5201 in the server container 'server-0' within 60 s", e.Message);
        Assert.Contains("listening on $NETPERF_PORT", e.Message);
        Assert.Empty(host.ClientScripts);
    }

    [Fact]
    public async Task Misconfiguration_lists_every_problem()
    {
        using var host = Host(1, _ => "wrk/bridge-1k.stdout");
        var workload = Workload.Wrk(TimeSpan.FromSeconds(1.5), connections: 2, path: "1k.bin") with { Threads = 3 };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => workload.RunAsync(host, None));

        Assert.Contains("Duration must be a whole number of seconds, at least 1 (is 1.5 s)", e.Message);
        Assert.Contains("Threads must be 1 to Connections (is 3)", e.Message);
        Assert.Contains("Path must start with '/'", e.Message);
        Assert.Empty(host.ClientScripts);
    }

    private static FakeWorkloadHost Host(int pairs, Func<Pair, string> canned) => new(pairs)
    {
        // The servers keep serving (nginx): nothing exits after its client.
        ServerAfterClient = null,
        Client = (p, _) => (Canned.Read(canned(p)), "", 0),
    };
}
