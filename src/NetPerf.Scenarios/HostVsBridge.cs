namespace NetPerf.Scenarios;

/// <summary>
/// Ramos and Maciel: Docker host vs bridge networking. iperf3 TCP client/server (bitrate, RTT, per-interval
/// variables with a descriptive summary per variable) and sockperf TCP ping-pong with 350-byte messages.
/// </summary>
public sealed class HostVsBridge
{
    [DriverTheory(Driver.Host, Driver.Bridge)]
    [Pairs(1)]
    public Task Tcp_bitrate(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.Rtt, Metrics.Retransmits, Metrics.CpuSecondsPerGb)
            .RunAsync();

    [DriverTheory(Driver.Host, Driver.Bridge)]
    [Pairs(1)]
    public Task Tcp_latency_350_bytes(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.SockperfPingPong(350, TimeSpan.FromSeconds(1)))
            .Pin(CpuPinning.DifferentCores)
            // The run-level check, not a wide tolerance, absorbs how much p50 moves between testbeds (docs/calibration-runs.md).
            .Gate(Metrics.LatencyP50, tolerance: 0.20)
            .Report(Metrics.LatencyAvg, Metrics.LatencyP90, Metrics.LatencyP99, Metrics.LatencyP999, Metrics.LatencyMax)
            .RunAsync();

    [DriverTheory(Driver.Host, Driver.Bridge)]
    [Pairs(1)]
    [Trials(30)]
    [FullScale]
    public Task Tcp_bitrate_full(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(TimeSpan.FromSeconds(30)))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.05)
            .Report(Metrics.Rtt, Metrics.Retransmits, Metrics.CpuSecondsPerGb)
            .RunAsync();

    [DriverTheory(Driver.Host, Driver.Bridge)]
    [Pairs(1)]
    [Trials(30)]
    [FullScale]
    public Task Tcp_latency_350_bytes_full(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.SockperfPingPong(350, TimeSpan.FromSeconds(30)))
            .Pin(CpuPinning.DifferentCores)
            .Gate(Metrics.LatencyP50, tolerance: 0.05)
            .Gate(Metrics.LatencyP99, tolerance: 0.10)
            .Report(Metrics.LatencyAvg, Metrics.LatencyP90, Metrics.LatencyP999, Metrics.LatencyMax)
            .RunAsync();

    /// <summary>The bridge's bitrate as a fraction of host networking measured in the same trials: a baseline that survives a change of machine.</summary>
    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    public Task Bridge_bitrate_relative_to_host(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)))
            .RelativeTo(Driver.Host)
            .Gate(Metrics.AggregateThroughput.RelativeTo("Host"), tolerance: 0.10)
            .Report(Metrics.AggregateThroughput, Metrics.Rtt.RelativeTo("Host"))
            .RunAsync();
}
