// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The workloads a scenario can run, with their usual settings.</summary>
/// <remarks>
/// Each method returns an immutable record; adjust it with <c>with</c>, e.g.
/// <c>Workload.Iperf3Tcp() with { BitRateBitsPerSecond = 5_000_000_000 }</c>.
/// </remarks>
public static class Workload
{
    /// <summary>
    /// The environment variable that caps the duration of every workload made here, in seconds (e.g. <c>3</c>): a quick
    /// check that the long full-scale forms work end to end, not a measurement to keep (record it into a scratch baselines
    /// folder). Unset, durations are what the scenario says.
    /// </summary>
    public const string MaxDurationVariable = "NETPERF_MAX_DURATION";

    /// <summary>iperf3 TCP bulk transfer: aggregate throughput, fairness, retransmits, RTT.</summary>
    /// <param name="duration">Measured seconds after warm-up; default 10 s.</param>
    /// <param name="parallelStreams">Streams per pair.</param>
    /// <param name="bitRateBitsPerSecond">Rate cap per stream in bit/s, or null for none.</param>
    public static Iperf3Workload Iperf3Tcp(TimeSpan? duration = null, int parallelStreams = 1, long? bitRateBitsPerSecond = null) =>
        new() { Duration = Capped(duration ?? TimeSpan.FromSeconds(10)), ParallelStreams = parallelStreams, BitRateBitsPerSecond = bitRateBitsPerSecond };

    /// <summary>iperf3 UDP at a given rate: throughput, jitter, loss, packets per second.</summary>
    /// <param name="bitRateBitsPerSecond">Offered rate per stream in bit/s (UDP has no congestion control; iperf3 would default to 1 Mbit/s).</param>
    /// <param name="duration">Measured seconds after warm-up; default 10 s.</param>
    /// <param name="datagramBytes">Datagram payload size; default 1400 bytes (fits a 1500-byte MTU).</param>
    public static Iperf3Workload Iperf3Udp(long bitRateBitsPerSecond = 1_000_000_000, TimeSpan? duration = null, int datagramBytes = 1400) =>
        new() { Udp = true, BitRateBitsPerSecond = bitRateBitsPerSecond, Duration = Capped(duration ?? TimeSpan.FromSeconds(10)), MessageLengthBytes = datagramBytes };

    /// <summary>iperf 2 TCP bulk transfer (a second, independent implementation to cross-check iperf3).</summary>
    /// <param name="duration">Total seconds including 1 s of warm-up; default 11 s.</param>
    /// <param name="parallelStreams">Streams per pair.</param>
    public static Iperf2Workload Iperf2Tcp(TimeSpan? duration = null, int parallelStreams = 1) =>
        new() { Duration = Capped(duration ?? TimeSpan.FromSeconds(11)), ParallelStreams = parallelStreams };

    /// <summary>sockperf TCP ping-pong latency: average and percentiles in microseconds.</summary>
    /// <param name="messageSizeBytes">Message size; default 350 bytes.</param>
    /// <param name="duration">Seconds; default 10 s.</param>
    public static SockperfPingPongWorkload SockperfPingPong(int messageSizeBytes = 350, TimeSpan? duration = null) =>
        new() { MessageSizeBytes = messageSizeBytes, Duration = Capped(duration ?? TimeSpan.FromSeconds(10)) };

    /// <summary>sockperf TCP throughput at a message size: messages per second and Gbit/s.</summary>
    /// <param name="messageSizeBytes">Message size; default 1400 bytes.</param>
    /// <param name="duration">Seconds; default 10 s.</param>
    public static SockperfThroughputWorkload SockperfThroughput(int messageSizeBytes = 1400, TimeSpan? duration = null) =>
        new() { MessageSizeBytes = messageSizeBytes, Duration = Capped(duration ?? TimeSpan.FromSeconds(10)) };

