using System.Globalization;

namespace NetPerf.Testbeds.Host;

/// <summary>Finds a block of ports that no socket of the host's network namespace uses, in any state.</summary>
/// <remarks>
/// Host-network containers share the host's ports. A fixed port (5201) collides with whatever is left from the cell
/// before (a TIME_WAIT socket, a server that is still going away) or with another run, and sockperf then fails with
/// "Address already in use". Reading /proc/net/{tcp,tcp6,udp,udp6} sees every socket of the namespace.
/// </remarks>
internal static class FreePorts
{
    private const int First = 30000;
    private const int Last = 60000;
    private const int Block = 128;

    /// <summary>The first port of a block of at least 128 consecutive ports (more when <paramref name="count"/> needs it) none of which is in use.</summary>
    /// <param name="count">Ports needed.</param>
    /// <param name="used">The ports in use; by default read from /proc/net.</param>
    /// <exception cref="InvalidOperationException">No free block (the host is out of ports).</exception>
    public static int FindBlock(int count, ISet<int>? used = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        used ??= UsedPorts();
        var size = Math.Max(Block, count);
        var blocks = (Last - First) / size;
        // A random first block keeps concurrent runs apart; the check keeps a run clear of anything already there.
        var start = Random.Shared.Next(blocks);
        for (var i = 0; i < blocks; i++)
        {
            var from = First + (((start + i) % blocks) * size);
            if (!Enumerable.Range(from, size).Any(used.Contains))
                return from;
        }
        throw new InvalidOperationException($"No block of {size} free ports between {First} and {Last} on this host; close some sockets or run fewer testbeds at once.");
    }

    /// <summary>Local ports of every TCP and UDP socket (IPv4 and IPv6) of this network namespace.</summary>
    public static ISet<int> UsedPorts()
    {
        var ports = new HashSet<int>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6" })
        {
            if (!File.Exists(file)) continue;
            foreach (var line in File.ReadLines(file).Skip(1))
                if (ParseLocalPort(line) is { } port) ports.Add(port);
        }
        return ports;
    }

    /// <summary>The local port of one line of /proc/net/tcp (e.g. <c>0: 0100007F:1451 00000000:0000 0A ...</c>).</summary>
    public static int? ParseLocalPort(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2) return null;
        var colon = fields[1].LastIndexOf(':');
        return colon > 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port) ? port : null;
    }
}
