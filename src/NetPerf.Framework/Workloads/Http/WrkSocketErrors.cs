namespace NetPerf.Workloads.Http;

/// <summary>The socket errors wrk counted over a run (its <c>Socket errors:</c> line; all zero when wrk printed none).</summary>
/// <param name="Connect">Connections that could not be opened, including reconnects during the run.</param>
/// <param name="Read">Failed reads and responses wrk could not parse; each one closes and reopens the connection.</param>
/// <param name="Write">Failed writes of a request; each one closes and reopens the connection.</param>
/// <param name="Timeout">Requests that took longer than wrk's <c>--timeout</c> (2 s unless given).</param>
internal sealed record WrkSocketErrors(long Connect, long Read, long Write, long Timeout)
{
    /// <summary>No socket errors: what a run without a <c>Socket errors:</c> line had.</summary>
    public static readonly WrkSocketErrors None = new(0, 0, 0, 0);

    /// <summary>All socket errors together.</summary>
    public long Total => Connect + Read + Write + Timeout;

    /// <inheritdoc />
    public override string ToString() => $"connect {Connect}, read {Read}, write {Write}, timeout {Timeout}";
}
