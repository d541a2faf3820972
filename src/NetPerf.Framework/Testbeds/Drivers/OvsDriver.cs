using System.Globalization;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds.Drivers;

/// <summary>
/// An Open vSwitch bridge per testbed. Docker has no OVS driver, so containers start with
/// <c>--network none</c> and get a veth whose peer is an OVS port (as the <c>ovs-docker</c> script does).
/// </summary>
/// <remarks>
/// The kernel datapath is used where the openvswitch module exists, else the userspace (netdev)
/// datapath, with TX checksum and segmentation offloads turned off on both veth ends: without that,
/// TCP over veth ports hangs. The datapath is recorded in the testbed's facts; results of the two are
/// not comparable.
/// </remarks>
internal sealed class OvsDriver : INetworkDriver
{
    /// <inheritdoc />
    public string Name => nameof(Driver.Ovs);

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe)
    {
        if (probe.CommonProblem is { } problem) return new(Name, false, problem);
        if (!probe.Ovs.Installed) return new(Name, false, "Open vSwitch is not installed (no 'ovs-vsctl'); run scripts/setup.sh or 'apt-get install openvswitch-switch'");
        if (!probe.Ovs.Running) return new(Name, false, "Open vSwitch is installed but not running ('ovs-vsctl show' gets no answer from ovsdb-server); run scripts/setup.sh or '/usr/share/openvswitch/scripts/ovs-ctl start'");
        if (!probe.EngineIsLocal) return new(Name, false, "the engine is remote, but OVS ports are plugged into containers' namespaces on this host; run NetPerf on the engine's host");
        return new(Name, true, probe.Ovs.KernelDatapath
            ? "OVS kernel datapath (system)"
            : "OVS userspace datapath (netdev; no openvswitch kernel module); TX offloads off on every veth end; not comparable with the kernel datapath");
    }

    /// <inheritdoc />
    public async Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken)
    {
        var subnet = await context.ReserveSubnetAsync(cancellationToken).ConfigureAwait(false);
        var bridge = $"{context.LinkPrefix}ob";
        var datapath = context.Probe.Ovs.Datapath;
        await HostCommand.RunCheckedAsync("ovs-vsctl", ["--timeout=20", "add-br", bridge, "--", "set", "bridge", bridge, $"datapath_type={datapath}",
            "--", "br-set-external-id", bridge, "netperf-owner", ProcessIdentity.Current], cancellationToken).ConfigureAwait(false);
        context.Track($"OVS bridge '{bridge}'", () => HostCommand.RunCheckedAsync("ovs-vsctl", ["--timeout=30", "--if-exists", "del-br", bridge]));
        var facts = new Dictionary<string, string>
        {
            ["network"] = "ovs",
            ["ovs.datapath"] = datapath,
            ["ovs.version"] = context.Probe.Ovs.Version ?? "",
            ["offloads"] = datapath == "netdev" ? "tx off, tso off, gso off on both veth ends" : "default",
            ["subnet"] = subnet.Cidr,
        };
        return new Network(context, bridge, subnet, datapath == "netdev", facts);
    }

    private sealed class Network(TestbedContext context, string bridge, SubnetLease subnet, bool offloadsOff, IReadOnlyDictionary<string, string> facts) : IDriverNetwork
    {
        public IReadOnlyDictionary<string, string> Facts => facts;

        public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot) => container.WithNetworkMode("none");

        public async Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken ct)
        {
            var pairs = context.Options.Pairs;
            var address = subnet.Host(slot.Role == NodeRole.Server ? 2 + slot.PairIndex : 2 + pairs + slot.PairIndex);
            var hostEnd = $"{context.LinkPrefix}{slot.Short}";
            var inner = $"{hostEnd}p";
            var mtu = context.Options.Mtu is { } m ? new[] { "mtu", m.ToString(CultureInfo.InvariantCulture) } : [];
            // The peer is created directly inside the container's namespace (its init pid).
            await HostCommand.RunCheckedAsync("ip", ["link", "add", hostEnd, .. mtu, "type", "veth", "peer", "name", inner, .. mtu,
                "netns", container.Pid.ToString(CultureInfo.InvariantCulture)], ct).ConfigureAwait(false);
            context.Track($"veth '{hostEnd}'", () => LinkTool.DeleteAsync(hostEnd));
            var script = $"ip link set {inner} name eth0 && ip addr add {address}/24 dev eth0 && ip link set eth0 up"
                + (offloadsOff ? " && ethtool -K eth0 tx off tso off gso off >/dev/null" : "");
            await HostCommand.RunCheckedAsync("nsenter", [$"--net=/proc/{container.Pid.ToString(CultureInfo.InvariantCulture)}/ns/net", "sh", "-c", script], ct).ConfigureAwait(false);
            await HostCommand.RunCheckedAsync("ip", ["link", "set", hostEnd, "up"], ct).ConfigureAwait(false);
            if (offloadsOff) await LinkTool.DisableOffloadsAsync(hostEnd, ct).ConfigureAwait(false);
            await HostCommand.RunCheckedAsync("ovs-vsctl", ["--timeout=30", "add-port", bridge, hostEnd], ct).ConfigureAwait(false);
            return address;
        }
    }
}
