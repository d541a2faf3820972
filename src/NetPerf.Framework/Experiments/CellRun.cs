using NetPerf.Experiments;
using NetPerf.Verdicts;
using NetPerf.Workloads;

namespace NetPerf;

/// <summary>What running one cell produced, for the test framework glue to act on.</summary>
/// <param name="Result">The cell's result (also written to the results folder).</param>
/// <param name="Comparisons">The first run's comparisons with the baseline, one per gated or reported metric found in it.</param>
/// <param name="FailureMessage">The text to fail the test with, or <see langword="null"/> when the cell passes.</param>
/// <param name="Warnings">Things the reviewer should know although the cell passed (inconclusive, improved, fingerprint drift, multimodality).</param>
/// <param name="Files">Files worth attaching to the test result (received baseline, raw tool output, cell result).</param>
/// <param name="RawOutputs">Raw tool outputs of every trial.</param>
/// <param name="ConfirmationComparisons">The confirmation's comparisons, when the first run regressed and was measured again on a fresh testbed.</param>
public sealed record CellRun(
    CellResult Result,
    IReadOnlyList<Comparison> Comparisons,
    string? FailureMessage,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Files,
    IReadOnlyList<RawOutput> RawOutputs,
    IReadOnlyList<Comparison>? ConfirmationComparisons = null)
{
    /// <summary>True when the cell must fail the test.</summary>
    public bool Failed => FailureMessage is not null;
}
