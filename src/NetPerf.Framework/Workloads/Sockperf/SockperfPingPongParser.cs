using System.Globalization;
using System.Text.RegularExpressions;
using NetPerf.Workloads.Measures;

namespace NetPerf.Workloads.Sockperf;

/// <summary>Parses sockperf 3.x ping-pong output: the summary on stdout and the per-message <c>--full-log</c> file.</summary>
internal static partial class SockperfPingPongParser
{
    /// <summary>Parses the summary a <c>sockperf pp</c> client prints.</summary>
    /// <param name="stdout">The client's stdout.</param>
    /// <param name="stderr">The client's stderr.</param>
    /// <param name="nodeName">The client container, for messages.</param>
    /// <exception cref="WorkloadException">sockperf reported an error, or a summary line is missing.</exception>
    public static SockperfLatencySummary ParseSummary(string stdout, string stderr, string nodeName)
    {
        var text = SockperfOutput.Clean(stdout);
        SockperfOutput.ThrowOnError(text, stderr, nodeName);
        var avg = Match(AvgLine(), text, "avg-latency=", nodeName);
        return new SockperfLatencySummary(
            SockperfOutput.Version(text),
            Count(Match(ObservationsLine(), text, "Total N observations", nodeName).Groups[1].Value, nodeName),
            Number(Match(ValidDurationLine(), text, "[Valid Duration] RunTime=", nodeName).Groups[1].Value, "[Valid Duration] RunTime", nodeName),
            Number(avg.Groups[1].Value, "avg-latency", nodeName),
            Number(avg.Groups[2].Value, "std-dev", nodeName),
            Observation(text, "MIN", nodeName),
            Percentile(text, "50.000", nodeName),
            Percentile(text, "90.000", nodeName),
            Percentile(text, "99.000", nodeName),
            Percentile(text, "99.900", nodeName),
            Observation(text, "MAX", nodeName));
    }

    /// <summary>Parses a <c>--full-log</c> file: every measured message's one-way latency, in microseconds, in send order.</summary>
    /// <param name="fullLog">The file's text (a copy of the summary, then <c>packet, txTime(sec), rxTime(sec), latency(usec)</c> rows).</param>
    /// <param name="nodeName">The client container, for messages.</param>
    /// <exception cref="WorkloadException">No header or a malformed row.</exception>
    public static IReadOnlyList<double> ParseFullLog(string fullLog, string nodeName)
    {
        var lines = fullLog.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("packet, txTime", StringComparison.Ordinal));
        if (header < 0)
            throw new WorkloadException($"sockperf's full log from '{nodeName}' has no 'packet, txTime(sec), rxTime(sec), latency(usec)' header; it is truncated or not a sockperf log.", nodeName);
        var latencies = new List<double>(lines.Length - header);
        foreach (var line in lines.Skip(header + 1))
        {
            if (line.Length == 0)
                continue;
            // sockperf closes the table with a dashed rule.
            if (line.StartsWith("---", StringComparison.Ordinal))
                break;
            var fields = line.Split(',');
            if (fields.Length != 4 || !SockperfOutput.TryParseNonNegative(fields[3].Trim(), out var latency))
                throw new WorkloadException($"sockperf's full log from '{nodeName}' has a malformed row: '{line}'", nodeName);
            latencies.Add(latency);
        }
        if (latencies.Count == 0)
            throw new WorkloadException($"sockperf's full log from '{nodeName}' has no rows.", nodeName);
        return latencies;
    }

    private static double Percentile(string text, string percentile, string nodeName) =>
        Number(Match(new Regex(@"percentile " + Regex.Escape(percentile) + @" =\s+([0-9.]+)"), text, $"percentile {percentile}", nodeName).Groups[1].Value, $"percentile {percentile}", nodeName);

    private static double Observation(string text, string which, string nodeName) =>
        Number(Match(new Regex(@"<" + which + @"> observation =\s+([0-9.]+)"), text, $"<{which}> observation", nodeName).Groups[1].Value, $"<{which}> observation", nodeName);

    private static Match Match(Regex regex, string text, string what, string nodeName) =>
        regex.Match(text) is { Success: true } m
            ? m
            : throw new WorkloadException($"sockperf on '{nodeName}' printed no '{what}' line; the output is incomplete: '{Tail(text)}'", nodeName);

    /// <summary>A number the regex matched as <c>[0-9.]+</c>, which a garbled line can make <c>1.2.3</c> or <c>.</c>.</summary>
    private static double Number(string s, string what, string nodeName) =>
        SockperfOutput.TryParseNonNegative(s, out var value)
            ? value
            : throw new WorkloadException($"sockperf on '{nodeName}' printed '{s}' as its {what}, which is not a number; the output is garbled.", nodeName);

    private static long Count(string s, string nodeName) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new WorkloadException($"sockperf on '{nodeName}' printed {s} observations, more than fit in 64 bits; the output is garbled.", nodeName);

    private static string Tail(string s) => s.Trim().Length <= 300 ? s.Trim() : "..." + s.Trim()[^300..];

    [GeneratedRegex(@"avg-latency=([0-9.]+) \(std-dev=([0-9.]+)\)")]
    private static partial Regex AvgLine();

    [GeneratedRegex(@"Total (\d+) observations")]
    private static partial Regex ObservationsLine();

    [GeneratedRegex(@"\[Valid Duration\] RunTime=([0-9.]+) sec")]
    private static partial Regex ValidDurationLine();
}
