namespace NetPerf.Verdicts;

/// <summary>
/// The constants that decide verdicts, in one place so a calibration study can set them.
/// </summary>
/// <remarks>The constants that shape summaries live in <c>NetPerf.Statistics.StatisticsDefaults</c>.</remarks>
internal static class VerdictDefaults
{
    /// <summary>The significance level of every one-sided test (0.05 = 5%).</summary>
    public const double Alpha = 0.05;

    /// <summary>The practical threshold: a change smaller than this fraction of the baseline is no change (0.05 = 5%).</summary>
    public const double Tolerance = 0.05;

    /// <summary>
    /// The power at which detectable changes are stated (0.9 = a regression of that size is caught 9 times in 10,
    /// counting the confirmation run, which must agree).
    /// </summary>
    public const double Power = 0.9;

    /// <summary>
    /// The false-alarm rate a gate may have, a run and its confirmation together (0.001). With a known between-run spread
    /// a gate is never set below what this rate allows (<see cref="RunLevelCheck.GateTolerance"/>): the main job has 40-odd
    /// gates, and 43 x 0.001 keeps an unchanged job red in under 5% of runs.
    /// </summary>
    public const double FalseAlarmPerGate = 0.001;

    /// <summary>The fewest current trials the sequential policy runs before it looks at a verdict.</summary>
    /// <remarks>
    /// Three against a baseline of <c>ExperimentSettings.DefaultRecordTrials</c> (10): in the calibration on this machine
    /// (docs/calibration-aa.md) that gave no false regression in A/A runs and caught every injected 20% regression at a 5%
    /// tolerance, as 5 or 10 trials did; 3 keeps the main job short. Below 3 no one-sided test can reach 0.05 against 5 values.
    /// </remarks>
    public const int MinTrials = 3;

    /// <summary>The most current trials the sequential policy runs; an inconclusive cell stops here.</summary>
    public const int MaxTrials = 20;

    /// <summary>How many trials the sequential policy adds at a time while the verdict is inconclusive.</summary>
    public const int TrialStep = 5;

    /// <summary>
    /// The fewest values each sample needs before two constant samples are judged from their values alone
    /// (below it one equal reading in a row proves nothing, and the cell stays inconclusive).
    /// </summary>
    public const int MinimumTrialsForConstantVerdict = 3;
}
