namespace NetPerf.Baselines;

/// <summary>The baseline runs a verdict compares with (see <see cref="BaselineFile.RunsFor"/>) and why those.</summary>
/// <param name="Values">The trial values of each chosen run, oldest first.</param>
/// <param name="SameMachineRuns">Runs of the baseline recorded on the current run's machine.</param>
/// <param name="OtherMachineRuns">Runs of the baseline recorded on other machines.</param>
/// <param name="OwnMachineOnly">Whether only the same machine's runs were chosen (others exist and were left out).</param>
internal sealed record BaselineRunSelection(IReadOnlyList<IReadOnlyList<double>> Values, int SameMachineRuns, int OtherMachineRuns, bool OwnMachineOnly)
{
    /// <summary>
    /// One sentence for a verdict's reason, or <see langword="null"/> when every run came from this machine: which runs
    /// the verdict rests on.
    /// </summary>
    public string? Note => OtherMachineRuns == 0
        ? null
        : OwnMachineOnly
            ? $"Judged against the {SameMachineRuns} baseline runs recorded on this machine; {OtherMachineRuns} run(s) from other machines of this testbed left out."
            : SameMachineRuns == 0
                ? $"No baseline run was recorded on this machine: judged against {OtherMachineRuns} run(s) from other machines of this testbed, so differences between machines count as noise and widen the gate; record runs here (NETPERF_RECORD=1) for a gate of this machine's own."
                : $"Only {SameMachineRuns} baseline run(s) from this machine (3 are used on their own): judged against all {SameMachineRuns + OtherMachineRuns} runs, so differences between machines widen the gate; record more runs here (NETPERF_RECORD=1).";
}
