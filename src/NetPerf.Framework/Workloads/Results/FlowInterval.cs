// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Results (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>One reporting interval of one flow.</summary>
/// <param name="Start">Start, in seconds (on the run timeline once inside a <see cref="FlowResult"/>: 0 = first client released).</param>
/// <param name="End">End, in seconds, on the same timeline as <paramref name="Start"/>.</param>
/// <param name="Bytes">Bytes moved in the interval.</param>
/// <param name="BitsPerSecond">The rate the tool reported for the interval, in bit/s.</param>
public sealed record FlowInterval(double Start, double End, long Bytes, double BitsPerSecond)
{
    /// <summary>Length of the interval, in seconds.</summary>
    public double Seconds => End - Start;

    /// <summary>TCP retransmissions in the interval (sender side), summed over streams.</summary>
    public long? Retransmits { get; init; }

    /// <summary>Congestion window at the end of the interval, in bytes, summed over streams.</summary>
    public long? SndCwndBytes { get; init; }

    /// <summary>Smoothed RTT at the end of the interval, in microseconds, mean over streams.</summary>
    public double? RttMicroseconds { get; init; }

    /// <summary>UDP datagrams sent (sender side) or expected (receiver side) in the interval.</summary>
    public long? Packets { get; init; }

    /// <summary>UDP datagrams lost in the interval (receiver side).</summary>
    public long? LostPackets { get; init; }

    /// <summary>True for warm-up intervals the tool marked as omitted; they never count in a measurement.</summary>
    public bool Omitted { get; init; }

    /// <summary>The same interval moved by <paramref name="seconds"/> on the time axis.</summary>
    public FlowInterval Shift(double seconds) => this with { Start = Start + seconds, End = End + seconds };
}
