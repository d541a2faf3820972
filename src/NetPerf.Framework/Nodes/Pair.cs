// Author-facing, so in namespace NetPerf rather than NetPerf.Nodes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A client/server pair of containers.</summary>
/// <param name="Index">0-based pair number.</param>
/// <param name="Server">The container that listens.</param>
/// <param name="Client">The container that connects.</param>
/// <param name="Port">The TCP/UDP port this pair's server listens on (distinct per pair, so pairs can share a network namespace).</param>
public sealed record Pair(int Index, Node Server, Node Client, int Port)
{
    /// <summary>A stable flow name for reports, e.g. <c>pair-3</c>.</summary>
    public string FlowName => $"pair-{Index}";
}
