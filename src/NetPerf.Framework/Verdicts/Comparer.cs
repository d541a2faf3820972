using NetPerf.Statistics;
using Perfolizer;
using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.GenericEstimators;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;

namespace NetPerf.Verdicts;

/// <summary>Compares current trials of a metric with its baseline trials and gives a <see cref="Verdict"/>.</summary>
/// <remarks>
/// <para>
/// The tolerance band is [baseline x (1 - t), baseline x (1 + t)]. Four one-sided Mann-Whitney tests, each at
/// level alpha, compare the current trials with the baseline trials scaled to the edges of the band:
/// "current above the band", "current below the band", "current above the lower edge" and "current below the
/// upper edge". Which of "above"/"below" is a regression follows from the metric's <see cref="Direction"/>.
/// </para>
/// <list type="bullet">
/// <item><see cref="Verdict.Regressed"/>: the test "current beyond the band on the worse side" is significant
/// (p &lt; alpha) AND both point estimates of the change, the median ratio and the Hodges-Lehmann ratio, lie
/// beyond the band on that side.</item>
/// <item><see cref="Verdict.Improved"/>: the same on the better side.</item>
/// <item><see cref="Verdict.Unchanged"/>: both edge tests are significant, i.e. a two-one-sided-tests (TOST)
/// equivalence test built from Mann-Whitney shows the shift lies inside the band. Equivalently, the
/// 1 - 2 alpha Moses interval of the ratio lies inside the band.</item>
/// <item><see cref="Verdict.Inconclusive"/>: anything else, e.g. too few trials for any test to reach
/// significance (3 against 3 trials cannot give p &lt; 0.05), or an interval that straddles an edge.</item>
/// </list>
/// <para>
/// Each claim is a level-alpha test of its own hypothesis, so on data without a real change a false
/// "Regressed" is rarer than alpha; "Unchanged" is claimed only when the data support it, not merely
/// because no change was found. Two constant samples (at least
/// <see cref="VerdictDefaults.MinimumTrialsForConstantVerdict"/> values each) are judged from their values alone.
/// Values must be non-negative (every NetPerf metric is); ratios need positive values and are left out otherwise.
/// </para>
/// </remarks>
internal static class Comparer
{
    /// <summary>Compares with the default <see cref="SampleAnalyzer"/>.</summary>
    /// <param name="gate">The metric, tolerance and significance level.</param>
    /// <param name="baseline">The baseline trial values (at least one, finite, non-negative).</param>
    /// <param name="current">The current trial values (at least one, finite, non-negative).</param>
    /// <exception cref="ArgumentException">A sample is empty or holds a NaN, infinite or negative value.</exception>
    public static Comparison Compare(Gate gate, IReadOnlyList<double> baseline, IReadOnlyList<double> current) =>
        Compare(gate, baseline, current, SampleAnalyzer.Default);

