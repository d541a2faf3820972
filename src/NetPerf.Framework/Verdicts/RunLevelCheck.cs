using NetPerf.Statistics;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace NetPerf.Verdicts;

/// <summary>
/// Judges a run as a whole against the spread of a baseline's runs: is this run's median outside what another unchanged
/// run would give (a one-sided prediction bound), and beyond the tolerance? Also says how large a regression the cell
/// can detect.
/// </summary>
/// <remarks>
/// <para>
/// The statistic is <c>d = ln(current median) - mean of ln(baseline run medians)</c>, divided by
/// <see cref="RunSpread.PredictionStandardError(int)"/> and referred to a Student t distribution with runs - 1 degrees of
/// freedom: the prediction interval for one new observation of a normal sample, applied to run medians on the log
/// scale. A run is <see cref="RunLevelResult.Worse"/> when this test is significant at alpha on the worse side AND the
/// change <c>exp(d)</c> is beyond the tolerance on that side: significance and practical threshold must agree.
/// </para>
/// <para>
/// Detectable change: the smallest true change that is flagged with probability <see cref="VerdictDefaults.Power"/> by
/// a run AND its confirmation run on a fresh testbed (so each run alone needs the square root of that power). It is the
/// largest of <c>(t(1 - alpha) + t(p)) SE</c> (for the test), <c>|ln(1 -+ tolerance)| + t(p) SE</c> (for the threshold)
/// and a normal approximation of the trial-level Mann-Whitney test's needs (infinite when its trial counts cannot
/// reach alpha at all).
/// With one baseline run the between-run spread is unknown and taken as 0, so the figure is optimistic and says so.
/// </para>
/// </remarks>
public static class RunLevelCheck
{
    private const int MostRunsSuggested = 30;
    private const int MostTrialsSuggested = 30;

