using System.Globalization;

namespace NetPerf.Testbeds.Host;

/// <summary>
/// Holds the port blocks of Host-driver testbeds against other NetPerf runs on this machine: one file per 128-port unit
/// under /run/netperf/ports, a <see cref="LeaseFile"/> naming the owner process.
/// </summary>
/// <remarks>
/// <see cref="FreePorts"/> alone sees only bound sockets, and a testbed binds its ports only when a workload starts its
/// servers: two runs that chose their blocks before either bound one could get the same block (1 in 234 for two runs).
/// </remarks>
internal static class PortLeases
{
    /// <summary>Ports per lease file.</summary>
    internal const int Unit = 128;

    private const int First = 30000;

    private static string DefaultRoot => Path.Combine(Reaper.StateRoot, "ports");

    /// <summary>Reserves a block of at least <paramref name="count"/> ports that no socket uses and no live run holds; dispose the result to release it.</summary>
    /// <param name="count">Ports needed.</param>
    /// <param name="used">The ports in use; by default read from /proc/net.</param>
    /// <param name="root">Where the lease files live; by default /run/netperf/ports.</param>
    /// <exception cref="InvalidOperationException">No free block (the host is out of ports).</exception>
    public static PortBlockLease Reserve(int count, ISet<int>? used = null, string? root = null)
    {
        root ??= DefaultRoot;
        Directory.CreateDirectory(root);
        var taken = new HashSet<int>(used ?? FreePorts.UsedPorts());
        foreach (var file in Directory.GetFiles(root))
            if (int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var unit))
                taken.UnionWith(Enumerable.Range(unit, Unit));
        while (true)
        {
            var from = FreePorts.FindBlock(count, taken);
            var size = Math.Max(Unit, count);
            var files = new List<string>();
            int? refused = null;
            for (var unit = First + ((from - First) / Unit * Unit); unit < from + size; unit += Unit)
            {
                var file = Path.Combine(root, unit.ToString(CultureInfo.InvariantCulture));
                if (!LeaseFile.TryTake(file))
                {
                    // Another run took it since the listing: give back what this try took and choose again without it.
                    refused = unit;
                    break;
                }
                files.Add(file);
            }

            if (refused is null) return new PortBlockLease(from, size, files);
            foreach (var file in files) File.Delete(file);
            taken.UnionWith(Enumerable.Range(refused.Value, Unit));
        }
    }

    /// <summary>Releases leases whose owner process is gone.</summary>
    /// <param name="root">Where the lease files live; by default /run/netperf/ports.</param>
    public static void ReleaseDead(string? root = null)
    {
        LeaseFile.ReleaseDead(root ?? DefaultRoot);
    }
}
