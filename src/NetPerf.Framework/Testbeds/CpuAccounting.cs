using System.Diagnostics;
using System.Globalization;

namespace NetPerf.Testbeds;

/// <summary>Reads cumulative CPU time of containers (from their cgroups, v1 or v2) and of the host (from /proc/stat).</summary>
internal static class CpuAccounting
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux.

    /// <summary>Takes a snapshot for the given containers.</summary>
    public static CpuSnapshot Snapshot(IEnumerable<Node> nodes)
    {
        var perContainer = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var node in nodes) perContainer[node.Name] = ContainerCpuSeconds(node.Id);
        var (busy, cores) = HostBusy();
        return new CpuSnapshot(Stopwatch.GetElapsedTime(0), perContainer, busy, cores);
    }

    /// <summary>CPU-seconds a container has used, or NaN when its cgroup cannot be found (e.g. a remote engine).</summary>
    public static double ContainerCpuSeconds(string containerId)
    {
        string[] v1 = [$"/sys/fs/cgroup/cpuacct/docker/{containerId}/cpuacct.usage", $"/sys/fs/cgroup/cpu,cpuacct/docker/{containerId}/cpuacct.usage",
                       $"/sys/fs/cgroup/cpuacct/system.slice/docker-{containerId}.scope/cpuacct.usage"];
        foreach (var path in v1)
            if (File.Exists(path))
                return long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture) / 1e9;
        string[] v2 = [$"/sys/fs/cgroup/docker/{containerId}/cpu.stat", $"/sys/fs/cgroup/system.slice/docker-{containerId}.scope/cpu.stat"];
        foreach (var path in v2)
        {
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path))
                if (line.StartsWith("usage_usec ", StringComparison.Ordinal))
                    return long.Parse(line[11..], CultureInfo.InvariantCulture) / 1e6;
        }
        return double.NaN;
    }

    private static (double BusySeconds, int Cores) HostBusy()
    {
        var lines = File.ReadAllLines("/proc/stat");
        var cpu = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
        double busy = 0;
        for (var i = 1; i < Math.Min(cpu.Length, 9); i++)
            if (i != 4 && i != 5) busy += long.Parse(cpu[i], CultureInfo.InvariantCulture);
        var cores = lines.Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && char.IsDigit(l[3]));
        return (busy / TicksPerSecond, cores);
    }
}
