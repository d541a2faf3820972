namespace NetPerf.Statistics;

/// <summary>
/// How much the runs of a baseline differ from each other for one metric, on the log scale (so spreads read as
/// relative changes): the spread of the run medians, the spread of trials within a run, and the part of the first that
/// the second does not explain (the between-run component, e.g. testbed placement).
/// </summary>
/// <remarks>
/// <para>
/// Model: the log of a trial value in run j is <c>mu + b_j + e</c>, with a run effect <c>b_j</c> (sd tau) and trial
/// noise <c>e</c> (sd sigma). A run's median then has variance <c>tau^2 + (pi/2) sigma^2 / n</c> (the large-sample
/// variance of a median of n normal values). <see cref="BetweenRunSd"/> estimates tau as what the spread of the run
/// medians leaves after the trial noise is taken out (never below 0).
/// </para>
/// <para>
/// <see cref="PredictionStandardError(int)"/> is the standard error of (current run median - <see cref="CenterLog"/>) for a new
/// run of n trials: <c>sqrt(tau^2 + (pi/2) sigma^2 / n + s_m^2 / k)</c>, where the last term is the uncertainty of the
/// baseline's centre. With one run tau is unknown and taken as 0 (<see cref="BetweenRunSpreadKnown"/> is false).
/// </para>
/// </remarks>
internal sealed record RunSpread
{
    private const double MedianVarianceFactor = Math.PI / 2;

    /// <summary>How many runs the estimate rests on.</summary>
    public required int Runs { get; init; }

    /// <summary>Trials per run.</summary>
    public required IReadOnlyList<int> TrialsPerRun { get; init; }

    /// <summary>The median of each run (original scale), oldest run first.</summary>
    public required IReadOnlyList<double> RunMedians { get; init; }

    /// <summary>The mean of the log run medians: the baseline's centre on the log scale.</summary>
    public required double CenterLog { get; init; }

    /// <summary>The baseline's centre on the original scale (geometric mean of the run medians).</summary>
    public double Center => Math.Exp(CenterLog);

    /// <summary>Pooled standard deviation of log trial values around their run's mean (sigma); 0 when every run is constant.</summary>
    public required double WithinRunSd { get; init; }

    /// <summary>Standard deviation of the log run medians (s_m), or <see langword="null"/> with one run.</summary>
    public required double? RunMedianSd { get; init; }

    /// <summary>The between-run component tau (log scale), or <see langword="null"/> with one run.</summary>
    public required double? BetweenRunSd { get; init; }

    /// <summary>Whether the between-run spread could be estimated (at least two runs).</summary>
    public bool BetweenRunSpreadKnown => Runs >= 2;

    /// <summary>The degrees of freedom of the prediction: runs - 1 with two or more runs, else trials - 1 of the one run (at least 1).</summary>
    public int DegreesOfFreedom => Runs >= 2 ? Runs - 1 : Math.Max(1, TrialsPerRun[0] - 1);

    /// <summary>
    /// The coefficient of variation of the run medians as a fraction (<c>exp(s_m) - 1</c>), what a reader calls
    /// "runs moved by x%"; <see langword="null"/> with one run.
    /// </summary>
    public double? RunMedianCv => RunMedianSd is { } s ? Math.Exp(s) - 1 : null;

    /// <summary>The coefficient of variation of trials within a run as a fraction (<c>exp(sigma) - 1</c>).</summary>
    public double WithinRunCv => Math.Exp(WithinRunSd) - 1;

