using System.Globalization;

namespace NetPerf.Testbeds;

/// <summary>Reads a container's memory limit and how often the kernel's OOM killer struck in it, from its cgroup (v1 or v2).</summary>
/// <remarks>
/// The engine is no help here: Docker 20.10 sets <c>State.OOMKilled</c> only when the container itself ends, not when the
/// OOM killer takes a process that was exec'd into a running container (seen on this machine: exec exit 137, cgroup
/// <c>oom_kill 1</c>, <c>OOMKilled false</c>).
/// </remarks>
internal static class MemoryAccounting
{
    /// <summary>Processes of the container the OOM killer has killed so far, or <see langword="null"/> when its cgroup cannot be found (e.g. a remote engine).</summary>
    public static long? OomKills(string containerId)
    {
        foreach (var path in CgroupFiles(containerId, "memory.oom_control", "memory.events"))
        {
            if (TryRead(path) is { } text) return Counter(text, "oom_kill");
        }

        return null;
    }

    /// <summary>The container's memory limit in bytes, or <see langword="null"/> when it has none or its cgroup cannot be found.</summary>
    public static long? LimitBytes(string containerId)
    {
        foreach (var path in CgroupFiles(containerId, "memory.limit_in_bytes", "memory.max"))
        {
            if (TryRead(path) is not { } text) continue;
            // v2 says "max" for no limit; v1 a huge number (page-rounded LONG_MAX).
            return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes < (1L << 60) ? bytes : null;
        }

        return null;
    }

    /// <summary>The value of a <c>key value</c> line such as <c>oom_kill 3</c> (memory.oom_control, memory.events); 0 when the key is absent.</summary>
    internal static long Counter(string text, string key)
    {
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Exact key: "oom_kill_disable 0" precedes "oom_kill 1" in v1's memory.oom_control.
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        }

        return 0;
    }

    private static IEnumerable<string> CgroupFiles(string containerId, string v1File, string v2File)
    {
        yield return $"/sys/fs/cgroup/memory/docker/{containerId}/{v1File}";
        yield return $"/sys/fs/cgroup/memory/system.slice/docker-{containerId}.scope/{v1File}";
        yield return $"/sys/fs/cgroup/docker/{containerId}/{v2File}";
        yield return $"/sys/fs/cgroup/system.slice/docker-{containerId}.scope/{v2File}";
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
