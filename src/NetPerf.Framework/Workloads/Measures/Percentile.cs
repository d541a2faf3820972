namespace NetPerf.Workloads.Measures;

/// <summary>Order statistics for small samples (flow completion times, merged latency logs).</summary>
internal static class Percentile
{
    /// <summary>The nearest-rank percentile: the smallest value with at least <paramref name="percent"/>% of the sample at or below it.</summary>
    /// <param name="values">The sample; at least one value.</param>
    /// <param name="percent">In (0, 100].</param>
    public static double NearestRank(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0)
            throw new ArgumentException("A percentile needs at least one value.", nameof(values));
        if (percent is <= 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile must be in (0, 100].");
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>The median: the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("A median needs at least one value.", nameof(values));
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
