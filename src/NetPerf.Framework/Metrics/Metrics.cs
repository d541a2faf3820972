// Author-facing, so in namespace NetPerf rather than NetPerf.Metrics (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The catalogue of metrics NetPerf's workloads report, each with its unit and direction.</summary>
/// <remarks>
/// Baselines and reports key on <see cref="Metric.Name"/>, so a name never changes once released.
/// Per-flow values use the same metric with <see cref="Measurement.Flow"/> set (e.g. <c>pair-3</c>).
/// </remarks>
public static class Metrics
{
    /// <summary>Sum of the per-flow rates over the window in which all flows overlap.</summary>
    public static readonly Metric AggregateThroughput = new("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter,
        "Sum of per-flow receive rates over the window in which all flows overlap");

    /// <summary>One flow's rate over the common window (per flow).</summary>
    public static readonly Metric FlowThroughput = new("flow_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter,
        "One flow's receive rate over the window in which all flows overlap");

    /// <summary>Jain's fairness index of the per-flow rates: 1 when all are equal, 1/n when one flow takes everything.</summary>
    public static readonly Metric JainFairness = new("jain_fairness", Unit.Ratio, Direction.HigherIsBetter,
        "Jain's fairness index of per-flow rates (1 = perfectly fair)");

    /// <summary>Fastest flow's rate divided by the slowest flow's rate.</summary>
    public static readonly Metric MaxMinRatio = new("max_min_ratio", Unit.Ratio, Direction.LowerIsBetter,
        "Fastest flow's rate divided by the slowest flow's rate");

    /// <summary>TCP retransmissions counted by the senders (after warm-up).</summary>
    public static readonly Metric Retransmits = new("retransmits", Unit.Count, Direction.LowerIsBetter,
        "TCP retransmissions counted by the senders after warm-up");

    /// <summary>Mean smoothed round-trip time the TCP senders saw.</summary>
    public static readonly Metric Rtt = new("rtt", Unit.Microseconds, Direction.LowerIsBetter,
        "Mean smoothed TCP round-trip time seen by the senders");

    /// <summary>Mean one-way latency (half the round trip) of ping-pong messages.</summary>
    public static readonly Metric LatencyAvg = new("latency_avg", Unit.Microseconds, Direction.LowerIsBetter,
        "Mean one-way latency (half round trip) of ping-pong messages");

    /// <summary>Median one-way latency.</summary>
    public static readonly Metric LatencyP50 = new("latency_p50", Unit.Microseconds, Direction.LowerIsBetter, "Median one-way latency");

    /// <summary>90th percentile of one-way latency.</summary>
    public static readonly Metric LatencyP90 = new("latency_p90", Unit.Microseconds, Direction.LowerIsBetter, "90th percentile one-way latency");

    /// <summary>99th percentile of one-way latency.</summary>
    public static readonly Metric LatencyP99 = new("latency_p99", Unit.Microseconds, Direction.LowerIsBetter, "99th percentile one-way latency");

    /// <summary>99.9th percentile of one-way latency.</summary>
    public static readonly Metric LatencyP999 = new("latency_p999", Unit.Microseconds, Direction.LowerIsBetter, "99.9th percentile one-way latency");

    /// <summary>Largest one-way latency observed.</summary>
    public static readonly Metric LatencyMax = new("latency_max", Unit.Microseconds, Direction.LowerIsBetter, "Largest one-way latency observed");

    /// <summary>One flow's completion time: from its sender's release to its receiver holding the last byte (per flow).</summary>
    public static readonly Metric FlowCompletionTime = new("fct", Unit.Milliseconds, Direction.LowerIsBetter,
        "Flow completion time, from the sender's release to the receiver holding the last byte");

    /// <summary>Median flow completion time over all flows of a run.</summary>
    public static readonly Metric FctMedian = new("fct_median", Unit.Milliseconds, Direction.LowerIsBetter, "Median flow completion time");

    /// <summary>99th percentile (nearest rank) flow completion time over all flows of a run.</summary>
    public static readonly Metric FctP99 = new("fct_p99", Unit.Milliseconds, Direction.LowerIsBetter, "99th percentile flow completion time (nearest rank)");

    /// <summary>Median completion time of the large flows of an elephant/mice run.</summary>
    public static readonly Metric ElephantFctMedian = new("elephant_fct_median", Unit.Milliseconds, Direction.LowerIsBetter, "Median completion time of elephant flows");

    /// <summary>99th percentile (nearest rank) completion time of the large flows of an elephant/mice run.</summary>
    public static readonly Metric ElephantFctP99 = new("elephant_fct_p99", Unit.Milliseconds, Direction.LowerIsBetter, "99th percentile completion time of elephant flows");

    /// <summary>Median completion time of the small flows of an elephant/mice run.</summary>
    public static readonly Metric MiceFctMedian = new("mice_fct_median", Unit.Milliseconds, Direction.LowerIsBetter, "Median completion time of mice flows");

