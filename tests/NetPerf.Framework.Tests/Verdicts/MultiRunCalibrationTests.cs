using NetPerf.Statistics;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Verdicts;

/// <summary>
/// Simulated jobs against baselines of several runs, where runs differ from each other (a run effect tau shared by a
/// run's trials) more than trials differ within a run (sigma): the situation the run-level check exists for.
/// </summary>
/// <remarks>
/// A job fails the build as the main job decides: a first run that needs confirmation (Regressed, or worse than half the
/// gate) is judged together with an independent confirmation run on a fresh testbed (<see cref="Comparer.Confirm"/>).
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

    /// <summary>How many of <see cref="Jobs"/> simulated jobs fail: the run needs confirmation and the two runs together are Regressed.</summary>
    private static int FailedJobs(int seed, double tau, double sigma, double trueChange)
    {
        var noise = new Noise(seed);
        int failed = 0;
        for (int job = 0; job < Jobs; job++)
        {
            var baseline = Baseline(noise, tau, sigma);
            var first = noise.Run(CurrentTrials, Median * trueChange, tau, sigma);
            if (!Comparer.Compare(Gate, baseline, first).NeedsConfirmation)
                continue;
            if (Comparer.Confirm(Gate, baseline, [first, noise.Run(CurrentTrials, Median * trueChange, tau, sigma)])!.Worse)
                failed++;
        }
        return failed;
    }

    [Fact]
    public void Unchanged_code_on_runs_that_differ_by_ten_percent_fails_at_most_two_percent_of_jobs()
    {
        int failed = FailedJobs(seed: 20261201, tau: 0.10, sigma: 0.03, trueChange: 1.0);

        Assert.True(failed <= 0.02 * Jobs, $"{failed} of {Jobs} A/A jobs failed (confirmed Regressed)");
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
            // Judged against the true spread: the stated figure is the power given the baseline's spread (a baseline's own
            // estimate of it moves the gate; DataSetGateTests and calibrate --runs measure that part).
            var first = noise.Run(CurrentTrials, Median * (1 - detectable), tau, sigma);
            if (!RunLevelCheck.Check(Gate, truth, first).Screened)
                continue;
            caught += RunLevelCheck.Combine(Gate, truth, [first, noise.Run(CurrentTrials, Median * (1 - detectable), tau, sigma)]).Worse ? 1 : 0;
        }

        Assert.InRange(detectable, Gate.Tolerance, 0.5);
        Assert.True(caught >= VerdictDefaults.Power * Jobs, $"{caught} of {Jobs} jobs caught a true {detectable:P1} regression, stated as caught with {VerdictDefaults.Power:P0} power");
    }
}
