// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Results (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>What one flow (one pair) did during a run.</summary>
/// <param name="Name">The flow name, e.g. <c>pair-3</c> (<see cref="Pair.FlowName"/>).</param>
/// <param name="Client">The container that sent (or pinged).</param>
/// <param name="Server">The container that received (or answered).</param>
public sealed record FlowResult(string Name, Node Client, Node Server)
{
    /// <summary>When the client left the start barrier, in seconds on the run timeline (0 = first client released).</summary>
    public double ReleasedAt { get; init; }

    /// <summary>Sender-side intervals on the run timeline, warm-up intervals included and flagged; empty when the tool gives none.</summary>
    public IReadOnlyList<FlowInterval> Intervals { get; init; } = [];

    /// <summary>Receiver-side intervals on the run timeline; empty when the tool gives none.</summary>
    public IReadOnlyList<FlowInterval> ReceiverIntervals { get; init; } = [];

    /// <summary>The series throughput is computed from: the receiver's when known (what arrived), else the sender's.</summary>
    public IReadOnlyList<FlowInterval> ThroughputSeries => ReceiverIntervals.Count > 0 ? ReceiverIntervals : Intervals;

    /// <summary>The tool's whole-run totals.</summary>
    public FlowTotals Totals { get; init; } = new();

    /// <summary>This flow's measurements (each with <see cref="Measurement.Flow"/> = <see cref="Name"/>).</summary>
    public IReadOnlyList<Measurement> Measurements { get; init; } = [];
}
