using System.Globalization;
using NetPerf.Workloads;
using NetPerf.Workloads.Iperf2;
using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Orchestration;
using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Iperf2 (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>iperf 2 TCP bulk transfer on every pair at once.</summary>
/// <remarks>
/// Server: <c>iperf -s -p PORT</c> (stopped after the run). Client:
/// <c>iperf -c ADDR -p PORT -t SECS -i INTERVAL -P STREAMS -y C</c>. iperf 2 has no warm-up option, so
/// intervals that start before <see cref="WarmUp"/> are dropped. Its CSV gives sender-side bytes only.
/// </remarks>
public sealed record Iperf2Workload : IWorkload
{
    /// <summary>Total duration, warm-up included (<c>-t</c>).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(11);

    /// <summary>Leading time whose intervals are discarded.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Reporting interval (<c>-i</c>).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Parallel streams per pair (<c>-P</c>).</summary>
    public int ParallelStreams { get; init; } = 1;

    /// <inheritdoc />
    public string Name => "iperf2-tcp";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics =>
        [Catalog.AggregateThroughput, Catalog.FlowThroughput, Catalog.JainFairness, Catalog.MaxMinRatio, Catalog.CpuSecondsPerGb, Catalog.HostCpuPercent, Catalog.StartSkew, Catalog.MeasurementWindow];

    /// <summary>The client's argv for <paramref name="pair"/>.</summary>
    public IReadOnlyList<string> ClientArguments(Pair pair) =>
    [
        "iperf", "-c", pair.Server.Address, "-p", pair.Port.ToString(CultureInfo.InvariantCulture),
        "-t", Shell.Number(Duration.TotalSeconds), "-i", Shell.Number(Interval.TotalSeconds),
        "-P", ParallelStreams.ToString(CultureInfo.InvariantCulture), "-y", "C",
    ];

    /// <inheritdoc />
    public async Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        if (Duration <= WarmUp + Interval || ParallelStreams < 1 || Interval < TimeSpan.FromMilliseconds(100))
            throw new ArgumentException($"Workload '{Name}' is misconfigured: Duration ({Duration}) must exceed WarmUp ({WarmUp}) plus one Interval ({Interval}), Interval must be at least 0.1 s and ParallelStreams at least 1 (is {ParallelStreams}).");
        var version = await host.ExecAsync(host.Pairs[0].Client, ["iperf", "-v"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        using var barrier = StartBarrier.Create(host, Name);
        var run = await SynchronizedRun.ExecuteAsync(host, barrier, new SynchronizedRunSpec
        {
            Tool = "iperf",
            Server = (pair, _) => "exec iperf -s -p " + pair.Port.ToString(CultureInfo.InvariantCulture),
            Client = (pair, _) => Shell.Join(ClientArguments(pair)),
            ClientTimeout = Duration + TimeSpan.FromSeconds(30),
        }, cancellationToken).ConfigureAwait(false);
        return Summarise(run, Iperf2Parser.Version(version.Stderr + version.Stdout) ?? "iperf 2 (version unknown)");
    }

    /// <summary>Builds the result from a finished run's outputs (public so it can be tested on canned output).</summary>
    /// <exception cref="WorkloadException">A client failed or reported nothing.</exception>
    internal WorkloadResult Summarise(SynchronizedRunResult run, string version)
    {
        var flows = run.Pairs.Select(p =>
        {
            var node = p.Pair.Client.Name;
            if (!p.Client.Succeeded)
                throw new WorkloadException($"iperf on '{node}' exited with code {p.Client.ExitCode}: '{p.Client.Stderr.Trim()}'", node);
            var report = Iperf2Parser.Parse(p.Client.Stdout, p.Client.Stderr, node);
            var released = run.ReleasedAt(p);
            return (Report: report, Flow: new FlowResult(p.Pair.FlowName, p.Pair.Client, p.Pair.Server)
            {
                ReleasedAt = released,
                Intervals = report.Intervals.Select(i => (i with { Omitted = i.Start < WarmUp.TotalSeconds - 1e-9 }).Shift(released)).ToList(),
                Totals = new FlowTotals { SentBytes = report.TotalBytes, Seconds = report.TotalSeconds, SenderBitsPerSecond = report.TotalBytes * 8 / report.TotalSeconds },
            });
        }).ToList();
        var (window, measured, aggregates) = ThroughputSummary.Summarise(flows.Select(f => f.Flow).ToList());
        var bytes = flows.Sum(f => f.Report.TotalBytes);
        return new WorkloadResult(Name)
        {
            Measurements = [.. aggregates, .. ThroughputSummary.RunMeasurements(run, bytes), .. ThroughputSummary.PerFlow(measured)],
            Flows = measured,
            StartSkewMilliseconds = run.StartSkewMilliseconds,
            Window = window,
            Cpu = run.Cpu,
            BytesMoved = bytes,
            ToolVersions = new Dictionary<string, string> { ["iperf"] = version },
            RawOutputs = run.Pairs.Select(p => new RawOutput($"{p.Pair.FlowName}.client.iperf2.csv", p.Pair.Client.Name, p.Client.Stdout)).ToList(),
        };
    }
}
