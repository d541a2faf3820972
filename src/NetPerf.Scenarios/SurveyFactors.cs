namespace NetPerf.Scenarios;

/// <summary>
/// de Andres Hernandez: the factors a survey of container network performance lists. TCP vs UDP, packet
/// size (with packets per second), NAT (a port published through the bridge's gateway) against direct
/// container addressing, an overlay network (on one engine, and across two engines of a swarm with VXLAN between them),
/// the None and Container (shared namespace, "pod") modes as references, and Ipvlan where the kernel has it.
/// </summary>
public sealed class SurveyFactors
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    [Protocols(Protocol.Tcp, Protocol.Udp)]
    public Task Tcp_vs_udp(Driver driver, int pairs, Protocol protocol) =>
        Experiment.ForCurrentCell()
            .Run(protocol == Protocol.Udp ? Workload.Iperf3Udp(2_000_000_000, Short) : Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.CpuSecondsPerGb)
            .RunAsync();

    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    [MessageSizes(128, 1400)]
    public Task Udp_packet_size(Driver driver, int pairs, int messageSize) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Udp(2_000_000_000, Short, messageSize))
            .Gate(Metrics.PacketsPerSecond, tolerance: 0.10)
            .Report(Metrics.AggregateThroughput, Metrics.UdpLoss, Metrics.UdpJitter)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.BridgeNat)]
    [Pairs(1)]
    public Task Nat_vs_direct(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.Rtt, Metrics.CpuSecondsPerGb)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.BridgeNat)]
    [Pairs(1)]
    public Task Nat_vs_direct_latency(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.SockperfPingPong(350, Short))
            .Pin(CpuPinning.DifferentCores)
            .Gate(Metrics.LatencyP50, tolerance: 0.20)
            .Report(Metrics.LatencyP99)
            .RunAsync();

    [DriverTheory(Driver.Overlay, Driver.None, Driver.Container, Driver.Ipvlan)]
    [Pairs(1)]
    public Task Reference_and_overlay_drivers(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.Rtt, Metrics.CpuSecondsPerGb)
            .RunAsync();

    // The survey's overlay factor is the cost of encapsulation between hosts: the same pair on one engine, and with its
    // client on a second engine of the swarm (VXLAN between the two engines' namespaces). Skipped, with the reason, where
    // no second engine can be had (README, "Across hosts").
    [DriverTheory(Driver.Overlay)]
    [Pairs(1)]
    [Placements(Placement.SameNode, Placement.AcrossNodes)]
    public Task Overlay_across_nodes(Driver driver, int pairs, Placement placement) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.Rtt, Metrics.CpuSecondsPerGb)
            .RunAsync();

    // Macvlan between two hosts: no encapsulation, the frames cross one L2 segment (here a veth between the two engines'
    // namespaces). Against the overlay cells above it shows what VXLAN itself costs across nodes.
    [DriverTheory(Driver.Macvlan)]
    [Pairs(1)]
    [Placements(Placement.SameNode, Placement.AcrossNodes)]
    public Task Macvlan_across_nodes(Driver driver, int pairs, Placement placement) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.Rtt, Metrics.CpuSecondsPerGb)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(1, 10)]
    [Protocols(Protocol.Tcp, Protocol.Udp)]
    [Trials(10)]
    [FullScale]
    public Task Tcp_vs_udp_full(Driver driver, int pairs, Protocol protocol) =>
        Experiment.ForCurrentCell()
            .Run(protocol == Protocol.Udp ? Workload.Iperf3Udp(2_000_000_000, Long) : Workload.Iperf3Tcp(Long))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            // Loss and jitter exist only for UDP; TCP's counterpart is its retransmissions.
            .Report(protocol == Protocol.Udp ? [Metrics.CpuSecondsPerGb, Metrics.UdpLoss, Metrics.UdpJitter] : [Metrics.CpuSecondsPerGb, Metrics.Retransmits])
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(1)]
    [MessageSizes(64, 128, 256, 512, 1024, 1400)]
    [Trials(10)]
    [FullScale]
    public Task Udp_packet_size_full(Driver driver, int pairs, int messageSize) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Udp(2_000_000_000, Long, messageSize))
            .Gate(Metrics.PacketsPerSecond, tolerance: 0.10)
            .Report(Metrics.AggregateThroughput, Metrics.UdpLoss, Metrics.UdpJitter)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.BridgeNat, Driver.Overlay, Driver.None, Driver.Container, Driver.Ipvlan)]
    [Pairs(1, 10)]
    [Trials(10)]
    [FullScale]
    public Task Nat_overlay_and_reference_drivers_full(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Long))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.Rtt, Metrics.CpuSecondsPerGb, Metrics.JainFairness)
            .RunAsync();
}
