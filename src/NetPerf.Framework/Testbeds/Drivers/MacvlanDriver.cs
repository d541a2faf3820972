using System.Globalization;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds.Drivers;

/// <summary>
/// A Docker macvlan network in bridge mode. Its parent is a veth pair the testbed creates and deletes
/// itself, so no traffic can reach a real NIC; a real NIC is used only when named explicitly
/// (<see cref="TestbedBuilder.WithMacvlanParent"/>).
/// </summary>
/// <remarks>
/// Across nodes (<see cref="Placement.AcrossNodes"/>, with the second engine on this machine) the veth pair joins the two
/// engines' network namespaces: one end stays in the root namespace as the parent of the main engine's macvlan network,
/// the other moves into the second engine's namespace as the parent of a network of the same name and subnet there. The
/// frames between a pair cross that veth, with no encapsulation: the two-host macvlan setup of the studies, on one machine.
/// </remarks>
internal class MacvlanDriver : INetworkDriver
{
    /// <inheritdoc />
    public virtual string Name => nameof(Driver.Macvlan);

    /// <summary>The kernel link type and Docker driver name.</summary>
    protected virtual string LinkType => "macvlan";

    /// <summary>Driver options of the mode (bridge mode for macvlan).</summary>
    protected virtual (string Key, string Value) ModeOption => ("macvlan_mode", "bridge");

    /// <inheritdoc />
    public virtual bool SpansEngines => true;

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
        var second = context.Options.Placement == Placement.AcrossNodes ? context.SecondNode : null;
        if (second is { Namespace: null })
            throw new DriverUnavailableException(new DriverAvailability(Name, false,
                $"{LinkType} across nodes needs both engines on this machine (a veth between their namespaces); the second node is a remote engine ({Cluster.SecondNode.Variable}), whose hosts would need a shared L2 segment NetPerf cannot create"));
        var parent = context.Options.MacvlanParent;
        string? peer = null;
        if (parent is not null)
        {
            await RequireExistingLinkAsync(parent, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            parent = $"{context.LinkPrefix}ma";
            peer = $"{context.LinkPrefix}mb";
            await LinkTool.CreateVethPairAsync(parent, peer, context.Options.Mtu, cancellationToken).ConfigureAwait(false);
            var created = parent;
            context.Track($"veth '{created}'", () => LinkTool.DeleteAsync(created));
            if (second is { Namespace: { } ns })
                await LinkTool.MoveToNamespaceAsync(peer, ns, cancellationToken).ConfigureAwait(false);
        }
        var subnet = await context.ReserveSubnetAsync(cancellationToken).ConfigureAwait(false);
        var facts = new Dictionary<string, string> { [$"{LinkType}.parent"] = context.Options.MacvlanParent is null ? "veth (testbed-owned)" : parent };
        if (second is not null)
        {
            // The second engine's network: same name and subnet, on the other end of the veth; its clients keep fixed addresses
            // apart from the servers', so the two engines' IPAMs never hand out the same address.
            await EngineNetwork.CreateAsync(context, Describe(context, peer!, subnet), subnet, cancellationToken, engine: second.Engine).ConfigureAwait(false);
            facts[$"{LinkType}.segment"] = "veth between the two engines' namespaces";
        }
        return await EngineNetwork.CreateAsync(context, Describe(context, parent, subnet), subnet, cancellationToken, facts).ConfigureAwait(false);
    }

    /// <summary>
    /// A parent named with <see cref="TestbedBuilder.WithMacvlanParent"/> must be a link that exists: NetPerf never creates
    /// or deletes the user's link, and Docker 20.10, given a name it cannot find, answers "invalid subinterface vlan name
    /// ..., example formatting is eth0.10" or, for a name with a dot (<c>eth0.10</c>), creates a VLAN link on the link before
    /// the dot (seen here: it tried, and failed only because this kernel has no 802.1Q support).
    /// </summary>
    /// <exception cref="ArgumentException">No link of that name exists on this machine.</exception>
    private async Task RequireExistingLinkAsync(string parent, CancellationToken cancellationToken)
    {
        var link = await HostCommand.RunAsync("ip", ["-o", "link", "show", "dev", parent], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (link.Succeeded) return;
        throw new ArgumentException(
            $"The {LinkType} parent '{parent}' named with WithMacvlanParent is not a link on this machine ('ip link show dev {parent}' says: {link.Stderr.Trim()}). "
            + $"Name an existing link (list them with 'ip -br link'), or leave WithMacvlanParent out and the testbed creates a veth of its own for the {LinkType} network. "
            + "NetPerf does not create a link it is told to use.");
    }

    private NetworkBuilder Describe(TestbedContext context, string parent, SubnetLease subnet)
    {
        var builder = new NetworkBuilder().WithName(context.NamePrefix).WithDriver(LinkType)
            .WithSubnet(subnet.Cidr, subnet.Gateway)
            .WithOption("parent", parent)
            .WithOption(ModeOption.Key, ModeOption.Value);
        if (context.Options.Mtu is { } mtu) builder = builder.WithOption("com.docker.network.driver.mtu", mtu.ToString(CultureInfo.InvariantCulture));
        return builder;
    }
}
