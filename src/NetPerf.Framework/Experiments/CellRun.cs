using NetPerf.Verdicts;

// Author-facing, so in namespace NetPerf rather than NetPerf.Experiments (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>What running one cell produced, for the test framework glue to act on.</summary>
/// <remarks>
/// <see cref="Experiment.RunAsync"/> returns it after attaching the files and failing the test on a regression; read
/// <see cref="Result"/> for the numbers and verdicts (the same record the results folder holds as JSON).
/// </remarks>
public sealed record CellRun
{
    /// <summary>Bundles what one cell produced.</summary>
    /// <param name="result">The cell's result (also written to the results folder).</param>
    /// <param name="comparisons">The first run's comparisons with the baseline, one per gated or reported metric found in it.</param>
    /// <param name="failureMessage">The text to fail the test with, or <see langword="null"/> when the cell passes.</param>
    /// <param name="warnings">Things the reviewer should know although the cell passed (inconclusive, improved, fingerprint drift, multimodality).</param>
    /// <param name="files">Files worth attaching to the test result (received baseline, raw tool output, cell result).</param>
    /// <param name="rawOutputs">Raw tool outputs of every trial.</param>
    /// <param name="confirmationComparisons">The confirmation's comparisons, when the first run regressed and was measured again on a fresh testbed.</param>
    internal CellRun(
        CellResult result,
        IReadOnlyList<Comparison> comparisons,
        string? failureMessage,
        IReadOnlyList<string> warnings,
        IReadOnlyList<string> files,
        IReadOnlyList<RawOutput> rawOutputs,
        IReadOnlyList<Comparison>? confirmationComparisons = null)
    {
        Result = result;
        Comparisons = comparisons;
        FailureMessage = failureMessage;
        Warnings = warnings;
        Files = files;
        RawOutputs = rawOutputs;
        ConfirmationComparisons = confirmationComparisons;
    }

    /// <summary>The cell's result (also written to the results folder).</summary>
    public CellResult Result { get; init; }

    /// <summary>The first run's comparisons with the baseline, one per gated or reported metric found in it.</summary>
    /// <remarks>Internal: the statistics behind them are not part of the authoring API; <see cref="Result"/> carries their numbers.</remarks>
    internal IReadOnlyList<Comparison> Comparisons { get; init; }

    /// <summary>The text to fail the test with, or <see langword="null"/> when the cell passes.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>Things the reviewer should know although the cell passed (inconclusive, improved, fingerprint drift, multimodality).</summary>
    public IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Files worth attaching to the test result (received baseline, raw tool output, cell result).</summary>
    public IReadOnlyList<string> Files { get; init; }

    /// <summary>Raw tool outputs of every trial.</summary>
    public IReadOnlyList<RawOutput> RawOutputs { get; init; }

    /// <summary>The confirmation's comparisons, when the first run regressed and was measured again on a fresh testbed.</summary>
    internal IReadOnlyList<Comparison>? ConfirmationComparisons { get; init; }

    /// <summary>True when the cell must fail the test.</summary>
    public bool Failed => FailureMessage is not null;
}
