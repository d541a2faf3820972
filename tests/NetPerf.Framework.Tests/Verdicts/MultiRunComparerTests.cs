using NetPerf.Statistics;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Verdicts;

/// <summary>The comparison against a baseline of several runs: trial level and run level must agree.</summary>
public class MultiRunComparerTests
{
    private static readonly Metric Throughput = new("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter);
    private static readonly Metric Latency = new("rtt_p50", Unit.Microseconds, Direction.LowerIsBetter);
    private static readonly Gate ThroughputGate = new(Throughput, tolerance: 0.05, alpha: 0.05);
    private static readonly Gate LatencyGate = new(Latency, tolerance: 0.05, alpha: 0.05);

    /// <summary>Five trials spread ±<paramref name="width"/> symmetrically around <paramref name="median"/> (so their median is <paramref name="median"/>).</summary>
    private static double[] Trials(double median, double width = 0.01) =>
        [median * (1 - width), median * (1 - width / 2), median, median * (1 + width / 2), median * (1 + width)];

    private static IReadOnlyList<IReadOnlyList<double>> Runs(params double[] medians) => [.. medians.Select(m => (IReadOnlyList<double>)Trials(m))];

    /// <summary>Run medians <c>100 exp(spread z)</c> for <paramref name="count"/> z values with mean 0 and sd 1: the same spread whatever the count.</summary>
    private static IReadOnlyList<IReadOnlyList<double>> RunsWithSpread(int count, double spread)
    {
        var z = Enumerable.Range(0, count).Select(i => i - (count - 1) / 2.0).ToArray();
        double sd = Math.Sqrt(z.Sum(v => v * v) / (count - 1));
        return Runs([.. z.Select(v => 100 * Math.Exp(spread * v / sd))]);
    }

    [Fact]
    public void A_run_thirty_percent_below_runs_that_spread_three_percent_is_a_regression()
    {
        var baseline = Runs(97, 99, 100, 101, 103);

        var comparison = Comparer.Compare(ThroughputGate, baseline, Trials(70));

        Assert.Equal(Verdict.Regressed, comparison.Verdict);
        Assert.Equal(5, comparison.BaselineRuns);
        var run = comparison.RunLevel!;
        Assert.True(run.Worse);
        Assert.False(run.Better);
        Assert.Equal(0.70, run.Ratio, 0.005);
        Assert.True(run.WorsePValue < 0.001);
        Assert.InRange(run.PredictionBound, 0.9, 1);
        Assert.Contains("Run-level: run median 70 Gbit/s is -30.0% against the centre of 5 baseline runs", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_within_the_spread_of_widely_spread_runs_is_not_a_regression_even_when_the_trials_differ()
    {
        // Run medians from -22% to +25% around 101.7; the current run is 15% below that centre with tight trials.
        var baseline = Runs(78, 95, 105, 112, 125);
        var current = Trials(RunSpread.Estimate(baseline)!.Center * 0.85);
        var trialLevel = Comparer.Compare(ThroughputGate, [.. baseline.SelectMany(r => r)], current);
        Assert.Equal(Verdict.Regressed, trialLevel.Verdict);

        var comparison = Comparer.Compare(ThroughputGate, baseline, current);

        Assert.NotEqual(Verdict.Regressed, comparison.Verdict);
        Assert.False(comparison.RunLevel!.Worse);
        Assert.True(comparison.RunLevel.WorsePValue > 0.05);
        Assert.Equal(0.85, comparison.RunLevel.Ratio, 0.005);
        // Runs this far apart set a gate far wider than the 5% asked for, and the reason says so first.
        Assert.True(comparison.GateSetByData);
        Assert.True(comparison.Tolerance > 0.3, $"gate {comparison.Tolerance}");
        Assert.StartsWith($"Gate {NumberFormatting.FormatPercent(comparison.Tolerance)}, set by the data (the scenario asks for 5%", comparison.Reason, StringComparison.Ordinal);
        Assert.Contains("run medians moved 19.6%", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_far_above_tight_runs_is_an_improvement_and_a_better_run_within_wide_runs_is_not()
    {
        var improved = Comparer.Compare(ThroughputGate, Runs(97, 99, 100, 101, 103), Trials(130));
        // The mirror image of the widely spread runs above: the current run is as far above their centre as that one was below.
        var wide = Runs(10000 / 78.0, 10000 / 95.0, 10000 / 105.0, 10000 / 112.0, 10000 / 125.0);
        var current = Trials(RunSpread.Estimate(wide)!.Center / 0.85);
        Assert.Equal(Verdict.Improved, Comparer.Compare(ThroughputGate, [.. wide.SelectMany(r => r)], current).Verdict);

        var within = Comparer.Compare(ThroughputGate, wide, current);

        Assert.Equal(Verdict.Improved, improved.Verdict);
        Assert.True(improved.RunLevel!.Better);
        Assert.NotEqual(Verdict.Improved, within.Verdict);
        Assert.False(within.RunLevel!.Better);
    }

    [Fact]
    public void One_baseline_run_keeps_the_trial_verdict_and_says_the_spread_between_runs_is_unknown()
    {
        var oneRun = Comparer.Compare(ThroughputGate, Runs(100), Trials(70));
        var trialLevel = Comparer.Compare(ThroughputGate, Trials(100), Trials(70));

        Assert.Equal(trialLevel.Verdict, oneRun.Verdict);
        Assert.Equal(Verdict.Regressed, oneRun.Verdict);
        Assert.Equal(1, oneRun.BaselineRuns);
        Assert.False(oneRun.RunLevel!.Spread.BetweenRunSpreadKnown);
        Assert.StartsWith(trialLevel.Reason, oneRun.Reason, StringComparison.Ordinal);
        Assert.Contains("Between-run spread unknown", oneRun.Reason, StringComparison.Ordinal);
        Assert.Contains("NETPERF_RECORD=1", oneRun.Reason, StringComparison.Ordinal);
        Assert.Contains("between-run spread unknown with one baseline run", oneRun.PowerNote, StringComparison.Ordinal);
        Assert.Contains("1 baseline run,", oneRun.PowerNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Detectable_change_shrinks_from_three_to_ten_runs_of_the_same_spread()
    {
        var three = Comparer.Compare(ThroughputGate, RunsWithSpread(3, 0.03), Trials(100));
        var ten = Comparer.Compare(ThroughputGate, RunsWithSpread(10, 0.03), Trials(100));

        Assert.Equal(three.RunLevel!.Spread.RunMedianSd!.Value, ten.RunLevel!.Spread.RunMedianSd!.Value, 9);
        Assert.True(ten.DetectableChange < 0.75 * three.DetectableChange, $"10 runs: {ten.DetectableChange}, 3 runs: {three.DetectableChange}");
        Assert.True(ten.DetectableChange > ThroughputGate.Tolerance);
        Assert.Contains($"detects regressions of {NumberFormatting.FormatPercent(three.DetectableChange!.Value)} or more with 90% power", three.PowerNote, StringComparison.Ordinal);
        Assert.Contains("3 baseline runs", three.PowerNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Power_note_says_how_many_baseline_runs_a_tolerance_below_what_the_cell_can_see_needs()
    {
        // Runs 1% apart: three runs cannot see 5%, a few more can.
        var comparison = Comparer.Compare(ThroughputGate, RunsWithSpread(3, 0.01), Trials(100, width: 0.004));

        var run = comparison.RunLevel!;
        Assert.True(run.ToleranceBelowDetectable);
        Assert.Contains("the tolerance 5% is below what it can see: the data sets the gate at ", comparison.PowerNote, StringComparison.Ordinal);
        Assert.Contains("; to gate at 5% it needs ", comparison.PowerNote, StringComparison.Ordinal);
        Assert.Contains(" baseline runs on fresh testbeds (it has 3;", comparison.PowerNote, StringComparison.Ordinal);
        Assert.EndsWith(run.Advice!, comparison.PowerNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Power_note_says_when_runs_differ_too_much_for_the_tolerance_at_any_count()
    {
        var comparison = Comparer.Compare(ThroughputGate, Runs(78, 95, 105, 112, 125), Trials(100));

        Assert.True(comparison.RunLevel!.ToleranceBelowDetectable);
        Assert.Contains("its runs differ too much (run medians moved 19.6% between testbeds) for a 5% gate", comparison.PowerNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Power_note_has_no_advice_when_the_tolerance_is_within_reach()
    {
        var comparison = Comparer.Compare(new Gate(Throughput, tolerance: 0.10), RunsWithSpread(5, 0.005), Trials(100, width: 0.004));

        Assert.False(comparison.RunLevel!.ToleranceBelowDetectable);
        Assert.Null(comparison.RunLevel.Advice);
        Assert.DoesNotContain("below what it can see", comparison.PowerNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Latency_forty_percent_higher_than_its_runs_is_a_regression()
    {
        var baseline = Runs(35, 35.5, 36, 36.5, 37);

        var slower = Comparer.Compare(LatencyGate, baseline, Trials(36 * 1.4));
        var faster = Comparer.Compare(LatencyGate, baseline, Trials(36 * 0.6));

        Assert.Equal(Verdict.Regressed, slower.Verdict);
        Assert.True(slower.RunLevel!.Worse);
        Assert.True(slower.RunLevel.PredictionBound > 1);
        Assert.Equal(1.4, slower.RunLevel.Ratio, 0.01);
        Assert.Contains("an unchanged run stays below", slower.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Improved, faster.Verdict);
        Assert.True(faster.RunLevel!.Better);
    }

    [Fact]
    public void Zero_values_skip_the_run_level_check_and_say_so()
    {
        var retransmits = new Gate(new Metric("retransmissions", Unit.Count, Direction.LowerIsBetter));

        var comparison = Comparer.Compare(retransmits, [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]], [4, 5, 6, 5, 4]);

        Assert.Null(comparison.RunLevel);
        Assert.Null(comparison.DetectableChange);
        Assert.Equal(Verdict.Regressed, comparison.Verdict);
        Assert.Contains("No run-level check", comparison.Reason, StringComparison.Ordinal);
        Assert.Equal(2, comparison.BaselineRuns);
    }

    [Fact]
    public void No_baseline_runs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Comparer.Compare(ThroughputGate, Array.Empty<IReadOnlyList<double>>(), [1.0, 2, 3]));
    }
}
