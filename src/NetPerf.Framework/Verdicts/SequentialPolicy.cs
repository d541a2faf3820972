namespace NetPerf.Verdicts;

/// <summary>When to stop running trials: at least <see cref="MinTrials"/>, at most <see cref="MaxTrials"/>, more only while inconclusive.</summary>
/// <remarks>
/// The runner measures <see cref="MinTrials"/> trials, compares, and asks <see cref="TrialsToAdd"/> how many
/// more to run; it repeats until the answer is 0. Looking at the data several times raises the chance of a
/// false verdict a little; the practical threshold in every test keeps it below alpha (see the A/A tests).
/// </remarks>
internal sealed record SequentialPolicy
{
    /// <summary>The policy built from <see cref="VerdictDefaults"/>.</summary>
    public static SequentialPolicy Default { get; } = new();

    /// <summary>Creates a policy.</summary>
    /// <param name="minTrials">Trials to run before the first comparison, at least 1.</param>
    /// <param name="maxTrials">The most trials to run, at least <paramref name="minTrials"/>.</param>
    /// <param name="step">Trials to add per round while inconclusive, at least 1.</param>
    public SequentialPolicy(int minTrials = VerdictDefaults.MinTrials, int maxTrials = VerdictDefaults.MaxTrials, int step = VerdictDefaults.TrialStep)
    {
        if (minTrials < 1)
            throw new ArgumentOutOfRangeException(nameof(minTrials), minTrials, "'minTrials' must be at least 1.");
        if (maxTrials < minTrials)
            throw new ArgumentOutOfRangeException(nameof(maxTrials), maxTrials, $"'maxTrials' must be at least 'minTrials' ({minTrials}).");
        if (step < 1)
            throw new ArgumentOutOfRangeException(nameof(step), step, "'step' must be at least 1.");
        MinTrials = minTrials;
        MaxTrials = maxTrials;
        Step = step;
    }

    /// <summary>Trials to run before the first comparison.</summary>
    public int MinTrials { get; }

    /// <summary>The most trials to run.</summary>
    public int MaxTrials { get; }

    /// <summary>Trials to add per round while inconclusive.</summary>
    public int Step { get; }

    /// <summary>More trials are run only if they shrink the run-level standard error below this fraction of what it is now.</summary>
    public const double MinimumGain = 0.9;

    /// <summary>How many current trials to add after <paramref name="comparison"/>; 0 means stop and report its verdict.</summary>
    /// <param name="comparison">The comparison of the trials run so far.</param>
    /// <returns>
    /// Up to <see cref="MinTrials"/> while below it; otherwise, for an inconclusive verdict below
    /// <see cref="MaxTrials"/>, <see cref="Step"/> (never beyond the maximum), unless the baseline's runs differ so much
    /// more than trials do that the extra trials would shrink the run-level standard error by less than 10%; otherwise 0.
    /// </returns>
    public int TrialsToAdd(Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        int n = comparison.Current.Count;
        if (n < MinTrials)
            return MinTrials - n;
        // More trials on this machine cannot tell it from the other machines the baseline came from.
        if (comparison.Verdict != Verdict.Inconclusive || n >= MaxTrials || comparison.OtherMachinesOnly)
            return 0;
        int step = Math.Min(Step, MaxTrials - n);
        // When runs differ more than trials do, more trials of this run barely narrow the run-level bound: stop early.
        if (comparison.RunLevel is { Spread: { BetweenRunSpreadKnown: true } spread }
            && spread.PredictionStandardError(n + step) > MinimumGain * spread.PredictionStandardError(n))
            return 0;
        return step;
    }

    /// <summary>Whether to run more trials after <paramref name="comparison"/> (see <see cref="TrialsToAdd"/>).</summary>
    /// <param name="comparison">The comparison of the trials run so far.</param>
    public bool ShouldAddTrials(Comparison comparison) => TrialsToAdd(comparison) > 0;
}
