// Author-facing, so in namespace NetPerf rather than NetPerf.Metrics (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A named quantity a workload measures: its unit and which way is better.</summary>
/// <param name="Name">A stable identifier used as key in baselines, e.g. <c>aggregate_throughput</c>.</param>
/// <param name="Unit">The unit every value of this metric is expressed in.</param>
/// <param name="Direction">Whether higher or lower values are better.</param>
/// <param name="Description">One line for reports.</param>
public sealed record Metric(string Name, Unit Unit, Direction Direction, string Description = "")
{
    /// <summary>
    /// This metric divided by the same metric measured on <paramref name="controlDriver"/> in the same trial (a control
    /// arm), e.g. <c>aggregate_throughput_vs_host</c>: a ratio that survives a change of machine better than the absolute value.
    /// </summary>
    /// <param name="controlDriver">The driver of the control arm, as a name (e.g. <c>Host</c>).</param>
    /// <remarks>Measured when the experiment declares the control arm with <c>Experiment.RelativeTo(Driver.Host)</c>.</remarks>
    public Metric RelativeTo(string controlDriver) =>
        new($"{Name}_vs_{controlDriver.ToLowerInvariant()}", Unit.Ratio, Direction, $"{Name} divided by {Name} on {controlDriver} in the same trial");

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Unit})";
}
