using NetPerf.Baselines;

namespace NetPerf.Tests.Baselines;

/// <summary>Baseline files built in code for the baseline tests.</summary>
internal static class SampleBaselines
{
    public static readonly Metric Throughput = new("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter);
    public static readonly Metric Latency = new("rtt_p50", Unit.Microseconds, Direction.LowerIsBetter);

    public static EnvironmentFingerprint Fingerprint() => new()
    {
        Cores = 2,
        CpuModel = "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz",
        Kernel = "6.1.0-18-amd64",
        EngineVersion = "20.10.24",
        OvsVersion = "3.1.0",
        OvsDatapath = "netdev",
        ImageId = "sha256:0123abcd",
        ToolVersions = new Dictionary<string, string> { ["sockperf"] = "3.7", ["iperf3"] = "3.12" },
        Offloads = new Dictionary<string, string> { ["tso"] = "off", ["gso"] = "off" },
    };

    /// <summary>A baseline of one run of the sample cell (see <see cref="Run"/> for the parameters).</summary>
    public static BaselineFile File(string cell = "Tcp_throughput/driver=Bridge/pairs=10", double scale = 1, int hoursLater = 0, string? runId = "r0001")
    {
        var fingerprint = Fingerprint();
        return BaselineFile.ForRun("ThroughputScenarios", cell, fingerprint.TestbedName, Run(scale, hoursLater, runId));
    }

    /// <summary>One run of the sample cell; <paramref name="hoursLater"/> moves its time and <paramref name="runId"/> names its job run.</summary>
    public static BaselineRun Run(double scale = 1, int hoursLater = 0, string? runId = "r0001") => new()
    {
        Fingerprint = Fingerprint(),
        RecordedAt = new DateTimeOffset(2025, 1, 31, 13, 0, 5, 123, TimeSpan.FromHours(1)).AddHours(hoursLater),
        Commit = "0123456789abcdef",
        RunId = runId,
        Origin = "record",
        Machine = "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz, 2 cores, 24 GiB, kernel 6.1.0-18-amd64",
        // Latency first: the writer must sort keys whatever the insertion order.
        Metrics = new Dictionary<string, BaselineMetric>
        {
            [Latency.Name] = BaselineMetric.Create(Latency, [35.123456, 36.2, 34.9, 35.5], tolerance: null),
            [Throughput.Name] = BaselineMetric.Create(Throughput, [17.23456 * scale, 16.9 * scale, 17.4 * scale, 17.1 * scale, 16.95 * scale], tolerance: 0.05),
        },
    };
}
