namespace NetPerf.Workloads.Iperf2;

/// <summary>What one iperf2 client run reported (<c>-y C</c>).</summary>
/// <param name="Streams">Parallel streams seen in the output.</param>
/// <param name="Intervals">Intervals summed over streams, in seconds since the test started.</param>
/// <param name="TotalBytes">Bytes sent over the whole run, all streams.</param>
/// <param name="TotalSeconds">The longest stream's whole-run duration, in seconds.</param>
internal sealed record Iperf2Report(int Streams, IReadOnlyList<FlowInterval> Intervals, long TotalBytes, double TotalSeconds);
