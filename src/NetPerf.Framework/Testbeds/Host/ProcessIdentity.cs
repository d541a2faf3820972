using System.Globalization;

namespace NetPerf.Testbeds.Host;

/// <summary>
/// A process as "pid:starttime", so a recycled pid is not mistaken for the owner of leftover resources.
/// </summary>
internal static class ProcessIdentity
{
    /// <summary>This process's identity.</summary>
    public static string Current { get; } = Of(Environment.ProcessId) ?? Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ":0";

    /// <summary>The identity of a running process, or <see langword="null"/> when it does not exist.</summary>
    public static string? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22 (starttime) follows the command name, which is parenthesised and may contain spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{pid.ToString(CultureInfo.InvariantCulture)}:{fields[19]}";
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>True when the process named by an identity string still runs (same pid AND same start time).</summary>
    public static bool IsAlive(string identity)
    {
        var colon = identity.IndexOf(':');
        if (colon <= 0 || !int.TryParse(identity.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return false;
        return Of(pid) == identity;
    }
}
