// Author-facing, so in namespace NetPerf rather than NetPerf.Plan (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The transport protocol a workload measures.</summary>
/// <remarks>An axis of the experiment plan: list the values with <c>[Protocols(Protocol.Tcp, Protocol.Udp)]</c> and take a <c>Protocol protocol</c> parameter.</remarks>
public enum Protocol
{
    /// <summary>TCP streams.</summary>
    Tcp,

    /// <summary>UDP datagrams.</summary>
    Udp,
}
