using NetPerf.Experiments;

namespace NetPerf.Tests.Experiments;

public sealed class ExperimentSummaryTests
{
    private static MetricResult Metric(int baselineRuns, double? detectable, double? betweenRunCv, bool belowDetectable = false, string? note = null, bool gated = true) =>
        new("aggregate_throughput", "Gbit/s", "HigherIsBetter", gated, gated ? 0.05 : null, [17, 17.2], [12, 12.1], 17.1, null, null, 12.05, null, null, -29.5, 0.004,
            "Regressed", "reason", baselineRuns, detectable, betweenRunCv, note, belowDetectable);

    private static CellRun Run(IReadOnlyList<MetricResult> metrics, CellConfirmation? confirmation = null) => new(
        new CellResult("S.Tcp", "driver=Bridge/pairs=1", "Tcp(driver: Bridge, pairs: 1)", "Bridge", 1,
            new Dictionary<string, string>(), new Dictionary<string, string>(), [], metrics, confirmation?.Outcome ?? "Passed", "", null, null,
            DateTimeOffset.UnixEpoch, 12.5, confirmation),
        [], null, [], [], []);

    [Fact]
    public void Without_a_baseline_the_detectable_regression_is_unknown()
    {
        Assert.Equal("detectable regression unknown (no baseline to compare with)", Experiment.Power(Metric(0, null, null)));
    }

    [Fact]
    public void A_one_run_baseline_says_the_between_run_spread_is_unknown()
    {
        var text = Experiment.Power(Metric(1, 12.34, null));

        Assert.StartsWith("can detect >= 12.3% ", text);
        Assert.Contains("between-run spread is unknown", text);
    }

    [Fact]
    public void A_baseline_of_several_runs_gives_their_spread()
    {
        Assert.Equal("can detect >= 8.5% (3 baseline runs, run medians vary 4.12%)", Experiment.Power(Metric(3, 8.5, 4.123)));
    }

    [Fact]
    public void The_summary_gives_power_and_advice_per_gated_metric_and_the_confirmation()
    {
        var first = Metric(3, 20, 9, belowDetectable: true, note: "detects regressions of 20% or more; the tolerance 5% is below what it can see: record more runs");
        var reported = Metric(3, 20, 9, gated: false);
        var confirmation = new CellConfirmation([], [Metric(3, 20, 9)], "Regressed", 6.2, new Dictionary<string, string>());

        var lines = Experiment.Summary(Run([first, reported], confirmation)).Split(Environment.NewLine);

        Assert.Equal(1, lines.Count(l => l.Contains("can detect >= 20%", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("the tolerance is below that: detects regressions of 20% or more", StringComparison.Ordinal) && l.Contains("record more runs", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(reported)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("confirmation on a fresh testbed: Regressed after 0 trials (6.2 s)", StringComparison.Ordinal));
    }
}
