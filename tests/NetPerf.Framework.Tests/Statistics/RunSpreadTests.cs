using NetPerf.Statistics;
using NetPerf.Tests.Verdicts;

namespace NetPerf.Tests.Statistics;

public class RunSpreadTests
{
    private static double SampleSd(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    [Fact]
    public void Between_run_sd_of_runs_apart_by_a_known_spread_is_close_to_the_spread_of_their_medians()
    {
        var noise = new Noise(31);
        var effects = Enumerable.Range(0, 6).Select(_ => 0.10 * noise.Normal()).ToArray();
        // Tight trials (0.5% on the log scale) around each run's level.
        var runs = effects.Select(b => (IReadOnlyList<double>)[.. noise.LogNormal(5, 17 * Math.Exp(b), 0.005)]).ToList();

        var spread = RunSpread.Estimate(runs)!;

        double truth = SampleSd(effects);
        Assert.InRange(truth, 0.05, 0.2);
        Assert.Equal(6, spread.Runs);
        Assert.True(spread.BetweenRunSpreadKnown);
        Assert.Equal(5, spread.DegreesOfFreedom);
        Assert.Equal(truth, spread.RunMedianSd!.Value, 0.01);
        Assert.Equal(truth, spread.BetweenRunSd!.Value, 0.01);
        Assert.True(spread.BetweenRunSd <= spread.RunMedianSd);
        Assert.InRange(spread.WithinRunSd, 0.002, 0.01);
        Assert.Equal(17 * Math.Exp(effects.Average()), spread.Center, 0.1);
        Assert.Equal(Math.Exp(spread.RunMedianSd.Value) - 1, spread.RunMedianCv!.Value, 12);
    }

    [Fact]
    public void Trial_noise_alone_is_not_taken_for_a_spread_between_runs()
    {
        var noise = new Noise(32);
        double tauSum = 0, medianSdSum = 0;
        for (int i = 0; i < 200; i++)
        {
            // No run effect: every difference between run medians comes from 5 trials of 5% noise.
            var runs = Enumerable.Range(0, 10).Select(_ => (IReadOnlyList<double>)noise.Run(5, 17, tau: 0, sigma: 0.05)).ToList();
            var spread = RunSpread.Estimate(runs)!;
            tauSum += spread.BetweenRunSd!.Value;
            medianSdSum += spread.RunMedianSd!.Value;
        }

        Assert.True(tauSum < 0.25 * medianSdSum, $"mean tau {tauSum / 200:0.####} against a mean run-median sd of {medianSdSum / 200:0.####}");
    }

    [Fact]
    public void Identical_runs_have_no_spread_between_them()
    {
        IReadOnlyList<double> run = [16.9, 17.0, 17.2, 17.1, 16.8];

        var spread = RunSpread.Estimate([run, run, run, run])!;

        Assert.Equal(0, spread.BetweenRunSd);
        Assert.Equal(0, spread.RunMedianSd!.Value, 12);
        Assert.True(spread.WithinRunSd > 0);
        Assert.Equal(spread.RunMedians[0], spread.Center, 9);
    }

    [Fact]
    public void One_run_leaves_the_between_run_spread_unknown()
    {
        var spread = RunSpread.Estimate([[16.9, 17.0, 17.2, 17.1, 16.8]])!;

        Assert.False(spread.BetweenRunSpreadKnown);
        Assert.Null(spread.BetweenRunSd);
        Assert.Null(spread.RunMedianSd);
        Assert.Null(spread.RunMedianCv);
        Assert.Equal(4, spread.DegreesOfFreedom);
        // Only trial noise is left: the median of 5 new trials against the median of 5 old ones.
        Assert.Equal(Math.Sqrt(Math.PI / 2 * spread.WithinRunSd * spread.WithinRunSd * (1.0 / 5 + 1.0 / 5)), spread.PredictionStandardError(5), 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void A_value_that_is_not_positive_gives_no_estimate(double bad)
    {
        Assert.Null(RunSpread.Estimate([[17, 17.1, 16.9], [17, bad, 16.9]]));
    }

    [Fact]
    public void No_runs_or_an_empty_run_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RunSpread.Estimate([]));
        var empty = Assert.Throws<ArgumentException>(() => RunSpread.Estimate([[17, 17.1], []]));
        Assert.Contains("'runs[1]'", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prediction_error_shrinks_with_more_baseline_runs_but_not_below_the_spread_between_runs()
    {
        var noise = new Noise(33);
        var runs = Enumerable.Range(0, 5).Select(_ => (IReadOnlyList<double>)noise.Run(5, 17, tau: 0.05, sigma: 0.02)).ToList();
        var spread = RunSpread.Estimate(runs)!;

        double five = spread.PredictionStandardError(3, runs: 5), thirty = spread.PredictionStandardError(3, runs: 30);

        Assert.True(thirty < five);
        Assert.True(thirty > spread.BetweenRunSd);
    }
}
