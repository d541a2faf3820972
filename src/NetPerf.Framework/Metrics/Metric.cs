namespace NetPerf;

/// <summary>A named quantity a workload measures: its unit and which way is better.</summary>
/// <param name="Name">A stable identifier used as key in baselines, e.g. <c>aggregate_throughput</c>.</param>
/// <param name="Unit">The unit every value of this metric is expressed in.</param>
/// <param name="Direction">Whether higher or lower values are better.</param>
/// <param name="Description">One line for reports.</param>
public sealed record Metric(string Name, Unit Unit, Direction Direction, string Description = "")
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Unit})";
}
