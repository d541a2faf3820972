namespace NetPerf.Workloads.Sockperf;

/// <summary>The latency summary sockperf ping-pong prints; every latency is one-way (half the round trip), in microseconds.</summary>
/// <param name="Version">sockperf's version, e.g. <c>3.7-no.git</c>.</param>
/// <param name="Observations">Round trips measured after sockperf's own warm-up.</param>
/// <param name="ValidSeconds">Seconds the observations cover.</param>
/// <param name="Average">Mean latency.</param>
/// <param name="StdDev">Standard deviation.</param>
/// <param name="Min">Smallest latency.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Largest latency.</param>
internal sealed record SockperfLatencySummary(string Version, long Observations, double ValidSeconds, double Average, double StdDev, double Min, double P50, double P90, double P99, double P999, double Max);