    /// <summary>99th percentile (nearest rank) completion time of the small flows of an elephant/mice run.</summary>
    public static readonly Metric MiceFctP99 = new("mice_fct_p99", Unit.Milliseconds, Direction.LowerIsBetter, "99th percentile completion time of mice flows");

    /// <summary>UDP inter-arrival jitter measured by the receivers (RFC 3550), mean over flows.</summary>
    public static readonly Metric UdpJitter = new("udp_jitter", Unit.Milliseconds, Direction.LowerIsBetter, "UDP jitter measured by the receivers");

    /// <summary>UDP datagrams lost, as a percentage of those sent (after warm-up).</summary>
    public static readonly Metric UdpLoss = new("udp_loss", Unit.Percent, Direction.LowerIsBetter, "UDP datagrams lost, percent of those sent");

    /// <summary>Datagrams received per second over the common window, all flows together.</summary>
    public static readonly Metric PacketsPerSecond = new("packets_per_second", Unit.PacketsPerSecond, Direction.HigherIsBetter,
        "Datagrams received per second over the common window, all flows");

    /// <summary>Messages sent per second, all flows together.</summary>
    public static readonly Metric MessagesPerSecond = new("messages_per_second", Unit.MessagesPerSecond, Direction.HigherIsBetter,
        "Messages sent per second, all flows");

    /// <summary>HTTP requests completed per second by the load generator (wrk), all clients together.</summary>
    public static readonly Metric RequestsPerSecond = new("requests_per_second", Unit.RequestsPerSecond, Direction.HigherIsBetter,
        "HTTP requests completed per second, all clients");

    /// <summary>Median HTTP request latency as wrk measures it: from writing the request to reading the whole response.</summary>
    public static readonly Metric HttpLatencyP50 = new("http_latency_p50", Unit.Microseconds, Direction.LowerIsBetter,
        "Median HTTP request latency (request written to response read, as wrk measures it)");

    /// <summary>99th percentile HTTP request latency as wrk measures it.</summary>
    public static readonly Metric HttpLatencyP99 = new("http_latency_p99", Unit.Microseconds, Direction.LowerIsBetter,
        "99th percentile HTTP request latency (request written to response read, as wrk measures it)");

    /// <summary>CPU-seconds used by the testbed's containers per gigabyte (10^9 bytes) moved.</summary>
    public static readonly Metric CpuSecondsPerGb = new("cpu_seconds_per_gb", Unit.CpuSecondsPerGigabyte, Direction.LowerIsBetter,
        "CPU-seconds used by the testbed's containers per 10^9 bytes moved");

    /// <summary>Busy CPU of the whole host during the run, percent of all cores.</summary>
    public static readonly Metric HostCpuPercent = new("host_cpu_percent", Unit.Percent, Direction.LowerIsBetter,
        "Busy CPU of the whole host during the run, percent of all cores");

    /// <summary>CPU use of the sending process as the tool reports it (iperf3), percent of one core.</summary>
    public static readonly Metric SenderCpuPercent = new("sender_cpu_percent", Unit.Percent, Direction.LowerIsBetter,
        "CPU use of the sending process as iperf3 reports it");

    /// <summary>CPU use of the receiving process as the tool reports it (iperf3), percent of one core.</summary>
    public static readonly Metric ReceiverCpuPercent = new("receiver_cpu_percent", Unit.Percent, Direction.LowerIsBetter,
        "CPU use of the receiving process as iperf3 reports it");

    /// <summary>Time between the first and the last client leaving the start barrier.</summary>
    public static readonly Metric StartSkew = new("start_skew", Unit.Milliseconds, Direction.LowerIsBetter,
        "Time between the first and the last client leaving the start barrier");

    /// <summary>Length of the window in which all flows overlapped (after warm-up).</summary>
    public static readonly Metric MeasurementWindow = new("measurement_window", Unit.Seconds, Direction.HigherIsBetter,
        "Length of the window in which all flows overlapped, after warm-up");

    /// <summary>Mesh emulation: time from a node's start until its store held every record it should (aggregate: the slowest node; per node: its own).</summary>
    public static readonly Metric MeshExecutionTime = new("mesh_execution_time", Unit.Seconds, Direction.LowerIsBetter,
        "Time from a node's start until its store held every record (aggregate: slowest node)");

    /// <summary>Mesh emulation: how much longer than expected (records per node / rate) a node took, in percent of the expected time (aggregate: the largest over the nodes).</summary>
    public static readonly Metric MeshDeviation = new("mesh_deviation", Unit.Percent, Direction.LowerIsBetter,
        "Deviation of the execution time from the expected time, percent of the expected time (aggregate: largest over nodes)");

    /// <summary>Mesh emulation: the median over the nodes of <see cref="MeshDeviation"/>.</summary>
    public static readonly Metric MeshDeviationMedian = new("mesh_deviation_median", Unit.Percent, Direction.LowerIsBetter,
        "Median over the nodes of the deviation of the execution time from the expected time");
}
