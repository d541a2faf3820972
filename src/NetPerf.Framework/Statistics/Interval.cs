namespace NetPerf.Statistics;

/// <summary>A confidence interval: the range that holds the true value with the stated confidence.</summary>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
/// <param name="ConfidenceLevel">The confidence level as a fraction, e.g. 0.95.</param>
internal sealed record Interval(double Lower, double Upper, double ConfidenceLevel)
{
    /// <summary>Whether <paramref name="value"/> lies within the bounds (inclusive).</summary>
    /// <param name="value">The value to test.</param>
    public bool Contains(double value) => Lower <= value && value <= Upper;

    /// <inheritdoc />
    public override string ToString() =>
        $"{NumberFormatting.Format(ConfidenceLevel * 100)}% CI [{NumberFormatting.Format(Lower)}, {NumberFormatting.Format(Upper)}]";
}