    /// <summary>
    /// Compares current trials with a baseline of several runs: the trial-level test against the pooled trials of all
    /// runs AND the run-level check against the spread of the run medians (<see cref="RunLevelCheck"/>) must agree before
    /// a change is claimed.
    /// </summary>
    /// <param name="gate">The metric, tolerance and significance level.</param>
    /// <param name="baselineRuns">The baseline's trial values per run (at least one run).</param>
    /// <param name="current">The current trial values.</param>
    /// <param name="confirmationRuns">Runs that must agree before a regression fails a build (2 with confirmation on a fresh testbed), for the detectable change.</param>
    /// <remarks>
    /// With two or more runs a trial-level change that the run-level check does not confirm is
    /// <see cref="Verdict.Inconclusive"/>: the run differs from the baseline's trials but no more than runs differ from
    /// each other. With one run the trial-level verdict stands and the reason says that the between-run spread is unknown.
    /// </remarks>
    public static Comparison Compare(Gate gate, IReadOnlyList<IReadOnlyList<double>> baselineRuns, IReadOnlyList<double> current, int confirmationRuns = 2)
    {
        ArgumentNullException.ThrowIfNull(baselineRuns);
        if (baselineRuns.Count == 0)
            throw new ArgumentException("The baseline needs at least one run.", nameof(baselineRuns));
        var pooled = baselineRuns.SelectMany(r => r).ToArray();
        var spread = RunSpread.Estimate(baselineRuns);
        if (spread is null || SampleAnalyzer.Validate(current, nameof(current)) is var values && SampleAnalyzer.Default.Summarize(values).Median <= 0)
        {
            var plain = Compare(gate, pooled, current, SampleAnalyzer.Default);
            return plain with { BaselineRuns = baselineRuns.Count, Reason = plain.Reason + " (No run-level check: it needs positive values.)" };
        }

        // The data may set the gate above the scenario's tolerance: both levels judge against the same gate.
        double gateTolerance = RunLevelCheck.GateTolerance(gate, spread, current.Count, confirmationRuns);
        // A gate the data puts at 100% or more of a higher-is-better metric is a gate nothing can cross.
        var effective = gate with { Tolerance = gate.Metric.Direction == Direction.HigherIsBetter ? Math.Min(gateTolerance, 1 - 1e-9) : gateTolerance };
        var trial = Compare(effective, pooled, current, SampleAnalyzer.Default) with { RequestedTolerance = gate.Tolerance };
        var run = RunLevelCheck.Check(gate, spread, current, confirmationRuns);
        var result = trial with { BaselineRuns = baselineRuns.Count, RunLevel = run };
        string facts = DescribeRuns(gate, run);
        if (!spread.BetweenRunSpreadKnown)
            return result with { Reason = $"{trial.Reason} Between-run spread unknown: the baseline holds one run, so a difference between testbeds looks like a change; record more runs on fresh testbeds (NETPERF_RECORD=1)." };
        if (gateTolerance > gate.Tolerance * (1 + 1e-9))
            trial = trial with
            {
                Reason = $"Gate {NumberFormatting.FormatPercent(gateTolerance)}, set by the data (the scenario asks for {NumberFormatting.FormatPercent(gate.Tolerance)}, " +
                    $"which {spread.Runs} baseline runs that moved {NumberFormatting.FormatPercent(spread.RunMedianCv ?? 0)} cannot tell from noise). {trial.Reason}",
            };

        return trial.Verdict switch
        {
            Verdict.Regressed when !run.Worse => result with
            {
                Verdict = Verdict.Inconclusive,
                Reason = $"The trials are worse than the pooled baseline trials, but not beyond what an unchanged run would give: {facts}. Trial-level: {trial.Reason}",
            },
            Verdict.Improved when !run.Better => result with
            {
                Verdict = Verdict.Inconclusive,
                Reason = $"The trials are better than the pooled baseline trials, but not beyond what an unchanged run would give: {facts}. Trial-level: {trial.Reason}",
            },
            _ => result with { Reason = $"{trial.Reason} Run-level: {facts}." },
        };
    }

