using NetPerf.Experiments;
using NetPerf.Statistics;
using NetPerf.Verdicts;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace NetPerf.Tests.Verdicts;

/// <summary>
/// The gate the data sets, the screen at half the gate and a run judged together with its confirmation, on synthetic
/// multi-run data (no engine).
/// </summary>
public class DataSetGateTests
{
    private static readonly Metric Throughput = new("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter);
    private static readonly Metric Latency = new("latency_p50", Unit.Microseconds, Direction.LowerIsBetter);
    private static readonly Gate TenPercent = new(Throughput, tolerance: 0.10);

    /// <summary>Five trials spread ±<paramref name="width"/> symmetrically around <paramref name="median"/>.</summary>
    private static double[] Trials(double median, double width = 0.02) =>
        [median * (1 - width), median * (1 - width / 2), median, median * (1 + width / 2), median * (1 + width)];

    private static double[] Three(double median, double width = 0.02) => [median * (1 - width), median, median * (1 + width)];

    private static IReadOnlyList<IReadOnlyList<double>> Runs(double width, params double[] medians) =>
        [.. medians.Select(m => (IReadOnlyList<double>)Trials(m, width))];

    /// <summary>Five runs 3% apart, their spread and the gate they set for three current trials.</summary>
    private static (IReadOnlyList<IReadOnlyList<double>> Runs, RunSpread Spread, double Gate) TightRuns()
    {
        var runs = Runs(0.02, 97, 99, 100, 101, 103);
        var spread = RunSpread.Estimate(runs)!;
        return (runs, spread, RunLevelCheck.GateTolerance(TenPercent, spread, 3));
    }

    [Fact]
    public void Tight_runs_keep_the_tolerance_the_scenario_asks_for()
    {
        var spread = RunSpread.Estimate(Runs(0.01, 99.5, 100, 100.5, 99.8, 100.2, 100.1))!;

        double gate = RunLevelCheck.GateTolerance(TenPercent, spread, currentTrials: 3);
        var comparison = Comparer.Compare(TenPercent, Runs(0.01, 99.5, 100, 100.5, 99.8, 100.2, 100.1), Three(100, 0.01));

        Assert.Equal(0.10, gate, 12);
        Assert.Equal(0.10, comparison.Tolerance, 12);
        Assert.Equal(0.10, comparison.RequestedTolerance);
        Assert.False(comparison.GateSetByData);
        Assert.False(comparison.RunLevel!.ToleranceBelowDetectable);
    }

    [Fact]
    public void Runs_that_move_ten_percent_set_a_wider_gate_from_the_t_quantile_of_a_run_and_its_confirmation()
    {
        var runs = Runs(0.02, 88, 95, 100, 104, 112);
        var spread = RunSpread.Estimate(runs)!;

        double gate = RunLevelCheck.GateTolerance(TenPercent, spread, currentTrials: 3);

        // Recomputed from its definition: t(1 - 0.001, Satterthwaite df) x SE of the mean of two runs, as a fraction below the centre.
        double se = spread.MeanPredictionStandardError(3, 2);
        double df = spread.MeanPredictionDegreesOfFreedom(3, 2);
        double expected = 1 - Math.Exp(-new StudentDistribution(df).Quantile(1 - VerdictDefaults.FalseAlarmPerGate) * se);
        Assert.Equal(expected, gate, 9);
        Assert.True(gate > 0.2, $"gate {gate}");
        // Between-run spread dominates here, so the degrees of freedom are close to runs - 1.
        Assert.InRange(df, 3.5, 6);

        var comparison = Comparer.Compare(TenPercent, runs, Three(100));
        Assert.True(comparison.GateSetByData);
        Assert.Equal(gate, comparison.Tolerance, 12);
        Assert.Equal(gate, comparison.RunLevel!.GateTolerance, 12);
        Assert.True(comparison.RunLevel.ToleranceBelowDetectable);
        Assert.StartsWith($"Gate {NumberFormatting.FormatPercent(gate)}, set by the data (the scenario asks for 10%", comparison.Reason, StringComparison.Ordinal);
        Assert.Contains("the data sets the gate at", comparison.PowerNote, StringComparison.Ordinal);
        // Runs 9% apart: no number of runs brings the gate of a run and its confirmation down to 10%.
        Assert.Contains("its runs differ too much (run medians moved", comparison.PowerNote, StringComparison.Ordinal);
    }

    [Fact]
    public void More_runs_of_the_same_spread_narrow_the_gate()
    {
        var spread = RunSpread.Estimate(Runs(0.02, 95, 98, 100, 102, 105))!;

        double five = RunLevelCheck.GateTolerance(TenPercent with { Tolerance = 0.01 }, spread, 3);
        double narrower = Math.Exp(-new StudentDistribution(spread.MeanPredictionDegreesOfFreedom(3, 2, runs: 20)).Quantile(1 - VerdictDefaults.FalseAlarmPerGate)
            * spread.MeanPredictionStandardError(3, 2, runs: 20));

        Assert.True(1 - narrower < 0.75 * five, $"20 runs: {1 - narrower}, 5 runs: {five}");
    }

    [Fact]
    public void Satterthwaite_degrees_of_freedom_grow_when_trial_noise_dominates()
    {
        var runMoves = RunSpread.Estimate(Runs(0.005, 90, 95, 100, 105, 110))!;
        var trialsMove = RunSpread.Estimate(Runs(0.20, 99, 100, 101, 100.5, 99.5))!;

        Assert.InRange(runMoves.MeanPredictionDegreesOfFreedom(3, 2), 3.5, 4.5);
        Assert.True(trialsMove.MeanPredictionDegreesOfFreedom(3, 2) > 8, $"{trialsMove.MeanPredictionDegreesOfFreedom(3, 2)}");
    }

    [Fact]
    public void A_run_worse_than_half_the_gate_is_screened_and_confirmed_on_a_fresh_testbed()
    {
        var (runs, spread, gate) = TightRuns();
        // Worse than half the gate, not beyond it.
        var current = Three(spread.Center * (1 - 0.75 * gate));

        var comparison = Comparer.Compare(TenPercent, runs, current);

        Assert.NotEqual(Verdict.Regressed, comparison.Verdict);
        Assert.True(comparison.RunLevel!.Screened);
        Assert.True(comparison.NeedsConfirmation);
        Assert.True(CellDecisions.ShouldConfirm(new ExperimentSettings("baselines", "results"), [comparison]));
        Assert.False(CellDecisions.ShouldConfirm(new ExperimentSettings("baselines", "results") { Record = true }, [comparison]));
        Assert.False(Comparer.Compare(TenPercent, runs, Three(spread.Center)).NeedsConfirmation);
    }

    [Fact]
    public void A_run_and_its_confirmation_are_judged_together()
    {
        var (runs, spread, gate) = TightRuns();
        var first = Three(spread.Center * (1 - 1.3 * gate));

        var again = Comparer.Confirm(TenPercent, runs, [first, Three(spread.Center * (1 - 1.3 * gate))])!;
        var cleared = Comparer.Confirm(TenPercent, runs, [first, Three(spread.Center)])!;

        Assert.True(again.Worse);
        Assert.Equal(2, again.CurrentRuns);
        Assert.Equal(1 - 1.3 * gate, again.Ratio, 3);
        Assert.False(cleared.Worse);
        // The geometric mean of the two run medians.
        Assert.Equal(Math.Sqrt((1 - 1.3 * gate) * 1) * spread.Center, cleared.CurrentMedian, 6);
    }

    [Fact]
    public void One_run_in_an_odd_mode_does_not_carry_a_normal_confirmation_over_the_gate()
    {
        // Seen here: one run in six had a bridge p50 of 170 us instead of 35 us.
        var runs = Runs(0.05, 34, 35, 36, 37, 35);
        var gate = new Gate(Latency, tolerance: 0.20);
        var spread = RunSpread.Estimate(runs)!;

        var oddThenNormal = Comparer.Confirm(gate, runs, [Three(170), Three(35)])!;
        var bothSlow = Comparer.Confirm(gate, runs, [Three(170), Three(160)])!;

        Assert.True(oddThenNormal.Ratio - 1 > oddThenNormal.GateTolerance, "the mean of the two runs alone is beyond the gate");
        Assert.False(oddThenNormal.Worse);
        Assert.True(bothSlow.Worse);
        Assert.Equal(5, spread.Runs);
    }

    [Fact]
    public void Latency_gates_widen_upwards()
    {
        var runs = Runs(0.02, 30, 36, 40, 44, 50);
        var spread = RunSpread.Estimate(runs)!;
        var gate = new Gate(Latency, tolerance: 0.20);

        double g = RunLevelCheck.GateTolerance(gate, spread, 3);
        var slower = Comparer.Confirm(gate, runs, [Three(spread.Center * (1 + 1.5 * g)), Three(spread.Center * (1 + 1.5 * g))])!;

        Assert.True(g > 0.20);
        Assert.Equal(Math.Exp(new StudentDistribution(spread.MeanPredictionDegreesOfFreedom(3, 2)).Quantile(0.999) * spread.MeanPredictionStandardError(3, 2)) - 1, g, 9);
        Assert.True(slower.Worse);
    }

    [Fact]
    public void One_baseline_run_has_no_combined_judgement_and_keeps_the_asked_tolerance()
    {
        var one = Runs(0.02, 100);

        Assert.Null(Comparer.Confirm(TenPercent, one, [Three(70), Three(70)]));
        Assert.Equal(0.10, RunLevelCheck.GateTolerance(TenPercent, RunSpread.Estimate(one)!, 3), 12);
        Assert.Equal(0.10, Comparer.Compare(TenPercent, one, Three(70)).Tolerance, 12);
    }

    [Fact]
    public void The_combined_judgement_decides_a_confirmation_and_one_run_baselines_need_both_runs_Regressed()
    {
        static Comparison Of(string name, Verdict verdict) => new()
        {
            Metric = new Metric(name, Unit.GbitPerSecond, Direction.HigherIsBetter),
            Baseline = SampleAnalyzer.Default.Summarize([1.0, 1, 1]),
            Current = SampleAnalyzer.Default.Summarize([1.0, 1, 1]),
            ChangeRatio = 1,
            HodgesLehmannRatio = 1,
            HodgesLehmannInterval = null,
            RegressionPValue = 0.5,
            ImprovementPValue = 0.5,
            EquivalencePValue = 0.5,
            Tolerance = 0.1,
            Alpha = 0.05,
            Verdict = verdict,
            Reason = "r",
        };
        var runs = Runs(0.02, 97, 99, 100, 101, 103);
        var spread = RunSpread.Estimate(runs)!;
        var worse = Comparer.Confirm(TenPercent, runs, [Three(80), Three(80)]);
        // The geometric mean of 80 and 110 is 93.8: 6% below the centre, within the 10% gate.
        var within = Comparer.Confirm(TenPercent, runs, [Three(80), Three(110)]);
        Assert.True(worse!.Worse);
        Assert.False(within!.Worse);

        Assert.Equal(["a"], CellDecisions.ConfirmedRegressions([Of("a", Verdict.Inconclusive)], [Of("a", Verdict.Unchanged)], new Dictionary<string, RunLevelResult?> { ["a"] = worse }));
        Assert.Empty(CellDecisions.ConfirmedRegressions([Of("a", Verdict.Regressed)], [Of("a", Verdict.Regressed)], new Dictionary<string, RunLevelResult?> { ["a"] = within }));
        Assert.Equal(["a"], CellDecisions.ConfirmedRegressions([Of("a", Verdict.Regressed)], [Of("a", Verdict.Regressed)], new Dictionary<string, RunLevelResult?> { ["a"] = null }));
        Assert.Empty(CellDecisions.ConfirmedRegressions([Of("a", Verdict.Regressed)], [Of("a", Verdict.Inconclusive)], new Dictionary<string, RunLevelResult?> { ["a"] = null }));
        Assert.True(spread.Runs == 5);
    }

    [Fact]
    public void Two_runs_worse_together_need_a_second_confirmation_and_three_runs_decide()
    {
        var (runs, spread, gate) = TightRuns();
        // A slow spell of the machine: the first run and its confirmation (minutes apart) are both beyond the gate.
        var slow = Three(spread.Center * (1 - 1.3 * gate));
        var two = Comparer.Confirm(TenPercent, runs, [slow, slow])!;
        var confirmed = CellDecisions.ConfirmedRegressions([Comparer.Compare(TenPercent, runs, slow)], [Comparer.Compare(TenPercent, runs, slow)],
            new Dictionary<string, RunLevelResult?> { [Throughput.Name] = two });

        // The third run is back to normal: the mean of three is within the gate and the third run is not worse than half of it.
        var thenNormal = Comparer.Confirm(TenPercent, runs, [slow, slow, Three(spread.Center)])!;
        // A real regression stays: all three beyond the gate.
        var real = Comparer.Confirm(TenPercent, runs, [slow, slow, slow])!;
        // Three runs each beyond half the gate and beyond it on average: still a regression.
        var mixed = Comparer.Confirm(TenPercent, runs, [slow, slow, Three(spread.Center * (1 - 0.6 * gate))])!;

        Assert.True(two.Worse);
        Assert.True(CellDecisions.NeedsSecondConfirmation(confirmed, new Dictionary<string, RunLevelResult?> { [Throughput.Name] = two }));
        Assert.False(thenNormal.Worse);
        Assert.Equal(3, thenNormal.CurrentRuns);
        Assert.True(real.Worse);
        Assert.True(mixed.Worse);
        // The gate stays the one set for a run and its confirmation: a third run makes the rule stricter, not the gate narrower.
        Assert.Equal(gate, real.GateTolerance, 9);
    }

    [Fact]
    public void One_run_baselines_and_cleared_pairs_need_no_second_confirmation()
    {
        var (runs, spread, _) = TightRuns();
        var within = Comparer.Confirm(TenPercent, runs, [Three(spread.Center), Three(spread.Center)]);

        Assert.False(CellDecisions.NeedsSecondConfirmation([], new Dictionary<string, RunLevelResult?> { [Throughput.Name] = within }));
        // One baseline run: between-run spread unknown, each run must be Regressed on its own, no third run.
        Assert.False(CellDecisions.NeedsSecondConfirmation([Throughput.Name], new Dictionary<string, RunLevelResult?> { [Throughput.Name] = null }));
        Assert.False(CellDecisions.NeedsSecondConfirmation([Throughput.Name], new Dictionary<string, RunLevelResult?>()));
    }

    /// <summary>
    /// The whole rule on simulated runs with a known between-run and trial spread: an unchanged run and its confirmation
    /// are Regressed rarely, a regression of 1.5 times the gate almost always.
    /// </summary>
    [Theory]
    [InlineData(0.05, 0.08, 6)]
    [InlineData(0.10, 0.05, 4)]
    [InlineData(0.02, 0.08, 5)]
    public void Simulated_runs_false_alarms_stay_rare_and_regressions_of_one_and_a_half_gates_are_caught(double tau, double sigma, int baselineRuns)
    {
        var random = new Random(20261202);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        IReadOnlyList<double> Run(double logShift, int trials)
        {
            double b = tau * Gauss();
            return [.. Enumerable.Range(0, trials).Select(_ => 100 * Math.Exp(logShift + b + sigma * Gauss()))];
        }
        bool Judge(IReadOnlyList<IReadOnlyList<double>> baseline, double logShift)
        {
            var first = Run(logShift, 3);
            var c = Comparer.Compare(TenPercent, baseline, first);
            if (!c.NeedsConfirmation) return false;
            var confirmation = Run(logShift, 3);
            if (!Comparer.Confirm(TenPercent, baseline, [first, confirmation])!.Worse) return false;
            return Comparer.Confirm(TenPercent, baseline, [first, confirmation, Run(logShift, 3)])!.Worse;
        }

        const int tries = 1500;
        int falseAlarms = 0, caught = 0;
        for (int i = 0; i < tries; i++)
        {
            var baseline = Enumerable.Range(0, baselineRuns).Select(_ => Run(0, 5)).ToList();
            if (Judge(baseline, 0)) falseAlarms++;
            double gate = RunLevelCheck.GateTolerance(TenPercent, RunSpread.Estimate(baseline)!, 3);
            if (Judge(baseline, Math.Log(Math.Max(0.01, 1 - 1.5 * gate)))) caught++;
        }

        Assert.True(falseAlarms <= 0.01 * tries, $"false alarms {falseAlarms}/{tries}");
        Assert.True(caught >= 0.9 * tries, $"caught {caught}/{tries}");
    }
}
