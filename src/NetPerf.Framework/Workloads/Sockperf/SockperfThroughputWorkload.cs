using System.Globalization;
using NetPerf.Workloads;
using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Orchestration;
using NetPerf.Workloads.Sockperf;
using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Sockperf (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>sockperf throughput (one-way message stream) at a given message size, on every pair at once.</summary>
/// <remarks>
/// Server: <c>sockperf sr --tcp -p PORT</c>. Client: <c>sockperf tp --tcp -i ADDR -p PORT -m SIZE -t SECS</c>.
/// sockperf prints no interval series, so the aggregate is the sum of each flow's own whole-run
/// rate (sender side); the measured start skew says how well the flows overlapped.
/// </remarks>
public sealed record SockperfThroughputWorkload : IWorkload
{
    /// <summary>How long each client sends (<c>-t</c>).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Message size in bytes (<c>-m</c>).</summary>
    public int MessageSizeBytes { get; init; } = 1400;

    /// <summary>UDP instead of TCP.</summary>
    public bool Udp { get; init; }

    /// <inheritdoc />
    public string Name => Udp ? "sockperf-tp-udp" : "sockperf-tp-tcp";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics =>
        [Catalog.MessagesPerSecond, Catalog.AggregateThroughput, Catalog.FlowThroughput, Catalog.JainFairness, Catalog.MaxMinRatio, Catalog.CpuSecondsPerGb, Catalog.HostCpuPercent, Catalog.StartSkew];

    /// <summary>The client's command line for <paramref name="pair"/>.</summary>
    public string ClientCommand(Pair pair) =>
        Shell.Join(["sockperf", "tp", .. Protocol(), "-i", pair.Server.Address, "-p", pair.Port.ToString(CultureInfo.InvariantCulture),
            "-m", MessageSizeBytes.ToString(CultureInfo.InvariantCulture), "-t", Shell.Number(Duration.TotalSeconds)]);

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
            Client = (pair, _) => ClientCommand(pair),
            ServerListensOnUdp = Udp,
            ClientTimeout = Duration + TimeSpan.FromSeconds(30),
        }, cancellationToken).ConfigureAwait(false);
        return Summarise(run);
    }

    /// <summary>Builds the result from a finished run's outputs (public so it can be tested on canned output).</summary>
    /// <exception cref="WorkloadException">A client failed.</exception>
    internal WorkloadResult Summarise(SynchronizedRunResult run)
    {
        var reports = run.Pairs.Select(p => SockperfThroughputParser.Parse(p.Client.Stdout, p.Client.Stderr, p.Pair.Client.Name)).ToList();
        var rates = reports.Select(r => r.MessagesPerSecond * MessageSizeBytes * 8 / 1e9).ToList();
        var zero = run.Pairs.Where((_, i) => rates[i] <= 0).Select(p => p.Pair.Client.Name).ToList();
        if (zero.Count > 0)
            throw new WorkloadException($"sockperf on {string.Join(", ", zero.Select(z => $"'{z}'"))} sent no messages.", zero.Count == 1 ? zero[0] : null);
        var flows = run.Pairs.Select((p, i) => new FlowResult(p.Pair.FlowName, p.Pair.Client, p.Pair.Server)
        {
            ReleasedAt = run.ReleasedAt(p),
            Totals = new FlowTotals { SentBytes = reports[i].MessagesSent * MessageSizeBytes, Seconds = reports[i].Seconds, SenderBitsPerSecond = rates[i] * 1e9 },
            Measurements =
            [
                new Measurement(Catalog.FlowThroughput, rates[i], p.Pair.FlowName),
                new Measurement(Catalog.MessagesPerSecond, reports[i].MessagesPerSecond, p.Pair.FlowName),
            ],
        }).ToList();
        var bytes = reports.Sum(r => r.MessagesSent * MessageSizeBytes);
        return new WorkloadResult(Name)
        {
            Measurements =
            [
                new Measurement(Catalog.MessagesPerSecond, reports.Sum(r => r.MessagesPerSecond)),
                new Measurement(Catalog.AggregateThroughput, rates.Sum()),
                new Measurement(Catalog.JainFairness, Fairness.JainIndex(rates)),
                new Measurement(Catalog.MaxMinRatio, Fairness.MaxMinRatio(rates)),
                .. ThroughputSummary.RunMeasurements(run, bytes),
                .. ThroughputSummary.PerFlow(flows),
            ],
            Flows = flows,
            StartSkewMilliseconds = run.StartSkewMilliseconds,
            Cpu = run.Cpu,
            BytesMoved = bytes,
            ToolVersions = new Dictionary<string, string> { ["sockperf"] = reports[0].Version },
            RawOutputs = run.Pairs.Select(p => new RawOutput($"{p.Pair.FlowName}.client.sockperf-tp.txt", p.Pair.Client.Name, p.Client.Stdout)).ToList(),
        };
    }

    private string[] Protocol() => Udp ? [] : ["--tcp"];
}
