namespace NetPerf.Scenarios;

/// <summary>
/// Boeira, Neves, Ferreto and Haque: single-node large-scale deployments on Bridge, Macvlan and Open vSwitch,
/// with Host as the reference. CI-scale cells use fewer pairs and shorter runs; the [FullScale] forms use
/// the study's pair counts (1 to 50) and run only when asked for (--explicit on).
/// </summary>
public sealed class LargeScale
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [DriverTheory(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(1, 2)]
    public Task Aggregate_throughput(Driver driver, int pairs) => Throughput(Short);

    [DriverTheory(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(1, 2, 5, 10, 20, 50)]
    [Trials(10)]
    [FullScale]
    public Task Aggregate_throughput_full(Driver driver, int pairs) => Throughput(Long);

    [DriverTheory(Driver.Bridge)]
    [Pairs(4)]
    public Task Fairness_at_largest_pair_count(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.JainFairness, tolerance: 0.10)
            .Report(Metrics.MaxMinRatio, Metrics.AggregateThroughput)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(50)]
    [Trials(10)]
    [FullScale]
    public Task Fairness_at_largest_pair_count_full(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Long))
            .Gate(Metrics.JainFairness, tolerance: 0.10)
            .Report(Metrics.MaxMinRatio, Metrics.AggregateThroughput)
            .RunAsync();

    [DriverTheory(Driver.Bridge)]
    [Pairs(3)]
    public Task Retransmissions_against_per_client_throughput(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(Short))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.Retransmits, Metrics.JainFairness)
            .RunAsync();

    [DriverTheory(Driver.Bridge, Driver.Ovs)]
    [Pairs(1, 5)]
    public Task Flow_completion_time_5MB(Driver driver, int pairs) => FlowCompletion();

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(10, 50)]
    [Trials(10)]
    [FullScale]
    public Task Flow_completion_time_5MB_full(Driver driver, int pairs) => FlowCompletion();

    [DriverTheory(Driver.Bridge)]
    [Pairs(5)]
    public Task Elephants_and_mice(Driver driver, int pairs) => ElephantsAndMice();

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(10, 50)]
    [Trials(10)]
    [FullScale]
    public Task Elephants_and_mice_full(Driver driver, int pairs) => ElephantsAndMice();

    [DriverTheory(Driver.Bridge)]
    [Pairs(2)]
    [Cores(1, 2)]
    public Task Container_to_core_ratio(Driver driver, int pairs, int cores) => Throughput(Short);

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(10)]
    [Cores(1, 2)]
    [Trials(10)]
    [FullScale]
    public Task Container_to_core_ratio_full(Driver driver, int pairs, int cores) => Throughput(Long);

    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    [CpuPinning(CpuPinning.None, CpuPinning.SameCore, CpuPinning.DifferentCores)]
    public Task Cpu_pinning(Driver driver, int pairs, CpuPinning pinning) => Throughput(Short);

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(1, 10)]
    [CpuPinning(CpuPinning.None, CpuPinning.SameCore, CpuPinning.DifferentCores)]
    [Trials(10)]
    [FullScale]
    public Task Cpu_pinning_full(Driver driver, int pairs, CpuPinning pinning) => Throughput(Long);

    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    [MessageSizes(64, 1024, 65000)]
    public Task Message_sizes(Driver driver, int pairs, int messageSize) => MessageSize(messageSize, TimeSpan.FromSeconds(1));

    [DriverTheory(Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(1)]
    [MessageSizes(64, 256, 1024, 4096, 16384, 32768, 65000)]
    [Trials(10)]
    [FullScale]
    public Task Message_sizes_full(Driver driver, int pairs, int messageSize) => MessageSize(messageSize, TimeSpan.FromSeconds(10));

    // Tolerances are what matters to a user; the spread between testbeds is the run-level check's job, and each cell
    // says how large a regression it can see (docs/calibration-runs.md).
    private static Task<CellRun> MessageSize(int messageSize, TimeSpan duration) =>
        Experiment.ForCurrentCell()
            .Run(Workload.SockperfThroughput(messageSize, duration))
            .Pin(CpuPinning.DifferentCores)
            .Gate(Metrics.MessagesPerSecond, tolerance: 0.15)
            .Report(Metrics.AggregateThroughput)
            .RunAsync();

    private static Task<CellRun> ElephantsAndMice() =>
        Experiment.ForCurrentCell()
            .Run(Workload.ElephantMice())
            .Gate(Metrics.MiceFctMedian, tolerance: 0.15)
            .Report(Metrics.ElephantFctMedian, Metrics.ElephantFctP99, Metrics.MiceFctP99)
            .RunAsync();

    private static Task<CellRun> Throughput(TimeSpan duration) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(duration))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
            .Report(Metrics.JainFairness, Metrics.MaxMinRatio, Metrics.Retransmits, Metrics.CpuSecondsPerGb, Metrics.HostCpuPercent, Metrics.StartSkew)
            .RunAsync();

    private static Task<CellRun> FlowCompletion() =>
        Experiment.ForCurrentCell()
            .Run(Workload.FixedSizeFlows(5_000_000))
            .Gate(Metrics.FctMedian, tolerance: 0.15)
            .Report(Metrics.FctP99, Metrics.StartSkew)
            .RunAsync();
}
