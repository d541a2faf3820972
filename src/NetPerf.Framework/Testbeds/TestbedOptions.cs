using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Everything that defines a testbed. Build with <see cref="TestbedBuilder"/>.</summary>
/// <param name="Driver">The network driver (a built-in one, as <c>TestbedBuilder.WithDriver(Driver.Bridge)</c> picks, or one of your own).</param>
/// <param name="Pairs">Number of client/server pairs (2 x Pairs containers, except drivers where client and server share a container).</param>
/// <param name="Image">The tools image reference.</param>
/// <param name="Cpuset">Chooses the cpuset (e.g. <c>"0"</c>, <c>"0,1"</c>) of each container; <see langword="null"/> result = no pinning.</param>
/// <param name="CpusPerContainer">CPU quota per container in cores (e.g. 0.5), or <see langword="null"/> for none.</param>
/// <param name="Mtu">The MTU of the containers' interfaces, or <see langword="null"/> for the driver's default.</param>
/// <param name="MacvlanParent">A real NIC to parent macvlan/ipvlan on; <see langword="null"/> (the default) makes the testbed create its own veth.</param>
/// <param name="BasePort">Pair i's server listens on BasePort + i.</param>
/// <param name="Parallelism">At most this many engine calls at once while provisioning and tearing down.</param>
/// <param name="Servers">Your own container for every pair's server, or <see langword="null"/> for the tools image.</param>
/// <param name="Clients">Your own container for every pair's client, or <see langword="null"/> for the tools image.</param>
/// <param name="Placement">Whether each pair's server and client run on one engine or on two nodes of a swarm (see <see cref="NetPerf.Placement"/>).</param>
public sealed record TestbedOptions(
    INetworkDriver Driver,
    int Pairs,
    string Image,
    Func<NodeSlot, string?>? Cpuset = null,
    double? CpusPerContainer = null,
    int? Mtu = null,
    string? MacvlanParent = null,
    int BasePort = 5201,
    int Parallelism = 16,
    OwnContainer? Servers = null,
    OwnContainer? Clients = null,
    Placement Placement = Placement.SameNode)
{
    /// <summary>Memory limit of every container in bytes, or <see langword="null"/> for none (internal until a scenario needs it).</summary>
    internal long? MemoryPerContainerBytes { get; init; }
}
