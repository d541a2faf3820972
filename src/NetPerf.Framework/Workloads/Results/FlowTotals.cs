// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Results (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Whole-run totals of one flow as the tool summarised them; a value the tool does not report is <see langword="null"/>.</summary>
public sealed record FlowTotals
{
    /// <summary>Bytes the sender sent (after warm-up).</summary>
    public long? SentBytes { get; init; }

    /// <summary>Bytes the receiver received (after warm-up).</summary>
    public long? ReceivedBytes { get; init; }

    /// <summary>Duration the totals cover, in seconds.</summary>
    public double? Seconds { get; init; }

    /// <summary>Sender-side rate, in bit/s.</summary>
    public double? SenderBitsPerSecond { get; init; }

    /// <summary>Receiver-side rate, in bit/s.</summary>
    public double? ReceiverBitsPerSecond { get; init; }

    /// <summary>TCP retransmissions.</summary>
    public long? Retransmits { get; init; }

    /// <summary>Mean smoothed RTT over the flow's streams, in microseconds.</summary>
    public double? MeanRttMicroseconds { get; init; }

    /// <summary>UDP jitter at the receiver, in milliseconds.</summary>
    public double? UdpJitterMilliseconds { get; init; }

    /// <summary>UDP datagrams lost.</summary>
    public long? UdpLostPackets { get; init; }

    /// <summary>UDP datagrams sent.</summary>
    public long? UdpPackets { get; init; }

    /// <summary>UDP datagrams lost, percent of those sent.</summary>
    public double? UdpLostPercent { get; init; }

    /// <summary>The sending process's CPU use as the tool reports it, percent of one core.</summary>
    public double? SenderCpuPercent { get; init; }

    /// <summary>The receiving process's CPU use as the tool reports it, percent of one core.</summary>
    public double? ReceiverCpuPercent { get; init; }
}
