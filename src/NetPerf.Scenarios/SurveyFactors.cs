namespace NetPerf.Scenarios;

/// <summary>
/// de Andres Hernandez: the factors a survey of container network performance lists. TCP vs UDP, packet
/// size (with packets per second), NAT (a port published through the bridge's gateway) against direct
/// container addressing, an overlay network (the path to multi-host, here a single-node swarm),
/// the None and Container (shared namespace, "pod") modes as references, and Ipvlan where the kernel has it.
/// </summary>
public sealed class SurveyFactors
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    [Protocols(Protocol.Tcp, Protocol.Udp)]
    public Task Tcp_vs_udp(Driver driver, int pairs, Protocol protocol) =>
        Experiment.ForCurrentCell()
            .Run(protocol == Protocol.Udp ? Workload.Iperf3Udp(2_000_000_000, Short) : Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.20)
            .Report(Metrics.CpuSecondsPerGb)
            .RunAsync();

    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    [MessageSizes(128, 512, 1400)]
    public Task Udp_packet_size(Driver driver, int pairs, int messageSize) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Udp(2_000_000_000, Short, messageSize))
            .Gate(Metrics.PacketsPerSecond, tolerance: 0.20)
            .Report(Metrics.AggregateThroughput, Metrics.UdpLoss, Metrics.UdpJitter)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.BridgeNat)]
    [Pairs(1)]
    public Task Nat_vs_direct(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.20)
            .Report(Metrics.Rtt, Metrics.CpuSecondsPerGb)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.BridgeNat)]
    [Pairs(1)]
    public Task Nat_vs_direct_latency(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.SockperfPingPong(350, Short))
            .Gate(Metrics.LatencyP50, tolerance: 0.20)
            .Report(Metrics.LatencyP99)
            .RunAsync();

    [DriverTheory(Driver.Overlay, Driver.None, Driver.Container, Driver.Ipvlan)]
    [Pairs(1)]
    public Task Reference_and_overlay_drivers(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.20)
            .Report(Metrics.Rtt, Metrics.CpuSecondsPerGb)
            .RunAsync();
}
