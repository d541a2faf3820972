namespace NetPerf.Workloads.Orchestration;

/// <summary>What one pair's client and server produced in a <see cref="SynchronizedRun"/>.</summary>
/// <param name="Pair">The pair.</param>
/// <param name="Client">The client's result (stderr starts with the barrier's release line).</param>
/// <param name="ReleasedAtMicroseconds">When the client left the barrier, in microseconds since the Unix epoch.</param>
/// <param name="ServerOutput">The server's stdout, when it exited after its client (<see cref="SynchronizedRunSpec.ServerExitsAfterClient"/>); else empty.</param>
/// <param name="ServerError">The server's stderr so far.</param>
internal sealed record PairRun(Pair Pair, CommandResult Client, long ReleasedAtMicroseconds, string ServerOutput, string ServerError)
{
    /// <summary>True when a server expected to exit after its client did so; its <see cref="ServerOutput"/> is then complete.</summary>
    public bool ServerExited { get; init; }
}
