using System.Globalization;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds.Drivers;

/// <summary>
/// A Docker macvlan network in bridge mode. Its parent is a veth pair the testbed creates and deletes
/// itself, so no traffic can reach a real NIC; a real NIC is used only when named explicitly
/// (<see cref="TestbedBuilder.WithMacvlanParent"/>).
/// </summary>
internal class MacvlanDriver : INetworkDriver
{
    /// <inheritdoc />
    public virtual string Name => nameof(Driver.Macvlan);

    /// <summary>The kernel link type and Docker driver name.</summary>
    protected virtual string LinkType => "macvlan";

    /// <summary>Driver options of the mode (bridge mode for macvlan).</summary>
    protected virtual (string Key, string Value) ModeOption => ("macvlan_mode", "bridge");

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe)
    {
        if (probe.CommonProblem is { } problem) return new(Name, false, problem);
        if (!probe.EngineIsLocal) return new(Name, false, $"the engine is remote, but {LinkType} needs a parent link the testbed creates on the engine's host; run NetPerf on that host");
        var (ok, detail) = LinkTool.ProbeLinkType(LinkType);
        return ok
            ? new(Name, true, $"{LinkType} ({ModeOption.Value} mode) on a veth created per testbed")
            : new(Name, false, $"the kernel cannot create {LinkType} links ('{detail}'); it needs CONFIG_{LinkType.ToUpperInvariant()} built in or loaded, which this machine lacks");
    }

    /// <inheritdoc />
    public async Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken)
    {
        var parent = context.Options.MacvlanParent;
        if (parent is null)
        {
            parent = $"{context.LinkPrefix}ma";
            var peer = $"{context.LinkPrefix}mb";
            await LinkTool.CreateVethPairAsync(parent, peer, context.Options.Mtu, cancellationToken).ConfigureAwait(false);
            var created = parent;
            context.Track($"veth '{created}'", () => LinkTool.DeleteAsync(created));
        }
        var subnet = await context.ReserveSubnetAsync(cancellationToken).ConfigureAwait(false);
        var builder = new NetworkBuilder().WithName(context.NamePrefix).WithDriver(LinkType)
            .WithSubnet(subnet.Cidr, subnet.Gateway)
            .WithOption("parent", parent)
            .WithOption(ModeOption.Key, ModeOption.Value);
        if (context.Options.Mtu is { } mtu) builder = builder.WithOption("com.docker.network.driver.mtu", mtu.ToString(CultureInfo.InvariantCulture));
        return await EngineNetwork.CreateAsync(context, builder, subnet, cancellationToken,
            new Dictionary<string, string> { [$"{LinkType}.parent"] = context.Options.MacvlanParent is null ? "veth (testbed-owned)" : parent }).ConfigureAwait(false);
    }
}