    /// <summary>The standard error, on the log scale, of a new run's median of <paramref name="currentTrials"/> trials around <see cref="CenterLog"/>.</summary>
    /// <param name="currentTrials">Trials in the new run, at least 1.</param>
    public double PredictionStandardError(int currentTrials)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(currentTrials, 1);
        double within = MedianVarianceFactor * WithinRunSd * WithinRunSd / currentTrials;
        if (!BetweenRunSpreadKnown)
            return Math.Sqrt(within + MedianVarianceFactor * WithinRunSd * WithinRunSd / TrialsPerRun[0]);
        double tau = BetweenRunSd!.Value, sm = RunMedianSd!.Value;
        return Math.Sqrt(tau * tau + within + sm * sm / Runs);
    }

    /// <summary>The same standard error for a baseline of <paramref name="runs"/> runs of the same spread (for "how many runs would it need").</summary>
    /// <param name="currentTrials">Trials in the new run.</param>
    /// <param name="runs">Baseline runs, at least 2.</param>
    public double PredictionStandardError(int currentTrials, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(currentTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 2);
        double tau = BetweenRunSd ?? 0, sigma2 = MedianVarianceFactor * WithinRunSd * WithinRunSd;
        double meanTrials = TrialsPerRun.Average();
        // The variance of one run median in a baseline of the same kind: tau^2 + (pi/2) sigma^2 / n.
        double runMedianVariance = tau * tau + sigma2 / meanTrials;
        return Math.Sqrt(tau * tau + sigma2 / currentTrials + runMedianVariance / runs);
    }

    /// <summary>
    /// The standard error, on the log scale, of the mean of <paramref name="currentRuns"/> new runs' log medians (each of
    /// <paramref name="currentTrials"/> trials, each on a fresh testbed) around <see cref="CenterLog"/>:
    /// <c>sqrt(tau^2 / m + (pi/2) sigma^2 / (n m) + s_m^2 / k)</c>. A run and its confirmation are judged together with
    /// <c>m = 2</c>: their run effects are independent, the baseline's centre is shared.
    /// </summary>
    /// <param name="currentTrials">Trials in each new run, at least 1.</param>
    /// <param name="currentRuns">New runs averaged, at least 1.</param>
    /// <param name="runs">Baseline runs of the same spread (for "how many runs would it need"); <see langword="null"/> for this baseline's own.</param>
    public double MeanPredictionStandardError(int currentTrials, int currentRuns, int? runs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(currentTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(currentRuns, 1);
        double sigma2 = MedianVarianceFactor * WithinRunSd * WithinRunSd;
        double within = sigma2 / ((double)currentTrials * currentRuns);
        if (!BetweenRunSpreadKnown && runs is null)
            return Math.Sqrt(within + sigma2 / TrialsPerRun[0]);
        double tau = BetweenRunSd ?? 0;
        double centre = runs is { } k
            ? (tau * tau + sigma2 / TrialsPerRun.Average()) / Math.Max(1, k)
            : RunMedianSd!.Value * RunMedianSd.Value / Runs;
        return Math.Sqrt(tau * tau / currentRuns + within + centre);
    }

    /// <summary>
    /// The degrees of freedom of <see cref="MeanPredictionStandardError"/> (Welch-Satterthwaite): its square is a sum of
    /// the run-median variance (runs - 1 degrees of freedom) and the trial variance (pooled trials - runs), so it has
    /// about runs - 1 when runs differ more than trials and many more when trial noise dominates. A gate set at a small
    /// tail probability needs this: with a handful of runs a normal quantile would trust an uncertain spread too much.
    /// </summary>
    /// <param name="currentTrials">Trials in each new run, at least 1.</param>
    /// <param name="currentRuns">New runs averaged, at least 1.</param>
    /// <param name="runs">Baseline runs of the same spread; <see langword="null"/> for this baseline's own.</param>
    public double MeanPredictionDegreesOfFreedom(int currentTrials, int currentRuns, int? runs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(currentTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(currentRuns, 1);
        int k = runs ?? Runs;
        double meanTrials = TrialsPerRun.Average();
        double trialDf = Math.Max(1, runs is null ? TrialsPerRun.Sum(n => n - 1) : k * (meanTrials - 1));
        if (k < 2)
            return trialDf;
        double sigma2 = MedianVarianceFactor * WithinRunSd * WithinRunSd;
        double tau2 = BetweenRunSd is { } t ? t * t : 0;
        double sm2 = runs is null && RunMedianSd is { } s ? s * s : tau2 + sigma2 / meanTrials;
        double h = runs is null ? TrialsPerRun.Average(n => 1.0 / n) : 1.0 / meanTrials;
        // se^2 = A s_m^2 + B sigma^2, with tau^2 = s_m^2 - h sigma^2 when positive.
        double a, b;
        if (tau2 > 0)
        {
            a = 1.0 / currentRuns + 1.0 / k;
            b = Math.Max(0, 1.0 / ((double)currentTrials * currentRuns) - h / currentRuns);
        }
        else
        {
            a = 1.0 / k;
            b = 1.0 / ((double)currentTrials * currentRuns);
        }
        double runPart = a * sm2, trialPart = b * sigma2;
        double denominator = runPart * runPart / (k - 1) + trialPart * trialPart / trialDf;
        return denominator > 0 ? Math.Max(1, (runPart + trialPart) * (runPart + trialPart) / denominator) : trialDf;
    }

    /// <summary>Estimates the spread from the trial values of each run.</summary>
    /// <param name="runs">Trial values per run; at least one run, each with at least one value.</param>
    /// <returns>The estimate, or <see langword="null"/> when a value is not positive (the log scale needs positive values).</returns>
    /// <exception cref="ArgumentException">No runs, an empty run, or a non-finite value.</exception>
    public static RunSpread? Estimate(IReadOnlyList<IReadOnlyList<double>> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
            throw new ArgumentException("The spread between runs needs at least one run.", nameof(runs));
        var logs = new List<double[]>(runs.Count);
        for (int j = 0; j < runs.Count; j++)
        {
            var values = SampleAnalyzer.Validate(runs[j], $"{nameof(runs)}[{j}]");
            if (values.Any(v => v <= 0))
                return null;
            logs.Add([.. values.Select(v => Math.Log(v))]);
        }

        var medians = runs.Select(r => SampleAnalyzer.Default.Summarize(r).Median).ToArray();
        var logMedians = medians.Select(v => Math.Log(v)).ToArray();
        double center = logMedians.Average();

        double squares = 0;
        int degrees = 0;
        foreach (var run in logs)
        {
            double mean = run.Average();
            squares += run.Sum(v => (v - mean) * (v - mean));
            degrees += run.Length - 1;
        }
        double sigma = degrees > 0 ? Math.Sqrt(squares / degrees) : 0;

        double? sm = null, tau = null;
        if (runs.Count >= 2)
        {
            double s2 = logMedians.Sum(v => (v - center) * (v - center)) / (runs.Count - 1);
            sm = Math.Sqrt(s2);
            double meanInverseTrials = runs.Average(r => 1.0 / r.Count);
            tau = Math.Sqrt(Math.Max(0, s2 - MedianVarianceFactor * sigma * sigma * meanInverseTrials));
        }

        return new RunSpread
        {
            Runs = runs.Count,
            TrialsPerRun = [.. runs.Select(r => r.Count)],
            RunMedians = medians,
            CenterLog = center,
            WithinRunSd = sigma,
            RunMedianSd = sm,
            BetweenRunSd = tau,
        };
    }
}
