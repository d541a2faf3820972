using NetPerf.Experiments;

// Author-facing, so in namespace NetPerf rather than NetPerf.Experiments (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// The second measurement of a cell whose first run regressed: the same trials on a fresh testbed (new containers and a
/// new network), compared with the same baseline.
/// </summary>
/// <remarks>
/// A regression fails the cell only when the confirmation regresses too, in at least one of the metrics that regressed on
/// the first run; otherwise the cell is Unconfirmed and passes with a warning. Switched off by <c>NETPERF_CONFIRM=0</c>.
/// </remarks>
/// <param name="Trials">The raw measurements of each confirmation trial.</param>
/// <param name="Metrics">Per metric: summary, comparison with the baseline and verdict of the confirmation.</param>
/// <param name="Outcome"><c>Regressed</c> when the confirmation agrees with the first run, <c>Unconfirmed</c> when it does not.</param>
/// <param name="DurationSeconds">Wall time of the confirmation including provisioning and teardown.</param>
/// <param name="Facts">The fresh testbed's facts (and the control arm's order, with a control arm).</param>
public sealed record CellConfirmation(
    IReadOnlyList<TrialRecord> Trials,
    IReadOnlyList<MetricResult> Metrics,
    string Outcome,
    double DurationSeconds,
    IReadOnlyDictionary<string, string> Facts);
