using System.Globalization;

namespace NetPerf.Workloads.Iperf2;

/// <summary>Parses iperf 2.1's CSV report (<c>-y C</c>): one line per stream and interval, then one whole-run line per stream.</summary>
/// <remarks>
/// Columns: timestamp, local address, local port, remote address, remote port, stream id,
/// <c>start-end</c> (seconds), bytes, bits/s. iperf 2.1.8 exits 0 and prints nothing on stdout when it
/// cannot connect, so an empty report is an error that quotes stderr.
/// </remarks>
internal static class Iperf2Parser
{
    /// <summary>Parses one client's output.</summary>
    /// <param name="csv">The client's stdout.</param>
    /// <param name="stderr">The client's stderr, quoted when the CSV is unusable.</param>
    /// <param name="nodeName">The client container, for messages.</param>
    /// <exception cref="WorkloadException">No rows, a malformed row, or a stream without intervals.</exception>
    public static Iperf2Report Parse(string csv, string stderr, string nodeName)
    {
        var rows = new List<(int Stream, double Start, double End, long Bytes, double Bps)>();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines)
        {
            var f = line.Split(',');
            var span = f.Length == 9 ? f[6].Split('-') : [];
            if (f.Length != 9 || span.Length != 2
                || !int.TryParse(f[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var stream)
                || !TryNonNegative(span[0], out var start)
                || !TryNonNegative(span[1], out var end)
                || end < start
                || !long.TryParse(f[7], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                || !TryNonNegative(f[8], out var bps))
                throw new WorkloadException($"iperf on '{nodeName}' printed a line that is not iperf 2 CSV: '{line}'; stderr: '{stderr.Trim()}'", nodeName);
            // Stream id -1 marks iperf's own sum lines over parallel streams; sums are recomputed here.
            if (stream >= 0)
                rows.Add((stream, start, end, bytes, bps));
        }
        if (rows.Count == 0)
            throw new WorkloadException($"iperf on '{nodeName}' reported nothing; it said: '{stderr.Trim()}'", nodeName);

        try
        {
            return Summarise(rows, lines, nodeName);
        }
        catch (OverflowException)
        {
            throw new WorkloadException($"iperf on '{nodeName}' reported byte counts whose sum does not fit in 64 bits; the report is garbled: '{lines.Last()}'", nodeName);
        }
    }

    private static Iperf2Report Summarise(List<(int Stream, double Start, double End, long Bytes, double Bps)> rows, string[] lines, string nodeName)
    {
        var byStream = rows.GroupBy(r => r.Stream).ToList();
        var intervals = new List<(double Start, double End, long Bytes, double Bps)>();
        long totalBytes = 0;
        double totalSeconds = 0;
        foreach (var stream in byStream)
        {
            var list = stream.ToList();
            if (list.Count < 2)
                throw new WorkloadException($"iperf on '{nodeName}' reported stream {stream.Key} without intervals (only '{lines.Last()}'); was -i given?", nodeName);
            // The last line of each stream is its whole-run total.
            var total = list[^1];
            totalBytes = checked(totalBytes + total.Bytes);
            totalSeconds = Math.Max(totalSeconds, total.End - total.Start);
            intervals.AddRange(list.Take(list.Count - 1).Select(r => (r.Start, r.End, r.Bytes, r.Bps)));
        }
        var summed = intervals
            .GroupBy(i => (i.Start, i.End))
            .OrderBy(g => g.Key.Start)
            .Select(g => new FlowInterval(g.Key.Start, g.Key.End, g.Sum(i => i.Bytes), g.Sum(i => i.Bps)))
            .ToList();
        if (summed.Any(i => !double.IsFinite(i.BitsPerSecond)))
            throw new WorkloadException($"iperf on '{nodeName}' reported rates whose sum is not finite; the report is garbled: '{lines.Last()}'", nodeName);
        return new Iperf2Report(byStream.Count, summed, totalBytes, totalSeconds);
    }

    /// <summary>A time or rate as iperf prints it (<c>1.0</c>, <c>39255540192</c>): finite and not negative; NaN, infinities and signs are rejected.</summary>
    private static bool TryNonNegative(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Reads the version from <c>iperf -v</c>'s output (it prints on stderr), e.g. <c>iperf version 2.1.8 (12 August 2022) pthreads</c>.</summary>
    public static string? Version(string output) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("iperf version", StringComparison.Ordinal));
}
