using System.Globalization;
using System.Text.RegularExpressions;

namespace NetPerf.Workloads.Http;

/// <summary>Parses the text report of wrk 4.x run with <c>--latency</c> into a <see cref="WrkReport"/>.</summary>
/// <remarks>
/// <para>
/// Every line must be one that wrk prints: the <c>Running</c> header, the thread stats, the latency distribution,
/// the totals, the <c>Socket errors:</c> and <c>Non-2xx or 3xx responses:</c> lines (printed only when not zero),
/// <c>Requests/sec:</c> and <c>Transfer/sec:</c>. Anything else, e.g. what a Lua script's <c>done()</c> prints, is
/// rejected with the line quoted, so a changed tool cannot pass unnoticed as a measurement.
/// </para>
/// <para>
/// wrk prints a complete report and exits 0 even when no response ever came back (its latencies are then all
/// <c>0.00us</c>), so a run without a completed request is an error here. Socket errors and error responses are
/// counted in the report, not rejected: the workload decides what they mean.
/// </para>
/// </remarks>
internal static partial class WrkParser
{
    // wrk's own number formats: a time is us, ms, s or m (format_time_us), a size a binary unit plus B (format_binary).
    private const string Time = @"([0-9]+(?:\.[0-9]+)?(?:us|ms|s|m|h))";
    private const string Size = @"([0-9]+(?:\.[0-9]+)?[KMGTP]?B)";
    private const string Number = @"([0-9]+(?:\.[0-9]+)?)";
    private const string WithinStdev = @"(?:-?nan|[0-9]+(?:\.[0-9]+)?)%";

    private static readonly (string Label, Regex Pattern)[] ReportLines =
    [
        ("Running Ns test @ URL", RunningLine()),
        ("N threads and N connections", ThreadsLine()),
        ("Thread Stats", ThreadStatsHeader()),
        ("Latency", LatencyRow()),
        ("Req/Sec", RequestRateRow()),
        ("Latency Distribution", DistributionHeader()),
        ("N requests in", TotalsLine()),
        ("Socket errors:", SocketErrorsLine()),
        ("Non-2xx or 3xx responses:", ErrorResponsesLine()),
        ("Requests/sec:", RequestsPerSecondLine()),
        ("Transfer/sec:", TransferLine()),
    ];

    private static readonly int[] Percentiles = [50, 75, 90, 99];

    /// <summary>Parses one client's output.</summary>
    /// <param name="stdout">wrk's stdout.</param>
    /// <param name="stderr">wrk's stderr, quoted when the report is unusable (wrk prints connection failures there).</param>
    /// <param name="nodeName">The client container, for messages.</param>
    /// <exception cref="WorkloadException">
    /// No report, wrk's usage text (a rejected command line), a line that is not wrk's, a line printed twice, a missing
    /// line (no <c>Latency Distribution</c> when <c>--latency</c> was not given), or no completed request.
    /// </exception>
    public static WrkReport Parse(string stdout, string stderr, string nodeName)
    {
        if (string.IsNullOrWhiteSpace(stdout))
            throw new WorkloadException($"wrk on '{nodeName}' reported nothing; it said: '{stderr.Trim()}'", nodeName);
        var lines = stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Any(l => l.StartsWith("Usage: wrk", StringComparison.Ordinal)))
            throw new WorkloadException($"wrk on '{nodeName}' rejected its command line and printed its usage{Said(stderr)}", nodeName);

