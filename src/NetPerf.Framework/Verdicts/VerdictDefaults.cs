namespace NetPerf.Verdicts;

/// <summary>
/// The constants that decide verdicts, in one place so a calibration study can set them.
/// </summary>
/// <remarks>The constants that shape summaries live in <c>NetPerf.Statistics.StatisticsDefaults</c>.</remarks>
public static class VerdictDefaults
{
    /// <summary>The significance level of every one-sided test (0.05 = 5%).</summary>
    public const double Alpha = 0.05;

    /// <summary>The practical threshold: a change smaller than this fraction of the baseline is no change (0.05 = 5%).</summary>
    public const double Tolerance = 0.05;

    /// <summary>The fewest current trials the sequential policy runs before it looks at a verdict.</summary>
    public const int MinTrials = 5;

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
