using System.Globalization;
using NetPerf.Workloads.Orchestration;

namespace NetPerf.Workloads.Flows;

/// <summary>Parses what a netcat receiver script reports: bytes received and when its pipe hit end of file.</summary>
/// <remarks>The receiver prints <c>netperf-received-bytes=N netperf-received-at=SECONDS.MICROS</c> (bash's $EPOCHREALTIME).</remarks>
internal static class FlowCompletionParser
{
    /// <summary>The marker before the byte count.</summary>
    public const string BytesMarker = "netperf-received-bytes=";

    /// <summary>The marker before the end-of-file time.</summary>
    public const string AtMarker = "netperf-received-at=";

    /// <summary>Parses a receiver's stdout into the bytes received and when the last one arrived (microseconds since the Unix epoch).</summary>
    /// <param name="stdout">The receiver script's stdout.</param>
    /// <param name="stderr">The receiver's stderr, quoted on failure.</param>
    /// <param name="nodeName">The receiving container, for messages.</param>
    /// <exception cref="WorkloadException">The report line is missing or malformed.</exception>
    public static (long Bytes, long ReceivedAtMicroseconds) ParseReceiver(string stdout, string stderr, string nodeName)
    {
        var line = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(BytesMarker, StringComparison.Ordinal));
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: 2 }
            || !fields[1].StartsWith(AtMarker, StringComparison.Ordinal)
            || !long.TryParse(fields[0][BytesMarker.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            || !StartBarrier.TryParseEpoch(fields[1][AtMarker.Length..], out var at))
            throw new WorkloadException($"netcat receiver on '{nodeName}' did not report '{BytesMarker}N {AtMarker}T' (got '{stdout.Trim()}'); it said: '{stderr.Trim()}'", nodeName);
        return (bytes, at);
    }
}
