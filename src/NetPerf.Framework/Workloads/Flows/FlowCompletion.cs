using System.Globalization;
using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Orchestration;
using Catalog = NetPerf.Metrics;

namespace NetPerf.Workloads.Flows;

/// <summary>Runs one fixed-size netcat flow per pair, started together, and measures each flow's completion time.</summary>
/// <remarks>
/// Receiver: <c>nc -d -l -p PORT | wc -c</c>, then <c>$EPOCHREALTIME</c> once the pipe hits end of
/// file (the receiver holds the last byte). Sender, after the barrier: <c>head -c N /dev/zero | nc -N ADDR PORT</c>.
/// FCT = receiver's end-of-file time minus the sender's release time; containers share the host
/// kernel, so both are readings of one clock. It includes connection set-up and about 1 ms of
/// process start, the same for every run.
/// </remarks>
internal static class FlowCompletion
{
    public const string Tool = "netcat";

    public static string ReceiverScript(Pair pair) => string.Create(CultureInfo.InvariantCulture,
        $"n=$(nc -d -l -p {pair.Port} | wc -c); echo \"{FlowCompletionParser.BytesMarker}$n {FlowCompletionParser.AtMarker}$EPOCHREALTIME\"");

    public static string SenderCommand(Pair pair, long bytes) => string.Create(CultureInfo.InvariantCulture,
        $"head -c {bytes} /dev/zero | nc -N -v {Shell.Quote(pair.Server.Address)} {pair.Port}");

    public static async Task<(SynchronizedRunResult Run, string Version)> RunAsync(IWorkloadHost host, string name, Func<Pair, long> bytesOf, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var version = await host.ExecAsync(host.Pairs[0].Client, ["sh", "-c", "nc -h 2>&1 | head -n 1"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        using var barrier = StartBarrier.Create(host, name);
        var run = await SynchronizedRun.ExecuteAsync(host, barrier, new SynchronizedRunSpec
        {
            Tool = Tool,
            Server = (pair, _) => ReceiverScript(pair),
            Client = (pair, _) => SenderCommand(pair, bytesOf(pair)),
            ServerExitsAfterClient = true,
            ClientTimeout = timeout,
        }, cancellationToken).ConfigureAwait(false);
        return (run, version.Stdout.Trim());
    }

    /// <summary>Checks every flow and builds its result with its FCT, in milliseconds.</summary>
    public static IReadOnlyList<(FlowResult Flow, double FctMilliseconds)> Flows(SynchronizedRunResult run, Func<Pair, long> bytesOf)
    {
        return run.Pairs.Select(p =>
        {
            var sender = p.Pair.Client.Name;
            if (!p.Client.Succeeded)
                throw new WorkloadException($"netcat sender on '{sender}' exited with code {p.Client.ExitCode}: '{p.Client.Stderr.Trim()}'", sender);
            if (!p.ServerExited)
                throw new WorkloadException($"netcat receiver on '{p.Pair.Server.Name}' was still running 15 s after '{sender}' finished sending; it said: '{p.ServerError.Trim()}'", p.Pair.Server.Name);
            var (received, at) = FlowCompletionParser.ParseReceiver(p.ServerOutput, p.ServerError, p.Pair.Server.Name);
            var sent = bytesOf(p.Pair);
            if (received != sent)
                throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                    $"netcat receiver on '{p.Pair.Server.Name}' got {received} bytes but '{sender}' sent {sent}; the flow was cut short. Receiver said: '{p.ServerError.Trim()}'"), p.Pair.Server.Name);
            var fct = (at - p.ReleasedAtMicroseconds) / 1000.0;
            if (fct <= 0)
                throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                    $"netcat flow '{p.Pair.FlowName}' ended {-fct:0.###} ms before '{sender}' was released; the containers do not share a clock."), sender);
            var flow = new FlowResult(p.Pair.FlowName, p.Pair.Client, p.Pair.Server)
            {
                ReleasedAt = run.ReleasedAt(p),
                Totals = new FlowTotals { SentBytes = sent, ReceivedBytes = received, Seconds = fct / 1000, ReceiverBitsPerSecond = received * 8 / (fct / 1000) },
                Measurements = [new Measurement(Catalog.FlowCompletionTime, fct, p.Pair.FlowName)],
            };
            return (flow, fct);
        }).ToList();
    }

    public static IEnumerable<Measurement> Percentiles(IReadOnlyList<double> fcts, Metric median, Metric p99) =>
        fcts.Count == 0 ? [] : [new Measurement(median, Percentile.Median(fcts)), new Measurement(p99, Percentile.NearestRank(fcts, 99))];

    public static WorkloadResult Result(string name, SynchronizedRunResult run, string version, IReadOnlyList<FlowResult> flows, IEnumerable<Measurement> aggregates)
    {
        var bytes = flows.Sum(f => f.Totals.ReceivedBytes ?? 0);
        return new WorkloadResult(name)
        {
            Measurements = [.. aggregates, .. ThroughputSummary.RunMeasurements(run, bytes), .. ThroughputSummary.PerFlow(flows)],
            Flows = flows,
            StartSkewMilliseconds = run.StartSkewMilliseconds,
            Cpu = run.Cpu,
            BytesMoved = bytes,
            ToolVersions = new Dictionary<string, string> { ["nc"] = version },
            RawOutputs = run.Pairs.SelectMany(p => new[]
            {
                new RawOutput($"{p.Pair.FlowName}.receiver.txt", p.Pair.Server.Name, p.ServerOutput + p.ServerError),
                new RawOutput($"{p.Pair.FlowName}.sender.txt", p.Pair.Client.Name, p.Client.Stdout + p.Client.Stderr),
            }).ToList(),
        };
    }
}
