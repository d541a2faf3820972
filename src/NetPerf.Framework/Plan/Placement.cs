// Author-facing, so in namespace NetPerf rather than NetPerf.Plan (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Where the client and server container of each pair run: on one engine, or on two engines (nodes) of a swarm.</summary>
/// <remarks>
/// An axis of the experiment plan: <c>[Placements(Placement.SameNode, Placement.AcrossNodes)]</c> with a
/// <c>Placement placement</c> parameter. Across nodes, servers run on the main engine and clients on the second node: the
/// engine named by <c>NETPERF_SECOND_NODE</c>, or a second engine NetPerf starts on this machine in its own network
/// namespace. Only drivers whose networks span engines can place pairs across nodes: Overlay (VXLAN), and Macvlan when the
/// second engine runs on this machine (a veth segment between the two engines).
/// </remarks>
public enum Placement
{
    /// <summary>Server and client on the same engine (the default).</summary>
    SameNode,

    /// <summary>Server on the main engine, client on the second node.</summary>
    AcrossNodes,
}
