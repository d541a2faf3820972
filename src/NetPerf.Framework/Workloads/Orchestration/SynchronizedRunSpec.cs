namespace NetPerf.Workloads.Orchestration;

/// <summary>What <see cref="SynchronizedRun"/> runs on each pair: a server, then a client released by the start barrier.</summary>
internal sealed record SynchronizedRunSpec
{
    /// <summary>The tool's name, for messages and file names (e.g. <c>iperf3</c>).</summary>
    public required string Tool { get; init; }

    /// <summary>The server's bash script for a pair; it runs detached, its stdout/stderr are kept. It should listen on <see cref="Pair.Port"/>.</summary>
    /// <remarks>
    /// <see langword="null"/> when the server container serves by itself (its own command, e.g. nginx in an
    /// <c>OwnContainer</c>): nothing is started or stopped in it; the run only waits until
    /// something listens on <see cref="Pair.Port"/> there.
    /// </remarks>
    public required Func<Pair, StartBarrier, string>? Server { get; init; }

    /// <summary>The client's command line (bash syntax) for a pair; it runs after the barrier and its output is the measurement.</summary>
    public required Func<Pair, StartBarrier, string> Client { get; init; }

    /// <summary>True when the server listens on UDP (readiness is checked with <c>ss -lun</c> instead of <c>ss -ltn</c>).</summary>
    public bool ServerListensOnUdp { get; init; }

    /// <summary>True when the server exits after serving one client (iperf3 <c>-1</c>, a netcat receiver): the run waits for it and keeps its output.</summary>
    public bool ServerExitsAfterClient { get; init; }

    /// <summary>How long a client may run, barrier wait excluded.</summary>
    public required TimeSpan ClientTimeout { get; init; }

    /// <summary>How long to wait for all servers to listen and all clients to reach the barrier.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
