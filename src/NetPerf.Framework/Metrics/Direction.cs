// Author-facing, so in namespace NetPerf rather than NetPerf.Metrics (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Which way a metric improves.</summary>
public enum Direction
{
    /// <summary>Larger values are better (throughput, fairness).</summary>
    HigherIsBetter,

    /// <summary>Smaller values are better (latency, flow completion time, retransmissions).</summary>
    LowerIsBetter,
}
