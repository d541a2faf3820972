using System.Globalization;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds;

/// <summary>
/// Hands out /24 subnets from 10.213.0.0/16 that no engine network, no host address and no other live
/// NetPerf run on this machine is using. Reservations are <see cref="LeaseFile"/>s under /run/netperf/subnets,
/// so two concurrent runs never get the same subnet.
/// </summary>
internal static class SubnetAllocator
{
    private static string Root => Path.Combine(Reaper.StateRoot, "subnets");

    /// <summary>Reserves a free subnet; dispose the result to release it.</summary>
    public static async Task<SubnetLease> ReserveAsync(IContainerEngine engine, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        var used = new HashSet<int>();
        foreach (var n in await engine.ListNetworksAsync(null, cancellationToken).ConfigureAwait(false))
            foreach (var s in n.Subnets)
                if (ThirdOctetIn10213(s) is { } o) used.Add(o);
        var addrs = await HostCommand.RunAsync("ip", ["-o", "-4", "addr", "show"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        foreach (var token in addrs.Stdout.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            if (ThirdOctetIn10213(token) is { } o) used.Add(o);

        for (var octet = 1; octet < 255; octet++)
        {
            if (used.Contains(octet)) continue;
            var file = Path.Combine(Root, $"10.213.{octet.ToString(CultureInfo.InvariantCulture)}.0_24");
            // Taken by this or another run: try the next one.
            if (LeaseFile.TryTake(file)) return new SubnetLease(octet, file);
        }
        throw new InvalidOperationException("No free /24 subnet left in 10.213.0.0/16: every one is used by an engine network, a host address or a NetPerf run. Remove unused networks ('docker network prune') and retry.");
    }

    /// <summary>Releases reservations whose owner process is gone.</summary>
    public static void ReleaseDead() => LeaseFile.ReleaseDead(Root);

    private static int? ThirdOctetIn10213(string cidrOrAddress)
    {
        var parts = cidrOrAddress.Split('/')[0].Split('.');
        if (parts.Length != 4 || parts[0] != "10" || parts[1] != "213") return null;
        return int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : null;
    }
}
