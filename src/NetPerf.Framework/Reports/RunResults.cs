using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>The cell results of one run, as the reports read them.</summary>
/// <param name="Cells">Every cell that could be read.</param>
/// <param name="Problems">One line per file that could not be read, naming the file and the reason.</param>
internal sealed record RunResults(IReadOnlyList<CellResult> Cells, IReadOnlyList<string> Problems)
{
    /// <summary>The cells grouped by scenario, scenarios in ordinal order.</summary>
    public IEnumerable<IGrouping<string, CellResult>> ByScenario() =>
        Cells.GroupBy(c => c.Scenario, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);

    /// <summary>How many cells ended with each outcome.</summary>
    public RunTotals Totals() => RunTotals.Of(Cells);
}
