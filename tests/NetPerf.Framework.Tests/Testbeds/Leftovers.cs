using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Testbeds;

/// <summary>Lists what a session still has on the machine, the way a user would look: docker ps -a, docker network ls, ip link, ovs-vsctl.</summary>
internal static class Leftovers
{
    public static async Task<IReadOnlyList<string>> OfSessionAsync(IContainerEngine engine, string session, string? testbedTag = null)
    {
        var found = new List<string>();
        foreach (var c in await engine.ListContainersAsync($"{Reaper.SessionLabel}={session}"))
            if (testbedTag is null || c.Labels.GetValueOrDefault("netperf.testbed") == testbedTag) found.Add($"container {c.Name}");
        foreach (var n in await engine.ListNetworksAsync($"{Reaper.SessionLabel}={session}"))
            if (testbedTag is null || n.Labels.GetValueOrDefault("netperf.testbed") == testbedTag) found.Add($"network {n.Name}");
        var prefix = $"np{session}{testbedTag}";
        var links = HostCommand.Run("ip", "-o", "link", "show");
        foreach (var line in links.Stdout.Split('\n'))
        {
            var name = line.Split(':', 3) is { Length: 3 } parts ? parts[1].Trim().Split('@')[0] : "";
            if (name.StartsWith(prefix, StringComparison.Ordinal)) found.Add($"link {name}");
        }
        var bridges = HostCommand.Run("ovs-vsctl", "--timeout=5", "list-br");
        foreach (var br in bridges.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (br.StartsWith(prefix, StringComparison.Ordinal)) found.Add($"OVS bridge {br}");
        return found;
    }

    /// <summary>
    /// Asserts that nothing of <paramref name="session"/> is left after a fault, after recording the fault and what was
    /// found (with <paramref name="alsoLeft"/>: processes, folders, leases the caller looked for) in the
    /// <see cref="ReliabilityLedger"/>.
    /// </summary>
    public static async Task NoneLeftAsync(IContainerEngine engine, string session, string fault, string? testbedTag = null,
        IEnumerable<string>? alsoLeft = null, string area = "1. Faults", int injected = 1)
    {
        var left = (await OfSessionAsync(engine, session, testbedTag)).Concat(alsoLeft ?? []).ToList();
        ReliabilityLedger.Faults(area, fault, injected, left.Count);
        Assert.Empty(left);
    }
}
