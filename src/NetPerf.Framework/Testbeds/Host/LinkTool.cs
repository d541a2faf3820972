using System.Globalization;

namespace NetPerf.Testbeds.Host;

/// <summary>Host network plumbing through <c>ip</c>, <c>ethtool</c> and <c>nsenter</c> (no API exists for these).</summary>
internal static class LinkTool
{
    /// <summary>Creates a veth pair in the root namespace and brings both ends up.</summary>
    public static async Task CreateVethPairAsync(string name, string peer, int? mtu, CancellationToken ct)
    {
        var mtuArgs = mtu is { } m ? new[] { "mtu", m.ToString(CultureInfo.InvariantCulture) } : [];
        await HostCommand.RunCheckedAsync("ip", ["link", "add", name, .. mtuArgs, "type", "veth", "peer", "name", peer, .. mtuArgs], ct).ConfigureAwait(false);
        await HostCommand.RunCheckedAsync("ip", ["link", "set", name, "up"], ct).ConfigureAwait(false);
        await HostCommand.RunCheckedAsync("ip", ["link", "set", peer, "up"], ct).ConfigureAwait(false);
    }

    /// <summary>Moves a link into a named network namespace (<c>ip netns</c>) and brings it up there.</summary>
    /// <remarks><c>nsenter --net</c> rather than <c>ip netns exec</c>, which remounts /sys (see NamespacedEngine).</remarks>
    public static async Task MoveToNamespaceAsync(string name, string netns, CancellationToken ct)
    {
        await HostCommand.RunCheckedAsync("ip", ["link", "set", name, "netns", netns], ct).ConfigureAwait(false);
        await HostCommand.RunCheckedAsync("nsenter", [$"--net=/var/run/netns/{netns}", "ip", "link", "set", name, "up"], ct).ConfigureAwait(false);
    }

    /// <summary>Deletes a link; one that is already gone is not an error.</summary>
    public static async Task DeleteAsync(string name)
    {
        var r = await HostCommand.RunAsync("ip", ["link", "delete", name], TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        // Gone already is fine: deleting one end of a veth pair, or the container's namespace, removes the other end too.
        if (!r.Succeeded && !r.Stderr.Contains("Cannot find device", StringComparison.Ordinal) && !r.Stderr.Contains("does not exist", StringComparison.Ordinal)
            && !r.Stderr.Contains("No such device", StringComparison.Ordinal))
            throw new InvalidOperationException($"'ip link delete {name}' failed: {r.Stderr.Trim()}");
    }

    /// <summary>Turns off TX checksum and segmentation offloads (needed by the OVS userspace datapath).</summary>
    public static Task DisableOffloadsAsync(string name, CancellationToken ct) =>
        HostCommand.RunCheckedAsync("ethtool", ["-K", name, "tx", "off", "tso", "off", "gso", "off"], ct);

    /// <summary>True when the kernel can create a link of this type (e.g. <c>macvlan</c>, <c>ipvlan</c>) on a veth; the probe cleans up after itself.</summary>
    public static (bool Supported, string Detail) ProbeLinkType(string type)
    {
        var tag = Reaper.NextTestbedTag();
        var a = $"np{Reaper.SessionId}{tag}pa";
        var b = $"np{Reaper.SessionId}{tag}pb";
        var c = $"np{Reaper.SessionId}{tag}pc";
        try
        {
            var veth = HostCommand.Run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
            if (!veth.Succeeded) return (false, $"cannot create a veth pair: {veth.Stderr.Trim()}");
            string[] mode = type switch { "macvlan" => ["mode", "bridge"], "ipvlan" => ["mode", "l2"], _ => [] };
            var link = HostCommand.Run("ip", ["link", "add", "link", a, "name", c, "type", type, .. mode]);
            return link.Succeeded ? (true, "") : (false, link.Stderr.Trim());
        }
        finally
        {
            HostCommand.Run("ip", "link", "delete", c);
            HostCommand.Run("ip", "link", "delete", a);
        }
    }
}
