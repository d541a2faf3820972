using System.Globalization;
using System.Text;
using NetPerf.Statistics;

namespace NetPerf.Experiments;

/// <summary>
/// The per-interval variables of every flow of every trial (start, end, seconds, bytes, bits/s, RTT, retransmits) as
/// tidy CSV, and the descriptive summary per variable (median, quartiles, min/max, Tukey outliers) that the host-vs-bridge
/// study reports.
/// </summary>
/// <remarks>Warm-up intervals the tool marked as omitted are left out of both.</remarks>
internal static class IntervalTable
{
    private static readonly (string Name, string Unit, Func<FlowInterval, double?> Value)[] Variables =
    [
        ("start", "s", i => i.Start),
        ("end", "s", i => i.End),
        ("seconds", "s", i => i.Seconds),
        ("bytes", "bytes", i => i.Bytes),
        ("bits_per_second", "bit/s", i => i.BitsPerSecond),
        ("rtt", "us", i => i.RttMicroseconds),
        ("retransmits", "count", i => i.Retransmits),
    ];

    /// <summary>True when any trial has interval series.</summary>
    /// <param name="trials">The trials of a cell.</param>
    public static bool HasIntervals(IReadOnlyList<WorkloadResult> trials) => trials.Any(t => t.Flows.Any(f => f.Intervals.Any(i => !i.Omitted)));

    /// <summary>One row per trial x flow x interval: <c>trial,flow,start,end,seconds,bytes,bits_per_second,rtt_us,retransmits</c>.</summary>
    /// <param name="trials">The trials of a cell.</param>
    public static string ToCsv(IReadOnlyList<WorkloadResult> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var csv = new StringBuilder("trial,flow,start_s,end_s,seconds,bytes,bits_per_second,rtt_us,retransmits\n");
        for (var t = 0; t < trials.Count; t++)
        {
            foreach (var flow in trials[t].Flows)
            {
                foreach (var i in flow.Intervals.Where(i => !i.Omitted))
                {
                    csv.Append(string.Create(CultureInfo.InvariantCulture,
                        $"{t + 1},{flow.Name},{i.Start:0.######},{i.End:0.######},{i.Seconds:0.######},{i.Bytes},{i.BitsPerSecond:0.###},{i.RttMicroseconds?.ToString("0.###", CultureInfo.InvariantCulture)},{i.Retransmits}\n"));
                }
            }
        }
        return csv.ToString();
    }

    /// <summary>A markdown table: per variable, the number of intervals, median, Q1, Q3, min, max and Tukey outliers.</summary>
    /// <param name="title">The heading, e.g. the cell's display name.</param>
    /// <param name="trials">The trials of a cell.</param>
    /// <param name="analyzer">The summariser (Harrell-Davis median, Tukey fences).</param>
    public static string Summary(string title, IReadOnlyList<WorkloadResult> trials, SampleAnalyzer? analyzer = null)
    {
        ArgumentNullException.ThrowIfNull(trials);
        analyzer ??= SampleAnalyzer.Default;
        var intervals = trials.SelectMany(t => t.Flows).SelectMany(f => f.Intervals).Where(i => !i.Omitted).ToList();
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"## Per-interval variables: {title}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{intervals.Count} intervals from {trials.Count} trials (warm-up omitted).\n\n");
        md.Append("| Variable | Unit | n | Median | Q1 | Q3 | Min | Max | Outliers (Tukey) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (name, unit, value) in Variables)
        {
            var values = intervals.Select(value).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
            if (values.Count == 0)
                continue;
            var s = analyzer.Summarize(values);
            md.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {unit} | {values.Count} | {G(s.Median)} | {G(s.Q1)} | {G(s.Q3)} | {G(s.Min)} | {G(s.Max)} | {s.Outliers.Count} |\n"));
        }
        return md.ToString();
    }

    private static string G(double v) => v.ToString(Math.Abs(v) >= 1000 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
