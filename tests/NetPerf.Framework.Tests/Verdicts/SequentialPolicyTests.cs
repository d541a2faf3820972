using NetPerf.Verdicts;

namespace NetPerf.Tests.Verdicts;

public class SequentialPolicyTests
{
    private static readonly Gate Gate = new(new Metric("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter));
    private static readonly SequentialPolicy Policy = new(minTrials: 5, maxTrials: 12, step: 5);

    [Fact]
    public void Below_the_minimum_it_asks_for_the_missing_trials()
    {
        var comparison = Comparer.Compare(Gate, [17, 17, 17, 17, 17], [17, 17]);

        Assert.Equal(3, Policy.TrialsToAdd(comparison));
    }

    [Fact]
    public void Inconclusive_below_the_maximum_asks_for_a_step_capped_at_the_maximum()
    {
        var noise = new Noise(11);
        var baseline = noise.LogNormal(10, 17, 0.2);

        var atFive = Comparer.Compare(Gate, baseline, noise.LogNormal(5, 17, 0.2));
        var atTen = Comparer.Compare(Gate, baseline, noise.LogNormal(10, 17, 0.2));
        var atTwelve = Comparer.Compare(Gate, baseline, noise.LogNormal(12, 17, 0.2));

        Assert.Equal(Verdict.Inconclusive, atFive.Verdict);
        Assert.Equal(5, Policy.TrialsToAdd(atFive));
        Assert.Equal(Verdict.Inconclusive, atTen.Verdict);
        Assert.Equal(2, Policy.TrialsToAdd(atTen));
        Assert.Equal(Verdict.Inconclusive, atTwelve.Verdict);
        Assert.False(Policy.ShouldAddTrials(atTwelve));
    }

    [Fact]
    public void A_decided_verdict_stops()
    {
        var noise = new Noise(12);
        var comparison = Comparer.Compare(Gate, noise.LogNormal(10, 17, 0.02), noise.LogNormal(5, 10, 0.02));

        Assert.Equal(Verdict.Regressed, comparison.Verdict);
        Assert.Equal(0, Policy.TrialsToAdd(comparison));
    }

    [Fact]
    public void Invalid_settings_are_rejected_and_defaults_come_from_verdict_defaults()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequentialPolicy(minTrials: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequentialPolicy(minTrials: 10, maxTrials: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequentialPolicy(step: 0));
        Assert.Equal(VerdictDefaults.MinTrials, SequentialPolicy.Default.MinTrials);
        Assert.Equal(VerdictDefaults.MaxTrials, SequentialPolicy.Default.MaxTrials);
        Assert.Equal(VerdictDefaults.TrialStep, SequentialPolicy.Default.Step);
    }
}
