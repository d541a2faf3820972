using System.Globalization;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>How many cells of a run ended with each outcome.</summary>
/// <param name="Cells">All cells.</param>
/// <param name="Regressed">Cells whose gated metric regressed (they fail their test).</param>
/// <param name="Failed">Cells that failed for another reason: no baseline to compare with (outcome NewBaseline), or a tool or testbed error.</param>
/// <param name="Improved">Cells whose gated metric improved.</param>
/// <param name="Inconclusive">Cells the data could not decide.</param>
/// <param name="Passed">Cells that passed.</param>
/// <param name="Other">Cells whose numbers were recorded or accepted as the new baseline.</param>
public sealed record RunTotals(int Cells, int Regressed, int Failed, int Improved, int Inconclusive, int Passed, int Other)
{
    /// <summary>Counts the outcomes of <paramref name="cells"/>.</summary>
    /// <param name="cells">The cells of a run.</param>
    public static RunTotals Of(IReadOnlyCollection<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        int Count(string outcome) => cells.Count(c => string.Equals(c.Outcome, outcome, StringComparison.OrdinalIgnoreCase));
        int regressed = Count("Regressed"), failed = Count("Failed") + Count("NewBaseline"), improved = Count("Improved"),
            inconclusive = Count("Inconclusive"), passed = Count("Passed");
        return new RunTotals(cells.Count, regressed, failed, improved, inconclusive, passed,
            cells.Count - regressed - failed - improved - inconclusive - passed);
    }

    /// <summary>One line, e.g. <c>12 cells: 1 regressed, 0 failed, 2 improved, 1 inconclusive, 8 passed, 0 other</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cells} cells: {Regressed} regressed, {Failed} failed, {Improved} improved, {Inconclusive} inconclusive, {Passed} passed, {Other} other (recorded, accepted)");
}
