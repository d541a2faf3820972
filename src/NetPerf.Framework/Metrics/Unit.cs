// Author-facing, so in namespace NetPerf rather than NetPerf.Metrics (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A unit of measure, written the same way in every file and message.</summary>
/// <param name="Symbol">The symbol as printed after a number, e.g. <c>Gbit/s</c>.</param>
public sealed record Unit(string Symbol)
{
    /// <summary>Gigabits per second (10^9 bits per second).</summary>
    public static readonly Unit GbitPerSecond = new("Gbit/s");

    /// <summary>Megabits per second (10^6 bits per second).</summary>
    public static readonly Unit MbitPerSecond = new("Mbit/s");

    /// <summary>Microseconds.</summary>
    public static readonly Unit Microseconds = new("us");

    /// <summary>Milliseconds.</summary>
    public static readonly Unit Milliseconds = new("ms");

    /// <summary>Seconds.</summary>
    public static readonly Unit Seconds = new("s");

    /// <summary>Bytes.</summary>
    public static readonly Unit Bytes = new("bytes");

    /// <summary>A plain count (retransmissions, packets).</summary>
    public static readonly Unit Count = new("count");

    /// <summary>A dimensionless ratio (Jain's index, max/min).</summary>
    public static readonly Unit Ratio = new("ratio");

    /// <summary>Percent.</summary>
    public static readonly Unit Percent = new("%");

    /// <summary>Packets per second.</summary>
    public static readonly Unit PacketsPerSecond = new("pkt/s");

    /// <summary>Messages per second.</summary>
    public static readonly Unit MessagesPerSecond = new("msg/s");

    /// <summary>Requests (of an application protocol, e.g. HTTP) completed per second.</summary>
    public static readonly Unit RequestsPerSecond = new("req/s");

    /// <summary>CPU-seconds spent per gigabyte moved.</summary>
    public static readonly Unit CpuSecondsPerGigabyte = new("CPU-s/GB");

    /// <inheritdoc />
    public override string ToString() => Symbol;
}
