namespace NetPerf.Workloads.Measures;

/// <summary>How evenly a set of flows shared the network.</summary>
internal static class Fairness
{
    /// <summary>Jain's fairness index (sum x)^2 / (n * sum x^2): 1 when all rates are equal, 1/n when one flow has everything.</summary>
    /// <param name="rates">Per-flow rates (any one unit); at least one, none negative.</param>
    /// <exception cref="ArgumentException">No rates, a negative rate, or all rates zero (fairness is undefined then).</exception>
    public static double JainIndex(IReadOnlyList<double> rates)
    {
        Check(rates);
        var sum = rates.Sum();
        var sumOfSquares = rates.Sum(x => x * x);
        if (sumOfSquares == 0)
            throw new ArgumentException("Jain's index is undefined when every flow's rate is 0.", nameof(rates));
        return sum * sum / (rates.Count * sumOfSquares);
    }

    /// <summary>The largest rate divided by the smallest: 1 when all are equal.</summary>
    /// <param name="rates">Per-flow rates; at least one, none negative.</param>
    /// <exception cref="ArgumentException">No rates, a negative rate, or a flow with rate 0 (the ratio would be infinite).</exception>
    public static double MaxMinRatio(IReadOnlyList<double> rates)
    {
        Check(rates);
        var min = rates.Min();
        if (min == 0)
            throw new ArgumentException("The max/min ratio is infinite: a flow moved nothing in the window.", nameof(rates));
        return rates.Max() / min;
    }

    private static void Check(IReadOnlyList<double> rates)
    {
        if (rates.Count == 0)
            throw new ArgumentException("Fairness needs at least one flow's rate.", nameof(rates));
        if (rates.Any(r => r < 0 || double.IsNaN(r)))
            throw new ArgumentException("Fairness needs non-negative rates.", nameof(rates));
    }
}
