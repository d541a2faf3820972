// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The container network a testbed is built on.</summary>
public enum Driver
{
    /// <summary>No network isolation: <c>--network host</c>; each pair uses its own ports on loopback.</summary>
    Host,

    /// <summary>A user-defined Docker bridge network (veth pairs on a Linux bridge, NAT to the outside).</summary>
    Bridge,

    /// <summary>A Docker macvlan network in bridge mode, parented on a veth the testbed creates.</summary>
    Macvlan,

    /// <summary>An Open vSwitch bridge; containers start with no network and get a veth plugged into it.</summary>
    Ovs,

    /// <summary>A swarm-scoped attachable overlay network (VXLAN) on a single-node swarm.</summary>
    Overlay,

    /// <summary>No network: client and server share one container's loopback (the reference without any driver).</summary>
    None,

    /// <summary>Shared network namespace ("pod"): the client joins the server's namespace with <c>--network container:</c>.</summary>
    Container,

    /// <summary>A Docker ipvlan network (L2), parented on a veth the testbed creates; needs the kernel's ipvlan.</summary>
    Ipvlan,

    /// <summary>A user-defined bridge where clients reach servers through a published port on the bridge's gateway (NAT), not the server's own address.</summary>
    BridgeNat,
}
