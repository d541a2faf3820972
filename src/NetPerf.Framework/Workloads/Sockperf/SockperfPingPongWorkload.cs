using System.Globalization;
using NetPerf.Workloads;
using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Orchestration;
using NetPerf.Workloads.Sockperf;
using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Sockperf (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>sockperf ping-pong latency on every pair at once.</summary>
/// <remarks>
/// Server: <c>sockperf sr --tcp -p PORT</c> (stopped after the run). Client:
/// <c>sockperf pp --tcp -i ADDR -p PORT -m SIZE -t SECS [--full-log FILE]</c>. Latencies are one-way
/// (half the round trip), in microseconds, after sockperf's own 400 ms warm-up. Per-flow values come
/// from each client's summary; the aggregate percentiles come from all flows' full logs merged
/// (nearest rank) or, without full logs, the observation-weighted mean of the flows' values.
/// </remarks>
public sealed record SockperfPingPongWorkload : IWorkload
{
    /// <summary>How long each client pings (<c>-t</c>).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Message size in bytes (<c>-m</c>).</summary>
    public int MessageSizeBytes { get; init; } = 350;

    /// <summary>UDP instead of TCP.</summary>
    public bool Udp { get; init; }

    /// <summary>Keep every message's latency (<c>--full-log</c> in the shared directory) for exact aggregate percentiles.</summary>
    public bool FullLog { get; init; } = true;

    /// <inheritdoc />
    public string Name => Udp ? "sockperf-pp-udp" : "sockperf-pp-tcp";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics =>
        [Catalog.LatencyAvg, Catalog.LatencyP50, Catalog.LatencyP90, Catalog.LatencyP99, Catalog.LatencyP999, Catalog.LatencyMax, Catalog.HostCpuPercent, Catalog.StartSkew];

    /// <summary>The client's command line for <paramref name="pair"/>; <paramref name="fullLogPath"/> is a path inside the container or null.</summary>
    public string ClientCommand(Pair pair, string? fullLogPath) =>
        Shell.Join(["sockperf", "pp", .. Protocol(), "-i", pair.Server.Address, "-p", pair.Port.ToString(CultureInfo.InvariantCulture),
            "-m", MessageSizeBytes.ToString(CultureInfo.InvariantCulture), "-t", Shell.Number(Duration.TotalSeconds),
            .. fullLogPath is null ? Array.Empty<string>() : ["--full-log", fullLogPath]]);

    /// <inheritdoc />
    public async Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        if (Duration < TimeSpan.FromSeconds(1) || MessageSizeBytes is < 14 or > 65000)
            throw new ArgumentException($"Workload '{Name}' is misconfigured: Duration must be at least 1 s (is {Duration}) and MessageSizeBytes 14 to 65000 (is {MessageSizeBytes}).");
        using var barrier = StartBarrier.Create(host, Name);
        var run = await SynchronizedRun.ExecuteAsync(host, barrier, new SynchronizedRunSpec
        {
            Tool = "sockperf",
            Server = (pair, _) => Shell.Join(["exec", "sockperf", "sr", .. Protocol(), "-p", pair.Port.ToString(CultureInfo.InvariantCulture)]),
            Client = (pair, b) => ClientCommand(pair, FullLog ? b.InContainer(FullLogFile(pair)) : null),
            ServerListensOnUdp = Udp,
            ClientTimeout = Duration + TimeSpan.FromSeconds(30),
        }, cancellationToken).ConfigureAwait(false);
        var logs = FullLog
            ? run.Pairs.Select(p => File.Exists(barrier.OnHost(FullLogFile(p.Pair))) ? File.ReadAllText(barrier.OnHost(FullLogFile(p.Pair))) : "").ToList()
            : null;
        return Summarise(run, logs);
    }

    /// <summary>Builds the result from a finished run's outputs and, when kept, each pair's full log (public so it can be tested on canned output).</summary>
    /// <exception cref="WorkloadException">A client failed, or a full log is missing or malformed.</exception>
    internal WorkloadResult Summarise(SynchronizedRunResult run, IReadOnlyList<string>? fullLogs)
    {
        var summaries = run.Pairs.Select(p => SockperfPingPongParser.ParseSummary(p.Client.Stdout, p.Client.Stderr, p.Pair.Client.Name)).ToList();
        var flows = run.Pairs.Select((p, i) => new FlowResult(p.Pair.FlowName, p.Pair.Client, p.Pair.Server)
        {
            ReleasedAt = run.ReleasedAt(p),
            Measurements = Values(summaries[i]).Select(v => new Measurement(v.Metric, v.Value, p.Pair.FlowName)).ToList(),
        }).ToList();

        IEnumerable<(Metric Metric, double Value)> aggregate;
        if (fullLogs is not null)
        {
            var merged = run.Pairs.SelectMany((p, i) => SockperfPingPongParser.ParseFullLog(fullLogs[i], p.Pair.Client.Name)).ToList();
            aggregate =
            [
                (Catalog.LatencyAvg, merged.Average()),
                (Catalog.LatencyP50, Percentile.NearestRank(merged, 50)),
                (Catalog.LatencyP90, Percentile.NearestRank(merged, 90)),
                (Catalog.LatencyP99, Percentile.NearestRank(merged, 99)),
                (Catalog.LatencyP999, Percentile.NearestRank(merged, 99.9)),
                (Catalog.LatencyMax, merged.Max()),
            ];
        }
        else
        {
            var weights = summaries.Select(s => (double)s.Observations).ToList();
            aggregate = Values(summaries[0]).Select((v, k) => (v.Metric, summaries.Select((s, i) => Values(s)[k].Value * weights[i]).Sum() / weights.Sum()));
        }

        var all = aggregate.Select(a => new Measurement(a.Metric, a.Value)).ToList();
        all.AddRange(ThroughputSummary.RunMeasurements(run, null));
        all.AddRange(ThroughputSummary.PerFlow(flows));
        var raw = run.Pairs.Select(p => new RawOutput($"{p.Pair.FlowName}.client.sockperf-pp.txt", p.Pair.Client.Name, p.Client.Stdout)).ToList();
        if (fullLogs is not null)
            raw.AddRange(run.Pairs.Select((p, i) => new RawOutput($"{p.Pair.FlowName}.client.sockperf-full-log.csv", p.Pair.Client.Name, fullLogs[i])));
        return new WorkloadResult(Name)
        {
            Measurements = all,
            Flows = flows,
            StartSkewMilliseconds = run.StartSkewMilliseconds,
            Cpu = run.Cpu,
            ToolVersions = new Dictionary<string, string> { ["sockperf"] = summaries[0].Version },
            RawOutputs = raw,
        };
    }

    private static IReadOnlyList<(Metric Metric, double Value)> Values(SockperfLatencySummary s) =>
    [
        (Catalog.LatencyAvg, s.Average), (Catalog.LatencyP50, s.P50), (Catalog.LatencyP90, s.P90),
        (Catalog.LatencyP99, s.P99), (Catalog.LatencyP999, s.P999), (Catalog.LatencyMax, s.Max),
    ];

    private string[] Protocol() => Udp ? [] : ["--tcp"];

    private static string FullLogFile(Pair pair) => $"{pair.FlowName}.sockperf-full-log.csv";
}
