using NetPerf.Testbeds.Engine;

namespace NetPerf.Testbeds.Drivers;

/// <summary>A swarm-scoped attachable overlay network (VXLAN), the path to multi-host testbeds on an existing swarm.</summary>
internal sealed class OverlayDriver : INetworkDriver
{
    /// <inheritdoc />
    public string Name => nameof(Driver.Overlay);

    /// <inheritdoc />
    public bool SpansEngines => true;

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe)
    {
        if (probe.CommonProblem is { } problem) return new(Name, false, problem);
        return probe.Engine is { SwarmActive: true }
            ? new(Name, true, "attachable overlay network on the engine's swarm")
            : new(Name, false, "the engine is not a swarm node; run 'docker swarm init --advertise-addr 127.0.0.1' (scripts/setup.sh does this unless NETPERF_SKIP_SWARM is set)");
    }

    /// <inheritdoc />
    public async Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken)
    {
        var subnet = await context.ReserveSubnetAsync(cancellationToken).ConfigureAwait(false);
        var builder = new NetworkBuilder().WithName(context.NamePrefix).WithDriver("overlay").WithSubnet(subnet.Cidr, subnet.Gateway).WithAttachable();
        return await EngineNetwork.CreateAsync(context, builder, subnet, cancellationToken, fixedAddresses: false).ConfigureAwait(false);
    }
}
