using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Which container a driver is configuring: its role, its pair, and (for clients) the server's container id.</summary>
/// <param name="Role">Server or client.</param>
/// <param name="PairIndex">0-based pair number.</param>
/// <param name="ServerContainerId">For clients: the id of the pair's server container (drivers that share its namespace need it).</param>
public sealed record NodeSlot(NodeRole Role, int PairIndex, string? ServerContainerId = null)
{
    /// <summary>Short form used in names: <c>s3</c>, <c>c3</c>.</summary>
    public string Short => $"{(Role == NodeRole.Server ? 's' : 'c')}{PairIndex}";
}
