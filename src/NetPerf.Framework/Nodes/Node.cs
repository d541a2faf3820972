// Author-facing, so in namespace NetPerf rather than NetPerf.Nodes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A container of a testbed, as a workload sees it.</summary>
/// <param name="Name">The container name, used in messages.</param>
/// <param name="Id">The engine's container id.</param>
/// <param name="Address">The IPv4 address other nodes of the testbed reach it at.</param>
public sealed record Node(string Name, string Id, string Address)
{
    /// <inheritdoc />
    public override string ToString() => $"'{Name}' ({Address})";
}
