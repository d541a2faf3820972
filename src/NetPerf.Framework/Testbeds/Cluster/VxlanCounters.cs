using System.Text.Json;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds.Cluster;

/// <summary>
/// Packet and byte counters of the VXLAN interfaces of an overlay network on one engine: the proof that traffic between
/// nodes was encapsulated. Docker keeps each overlay network's VXLAN device in a namespace of its own,
/// <c>EXEC_ROOT/netns/1-NETWORKID10</c>, which exists on an engine while a container of the network runs there.
/// </summary>
internal static class VxlanCounters
{
    /// <summary>The main engine's exec root (Docker's default).</summary>
    public const string DefaultExecRoot = "/var/run/docker";

    /// <summary>
    /// Sums the receive and transmit counters of every VXLAN interface in the overlay's namespace, or returns
    /// <see langword="null"/> when the namespace does not exist (no container of the network on that engine).
    /// </summary>
    /// <param name="networkId">The overlay network's full id.</param>
    /// <param name="execRoot">The engine's exec root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<(long Packets, long Bytes)?> ReadAsync(string networkId, string execRoot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(networkId);
        var file = Path.Combine(execRoot, "netns", "1-" + networkId[..Math.Min(10, networkId.Length)]);
        if (!File.Exists(file)) return null;
        var r = await HostCommand.RunCheckedAsync("nsenter", [$"--net={file}", "ip", "-s", "-j", "link", "show", "type", "vxlan"], cancellationToken, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return Parse(r);
    }

    /// <summary>Sums rx and tx packets and bytes of the interfaces in the JSON of <c>ip -s -j link show</c>.</summary>
    internal static (long Packets, long Bytes) Parse(string json)
    {
        long packets = 0, bytes = 0;
        using var doc = JsonDocument.Parse(json);
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("stats64", out var stats)) continue;
            foreach (var direction in new[] { "rx", "tx" })
            {
                if (!stats.TryGetProperty(direction, out var d)) continue;
                packets += d.GetProperty("packets").GetInt64();
                bytes += d.GetProperty("bytes").GetInt64();
            }
        }
        return (packets, bytes);
    }
}
