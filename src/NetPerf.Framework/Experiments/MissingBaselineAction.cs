namespace NetPerf.Experiments;

/// <summary>What a run that is not in record mode does with a cell that has no baseline (see <see cref="CellDecisions.ForMissingBaseline"/>).</summary>
internal enum MissingBaselineAction
{
    /// <summary>Accept mode: the run becomes the baseline.</summary>
    Accept,

    /// <summary>First run on a new testbed outside CI: record the run as a provisional baseline and pass with a warning.</summary>
    Provisional,

    /// <summary>First run on a new testbed in CI: fail, because CI does not record baselines by itself.</summary>
    FailNewTestbedInCi,

    /// <summary>Other cells of the testbed have baselines, so this one was forgotten: fail.</summary>
    FailMissing,
}
