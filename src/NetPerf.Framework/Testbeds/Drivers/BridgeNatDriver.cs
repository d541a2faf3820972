using NetPerf.Testbeds.Engine;

namespace NetPerf.Testbeds.Drivers;

/// <summary>
/// A user-defined bridge where each server publishes its port on the bridge's gateway address and clients
/// connect to that published port (NAT through the engine's port publishing) instead of the server's own
/// address. Compare with <see cref="BridgeDriver"/> for the cost of NAT.
/// </summary>
/// <remarks>
/// Ports are published on the gateway address only (never on all interfaces), at 20000 + 128 x (third
/// octet of the testbed's subnet) + pair, so concurrent runs, whose subnets differ, never collide.
/// </remarks>
internal sealed class BridgeNatDriver : INetworkDriver
{
    /// <inheritdoc />
    public string Name => nameof(Driver.BridgeNat);

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe) => probe.CommonProblem is { } problem
        ? new(Name, false, problem)
        : new(Name, true, "bridge network; clients reach servers through ports published on the gateway (NAT / userland proxy)");

    /// <inheritdoc />
    public async Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken)
    {
        var subnet = await context.ReserveSubnetAsync(cancellationToken).ConfigureAwait(false);
        var builder = new NetworkBuilder().WithName(context.NamePrefix).WithDriver("bridge").WithSubnet(subnet.Cidr, subnet.Gateway);
        var inner = await EngineNetwork.CreateAsync(context, builder, subnet, cancellationToken,
            new Dictionary<string, string> { ["nat"] = "published ports on the gateway" }).ConfigureAwait(false);
        return new Network(inner, subnet, 20000 + (128 * subnet.ThirdOctet));
    }

    private sealed class Network(IDriverNetwork inner, SubnetLease subnet, int basePort) : IDriverNetwork
    {
        public IReadOnlyDictionary<string, string> Facts => inner.Facts;

        public int? BasePort => basePort;

        public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot)
        {
            container = inner.Configure(container, slot);
            return slot.Role == NodeRole.Server ? container.WithPublishedPort(subnet.Gateway, basePort + slot.PairIndex) : container;
        }

        public async Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken)
        {
            var own = await inner.ConnectAsync(container, slot, cancellationToken).ConfigureAwait(false);
            // Peers reach a server only through its published port on the gateway.
            return slot.Role == NodeRole.Server ? subnet.Gateway : own;
        }
    }
}
