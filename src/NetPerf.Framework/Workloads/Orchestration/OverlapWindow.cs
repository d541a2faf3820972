using System.Globalization;

namespace NetPerf.Workloads.Orchestration;

/// <summary>The window in which all flows were running, and each flow's rate within it.</summary>
/// <remarks>
/// Summing each flow's whole-run average overstates the aggregate when flows start or stop at
/// different times; rates are therefore taken only over the span every flow covers, prorating
/// intervals that straddle its edges (assuming a constant rate within an interval).
/// </remarks>
internal static class OverlapWindow
{
    /// <summary>The span covered by every series' non-omitted intervals: latest first start to earliest last end.</summary>
    /// <param name="series">One interval series per flow, all on the same timeline.</param>
    /// <exception cref="WorkloadException">A series has no measured interval, or the flows never overlapped.</exception>
    public static MeasurementWindow Compute(IReadOnlyList<(string Flow, IReadOnlyList<FlowInterval> Intervals)> series)
    {
        if (series.Count == 0)
            throw new WorkloadException("No flows to compute a measurement window over.");
        var start = double.MinValue;
        var end = double.MaxValue;
        foreach (var (flow, intervals) in series)
        {
            var measured = intervals.Where(i => !i.Omitted).ToList();
            if (measured.Count == 0)
                throw new WorkloadException($"Flow '{flow}' reported no interval after warm-up; lengthen the duration or shorten the warm-up.");
            start = Math.Max(start, measured.Min(i => i.Start));
            end = Math.Min(end, measured.Max(i => i.End));
        }
        if (end <= start)
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"The flows never all ran at the same time (latest start {start:0.000} s, earliest end {end:0.000} s); check the start skew and lengthen the duration."));
        return new MeasurementWindow(start, end);
    }

    /// <summary>The amount of <paramref name="quantity"/> that falls inside <paramref name="window"/>, prorating straddling intervals.</summary>
    /// <param name="intervals">One flow's intervals; omitted ones are ignored.</param>
    /// <param name="window">The window.</param>
    /// <param name="quantity">What to add up, e.g. bytes; defaults to <see cref="FlowInterval.Bytes"/>.</param>
    public static double Within(IReadOnlyList<FlowInterval> intervals, MeasurementWindow window, Func<FlowInterval, double>? quantity = null)
    {
        quantity ??= i => i.Bytes;
        return intervals
            .Where(i => !i.Omitted && i.Seconds > 0)
            .Sum(i => quantity(i) * window.OverlapWith(i) / i.Seconds);
    }

    /// <summary>One flow's rate over <paramref name="window"/>, in Gbit/s.</summary>
    public static double GigabitsPerSecond(IReadOnlyList<FlowInterval> intervals, MeasurementWindow window) =>
        Within(intervals, window) * 8 / window.Seconds / 1e9;
}
