using NetPerf.Statistics;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Verdicts;

/// <summary>
/// Simulated jobs against baselines of several runs, where runs differ from each other (a run effect tau shared by a
/// run's trials) more than trials differ within a run (sigma): the situation the run-level check exists for.
/// </summary>
/// <remarks>
/// A job fails the build only when its run AND an independent confirmation run on a fresh testbed are both
/// <see cref="Verdict.Regressed"/> against the same baseline.
/// </remarks>
public class MultiRunCalibrationTests
{
    private const int Jobs = 400;
    private const int BaselineRuns = 5;
    private const int TrialsPerBaselineRun = 5;
    private const int CurrentTrials = 3;
    private const double Median = 17;
    private static readonly Gate Gate = new(new Metric("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter), tolerance: 0.10, alpha: 0.05);

    private static IReadOnlyList<IReadOnlyList<double>> Baseline(Noise noise, double tau, double sigma) =>
        [.. Enumerable.Range(0, BaselineRuns).Select(_ => (IReadOnlyList<double>)noise.Run(TrialsPerBaselineRun, Median, tau, sigma))];

    /// <summary>How many of <see cref="Jobs"/> simulated jobs fail: run and confirmation run both regressed.</summary>
    private static int FailedJobs(int seed, double tau, double sigma, double trueChange)
    {
        var noise = new Noise(seed);
        int failed = 0;
        for (int job = 0; job < Jobs; job++)
        {
            var baseline = Baseline(noise, tau, sigma);
            var run = Comparer.Compare(Gate, baseline, noise.Run(CurrentTrials, Median * trueChange, tau, sigma));
            var confirmation = Comparer.Compare(Gate, baseline, noise.Run(CurrentTrials, Median * trueChange, tau, sigma));
            if (run.Verdict == Verdict.Regressed && confirmation.Verdict == Verdict.Regressed)
                failed++;
        }
        return failed;
    }

    [Fact]
    public void Unchanged_code_on_runs_that_differ_by_ten_percent_fails_at_most_two_percent_of_jobs()
    {
        int failed = FailedJobs(seed: 20261201, tau: 0.10, sigma: 0.03, trueChange: 1.0);

        Assert.True(failed <= 0.02 * Jobs, $"{failed} of {Jobs} A/A jobs failed (run and confirmation both Regressed)");
    }

    [Fact]
    public void A_quarter_lower_throughput_fails_at_least_eighty_percent_of_jobs_when_runs_agree_within_three_percent()
    {
        int failed = FailedJobs(seed: 20261202, tau: 0.03, sigma: 0.03, trueChange: 0.75);

        Assert.True(failed >= 0.80 * Jobs, $"{failed} of {Jobs} jobs caught a true 25% regression");
    }

    [Fact]
    public void The_run_level_check_catches_its_stated_detectable_change_with_the_stated_power()
    {
        // The true spread, so the stated detectable change does not depend on one job's estimate of it.
        const double tau = 0.03, sigma = 0.03;
        var truth = new RunSpread
        {
            Runs = BaselineRuns,
            TrialsPerRun = [.. Enumerable.Repeat(TrialsPerBaselineRun, BaselineRuns)],
            RunMedians = [.. Enumerable.Repeat(Median, BaselineRuns)],
            CenterLog = Math.Log(Median),
            WithinRunSd = sigma,
            RunMedianSd = Math.Sqrt(tau * tau + Math.PI / 2 * sigma * sigma / TrialsPerBaselineRun),
            BetweenRunSd = tau,
        };
        double detectable = RunLevelCheck.DetectableChange(Gate, truth, CurrentTrials);
        var noise = new Noise(20261203);
        int caught = 0;
        for (int job = 0; job < Jobs; job++)
        {
            var spread = RunSpread.Estimate(Baseline(noise, tau, sigma))!;
            bool run = RunLevelCheck.Check(Gate, spread, noise.Run(CurrentTrials, Median * (1 - detectable), tau, sigma)).Worse;
            bool confirmation = RunLevelCheck.Check(Gate, spread, noise.Run(CurrentTrials, Median * (1 - detectable), tau, sigma)).Worse;
            caught += run && confirmation ? 1 : 0;
        }

        Assert.InRange(detectable, Gate.Tolerance, 0.5);
        Assert.True(caught >= VerdictDefaults.Power * Jobs, $"{caught} of {Jobs} jobs caught a true {detectable:P1} regression, stated as caught with {VerdictDefaults.Power:P0} power");
    }
}
