using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Drivers;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds.Drivers (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A network built by a driver for one testbed: how containers join it and how peers reach them.</summary>
public interface IDriverNetwork
{
    /// <summary>Facts that make results comparable or not (e.g. <c>ovs.datapath=netdev</c>, the subnet), recorded with results.</summary>
    IReadOnlyDictionary<string, string> Facts { get; }

    /// <summary>True when a pair's client runs in the server's own container (no second container).</summary>
    bool ClientIsServer => false;

    /// <summary>The first server port, when the driver must choose it (e.g. ports published on the host must not collide with other runs); null = the testbed's option.</summary>
    int? BasePort => null;

    /// <summary>Adds the driver's network settings to a container about to be created.</summary>
    ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot);

    /// <summary>Finishes attaching a started container (e.g. plugging a veth into OVS) and returns the address peers use to reach it.</summary>
    Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken);
}
