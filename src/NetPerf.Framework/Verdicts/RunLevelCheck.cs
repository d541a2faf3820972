using NetPerf.Statistics;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace NetPerf.Verdicts;

/// <summary>
/// Judges a run as a whole against the spread of a baseline's runs: is this run's median outside what another unchanged
/// run would give (a one-sided prediction bound), and beyond the gate? Sets the gate the data supports, judges a run
/// together with its confirmation, and says how large a regression the cell can detect.
/// </summary>
/// <remarks>
/// <para>
/// The statistic is <c>d = ln(current median) - mean of ln(baseline run medians)</c>, divided by
/// <see cref="RunSpread.PredictionStandardError(int)"/> and referred to a Student t distribution with runs - 1 degrees of
/// freedom: the prediction interval for one new observation of a normal sample, applied to run medians on the log
/// scale. A run is <see cref="RunLevelResult.Worse"/> when this test is significant at alpha on the worse side AND the
/// change <c>exp(d)</c> is beyond the gate on that side: significance and practical threshold must agree.
/// </para>
/// <para>
/// The gate (<see cref="GateTolerance"/>) is the scenario's tolerance, unless the baseline's runs differ too much for it:
/// then the data sets it, at the <c>1 - <see cref="VerdictDefaults.FalseAlarmPerGate"/></c> quantile of Student's t (with
/// the Welch-Satterthwaite degrees of freedom of <see cref="RunSpread.MeanPredictionDegreesOfFreedom"/>, so few runs give a
/// wider gate) times the standard error of a run and its confirmation judged together
/// (<see cref="RunSpread.MeanPredictionStandardError"/> with two runs). Below that an
/// unchanged run and its confirmation would cross the gate more often than once in a thousand, and a job of 40-odd gates
/// would be red more often than once in twenty. A regression of 1.5 times such a gate is caught with at least 90% power.
/// The scenario's tolerance stays the goal: the cell says that the data set its gate and what it needs to reach the goal.
/// </para>
/// <para>
/// Confirmation (<see cref="Combine"/>): a first run that is <see cref="RunLevelResult.Screened"/> (worse than the
/// baseline by more than half the gate) is measured again on a fresh testbed, and the two runs are judged together: the
/// mean of their log medians against the prediction bound for a mean of two runs, and each run must be worse than half the
/// gate on its own. Averaging two independent testbeds halves the between-run variance; requiring each run to cross the
/// whole gate on its own would square the power instead, and requiring half the gate of each keeps one run in an odd
/// mode from carrying a normal one over the gate.
/// </para>
/// <para>
/// Detectable change: the smallest true change that the combined judgement flags with probability
/// <see cref="VerdictDefaults.Power"/>: the largest of <c>(t(1 - alpha) + z(p)) SE</c> (for the test) and
/// <c>gate + z(p) SE</c> (for the threshold), with SE that of the mean of the runs that are judged together. The screen
/// at half the gate passes such a run with a probability above 99% and is left out. With one baseline run the
/// between-run spread is unknown: the old rule applies (each run must be Regressed on its own, the trial-level test
/// included), its figure assumes runs differ no more than trials and says so.
/// </para>
/// </remarks>
internal static class RunLevelCheck
{
    private const int MostRunsSuggested = 30;
    private const int MostTrialsSuggested = 30;

