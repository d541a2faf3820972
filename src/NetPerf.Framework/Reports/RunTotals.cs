using System.Globalization;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>How many cells of a run ended with each outcome.</summary>
/// <param name="Cells">All cells.</param>
/// <param name="Regressed">Cells whose gated metric regressed, confirmed on a fresh testbed where a confirmation ran (they fail their test).</param>
/// <param name="Failed">Cells that failed for another reason: no baseline to compare with (outcome NewBaseline), or a tool or testbed error.</param>
/// <param name="Unconfirmed">Cells whose first run regressed but whose confirmation on a fresh testbed did not (they pass with a warning).</param>
/// <param name="Improved">Cells whose gated metric improved.</param>
/// <param name="Inconclusive">Cells the data could not decide.</param>
/// <param name="Passed">Cells that passed.</param>
/// <param name="Provisional">Cells that ran first on a testbed without baselines and were recorded as provisional baselines (they pass).</param>
/// <param name="Other">Cells whose numbers were recorded or accepted as the new baseline.</param>
internal sealed record RunTotals(int Cells, int Regressed, int Failed, int Unconfirmed, int Improved, int Inconclusive, int Passed, int Provisional, int Other)
{
    /// <summary>Counts the outcomes of <paramref name="cells"/>.</summary>
    /// <param name="cells">The cells of a run.</param>
    public static RunTotals Of(IReadOnlyCollection<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        int Count(string outcome) => cells.Count(c => string.Equals(c.Outcome, outcome, StringComparison.OrdinalIgnoreCase));
        int regressed = Count("Regressed"), failed = Count("Failed") + Count("NewBaseline"), unconfirmed = Count("Unconfirmed"),
            improved = Count("Improved"), inconclusive = Count("Inconclusive"), passed = Count("Passed"), provisional = Count("Provisional");
        return new RunTotals(cells.Count, regressed, failed, unconfirmed, improved, inconclusive, passed, provisional,
            cells.Count - regressed - failed - unconfirmed - improved - inconclusive - passed - provisional);
    }

    /// <summary>
    /// One line, e.g. <c>12 cells: 1 regressed, 0 failed, 1 unconfirmed, 2 improved, 1 inconclusive, 7 passed, 0 provisional, 0 other (recorded, accepted)</c>.
    /// </summary>
    /// <remarks>Every count is always there, zeros included, so scripts can read the line.</remarks>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cells} cells: {Regressed} regressed, {Failed} failed, {Unconfirmed} unconfirmed, {Improved} improved, {Inconclusive} inconclusive, {Passed} passed, {Provisional} provisional, {Other} other (recorded, accepted)");
}
