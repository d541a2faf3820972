using NetPerf.Testbeds.Engine;

namespace NetPerf.Testbeds.Drivers;

/// <summary>A user-defined Docker bridge network on a subnet no other run on this host uses.</summary>
internal sealed class BridgeDriver : INetworkDriver
{
    /// <inheritdoc />
    public string Name => nameof(Driver.Bridge);

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe) => probe.CommonProblem is { } problem
        ? new(Name, false, problem)
        : new(Name, true, "user-defined bridge network (veth pairs on a Linux bridge)");

    /// <inheritdoc />
    public async Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken)
    {
        var subnet = await context.ReserveSubnetAsync(cancellationToken).ConfigureAwait(false);
        var builder = new NetworkBuilder().WithName(context.NamePrefix).WithDriver("bridge").WithSubnet(subnet.Cidr, subnet.Gateway);
        if (context.Options.Mtu is { } mtu) builder = builder.WithOption("com.docker.network.driver.mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await EngineNetwork.CreateAsync(context, builder, subnet, cancellationToken).ConfigureAwait(false);
    }
}