    /// <summary>
    /// Judges a first run and its confirmation on a fresh testbed together against a baseline of several runs (see
    /// <see cref="RunLevelCheck.Combine"/>); <see langword="null"/> when the baseline's between-run spread is unknown (one
    /// run) or a value is not positive, where each run must be Regressed on its own instead.
    /// </summary>
    /// <param name="gate">The gate (its tolerance is the goal).</param>
    /// <param name="baselineRuns">The baseline's trial values per run.</param>
    /// <param name="currentRuns">The first run's and the confirmation's trial values (and the second confirmation's, when one ran).</param>
    public static RunLevelResult? Confirm(Gate gate, IReadOnlyList<IReadOnlyList<double>> baselineRuns, IReadOnlyList<IReadOnlyList<double>> currentRuns)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(baselineRuns);
        ArgumentNullException.ThrowIfNull(currentRuns);
        if (baselineRuns.Count == 0 || currentRuns.Count == 0)
            return null;
        var spread = RunSpread.Estimate(baselineRuns);
        if (spread is not { BetweenRunSpreadKnown: true } || currentRuns.Any(r => r.Count == 0 || SampleAnalyzer.Default.Summarize(SampleAnalyzer.Validate(r, nameof(currentRuns))).Median <= 0))
            return null;
        // The gate stays the one the cell states (set for a run and its confirmation): a second confirmation makes the
        // rule stricter (three runs must agree), it does not narrow the gate.
        return RunLevelCheck.Combine(gate, spread, currentRuns, Math.Min(currentRuns.Count, 2));
    }

    private static string DescribeRuns(Gate gate, RunLevelResult run)
    {
        var s = run.Spread;
        string cv = s.RunMedianCv is { } c ? NumberFormatting.FormatPercent(c) : "unknown";
        bool higher = gate.Metric.Direction == Direction.HigherIsBetter;
        return $"run median {NumberFormatting.Format(run.CurrentMedian)} {gate.Metric.Unit} is {NumberFormatting.FormatChange(run.Ratio)} against the centre of {s.Runs} baseline runs " +
            $"({NumberFormatting.Format(s.Center)} {gate.Metric.Unit}; run medians moved {cv}, trials within a run {NumberFormatting.FormatPercent(s.WithinRunCv)}); " +
            $"an unchanged run stays {(higher ? "above" : "below")} {NumberFormatting.FormatChange(run.PredictionBound)} with {NumberFormatting.Format((1 - gate.Alpha) * 100)}% probability " +
            $"(prediction bound, {NumberFormatting.FormatPValue(run.WorsePValue)})";
    }

    /// <summary>Compares with the given <paramref name="analyzer"/>.</summary>
    /// <param name="gate">The metric, tolerance and significance level.</param>
    /// <param name="baseline">The baseline trial values (at least one, finite, non-negative).</param>
    /// <param name="current">The current trial values (at least one, finite, non-negative).</param>
    /// <param name="analyzer">Summarises both samples.</param>
    /// <exception cref="ArgumentException">A sample is empty or holds a NaN, infinite or negative value.</exception>
    public static Comparison Compare(Gate gate, IReadOnlyList<double> baseline, IReadOnlyList<double> current, SampleAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(analyzer);
        var b = ValidateNonNegative(baseline, nameof(baseline));
        var c = ValidateNonNegative(current, nameof(current));
        var bs = analyzer.Summarize(b);
        var cs = analyzer.Summarize(c);
        double t = gate.Tolerance, alpha = gate.Alpha;
        bool higherIsBetter = gate.Metric.Direction == Direction.HigherIsBetter;

        double pAbove = PGreater(c, Scale(b, 1 + t));
        double pBelow = PGreater(Scale(b, 1 - t), c);
        double pAboveLowerEdge = PGreater(c, Scale(b, 1 - t));
        double pBelowUpperEdge = PGreater(Scale(b, 1 + t), c);

        bool allPositive = b.All(v => v > 0) && c.All(v => v > 0);
        double? medianRatio = bs.Median > 0 ? cs.Median / bs.Median : null;
        double? hlRatio = allPositive ? HodgesLehmannEstimator.Instance.Ratio(new Sample(c), new Sample(b)) : null;
        if (hlRatio is { } r && !double.IsFinite(r))
            hlRatio = null;
        var interval = allPositive ? MosesRatioInterval(c, b, alpha) : null;

        bool pointAbove = cs.Median > bs.Median * (1 + t) && (hlRatio is null || hlRatio > 1 + t);
        bool pointBelow = cs.Median < bs.Median * (1 - t) && (hlRatio is null || hlRatio < 1 - t);

        var facts = new Facts(gate, bs, cs, medianRatio, hlRatio, interval,
            RegressionP: higherIsBetter ? pBelow : pAbove,
            ImprovementP: higherIsBetter ? pAbove : pBelow,
            EquivalenceP: Math.Max(pAboveLowerEdge, pBelowUpperEdge),
            WorseBeyond: higherIsBetter ? pointBelow : pointAbove,
            BetterBeyond: higherIsBetter ? pointAbove : pointBelow);

        var (verdict, reason) = Decide(facts);
        reason += MultimodalityWarning(bs, cs);

        return new Comparison
        {
            Metric = gate.Metric,
            Baseline = bs,
            Current = cs,
            ChangeRatio = medianRatio,
            HodgesLehmannRatio = hlRatio,
            HodgesLehmannInterval = interval,
            RegressionPValue = facts.RegressionP,
            ImprovementPValue = facts.ImprovementP,
            EquivalencePValue = facts.EquivalenceP,
            Tolerance = t,
            Alpha = alpha,
            Verdict = verdict,
            Reason = reason,
        };
    }

    /// <summary>The smallest one-sided p-value a Mann-Whitney test can give with these sample sizes: 1 / C(n + m, n).</summary>
    /// <param name="baselineCount">Trials in the baseline.</param>
    /// <param name="currentCount">Trials in the current sample.</param>
    public static double SmallestPossiblePValue(int baselineCount, int currentCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baselineCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(currentCount);
        return Math.Exp(-BinomialCoefficientHelper.LogBinomialCoefficient(baselineCount + currentCount, currentCount));
    }

    /// <summary>The fewest current trials with which, against <paramref name="baselineCount"/> baseline trials, a p-value below <paramref name="alpha"/> is possible.</summary>
    /// <param name="baselineCount">Trials in the baseline.</param>
    /// <param name="alpha">The significance level.</param>
    public static int MinimumTrialsForSignificance(int baselineCount, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baselineCount);
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level must lie strictly between 0 and 1.");
        int k = 1;
        // Compare with a small margin: 1/C(6,3) is 0.05 exactly, which must not count as "below 0.05".
        while (SmallestPossiblePValue(baselineCount, k) >= alpha * (1 - 1e-9))
            k++;
        return k;
    }

    private sealed record Facts(
        Gate Gate,
        SampleSummary Baseline,
        SampleSummary Current,
        double? MedianRatio,
        double? HlRatio,
        Interval? Interval,
        double RegressionP,
        double ImprovementP,
        double EquivalenceP,
        bool WorseBeyond,
        bool BetterBeyond);

    private static (Verdict, string) Decide(Facts f)
    {
        double alpha = f.Gate.Alpha;
        var metric = f.Gate.Metric;
        string band = "±" + NumberFormatting.FormatPercent(f.Gate.Tolerance);
        string worse = metric.Direction == Direction.HigherIsBetter ? "lower" : "higher";
        string better = metric.Direction == Direction.HigherIsBetter ? "higher" : "lower";
        string tolerance = NumberFormatting.FormatPercent(f.Gate.Tolerance);
        string alphaText = NumberFormatting.Format(alpha);
        string change = DescribeChange(f);

        if (f.Baseline.IsConstant && f.Current.IsConstant
            && f.Baseline.Count >= VerdictDefaults.MinimumTrialsForConstantVerdict
            && f.Current.Count >= VerdictDefaults.MinimumTrialsForConstantVerdict)
        {
            string values = $"Both samples are constant (baseline {NumberFormatting.Format(f.Baseline.Median)} {metric.Unit} in all {f.Baseline.Count} trials, " +
                $"current {NumberFormatting.Format(f.Current.Median)} {metric.Unit} in all {f.Current.Count} trials), so the verdict follows from the values alone";
            if (f.WorseBeyond)
                return (Verdict.Regressed, $"{values}: current is {worse} by more than {tolerance} ({change}).");
            if (f.BetterBeyond)
                return (Verdict.Improved, $"{values}: current is {better} by more than {tolerance} ({change}).");
            return (Verdict.Unchanged, $"{values}: the change is within {band} ({change}).");
        }

        if (f.RegressionP < alpha && f.WorseBeyond)
            return (Verdict.Regressed, $"Current is {worse} than the baseline by more than {tolerance} " +
                $"(one-sided Mann-Whitney {NumberFormatting.FormatPValue(f.RegressionP)} < alpha {alphaText}); {change}.");
        if (f.ImprovementP < alpha && f.BetterBeyond)
            return (Verdict.Improved, $"Current is {better} than the baseline by more than {tolerance} " +
                $"(one-sided Mann-Whitney {NumberFormatting.FormatPValue(f.ImprovementP)} < alpha {alphaText}); {change}.");
        if (f.EquivalenceP < alpha)
            return (Verdict.Unchanged, $"The change lies within {band} " +
                $"(equivalence test, two one-sided Mann-Whitney tests, {NumberFormatting.FormatPValue(f.EquivalenceP)} < alpha {alphaText}); {change}.");

        int nb = f.Baseline.Count, nc = f.Current.Count;
        double smallest = SmallestPossiblePValue(nb, nc);
        if (smallest >= alpha * (1 - 1e-9))
            return (Verdict.Inconclusive, $"Too few trials: with {nb} baseline and {nc} current trials the smallest p-value a Mann-Whitney test " +
                $"can reach is {NumberFormatting.Format(smallest, 2)}, not below alpha {alphaText}, so no verdict is possible; " +
                $"run at least {MinimumTrialsForSignificance(nb, alpha)} current trials against these {nb} baseline trials ({change}).");
        if (f.RegressionP < alpha || f.ImprovementP < alpha)
        {
            string side = f.RegressionP < alpha ? worse : better;
            double p = Math.Min(f.RegressionP, f.ImprovementP);
            return (Verdict.Inconclusive, $"The Mann-Whitney test finds current {side} by more than {tolerance} ({NumberFormatting.FormatPValue(p)}), " +
                $"but the point estimates of the change do not lie beyond the tolerance ({change}); the samples differ in shape, not simply in level.");
        }
        return (Verdict.Inconclusive, $"The change is neither clearly beyond nor clearly within {band} " +
            $"(regression {NumberFormatting.FormatPValue(f.RegressionP)}, improvement {NumberFormatting.FormatPValue(f.ImprovementP)}, " +
            $"equivalence {NumberFormatting.FormatPValue(f.EquivalenceP)}; alpha {alphaText}); {change}; more trials narrow the interval.");
    }

    private static string DescribeChange(Facts f)
    {
        string median = f.MedianRatio is { } m
            ? $"median change {NumberFormatting.FormatChange(m)}"
            : "median change undefined (the baseline median is 0)";
        if (f.HlRatio is not { } hl)
            return median;
        string text = $"{median}, Hodges-Lehmann {NumberFormatting.FormatChange(hl)}";
        if (f.Interval is { } i)
            text += $" ({NumberFormatting.Format(i.ConfidenceLevel * 100)}% interval {NumberFormatting.FormatChange(i.Lower)} to {NumberFormatting.FormatChange(i.Upper)})";
        return text;
    }

    private static string MultimodalityWarning(SampleSummary baseline, SampleSummary current)
    {
        var flagged = new List<string>();
        if (baseline.IsMultimodal)
            flagged.Add($"the baseline sample (mValue {NumberFormatting.Format(baseline.MValue, 3)}, {baseline.Modes} Lowland modes)");
        if (current.IsMultimodal)
            flagged.Add($"the current sample (mValue {NumberFormatting.Format(current.MValue, 3)}, {current.Modes} Lowland modes)");
        return flagged.Count == 0 ? "" : $" Warning: {string.Join(" and ", flagged)} may be multimodal; medians hide which mode a trial landed in.";
    }

    /// <summary>p-value of the one-sided Mann-Whitney test with H1: x is stochastically greater than y.</summary>
    private static double PGreater(double[] x, double[] y)
    {
        // The tolerance is applied by scaling the samples here rather than through Perfolizer's Threshold,
        // so the band is exactly [1 - t, 1 + t] on both sides and the scaling is visible in one place.
        double p = MannWhitneyTest.Instance.Perform(new Sample(x), new Sample(y), AlternativeHypothesis.Greater, Threshold.Zero).PValue.Value;
        return double.IsNaN(p) ? 1 : Math.Clamp(p, 0, 1);
    }

    private static double[] Scale(double[] values, double factor) => values.Select(v => v * factor).ToArray();

    /// <summary>
    /// The Moses interval of the ratio at confidence 1 - 2 alpha: order statistics k and nm + 1 - k of all
    /// current/baseline ratios, where k is the largest count with P(U &lt; k) &lt; alpha under no change.
    /// It is the set of ratios r that neither one-sided test of current against baseline x r rejects.
    /// </summary>
    private static Interval? MosesRatioInterval(double[] current, double[] baseline, double alpha)
    {
        int n = current.Length, m = baseline.Length, total = n * m;
        IMannWhitneyCdf cdf = n + m <= BinomialCoefficientHelper.MaxAcceptableN
            ? MannWhitneyLoefflerExactCdf.Instance
            : MannWhitneyEdgeworthApproxCdf.Instance;
        // Largest k in [0, total / 2] with P(U < k) < alpha; the CDF is monotone, so bisect.
        int low = 0, high = total / 2;
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (cdf.Cdf(n, m, mid) < alpha)
                low = mid;
            else
                high = mid - 1;
        }
        int k = low;
        if (k == 0)
            return null;
        var ratios = new double[total];
        int index = 0;
        foreach (var c in current)
            foreach (var b in baseline)
                ratios[index++] = c / b;
        Array.Sort(ratios);
        return new Interval(ratios[k - 1], ratios[total - k], 1 - 2 * alpha);
    }

    private static double[] ValidateNonNegative(IReadOnlyList<double> values, string parameterName)
    {
        var copy = SampleAnalyzer.Validate(values, parameterName);
        for (int i = 0; i < copy.Length; i++)
        {
            if (copy[i] < 0)
                throw new ArgumentException($"'{parameterName}[{i}]' is {NumberFormatting.Format(copy[i])}: relative tolerances need non-negative values; report a negative quantity as its magnitude.", parameterName);
        }
        return copy;
    }
}
