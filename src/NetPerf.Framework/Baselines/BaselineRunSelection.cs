namespace NetPerf.Baselines;

/// <summary>The baseline runs a verdict compares with (see <see cref="BaselineFile.RunsFor"/>) and why those.</summary>
/// <param name="Values">The trial values of each chosen run, oldest first.</param>
/// <param name="SameMachineRuns">Runs of the baseline recorded on the current run's machine.</param>
/// <param name="OtherMachineRuns">Runs of the baseline recorded on other machines.</param>
/// <param name="OwnMachineOnly">Whether only the same machine's runs were chosen (others exist and were left out).</param>
internal sealed record BaselineRunSelection(IReadOnlyList<IReadOnlyList<double>> Values, int SameMachineRuns, int OtherMachineRuns, bool OwnMachineOnly)
{
    /// <summary>
    /// One sentence for a verdict's reason when other machines' runs were left out, otherwise <see langword="null"/>
    /// (when they decide, <see cref="OtherMachinesReason"/> says so instead).
    /// </summary>
    public string? Note => OwnMachineOnly && OtherMachineRuns > 0
        ? $"Judged against the {SameMachineRuns} baseline runs recorded on this machine; {OtherMachineRuns} run(s) from other machines of this testbed left out."
        : null;

    /// <summary>
    /// Whether the chosen runs include other machines' (this machine has fewer runs than are used on their own): a
    /// difference from them can be the machine, so the verdict claims no change (see <see cref="Verdicts.Comparison.OtherMachinesOnly"/>).
    /// </summary>
    public bool OtherMachinesDecide => OtherMachineRuns > 0 && !OwnMachineOnly;

    /// <summary>
    /// Why no change is claimed when <see cref="OtherMachinesDecide"/>, with the change measured against those runs, e.g.
    /// <c>No baseline run was recorded on this machine: -45% against 10 runs of other machines of this testbed can be the
    /// machine as well as the code ...</c>.
    /// </summary>
    /// <param name="change">The change against the chosen runs, as text (e.g. <c>-45%</c>).</param>
    public string OtherMachinesReason(string change) =>
        $"{(SameMachineRuns == 0 ? "No baseline run was recorded on this machine" : $"Only {SameMachineRuns} baseline run(s) come from this machine (3 are used on their own)")}: "
        + $"{change} against {SameMachineRuns + OtherMachineRuns} run(s), {OtherMachineRuns} of them from other machines of this testbed, can be the machine as well as the code "
        + "(two CPUs of one testbed name differed by -78% to +177% in one cell, docs/calibration.md), so no change is claimed. "
        + "Runs of this machine make its own gate: outside CI each run adds itself until there are 3 (origin 'first runs on this machine'); "
        + "in CI record them with NETPERF_RECORD=1 and commit baselines/.";
}
