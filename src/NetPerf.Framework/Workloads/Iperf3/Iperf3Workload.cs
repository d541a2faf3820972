using System.Globalization;
using NetPerf.Workloads;
using NetPerf.Workloads.Iperf3;
using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Orchestration;
using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Iperf3 (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>iperf3 bulk transfer, TCP or UDP, on every pair at once.</summary>
/// <remarks>
/// Server: <c>iperf3 -s -1 -J -p PORT -i INTERVAL</c>. Client:
/// <c>iperf3 -c ADDR -p PORT -t SECS -O WARMUP -i INTERVAL -P STREAMS [-u] [-b RATE] [-l LEN] -J --get-server-output</c>.
/// Throughput comes from the receiver's intervals (what arrived), over the window in which all
/// flows overlap after warm-up. Configure with <c>with</c> expressions or <see cref="NetPerf.Workload"/>.
/// </remarks>
public sealed record Iperf3Workload : IWorkload
{
    /// <summary>Measured duration after warm-up (<c>-t</c>).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Warm-up discarded by iperf3 (<c>-O</c>); zero for none.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Reporting interval (<c>-i</c>).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Parallel streams per pair (<c>-P</c>).</summary>
    public int ParallelStreams { get; init; } = 1;

    /// <summary>Rate cap per stream in bit/s (<c>-b</c>); <see langword="null"/> for none (TCP) or iperf3's 1 Mbit/s default (UDP).</summary>
    public long? BitRateBitsPerSecond { get; init; }

    /// <summary>Bytes per write (<c>-l</c>); <see langword="null"/> for iperf3's default (128 KiB TCP, path MTU UDP).</summary>
    public int? MessageLengthBytes { get; init; }

    /// <summary>UDP instead of TCP (<c>-u</c>).</summary>
    public bool Udp { get; init; }

    /// <inheritdoc />
    public string Name => Udp ? "iperf3-udp" : "iperf3-tcp";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics => Udp
        ? [Catalog.AggregateThroughput, Catalog.FlowThroughput, Catalog.JainFairness, Catalog.MaxMinRatio, Catalog.UdpJitter, Catalog.UdpLoss, Catalog.PacketsPerSecond, Catalog.SenderCpuPercent, Catalog.ReceiverCpuPercent, Catalog.CpuSecondsPerGb, Catalog.HostCpuPercent, Catalog.StartSkew, Catalog.MeasurementWindow]
        : [Catalog.AggregateThroughput, Catalog.FlowThroughput, Catalog.JainFairness, Catalog.MaxMinRatio, Catalog.Retransmits, Catalog.Rtt, Catalog.SenderCpuPercent, Catalog.ReceiverCpuPercent, Catalog.CpuSecondsPerGb, Catalog.HostCpuPercent, Catalog.StartSkew, Catalog.MeasurementWindow];

    /// <summary>The server's argv for <paramref name="pair"/>.</summary>
    public IReadOnlyList<string> ServerArguments(Pair pair) =>
        ["iperf3", "-s", "-1", "-J", "-p", Port(pair), "-i", Shell.Number(Interval.TotalSeconds)];

    /// <summary>The client's argv for <paramref name="pair"/>.</summary>
    public IReadOnlyList<string> ClientArguments(Pair pair)
    {
        var argv = new List<string>
        {
            "iperf3", "-c", pair.Server.Address, "-p", Port(pair),
            "-t", Shell.Number(Duration.TotalSeconds), "-O", Shell.Number(WarmUp.TotalSeconds), "-i", Shell.Number(Interval.TotalSeconds),
            "-P", ParallelStreams.ToString(CultureInfo.InvariantCulture),
        };
        if (Udp)
            argv.Add("-u");
        if (BitRateBitsPerSecond is { } rate)
            argv.AddRange(["-b", rate.ToString(CultureInfo.InvariantCulture)]);
        if (MessageLengthBytes is { } length)
            argv.AddRange(["-l", length.ToString(CultureInfo.InvariantCulture)]);
        argv.AddRange(["-J", "--get-server-output"]);
        return argv;
    }

    /// <inheritdoc />
    public async Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        Validate();
        using var barrier = StartBarrier.Create(host, Name);
        var run = await SynchronizedRun.ExecuteAsync(host, barrier, new SynchronizedRunSpec
        {
            Tool = "iperf3",
            Server = (pair, _) => "exec " + Shell.Join(ServerArguments(pair)),
            Client = (pair, _) => Shell.Join(ClientArguments(pair)),
            ServerExitsAfterClient = true,
            ClientTimeout = Duration + WarmUp + TimeSpan.FromSeconds(30),
        }, cancellationToken).ConfigureAwait(false);
        return Summarise(run);
    }

    /// <summary>Builds the result from a finished run's outputs (public so it can be tested on canned output).</summary>
    /// <exception cref="WorkloadException">A client failed or stopped early.</exception>
    internal WorkloadResult Summarise(SynchronizedRunResult run)
    {
        var reports = run.Pairs.Select(p => (Run: p, Report: Parse(p))).ToList();
        var flows = reports.Select(r => new FlowResult(r.Run.Pair.FlowName, r.Run.Pair.Client, r.Run.Pair.Server)
        {
            ReleasedAt = run.ReleasedAt(r.Run),
            Intervals = r.Report.SenderIntervals.Select(i => i.Shift(run.ReleasedAt(r.Run))).ToList(),
            ReceiverIntervals = r.Report.ReceiverIntervals.Select(i => i.Shift(run.ReleasedAt(r.Run))).ToList(),
            Totals = r.Report.Totals,
            Measurements = FlowMeasurements(r.Run.Pair.FlowName, r.Report.Totals),
        }).ToList();
        var (window, measured, aggregates) = ThroughputSummary.Summarise(flows);

        var all = new List<Measurement>(aggregates);
        var totals = measured.Select(f => f.Totals).ToList();
        if (Udp)
        {
            all.Add(new Measurement(Catalog.UdpJitter, totals.Average(t => t.UdpJitterMilliseconds ?? 0)));
            var sent = totals.Sum(t => t.UdpPackets ?? 0);
            all.Add(new Measurement(Catalog.UdpLoss, sent > 0 ? 100.0 * totals.Sum(t => t.UdpLostPackets ?? 0) / sent : 0));
            all.Add(new Measurement(Catalog.PacketsPerSecond,
                measured.Sum(f => OverlapWindow.Within(f.ThroughputSeries, window, i => (i.Packets ?? 0) - (i.LostPackets ?? 0))) / window.Seconds));
        }
        else
        {
            all.Add(new Measurement(Catalog.Retransmits, totals.Sum(t => t.Retransmits ?? 0)));
            if (totals.All(t => t.MeanRttMicroseconds is not null))
                all.Add(new Measurement(Catalog.Rtt, totals.Average(t => t.MeanRttMicroseconds!.Value)));
        }
        all.Add(new Measurement(Catalog.SenderCpuPercent, totals.Average(t => t.SenderCpuPercent ?? 0)));
        all.Add(new Measurement(Catalog.ReceiverCpuPercent, totals.Average(t => t.ReceiverCpuPercent ?? 0)));
        var bytes = reports.Sum(r => r.Report.BytesIncludingWarmUp);
        all.AddRange(ThroughputSummary.RunMeasurements(run, bytes));
        all.AddRange(ThroughputSummary.PerFlow(measured));

        return new WorkloadResult(Name)
        {
            Measurements = all,
            Flows = measured,
            StartSkewMilliseconds = run.StartSkewMilliseconds,
            Window = window,
            Cpu = run.Cpu,
            BytesMoved = bytes,
            ToolVersions = new Dictionary<string, string> { ["iperf3"] = reports[0].Report.Version },
            RawOutputs = run.Pairs.Select(p => new RawOutput($"{p.Pair.FlowName}.client.iperf3.json", p.Pair.Client.Name, p.Client.Stdout)).ToList(),
        };
    }

    private Iperf3Report Parse(PairRun run)
    {
        var node = run.Pair.Client.Name;
        var report = Iperf3Parser.Parse(run.Client.Stdout, node);
        if (!run.Client.Succeeded)
            throw new WorkloadException($"iperf3 on '{node}' exited with code {run.Client.ExitCode}: '{run.Client.Stderr.Trim()}'", node);
        // A report that covers much less than the requested duration means the test was cut short.
        var measured = report.SenderIntervals.Where(i => !i.Omitted).ToList();
        var covered = measured.Max(i => i.End) - measured.Min(i => i.Start);
        if (covered < Duration.TotalSeconds - Interval.TotalSeconds - 0.5)
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"iperf3 on '{node}' reported intervals covering {covered:0.###} s of the requested {Duration.TotalSeconds:0.###} s; intervals are missing."), node);
        return report;
    }

    private IReadOnlyList<Measurement> FlowMeasurements(string flow, FlowTotals totals)
    {
        var list = new List<Measurement>();
        if (Udp)
        {
            if (totals.UdpJitterMilliseconds is { } jitter)
                list.Add(new Measurement(Catalog.UdpJitter, jitter, flow));
            if (totals.UdpLostPercent is { } loss)
                list.Add(new Measurement(Catalog.UdpLoss, loss, flow));
        }
        else
        {
            if (totals.Retransmits is { } retransmits)
                list.Add(new Measurement(Catalog.Retransmits, retransmits, flow));
            if (totals.MeanRttMicroseconds is { } rtt)
                list.Add(new Measurement(Catalog.Rtt, rtt, flow));
        }
        return list;
    }

    private void Validate()
    {
        var errors = new List<string>();
        if (Duration < TimeSpan.FromSeconds(1))
            errors.Add($"Duration must be at least 1 s (is {Duration}).");
        if (WarmUp < TimeSpan.Zero)
            errors.Add($"WarmUp must not be negative (is {WarmUp}).");
        // iperf3 3.12 reads -O with atoi: 0.5 would silently become 0 and nothing would be discarded.
        if (WarmUp.Ticks % TimeSpan.TicksPerSecond != 0)
            errors.Add($"WarmUp must be a whole number of seconds for iperf3's -O (is {WarmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s).");
        if (Interval < TimeSpan.FromMilliseconds(100) || Interval > Duration)
            errors.Add($"Interval must be between 0.1 s and Duration (is {Interval}).");
        if (ParallelStreams is < 1 or > 128)
            errors.Add($"ParallelStreams must be 1 to 128 (is {ParallelStreams}).");
        if (BitRateBitsPerSecond is <= 0)
            errors.Add($"BitRateBitsPerSecond must be positive (is {BitRateBitsPerSecond}).");
        if (MessageLengthBytes is <= 0)
            errors.Add($"MessageLengthBytes must be positive (is {MessageLengthBytes}).");
        if (errors.Count > 0)
            throw new ArgumentException($"Workload '{Name}' is misconfigured: {string.Join(" ", errors)}");
    }

    private static string Port(Pair pair) => pair.Port.ToString(CultureInfo.InvariantCulture);
}
