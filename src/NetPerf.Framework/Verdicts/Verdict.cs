namespace NetPerf.Verdicts;

/// <summary>The outcome of comparing current trials of one metric against its baseline.</summary>
internal enum Verdict
{
    /// <summary>The data show, with confidence, that the change lies within the tolerance.</summary>
    Unchanged,

    /// <summary>The metric got better by more than the tolerance, with confidence.</summary>
    Improved,

    /// <summary>The metric got worse by more than the tolerance, with confidence. The only verdict that fails a gate.</summary>
    Regressed,

    /// <summary>The data can show neither a change beyond the tolerance nor its absence; more trials may decide.</summary>
    Inconclusive,
}
