using System.Globalization;
using System.Text.RegularExpressions;

namespace NetPerf.Workloads.Sockperf;

/// <summary>Parses <c>sockperf tp</c> output.</summary>
/// <remarks>
/// sockperf's "BandWidth ... Mbps" uses 2^20-bit megabits; the bit rate is therefore computed from
/// the message rate and the configured message size instead.
/// </remarks>
internal static partial class SockperfThroughputParser
{
    /// <summary>Parses one client's output.</summary>
    /// <exception cref="WorkloadException">sockperf reported an error, or the summary lines are missing.</exception>
    public static SockperfThroughputReport Parse(string stdout, string stderr, string nodeName)
    {
        var text = SockperfOutput.Clean(stdout);
        SockperfOutput.ThrowOnError(text, stderr, nodeName);
        var rate = RateLine().Match(text);
        var total = TotalLine().Match(text);
        if (!rate.Success || !total.Success)
            throw new WorkloadException($"sockperf on '{nodeName}' printed no '{(rate.Success ? "Total of N messages sent" : "Message Rate is")}' line; the output is incomplete: '{text.Trim()}'", nodeName);
        if (!long.TryParse(total.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var messages)
            || !SockperfOutput.TryParseNonNegative(total.Groups[2].Value, out var seconds)
            || !SockperfOutput.TryParseNonNegative(rate.Groups[1].Value, out var messagesPerSecond))
            throw new WorkloadException($"sockperf on '{nodeName}' printed numbers that do not parse (or do not fit in 64 bits): '{total.Value}', '{rate.Value}'; the output is garbled.", nodeName);
        return new SockperfThroughputReport(SockperfOutput.Version(text), messages, seconds, messagesPerSecond);
    }

    [GeneratedRegex(@"Message Rate is ([0-9.]+) \[msg/sec\]")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Total of (\d+) messages sent in ([0-9.]+) sec")]
    private static partial Regex TotalLine();
}
