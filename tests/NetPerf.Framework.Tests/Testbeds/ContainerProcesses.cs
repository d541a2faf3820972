using System.Diagnostics;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// The host's view of processes inside given containers: every process whose cgroup path names one of the container ids
/// (<c>/proc/PID/cgroup</c>; Docker puts a container's processes under a cgroup named by its full id, in v1 and v2).
/// </summary>
/// <remarks>Seen from the host, so a tool that outlives its container's removal (or an exec the engine lost track of) is still found.</remarks>
internal static class ContainerProcesses
{
    /// <summary>Processes (pid and command name) of the containers with these full ids, optionally only those named <paramref name="command"/>.</summary>
    public static IReadOnlyList<(int Pid, string Command)> Of(IReadOnlyCollection<string> containerIds, string? command = null)
    {
        var found = new List<(int, string)>();
        if (containerIds.Count == 0) return found;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                var cgroup = File.ReadAllText(Path.Combine(dir, "cgroup"));
                if (!containerIds.Any(id => cgroup.Contains(id, StringComparison.Ordinal))) continue;
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (command is null || comm == command) found.Add((pid, comm));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }

        return found;
    }

    /// <summary>Waits (60 s at most) until at least <paramref name="count"/> processes named <paramref name="command"/> run in the containers; returns them.</summary>
    public static async Task<IReadOnlyList<(int Pid, string Command)>> WaitForAsync(IReadOnlyList<string> containers, string command, int count, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var tools = Of(containers, command);
        while (tools.Count < count && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50, ct);
            tools = Of(containers, command);
        }

        Assert.True(tools.Count >= count, $"only {tools.Count} '{command}' processes ran in the {containers.Count} containers after {watch.Elapsed.TotalSeconds:0} s; expected {count}.");
        return tools;
    }
}