    /// <summary>HTTP load with wrk against each pair's own server container: requests per second and latency percentiles.</summary>
    /// <param name="duration">Seconds each client loads its server (whole seconds); default 3 s.</param>
    /// <param name="connections">Connections each client keeps open; default 10.</param>
    /// <param name="path">The path requested; default <c>/1k.bin</c> (1 KiB) of <see cref="HttpImage"/>.</param>
    /// <remarks>
    /// The servers and clients are your own containers, e.g. <see cref="HttpImage"/>: the server serves on the pair's
    /// port, the client has wrk (see <see cref="WrkWorkload"/>).
    /// </remarks>
    public static WrkWorkload Wrk(TimeSpan? duration = null, int connections = 10, string path = "/1k.bin") =>
        new() { Duration = Capped(duration ?? TimeSpan.FromSeconds(3)), Connections = connections, Path = path };

    /// <summary>One fixed-size netcat flow per pair, started together: flow completion times.</summary>
    /// <param name="flowSizeBytes">Bytes per flow; default 5 MB.</param>
    public static FixedSizeFlowsWorkload FixedSizeFlows(long flowSizeBytes = 5_000_000) => new() { FlowSizeBytes = flowSizeBytes };

    /// <summary>Elephants and mice: a seeded fraction of pairs send large flows, the rest small ones; FCT per class.</summary>
    /// <param name="elephantFraction">Fraction of pairs sending elephants; default 0.2.</param>
    /// <param name="elephantBytes">Elephant size; default 50 MB.</param>
    /// <param name="mouseBytes">Mouse size; default 5 MB.</param>
    /// <param name="seed">Seed of the draw.</param>
    public static ElephantMiceWorkload ElephantMice(double elephantFraction = 0.2, long elephantBytes = 50_000_000, long mouseBytes = 5_000_000, int seed = 42) =>
        new() { ElephantFraction = elephantFraction, ElephantBytes = elephantBytes, MouseBytes = mouseBytes, Seed = seed };

    /// <summary>Mesh emulation (Anjos and Morais): every node generates records at a rate, applies them and sends them in batches to every other node; deviation of the execution time from the expected time.</summary>
    /// <param name="recordsPerMinute">Records each node generates per minute (D); default 600.</param>
    /// <param name="duration">Emulated duration, which sets the records per node (D x minutes, at least 1); default 10 s.</param>
    /// <param name="batchSize">Records per batch sent to every peer (AG); default 10.</param>
    /// <param name="recordSizeBytes">Bytes per record; default 256.</param>
    /// <param name="communicate">False for the baseline mode without communication.</param>
    /// <remarks>The nodes are the server containers of the testbed's pairs; see <see cref="MeshWorkload"/>.</remarks>
    public static MeshWorkload Mesh(int recordsPerMinute = 600, TimeSpan? duration = null, int batchSize = 10, int recordSizeBytes = 256, bool communicate = true) =>
        new()
        {
            RecordsPerMinute = recordsPerMinute,
            RecordsPerNode = Math.Max(1, (int)Math.Round(recordsPerMinute * Capped(duration ?? TimeSpan.FromSeconds(10)).TotalMinutes)),
            BatchSize = batchSize,
            RecordSizeBytes = recordSizeBytes,
            Communicate = communicate,
        };

    private static TimeSpan Capped(TimeSpan duration) => Cap(duration, Environment.GetEnvironmentVariable(MaxDurationVariable));

    /// <summary>The shorter of <paramref name="duration"/> and the cap in <paramref name="setting"/> (seconds); the duration itself when unset.</summary>
    /// <exception cref="ArgumentException">The setting is not a positive number of seconds.</exception>
    internal static TimeSpan Cap(TimeSpan duration, string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
            return duration;
        if (!double.TryParse(setting, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0) || double.IsInfinity(seconds))
            throw new ArgumentException($"{MaxDurationVariable}='{setting}' is not a positive number of seconds; set it like {MaxDurationVariable}=3 or unset it.");
        var cap = TimeSpan.FromSeconds(seconds);
        return duration < cap ? duration : cap;
    }
}
