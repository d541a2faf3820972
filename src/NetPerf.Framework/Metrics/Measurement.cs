// Author-facing, so in namespace NetPerf rather than NetPerf.Metrics (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>One value of a metric from one trial.</summary>
/// <param name="Metric">What was measured.</param>
/// <param name="Value">The value, in <see cref="Metric.Unit"/>.</param>
/// <param name="Flow">The flow (e.g. <c>pair-3</c>) for per-flow values; <see langword="null"/> for aggregates.</param>
public sealed record Measurement(Metric Metric, double Value, string? Flow = null);
