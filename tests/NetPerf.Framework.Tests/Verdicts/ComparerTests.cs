using NetPerf.Verdicts;

namespace NetPerf.Tests.Verdicts;

public class ComparerTests
{
    private static readonly Metric Throughput = new("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter);
    private static readonly Metric Latency = new("rtt_p50", Unit.Microseconds, Direction.LowerIsBetter);
    private static readonly Gate ThroughputGate = new(Throughput, tolerance: 0.05, alpha: 0.05);
    private static readonly Gate LatencyGate = new(Latency, tolerance: 0.05, alpha: 0.05);

    [Fact]
    public void Thirty_percent_throughput_drop_with_ten_trials_is_a_regression()
    {
        var noise = new Noise(1);
        var baseline = noise.LogNormal(10, 17, 0.03);
        var current = noise.LogNormal(10, 17 * 0.7, 0.03);

        var comparison = Comparer.Compare(ThroughputGate, baseline, current);

        Assert.Equal(Verdict.Regressed, comparison.Verdict);
        Assert.True(comparison.RegressionPValue < 0.05);
        Assert.True(comparison.ImprovementPValue > 0.5);
        Assert.InRange(comparison.ChangeRatio!.Value, 0.6, 0.8);
        Assert.InRange(comparison.HodgesLehmannRatio!.Value, 0.6, 0.8);
        Assert.True(comparison.HodgesLehmannInterval!.Upper < 0.95);
        Assert.Contains("lower", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Thirty_percent_throughput_gain_is_an_improvement()
    {
        var noise = new Noise(2);
        var comparison = Comparer.Compare(ThroughputGate, noise.LogNormal(10, 17, 0.03), noise.LogNormal(10, 17 * 1.3, 0.03));

        Assert.Equal(Verdict.Improved, comparison.Verdict);
        Assert.True(comparison.ImprovementPValue < 0.05);
        Assert.True(comparison.RegressionPValue > 0.5);
    }

    [Fact]
    public void Higher_latency_is_a_regression_and_lower_latency_an_improvement()
    {
        var noise = new Noise(3);
        var baseline = noise.LogNormal(10, 35, 0.03);

        var slower = Comparer.Compare(LatencyGate, baseline, noise.LogNormal(10, 35 * 1.3, 0.03));
        var faster = Comparer.Compare(LatencyGate, baseline, noise.LogNormal(10, 35 * 0.7, 0.03));

        Assert.Equal(Verdict.Regressed, slower.Verdict);
        Assert.Contains("higher", slower.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Improved, faster.Verdict);
    }

    [Fact]
    public void Same_data_means_opposite_verdicts_for_opposite_directions()
    {
        var noise = new Noise(4);
        var baseline = noise.LogNormal(10, 100, 0.03);
        var current = noise.LogNormal(10, 70, 0.03);

        Assert.Equal(Verdict.Regressed, Comparer.Compare(new Gate(Throughput), baseline, current).Verdict);
        Assert.Equal(Verdict.Improved, Comparer.Compare(new Gate(Latency), baseline, current).Verdict);
    }

    [Fact]
    public void Two_percent_shift_is_never_a_regression_at_five_percent_tolerance()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var noise = new Noise(1000 + seed);
            var comparison = Comparer.Compare(ThroughputGate, noise.LogNormal(10, 17, 0.02), noise.LogNormal(10, 17 * 0.98, 0.02));
            Assert.True(comparison.Verdict is Verdict.Unchanged or Verdict.Inconclusive, $"seed {seed}: {comparison.Verdict}: {comparison.Reason}");
        }
    }

    [Fact]
    public void Two_percent_shift_with_low_noise_is_shown_unchanged()
    {
        var noise = new Noise(5);
        var comparison = Comparer.Compare(ThroughputGate, noise.LogNormal(10, 17, 0.01), noise.LogNormal(10, 17 * 0.98, 0.01));

        Assert.Equal(Verdict.Unchanged, comparison.Verdict);
        Assert.True(comparison.EquivalencePValue < 0.05);
        var interval = comparison.HodgesLehmannInterval!;
        Assert.True(interval.Lower > 0.95 && interval.Upper < 1.05, interval.ToString());
        Assert.Contains("within ±5%", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Noisy_small_change_is_inconclusive_and_says_why()
    {
        var noise = new Noise(6);
        var comparison = Comparer.Compare(ThroughputGate, noise.LogNormal(5, 17, 0.15), noise.LogNormal(5, 17 * 0.95, 0.15));

        Assert.Equal(Verdict.Inconclusive, comparison.Verdict);
        Assert.Contains("neither clearly beyond nor clearly within", comparison.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(1, 10)]
    public void Tiny_samples_are_inconclusive_even_for_a_huge_change(int baselineCount, int currentCount)
    {
        var noise = new Noise(7);
        var comparison = Comparer.Compare(ThroughputGate, noise.LogNormal(baselineCount, 17, 0.02), noise.LogNormal(currentCount, 5, 0.02));

        Assert.Equal(Verdict.Inconclusive, comparison.Verdict);
        Assert.Contains("Too few trials", comparison.Reason, StringComparison.Ordinal);
        Assert.Contains($"run at least {Comparer.MinimumTrialsForSignificance(baselineCount, 0.05)} current trials", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_against_three_cannot_reach_five_percent_but_four_against_four_can()
    {
        Assert.Equal(0.05, Comparer.SmallestPossiblePValue(3, 3), 12);
        Assert.Equal(1.0 / 70, Comparer.SmallestPossiblePValue(4, 4), 12);
        Assert.Equal(4, Comparer.MinimumTrialsForSignificance(3, 0.05));
        Assert.Equal(20, Comparer.MinimumTrialsForSignificance(1, 0.05));

        var separated = Comparer.Compare(ThroughputGate, [17, 17.1, 17.2, 17.3], [10, 10.1, 10.2, 10.3]);
        Assert.Equal(Verdict.Regressed, separated.Verdict);
        Assert.Equal(1.0 / 70, separated.RegressionPValue, 9);
    }

    [Fact]
    public void Equal_constant_samples_are_unchanged()
    {
        var comparison = Comparer.Compare(new Gate(new Metric("retransmissions", Unit.Count, Direction.LowerIsBetter)), [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]);

        Assert.Equal(Verdict.Unchanged, comparison.Verdict);
        Assert.Null(comparison.ChangeRatio);
        Assert.Null(comparison.HodgesLehmannRatio);
        Assert.Contains("constant", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_constant_samples_regress_or_improve_from_their_values()
    {
        var lower = Comparer.Compare(ThroughputGate, [10, 10, 10], [9, 9, 9]);
        var higher = Comparer.Compare(ThroughputGate, [10, 10, 10], [11, 11, 11]);
        var within = Comparer.Compare(ThroughputGate, [10, 10, 10], [10.2, 10.2, 10.2]);

        Assert.Equal(Verdict.Regressed, lower.Verdict);
        Assert.Contains("Both samples are constant", lower.Reason, StringComparison.Ordinal);
        Assert.Equal(0.9, lower.ChangeRatio!.Value, 12);
        Assert.Equal(Verdict.Improved, higher.Verdict);
        Assert.Equal(Verdict.Unchanged, within.Verdict);
    }

    [Fact]
    public void Constant_samples_below_three_trials_stay_inconclusive()
    {
        var comparison = Comparer.Compare(ThroughputGate, [10, 10], [5, 5]);

        Assert.Equal(Verdict.Inconclusive, comparison.Verdict);
    }

    [Fact]
    public void Ties_across_samples_are_handled()
    {
        double[] baseline = [10, 10, 10, 11, 11, 11, 12, 12, 12, 10];
        double[] current = [10, 11, 12, 10, 11, 12, 10, 11, 12, 11];

        var comparison = Comparer.Compare(new Gate(Throughput, tolerance: 0.3), baseline, current);

        Assert.Equal(Verdict.Unchanged, comparison.Verdict);
        Assert.All([comparison.RegressionPValue, comparison.ImprovementPValue, comparison.EquivalencePValue], p => Assert.InRange(p, 0, 1));
    }

    [Fact]
    public void Multimodal_current_sample_is_warned_about_in_the_reason()
    {
        var noise = new Noise(8);
        var baseline = noise.LogNormal(20, 10, 0.02);
        var current = noise.LogNormal(10, 10, 0.02).Concat(noise.LogNormal(10, 20, 0.02)).ToArray();

        var comparison = Comparer.Compare(ThroughputGate, baseline, current);

        Assert.True(comparison.Current.IsMultimodal);
        Assert.Contains("the current sample", comparison.Reason, StringComparison.Ordinal);
        Assert.Contains("multimodal", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_baseline_with_growth_of_a_lower_is_better_count_is_a_regression()
    {
        var comparison = Comparer.Compare(new Gate(new Metric("retransmissions", Unit.Count, Direction.LowerIsBetter)),
            [0, 0, 0, 0, 0, 0], [4, 5, 6, 5, 4, 7]);

        Assert.Equal(Verdict.Regressed, comparison.Verdict);
        Assert.Null(comparison.ChangeRatio);
        Assert.Contains("baseline median is 0", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_inputs_are_rejected_with_the_sample_and_index()
    {
        var negative = Assert.Throws<ArgumentException>(() => Comparer.Compare(ThroughputGate, [1, 2, -3], [1, 2, 3]));
        Assert.Contains("'baseline[2]'", negative.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => Comparer.Compare(ThroughputGate, [1, 2, 3], [double.NaN]));
        Assert.Contains("'current[0]'", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Comparer.Compare(ThroughputGate, [], [1]));
    }

    [Fact]
    public void Gate_rejects_out_of_range_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gate(Throughput, tolerance: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gate(Throughput, tolerance: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gate(Throughput, alpha: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gate(Throughput) with { Alpha = 0.9 });
        Assert.Equal(VerdictDefaults.Tolerance, new Gate(Throughput).Tolerance);
        Assert.Equal(VerdictDefaults.Alpha, new Gate(Throughput).Alpha);
    }
}
