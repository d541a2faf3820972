namespace NetPerf.Workloads.Iperf3;

/// <summary>What one iperf3 client run reported (<c>-J --get-server-output</c>).</summary>
/// <param name="Version">The version string, e.g. <c>iperf 3.12</c>.</param>
/// <param name="Protocol"><c>TCP</c> or <c>UDP</c>.</param>
/// <param name="Streams">Parallel streams.</param>
/// <param name="SenderIntervals">The client's (sender's) intervals summed over streams, in seconds since the test started; warm-up intervals first, flagged omitted.</param>
/// <param name="ReceiverIntervals">The server's (receiver's) intervals on the same axis; empty when the server's JSON was not included.</param>
/// <param name="Totals">Whole-run totals after warm-up.</param>
internal sealed record Iperf3Report(string Version, string Protocol, int Streams, IReadOnlyList<FlowInterval> SenderIntervals, IReadOnlyList<FlowInterval> ReceiverIntervals, FlowTotals Totals)
{
    /// <summary>Bytes sent, warm-up included (for CPU per byte).</summary>
    public long BytesIncludingWarmUp => SenderIntervals.Sum(i => i.Bytes);
}