    /// <summary>
    /// The gate as a fraction: the scenario's tolerance, or the smallest change the baseline's spread lets a run and its
    /// confirmation tell from noise at <see cref="VerdictDefaults.FalseAlarmPerGate"/>, whichever is larger.
    /// </summary>
    /// <param name="gate">The gate (its tolerance is the goal).</param>
    /// <param name="spread">The baseline's spread.</param>
    /// <param name="currentTrials">Trials per current run.</param>
    /// <param name="confirmationRuns">Runs judged together (2 with confirmation, 1 without).</param>
    public static double GateTolerance(Gate gate, RunSpread spread, int currentTrials, int confirmationRuns = 2)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(spread);
        return ToFraction(GateLog(gate, spread, currentTrials, confirmationRuns, null), gate.Metric.Direction == Direction.HigherIsBetter);
    }

    /// <summary>Judges <paramref name="current"/> against <paramref name="spread"/>.</summary>
    /// <param name="gate">The metric, tolerance (the goal) and alpha.</param>
    /// <param name="spread">The spread of the baseline's runs.</param>
    /// <param name="current">The current run's trial values (positive).</param>
    /// <param name="confirmationRuns">How many runs are judged together (1 without confirmation, 2 with it); sets the gate and the detectable change.</param>
    public static RunLevelResult Check(Gate gate, RunSpread spread, IReadOnlyList<double> current, int confirmationRuns = 2) =>
        Combine(gate, spread, [current], confirmationRuns);

    /// <summary>
    /// Judges several runs together (a run and its confirmation on a fresh testbed): the mean of their log medians
    /// against the prediction bound for such a mean.
    /// </summary>
    /// <param name="gate">The metric, tolerance (the goal) and alpha.</param>
    /// <param name="spread">The spread of the baseline's runs.</param>
    /// <param name="currentRuns">The trial values of each current run (positive), first run first.</param>
    /// <param name="confirmationRuns">How many runs a confirmed verdict rests on; sets the gate and the detectable change.</param>
    public static RunLevelResult Combine(Gate gate, RunSpread spread, IReadOnlyList<IReadOnlyList<double>> currentRuns, int confirmationRuns = 2)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(spread);
        ArgumentNullException.ThrowIfNull(currentRuns);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmationRuns, 1);
        if (currentRuns.Count == 0)
            throw new ArgumentException("The run-level check needs at least one current run.", nameof(currentRuns));
        var medians = new double[currentRuns.Count];
        int trials = int.MaxValue;
        for (int i = 0; i < currentRuns.Count; i++)
        {
            var values = SampleAnalyzer.Validate(currentRuns[i], nameof(currentRuns));
            medians[i] = SampleAnalyzer.Default.Summarize(values).Median;
            if (!(medians[i] > 0))
                throw new ArgumentException("The run-level check needs a positive current median.", nameof(currentRuns));
            trials = Math.Min(trials, values.Length);
        }
        bool higherIsBetter = gate.Metric.Direction == Direction.HigherIsBetter;
        double d = medians.Average(Math.Log) - spread.CenterLog;
        int m = currentRuns.Count;
        double se = m == 1 ? spread.PredictionStandardError(trials) : spread.MeanPredictionStandardError(trials, m);
        var t = new StudentDistribution(spread.DegreesOfFreedom);
        // Worse side: lower for throughput, higher for latency. p = P(unchanged runs land this far on the worse side).
        double worseStat = higherIsBetter ? -d : d;
        double pWorse = se > 0 ? 1 - t.Cdf(worseStat / se) : (worseStat > 0 ? 0 : 1);
        double pBetter = se > 0 ? t.Cdf(worseStat / se) : (worseStat < 0 ? 0 : 1);
        double gateLog = GateLog(gate, spread, trials, confirmationRuns, null);
        // Each run on its own must be worse than half the gate: one run in a different mode (a bridge p50 of 170 us
        // instead of 35 us was seen once in six runs here) must not carry a normal confirmation over the gate.
        bool everyRunWorse = medians.All(v => (higherIsBetter ? spread.CenterLog - Math.Log(v) : Math.Log(v) - spread.CenterLog) > gateLog / 2);
        bool everyRunBetter = medians.All(v => (higherIsBetter ? Math.Log(v) - spread.CenterLog : spread.CenterLog - Math.Log(v)) > gateLog / 2);
        double goalLog = ToleranceLog(gate);
        double quantile = t.Quantile(1 - gate.Alpha);
        double bound = higherIsBetter ? Math.Exp(-quantile * se) : Math.Exp(quantile * se);

        var detectable = Detectable(gate, spread, trials, confirmationRuns, spread.Runs);
        bool dataSetsGate = gateLog > goalLog * (1 + 1e-12);
        bool toleranceTooSmall = dataSetsGate || detectable.SignificanceLog > goalLog;

        return new RunLevelResult
        {
            Spread = spread,
            CurrentMedian = Math.Exp(medians.Average(Math.Log)),
            Ratio = Math.Exp(d),
            PredictionBound = bound,
            WorsePValue = Math.Clamp(pWorse, 0, 1),
            BetterPValue = Math.Clamp(pBetter, 0, 1),
            Worse = pWorse < gate.Alpha && worseStat > gateLog && everyRunWorse,
            Better = pBetter < gate.Alpha && -worseStat > gateLog && everyRunBetter,
            Screened = worseStat > gateLog / 2,
            CurrentRuns = m,
            GateTolerance = ToFraction(gateLog, higherIsBetter),
            DetectableChange = ToFraction(detectable.Log, higherIsBetter),
            ToleranceBelowDetectable = toleranceTooSmall,
            Advice = toleranceTooSmall ? Advice(gate, spread, trials, confirmationRuns) : null,
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
        if (!spread.BetweenRunSpreadKnown && runs == spread.Runs)
            return SingleRunDetectable(gate, spread, currentTrials, confirmationRuns, runs);
        // Known between-run spread: the first run is screened at half the gate, the run and its confirmation are judged together.
        double se = spread.MeanPredictionStandardError(currentTrials, confirmationRuns, runs == spread.Runs ? null : runs);
        int df = Math.Max(1, runs - 1);
        var t = new StudentDistribution(df);
        double z = NormalQuantile(VerdictDefaults.Power);
        double significance = (t.Quantile(1 - gate.Alpha) + z) * se;
        double practical = GateLog(gate, spread, currentTrials, confirmationRuns, runs == spread.Runs ? null : runs) + z * se;
        return (Math.Max(significance, practical), Math.Max(significance, DataGateLog(spread, currentTrials, confirmationRuns, runs == spread.Runs ? null : runs)));
    }

    /// <summary>One baseline run: each run must be Regressed on its own, the trial-level Mann-Whitney test included.</summary>
    private static (double Log, double SignificanceLog) SingleRunDetectable(Gate gate, RunSpread spread, int currentTrials, int confirmationRuns, int runs)
    {
        double se = spread.PredictionStandardError(currentTrials);
        var t = new StudentDistribution(spread.DegreesOfFreedom);
        double perRunPower = Math.Pow(VerdictDefaults.Power, 1.0 / confirmationRuns);
        double tPower = t.Quantile(perRunPower);
        double significance = (t.Quantile(1 - gate.Alpha) + tPower) * se;
        double practical = ToleranceLog(gate) + tPower * se;
        // The trial-level Mann-Whitney test against the baseline trials must agree too. Normal approximation of its
        // power: Mann-Whitney needs pi/3 times the trials a t-test needs, and it tests against the edge of the band.
        double trial = double.PositiveInfinity;
        int pooledTrials = spread.TrialsPerRun.Take(runs).Sum();
        if (Comparer.SmallestPossiblePValue(Math.Max(1, pooledTrials), currentTrials) < gate.Alpha * (1 - 1e-9))
        {
            double sigma = spread.WithinRunSd;
            double z = NormalQuantile(1 - gate.Alpha) + NormalQuantile(perRunPower);
            trial = ToleranceLog(gate) + z * Math.Sqrt(sigma * sigma * (1.0 / currentTrials + 1.0 / Math.Max(1, pooledTrials)) * Math.PI / 3);
        }
        return (Math.Max(Math.Max(significance, practical), trial), significance);
    }

    /// <summary>The smallest gate (log scale) the spread supports at <see cref="VerdictDefaults.FalseAlarmPerGate"/>; 0 when the between-run spread is unknown.</summary>
    private static double DataGateLog(RunSpread spread, int currentTrials, int confirmationRuns, int? runs)
    {
        if (!spread.BetweenRunSpreadKnown && runs is null)
            return 0;
        double df = spread.MeanPredictionDegreesOfFreedom(currentTrials, confirmationRuns, runs);
        return new StudentDistribution(df).Quantile(1 - VerdictDefaults.FalseAlarmPerGate) * spread.MeanPredictionStandardError(currentTrials, confirmationRuns, runs);
    }

    private static double GateLog(Gate gate, RunSpread spread, int currentTrials, int confirmationRuns, int? runs) =>
        Math.Max(ToleranceLog(gate), DataGateLog(spread, currentTrials, confirmationRuns, runs));

    private static double NormalQuantile(double p) => new NormalDistribution(0, 1).Quantile(p);

    private static double ToleranceLog(Gate gate) =>
        gate.Metric.Direction == Direction.HigherIsBetter ? -Math.Log(1 - gate.Tolerance) : Math.Log(1 + gate.Tolerance);

    private static double ToFraction(double log, bool higherIsBetter) => higherIsBetter ? 1 - Math.Exp(-log) : Math.Exp(log) - 1;

    private static string Advice(Gate gate, RunSpread spread, int currentTrials, int confirmationRuns)
    {
        double target = ToleranceLog(gate);
        string tolerance = NumberFormatting.FormatPercent(gate.Tolerance);
        string gateNow = NumberFormatting.FormatPercent(ToFraction(GateLog(gate, spread, currentTrials, confirmationRuns, null), gate.Metric.Direction == Direction.HigherIsBetter));
        string prefix = spread.BetweenRunSpreadKnown ? $"the data sets the gate at {gateNow}; " : "";
        for (int runs = Math.Max(2, spread.Runs + 1); runs <= MostRunsSuggested; runs++)
        {
            if (Detectable(gate, spread, currentTrials, confirmationRuns, runs).SignificanceLog <= target)
                return $"{prefix}to gate at {tolerance} it needs {runs} baseline runs on fresh testbeds (it has {spread.Runs}; add runs with NETPERF_RECORD=1 or 'netperf merge-runs')";
        }
        for (int trials = currentTrials + 1; trials <= MostTrialsSuggested; trials++)
        {
            if (Detectable(gate, spread, trials, confirmationRuns, Math.Max(2, spread.Runs)).SignificanceLog <= target)
                return $"{prefix}to gate at {tolerance} it needs {trials} trials per run (it ran {currentTrials}; set [Trials(n)] or NETPERF_TRIALS)";
        }
        if (!spread.BetweenRunSpreadKnown)
            return $"with one baseline run even its trial noise hides a {tolerance} regression at {currentTrials} trials: record more runs on fresh testbeds (NETPERF_RECORD=1) and run more trials per run";
        string cv = NumberFormatting.FormatPercent(spread.RunMedianCv!.Value);
        return $"{prefix}its runs differ too much (run medians moved {cv} between testbeds) for a {tolerance} gate at any number of runs or trials here: " +
            "lengthen the trials, pin CPUs (.Pin), or gate on the ratio to a control arm (.RelativeTo(Driver.Host))";
    }
}
