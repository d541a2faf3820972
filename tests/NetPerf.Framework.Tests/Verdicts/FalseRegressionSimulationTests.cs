using NetPerf.Verdicts;

namespace NetPerf.Tests.Verdicts;

/// <summary>A/A simulations: baseline and current come from the same distribution, so every "Regressed" is false.</summary>
public class FalseRegressionSimulationTests
{
    private const int Cells = 1000;
    private static readonly Gate Gate = new(new Metric("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter), tolerance: 0.05, alpha: 0.05);

    [Fact]
    public void Fixed_ten_against_ten_trials_keep_false_regressions_below_alpha()
    {
        var noise = new Noise(20240601);
        int regressed = 0, improved = 0;
        for (int cell = 0; cell < Cells; cell++)
        {
            var comparison = Comparer.Compare(Gate, noise.LogNormal(10, 17, 0.10), noise.LogNormal(10, 17, 0.10));
            regressed += comparison.Verdict == Verdict.Regressed ? 1 : 0;
            improved += comparison.Verdict == Verdict.Improved ? 1 : 0;
        }

        Assert.True(regressed < Gate.Alpha * Cells, $"{regressed} false regressions in {Cells} A/A cells");
        Assert.True(improved < Gate.Alpha * Cells, $"{improved} false improvements in {Cells} A/A cells");
    }

    [Fact]
    public void Sequential_trials_keep_false_regressions_below_alpha()
    {
        var noise = new Noise(20240602);
        var policy = new SequentialPolicy(minTrials: 5, maxTrials: 20, step: 5);
        int regressed = 0;
        for (int cell = 0; cell < Cells; cell++)
        {
            var baseline = noise.LogNormal(10, 17, 0.10);
            var current = new List<double>(noise.LogNormal(policy.MinTrials, 17, 0.10));
            var comparison = Comparer.Compare(Gate, baseline, current);
            for (int add; (add = policy.TrialsToAdd(comparison)) > 0;)
            {
                current.AddRange(noise.LogNormal(add, 17, 0.10));
                comparison = Comparer.Compare(Gate, baseline, current);
            }
            Assert.True(current.Count <= policy.MaxTrials);
            regressed += comparison.Verdict == Verdict.Regressed ? 1 : 0;
        }

        Assert.True(regressed < Gate.Alpha * Cells, $"{regressed} false regressions in {Cells} sequential A/A cells");
    }
}