    /// <summary>Judges <paramref name="current"/> against <paramref name="spread"/>.</summary>
    /// <param name="gate">The metric, tolerance and alpha.</param>
    /// <param name="spread">The spread of the baseline's runs.</param>
    /// <param name="current">The current run's trial values (positive).</param>
    /// <param name="confirmationRuns">How many runs must agree (1 without confirmation, 2 with it); used for the detectable change.</param>
    public static RunLevelResult Check(Gate gate, RunSpread spread, IReadOnlyList<double> current, int confirmationRuns = 2)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(spread);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmationRuns, 1);
        var values = SampleAnalyzer.Validate(current, nameof(current));
        double median = SampleAnalyzer.Default.Summarize(values).Median;
        if (!(median > 0))
            throw new ArgumentException("The run-level check needs a positive current median.", nameof(current));
        bool higherIsBetter = gate.Metric.Direction == Direction.HigherIsBetter;
        double d = Math.Log(median) - spread.CenterLog;
        double se = spread.PredictionStandardError(values.Length);
        var t = new StudentDistribution(spread.DegreesOfFreedom);
        // Worse side: lower for throughput, higher for latency. p = P(a new unchanged run lands this far on the worse side).
        double worseStat = higherIsBetter ? -d : d;
        double pWorse = se > 0 ? 1 - t.Cdf(worseStat / se) : (worseStat > 0 ? 0 : 1);
        double pBetter = se > 0 ? t.Cdf(worseStat / se) : (worseStat < 0 ? 0 : 1);
        double ratio = Math.Exp(d);
        double tol = gate.Tolerance;
        bool beyondWorse = higherIsBetter ? ratio < 1 - tol : ratio > 1 + tol;
        bool beyondBetter = higherIsBetter ? ratio > 1 + tol : ratio < 1 - tol;
        double quantile = t.Quantile(1 - gate.Alpha);
        double bound = higherIsBetter ? Math.Exp(-quantile * se) : Math.Exp(quantile * se);

        var detectable = Detectable(gate, spread, values.Length, confirmationRuns, spread.Runs);
        string? advice = null;
        bool toleranceTooSmall = detectable.SignificanceLog > ToleranceLog(gate);
        if (toleranceTooSmall)
            advice = Advice(gate, spread, values.Length, confirmationRuns);

        return new RunLevelResult
        {
            Spread = spread,
            CurrentMedian = median,
            Ratio = ratio,
            PredictionBound = bound,
            WorsePValue = Math.Clamp(pWorse, 0, 1),
            BetterPValue = Math.Clamp(pBetter, 0, 1),
            Worse = pWorse < gate.Alpha && beyondWorse,
            Better = pBetter < gate.Alpha && beyondBetter,
            DetectableChange = ToFraction(detectable.Log, higherIsBetter),
            ToleranceBelowDetectable = toleranceTooSmall,
            Advice = advice,
        };
    }

    /// <summary>The smallest regression (a fraction, e.g. 0.12 for 12%) that <paramref name="confirmationRuns"/> runs of <paramref name="currentTrials"/> trials detect with <see cref="VerdictDefaults.Power"/>.</summary>
    /// <param name="gate">The gate.</param>
    /// <param name="spread">The baseline's spread.</param>
    /// <param name="currentTrials">Trials per current run.</param>
    /// <param name="confirmationRuns">Runs that must agree.</param>
    public static double DetectableChange(Gate gate, RunSpread spread, int currentTrials, int confirmationRuns = 2)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(spread);
        return ToFraction(Detectable(gate, spread, currentTrials, confirmationRuns, spread.Runs).Log, gate.Metric.Direction == Direction.HigherIsBetter);
    }

    private static (double Log, double SignificanceLog) Detectable(Gate gate, RunSpread spread, int currentTrials, int confirmationRuns, int runs)
    {
        double se = runs == spread.Runs ? spread.PredictionStandardError(currentTrials) : spread.PredictionStandardError(currentTrials, runs);
        int df = runs >= 2 ? runs - 1 : spread.DegreesOfFreedom;
        var t = new StudentDistribution(df);
        double perRunPower = Math.Pow(VerdictDefaults.Power, 1.0 / confirmationRuns);
        double tPower = t.Quantile(perRunPower);
        double significance = (t.Quantile(1 - gate.Alpha) + tPower) * se;
        double practical = ToleranceLog(gate) + tPower * se;
        // The trial-level Mann-Whitney test against the pooled baseline trials must agree too. Normal approximation of
        // its power: the difference of a current and a pooled trial has variance sigma^2 + tau^2, Mann-Whitney needs
        // pi/3 times the trials a t-test needs, and it tests against the edge of the tolerance band.
        double trial = double.PositiveInfinity;
        int pooledTrials = spread.TrialsPerRun.Take(runs).Sum() * Math.Max(1, runs / Math.Max(1, spread.Runs));
        if (Comparer.SmallestPossiblePValue(Math.Max(1, pooledTrials), currentTrials) < gate.Alpha * (1 - 1e-9))
        {
            double tau = spread.BetweenRunSd ?? 0, sigma = spread.WithinRunSd;
            double z = NormalQuantile(1 - gate.Alpha) + NormalQuantile(perRunPower);
            trial = ToleranceLog(gate) + z * Math.Sqrt((sigma * sigma + tau * tau) * (1.0 / currentTrials + 1.0 / Math.Max(1, pooledTrials)) * Math.PI / 3);
        }
        return (Math.Max(Math.Max(significance, practical), trial), significance);
    }

    private static double NormalQuantile(double p) => new NormalDistribution(0, 1).Quantile(p);

    private static double ToleranceLog(Gate gate) =>
        gate.Metric.Direction == Direction.HigherIsBetter ? -Math.Log(1 - gate.Tolerance) : Math.Log(1 + gate.Tolerance);

    private static double ToFraction(double log, bool higherIsBetter) => higherIsBetter ? 1 - Math.Exp(-log) : Math.Exp(log) - 1;

    private static string Advice(Gate gate, RunSpread spread, int currentTrials, int confirmationRuns)
    {
        double target = ToleranceLog(gate);
        string tolerance = NumberFormatting.FormatPercent(gate.Tolerance);
        for (int runs = Math.Max(2, spread.Runs + 1); runs <= MostRunsSuggested; runs++)
        {
            if (Detectable(gate, spread, currentTrials, confirmationRuns, runs).SignificanceLog <= target)
                return $"to see a {tolerance} regression it needs {runs} baseline runs on fresh testbeds (it has {spread.Runs}; add runs with NETPERF_RECORD=1 or 'netperf merge-runs')";
        }
        for (int trials = currentTrials + 1; trials <= MostTrialsSuggested; trials++)
        {
            if (Detectable(gate, spread, trials, confirmationRuns, Math.Max(2, spread.Runs)).SignificanceLog <= target)
                return $"to see a {tolerance} regression it needs {trials} trials per run (it ran {currentTrials}; set .Trials() or NETPERF_TRIALS)";
        }
        if (!spread.BetweenRunSpreadKnown)
            return $"with one baseline run even its trial noise hides a {tolerance} regression at {currentTrials} trials: record more runs on fresh testbeds (NETPERF_RECORD=1) and run more trials per run";
        string cv = NumberFormatting.FormatPercent(spread.RunMedianCv!.Value);
        return $"its runs differ too much (run medians moved {cv} between testbeds) for a {tolerance} gate at any number of runs or trials here: " +
            "lengthen the trials, pin CPUs (.Pin), or gate on the ratio to a control arm (.RelativeTo(Driver.Host))";
    }
}