        var found = new Dictionary<string, Match>();
        var percentiles = new Dictionary<int, double>();
        foreach (var line in lines)
        {
            if (PercentileLine().Match(line) is { Success: true } p)
            {
                if (!percentiles.TryAdd(int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture), Microseconds(p.Groups[2].Value, nodeName)))
                    throw new WorkloadException($"wrk on '{nodeName}' printed the percentile line '{line}' twice; two reports are mixed up", nodeName);
                continue;
            }
            var (label, match) = ReportLines.Select(k => (k.Label, Match: k.Pattern.Match(line))).FirstOrDefault(k => k.Match.Success);
            if (label is null)
                throw new WorkloadException($"wrk on '{nodeName}' printed a line that is not part of wrk's report: '{line}'{Said(stderr)}", nodeName);
            if (!found.TryAdd(label, match))
                throw new WorkloadException($"wrk on '{nodeName}' printed a second '{label}' line: '{line}'; two reports are mixed up", nodeName);
        }

        var text = string.Join('\n', lines);
        Match Required(string label) => found.TryGetValue(label, out var m)
            ? m
            : throw new WorkloadException($"wrk on '{nodeName}' printed no '{label}' line; the output is incomplete: '{Tail(text)}'{Said(stderr)}", nodeName);

        var running = Required("Running Ns test @ URL");
        var threads = Required("N threads and N connections");
        var latency = Required("Latency");
        var totals = Required("N requests in");
        var requestsPerSecond = Required("Requests/sec:");
        var transfer = Required("Transfer/sec:");
        if (!found.ContainsKey("Latency Distribution"))
            throw new WorkloadException($"wrk on '{nodeName}' printed no 'Latency Distribution'; was --latency given? Output: '{Tail(text)}'", nodeName);
        if (Percentiles.FirstOrDefault(q => !percentiles.ContainsKey(q)) is var missing and > 0)
            throw new WorkloadException($"wrk on '{nodeName}' printed no {missing}% line under 'Latency Distribution'; the output is incomplete: '{Tail(text)}'", nodeName);

        var errors = found.TryGetValue("Socket errors:", out var e)
            ? new WrkSocketErrors(Count(e.Groups[1]), Count(e.Groups[2]), Count(e.Groups[3]), Count(e.Groups[4]))
            : WrkSocketErrors.None;
        var requests = Count(totals.Groups[1]);
        var seconds = Microseconds(totals.Groups[2].Value, nodeName) / 1e6;
        var url = running.Groups[2].Value;
        if (requests == 0)
            throw new WorkloadException(
                $"wrk on '{nodeName}' completed no request to '{url}' in {seconds.ToString(CultureInfo.InvariantCulture)} s (socket errors: {errors}): "
                + $"the server never answered; wrk said '{totals.Value}'", nodeName);

        return new WrkReport(
            url,
            int.Parse(threads.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(threads.Groups[2].Value, CultureInfo.InvariantCulture),
            requests,
            seconds,
            Bytes(totals.Groups[3].Value, nodeName),
            Scaled(requestsPerSecond.Groups[1].Value, 1m, nodeName),
            Bytes(transfer.Groups[1].Value, nodeName),
            Microseconds(latency.Groups[1].Value, nodeName),
            Microseconds(latency.Groups[3].Value, nodeName),
            percentiles[50],
            percentiles[75],
            percentiles[90],
            percentiles[99],
            errors,
            found.TryGetValue("Non-2xx or 3xx responses:", out var status) ? Count(status.Groups[1]) : 0);
    }

    /// <summary>A wrk time (<c>170.00us</c>, <c>0.96ms</c>, <c>1.20s</c>, <c>1.50m</c>) in microseconds.</summary>
    /// <remarks>Converted in decimal, so <c>0.96ms</c> is exactly 960.</remarks>
    private static double Microseconds(string token, string nodeName)
    {
        var m = TimeToken().Match(token);
        var scale = m.Groups[2].Value switch
        {
            "us" => 1m,
            "ms" => 1_000m,
            "s" => 1_000_000m,
            "m" => 60_000_000m,
            _ => 3_600_000_000m,
        };
        return Scaled(m.Groups[1].Value, scale, nodeName);
    }

    /// <summary>A wrk size (<c>177.75MB</c>, <c>0.00B</c>) in bytes; wrk's units are binary (1 KB = 1024 bytes).</summary>
    private static double Bytes(string token, string nodeName)
    {
        var m = SizeToken().Match(token);
        var scale = m.Groups[2].Value switch
        {
            "" => 1m,
            "K" => 1024m,
            "M" => 1024m * 1024,
            "G" => 1024m * 1024 * 1024,
            "T" => 1024m * 1024 * 1024 * 1024,
            _ => 1024m * 1024 * 1024 * 1024 * 1024,
        };
        return Scaled(m.Groups[1].Value, scale, nodeName);
    }

    /// <summary><paramref name="number"/> times <paramref name="scale"/>, in decimal; a number beyond decimal's range (about 7.9e28) is garbled output.</summary>
    private static double Scaled(string number, decimal scale, string nodeName)
    {
        try
        {
            return (double)(decimal.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * scale);
        }
        catch (OverflowException)
        {
            throw new WorkloadException($"wrk on '{nodeName}' printed the number '{number}', which is out of range; the output is garbled.", nodeName);
        }
    }

    private static long Count(Group g) => long.Parse(g.Value, CultureInfo.InvariantCulture);

    private static string Said(string stderr) => string.IsNullOrWhiteSpace(stderr) ? "" : $"; stderr: '{stderr.Trim()}'";

    private static string Tail(string s) => s.Length <= 300 ? s : "..." + s[^300..];

    [GeneratedRegex(@"^Running (\S+) test @ (\S+)$")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"^(\d{1,9}) threads and (\d{1,9}) connections$")]
    private static partial Regex ThreadsLine();

    [GeneratedRegex(@"^Thread Stats\s+Avg\s+Stdev\s+Max\s+\+/- Stdev$")]
    private static partial Regex ThreadStatsHeader();

    [GeneratedRegex(@"^Latency\s+" + Time + @"\s+" + Time + @"\s+" + Time + @"\s+" + WithinStdev + "$")]
    private static partial Regex LatencyRow();

    [GeneratedRegex(@"^Req/Sec(?:\s+[0-9]+(?:\.[0-9]+)?[kMGTP]?){3}\s+" + WithinStdev + "$")]
    private static partial Regex RequestRateRow();

    [GeneratedRegex(@"^Latency Distribution$")]
    private static partial Regex DistributionHeader();

    [GeneratedRegex(@"^(\d{1,2})%\s+" + Time + "$")]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"^(\d{1,18}) requests in " + Time + ", " + Size + " read$")]
    private static partial Regex TotalsLine();

    [GeneratedRegex(@"^Socket errors: connect (\d{1,18}), read (\d{1,18}), write (\d{1,18}), timeout (\d{1,18})$")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"^Non-2xx or 3xx responses: (\d{1,18})$")]
    private static partial Regex ErrorResponsesLine();

    [GeneratedRegex(@"^Requests/sec:\s+" + Number + "$")]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"^Transfer/sec:\s+" + Size + "$")]
    private static partial Regex TransferLine();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)$")]
    private static partial Regex TimeToken();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)([KMGTP]?)B$")]
    private static partial Regex SizeToken();
}
