using System.Globalization;
using NetPerf.Workloads;
using NetPerf.Workloads.Http;
using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Orchestration;
using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Http (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>HTTP load with wrk from every pair's client against its own server container, all pairs at once.</summary>
/// <remarks>
/// <para>
/// The servers are the testbed's own server containers serving HTTP on the pair's port (<c>$NETPERF_PORT</c>), e.g.
/// nginx in <see cref="HttpImage"/>: nothing is started in them, the run only waits until they listen. The clients
/// need wrk, bash and the shared directory (the start barrier), e.g. <see cref="HttpImage"/> with
/// <c>sleep infinity</c>. Client, after the barrier: <c>wrk -t THREADS -c CONNECTIONS -d SECS --latency http://ADDR:PORT/PATH</c>.
/// </para>
/// <para>
/// Aggregates: <c>requests_per_second</c> is the sum over pairs of each wrk's <c>Requests/sec</c>;
/// <c>http_latency_p50</c> and <c>http_latency_p99</c> are the median over pairs of each pair's own percentile (wrk
/// prints percentiles, not its histogram, so they cannot be merged exactly; the median keeps one odd pair from moving
/// a gate, and each pair's values are kept per flow). CPU: host busy percent and CPU-seconds of the testbed's containers
/// per 10^9 bytes of responses read (headers included), from just before the release to the last client's exit.
/// </para>
/// <para>
/// A socket error (connect, read, write, timeout) or a response with a status above 399 fails the trial: either means
/// some requests were not served as asked, and wrk's rate and latencies would then mix failures into what the gate
/// compares. On this machine clean runs count none (nginx keeps wrk's connections open for 1,000,000 requests).
/// </para>
/// </remarks>
public sealed record WrkWorkload : IWorkload
{
    /// <summary>How long each client loads its server (<c>-d</c>), whole seconds.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Connections each client keeps open (<c>-c</c>).</summary>
    public int Connections { get; init; } = 10;

    /// <summary>wrk threads per client (<c>-t</c>); at most <see cref="Connections"/>.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The path requested, e.g. <c>/1k.bin</c> or <c>/64k.bin</c> of <see cref="HttpImage"/>.</summary>
    public string Path { get; init; } = "/1k.bin";

    /// <inheritdoc />
    public string Name => "wrk";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics =>
        [Catalog.RequestsPerSecond, Catalog.HttpLatencyP50, Catalog.HttpLatencyP99, Catalog.CpuSecondsPerGb, Catalog.HostCpuPercent, Catalog.StartSkew];

    /// <summary>The URL the client of <paramref name="pair"/> loads.</summary>
    public string Url(Pair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return string.Create(CultureInfo.InvariantCulture, $"http://{pair.Server.Address}:{pair.Port}{Path}");
    }

    /// <summary>The client's argv for <paramref name="pair"/>.</summary>
    public IReadOnlyList<string> ClientArguments(Pair pair) =>
    [
        "wrk",
        "-t" + Threads.ToString(CultureInfo.InvariantCulture),
        "-c" + Connections.ToString(CultureInfo.InvariantCulture),
        "-d" + Shell.Number(Duration.TotalSeconds) + "s",
        "--latency",
        Url(pair),
    ];

    /// <inheritdoc />
    public async Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        Validate();
        var version = await VersionAsync(host, cancellationToken).ConfigureAwait(false);
        using var barrier = StartBarrier.Create(host, Name);
        var run = await SynchronizedRun.ExecuteAsync(host, barrier, new SynchronizedRunSpec
        {
            Tool = "wrk",
            // The server container serves by itself (its own command); the run only waits until it listens.
            Server = null,
            Client = (pair, _) => Shell.Join(ClientArguments(pair)),
            ClientTimeout = Duration + TimeSpan.FromSeconds(30),
        }, cancellationToken).ConfigureAwait(false);
        return Summarise(run, version);
    }

    /// <summary>Builds the result from a finished run's outputs (public so it can be tested on canned output).</summary>
    /// <param name="run">The run.</param>
    /// <param name="version">wrk's version line, e.g. <c>wrk debian/4.1.0-3+b2 [epoll]</c>.</param>
    /// <exception cref="WorkloadException">A client failed, its report is unusable, or a pair counted socket errors or error responses.</exception>
    internal WorkloadResult Summarise(SynchronizedRunResult run, string version)
    {
        ArgumentNullException.ThrowIfNull(run);
        var reports = run.Pairs.Select(Parse).ToList();
        var failed = run.Pairs.Select((p, i) => (Pair: p.Pair, Report: reports[i]))
            .Where(r => r.Report.SocketErrors.Total > 0 || r.Report.Non2xxOr3xxResponses > 0)
            .ToList();
        if (failed.Count > 0)
            throw new WorkloadException(ErrorsMessage(failed), failed.Count == 1 ? failed[0].Pair.Client.Name : null);

        var flows = run.Pairs.Select((p, i) => new FlowResult(p.Pair.FlowName, p.Pair.Client, p.Pair.Server)
        {
            ReleasedAt = run.ReleasedAt(p),
            Totals = new FlowTotals { ReceivedBytes = (long)reports[i].BytesRead, Seconds = reports[i].Seconds },
            Measurements =
            [
                new Measurement(Catalog.RequestsPerSecond, reports[i].RequestsPerSecond, p.Pair.FlowName),
                new Measurement(Catalog.HttpLatencyP50, reports[i].P50, p.Pair.FlowName),
                new Measurement(Catalog.HttpLatencyP99, reports[i].P99, p.Pair.FlowName),
            ],
        }).ToList();
        var bytes = (long)reports.Sum(r => r.BytesRead);
        return new WorkloadResult(Name)
        {
            Measurements =
            [
                new Measurement(Catalog.RequestsPerSecond, reports.Sum(r => r.RequestsPerSecond)),
                new Measurement(Catalog.HttpLatencyP50, Percentile.Median([.. reports.Select(r => r.P50)])),
                new Measurement(Catalog.HttpLatencyP99, Percentile.Median([.. reports.Select(r => r.P99)])),
                .. ThroughputSummary.RunMeasurements(run, bytes),
                .. ThroughputSummary.PerFlow(flows),
            ],
            Flows = flows,
            StartSkewMilliseconds = run.StartSkewMilliseconds,
            Cpu = run.Cpu,
            BytesMoved = bytes,
            ToolVersions = new Dictionary<string, string> { ["wrk"] = version },
            RawOutputs = run.Pairs.Select(p => new RawOutput($"{p.Pair.FlowName}.client.wrk.txt", p.Pair.Client.Name, p.Client.Stdout)).ToList(),
        };
    }

    private static WrkReport Parse(PairRun run)
    {
        var node = run.Pair.Client.Name;
        var said = ToolStderr(run.Client.Stderr);
        if (run.Client.ExitCode == 127)
            throw new WorkloadException($"wrk is not in the client container '{node}' ('{said}'); run the clients in an image with wrk, e.g. HttpImage.Reference with the command 'sleep infinity'.", node);
        var report = WrkParser.Parse(run.Client.Stdout, said, node);
        if (!run.Client.Succeeded)
            throw new WorkloadException($"wrk on '{node}' exited with code {run.Client.ExitCode.ToString(CultureInfo.InvariantCulture)}: '{said}'", node);
        return report;
    }

    private static string ErrorsMessage(IReadOnlyList<(Pair Pair, WrkReport Report)> failed)
    {
        var lines = failed.Select(f => string.Create(CultureInfo.InvariantCulture,
            $"'{f.Pair.Client.Name}' loading '{f.Report.Url}' (server '{f.Pair.Server.Name}'): {f.Report.SocketErrors.Total} socket errors ({f.Report.SocketErrors}) and {f.Report.Non2xxOr3xxResponses} responses with a status above 399, of {f.Report.Requests} requests in {f.Report.Seconds:0.###} s"));
        return $"wrk counted failed requests, so its rate and latencies are not a measurement of the server serving: {string.Join("; ", lines)}. "
            + "Check: that the path exists on the server (a 404 counts as a status above 399); "
            + "that the server keeps connections open for the whole run (read errors: nginx's keepalive_requests, keepalive_timeout); "
            + "that the server answers within wrk's 2 s timeout (timeouts: is the server or the machine overloaded?); "
            + "that the server listens on the pair's port and stays up (connect errors); "
            + $"and the server's log ('docker logs {failed[0].Pair.Server.Name}').";
    }

    private async Task<string> VersionAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        var client = host.Pairs.Count > 0 ? host.Pairs[0].Client : throw new WorkloadException($"The testbed has no pairs to run '{Name}' on.");
        // wrk -v prints its version line and its usage, and exits 1.
        var result = await host.ExecAsync(client, ["sh", "-c", "wrk -v 2>&1"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        var first = result.Stdout.Split('\n')[0].Trim();
        if (!first.StartsWith("wrk ", StringComparison.Ordinal))
            throw new WorkloadException($"wrk is not in the client container '{client.Name}' ('wrk -v' said: '{(result.Stdout + result.Stderr).Trim()}'); run the clients in an image with wrk, e.g. HttpImage.Reference with the command 'sleep infinity'.", client.Name);
        var copyright = first.IndexOf(" Copyright", StringComparison.Ordinal);
        return copyright > 0 ? first[..copyright] : first;
    }

    private static string ToolStderr(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => !l.StartsWith(StartBarrier.ReleaseMarker, StringComparison.Ordinal))).Trim();

    private void Validate()
    {
        var errors = new List<string>();
        if (Duration < TimeSpan.FromSeconds(1) || Duration.Ticks % TimeSpan.TicksPerSecond != 0)
            errors.Add($"Duration must be a whole number of seconds, at least 1 (is {Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s).");
        if (Connections is < 1 or > 10_000)
            errors.Add($"Connections must be 1 to 10000 (is {Connections.ToString(CultureInfo.InvariantCulture)}).");
        if (Threads < 1 || Threads > Connections)
            errors.Add($"Threads must be 1 to Connections (is {Threads.ToString(CultureInfo.InvariantCulture)}); wrk gives each thread at least one connection.");
        if (string.IsNullOrEmpty(Path) || !Path.StartsWith('/') || Path.Any(char.IsWhiteSpace))
            errors.Add($"Path must start with '/' and contain no white space, e.g. '/1k.bin' (is '{Path}').");
        if (errors.Count > 0)
            throw new ArgumentException($"Workload '{Name}' is misconfigured: {string.Join(" ", errors)}");
    }
}
