using System.Text;
using System.Text.Json;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>The run's raw data for R, pandas or a spreadsheet: <c>data.json</c> (every cell) and tidy <c>data.csv</c>.</summary>
/// <remarks>
/// <para>
/// The CSV has one row per scenario x cell x trial x flow x metric with the columns
/// <c>scenario,cell,driver,pairs,{other axes...},trial,flow,metric,unit,value</c>. The other axes are the union of
/// the axis keys of all cells other than driver and pairs, in ordinal order (a cell without the axis leaves it
/// empty); an axis key that clashes with a fixed column is prefixed with <c>axis_</c>. <c>flow</c> is empty for
/// aggregates. Values use the invariant culture and round-trip precision; NaN is written as <c>NaN</c>.
/// Fields are quoted as RFC 4180 describes and records end with CRLF.
/// </para>
/// <para>The JSON holds <c>formatVersion</c> and <c>cells</c>, each cell exactly as in <c>cells/*.json</c>.</para>
/// </remarks>
public static class RawData
{
    /// <summary>The version of <c>data.json</c>'s layout.</summary>
    public const int FormatVersion = 1;

    private static readonly string[] FixedBefore = ["scenario", "cell", "driver", "pairs"];
    private static readonly string[] FixedAfter = ["trial", "flow", "metric", "unit", "value"];

    /// <summary>The CSV's column names for <paramref name="cells"/>.</summary>
    /// <param name="cells">The cells of the run.</param>
    public static IReadOnlyList<string> CsvColumns(IEnumerable<CellResult> cells) =>
        [.. FixedBefore, .. OtherAxes(cells).Select(ColumnName), .. FixedAfter];

    /// <summary>Writes the tidy CSV of <paramref name="results"/>, header first.</summary>
    /// <param name="results">The run's cells.</param>
    public static string ToCsv(RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var axes = OtherAxes(results.Cells);
        var csv = new StringBuilder();
        CsvText.AppendRecord(csv, CsvColumns(results.Cells));
        foreach (var cell in results.Cells.OrderBy(c => c.Scenario, StringComparer.Ordinal).ThenBy(c => c.CellId, StringComparer.Ordinal))
        {
            var prefix = new List<string?> { cell.Scenario, cell.CellId, cell.Driver, ReportFormat.Integer(cell.Pairs) };
            prefix.AddRange(axes.Select(a => cell.Axes.GetValueOrDefault(a)));
            foreach (var trial in cell.Trials.OrderBy(t => t.Trial))
            {
                foreach (var m in trial.Measurements)
                    CsvText.AppendRecord(csv, [.. prefix, ReportFormat.Integer(trial.Trial), m.Flow, m.Metric, m.Unit, ReportFormat.Raw(m.Value)]);
            }
        }
        return csv.ToString();
    }

    /// <summary>Writes <c>data.json</c>: the format version and every cell.</summary>
    /// <param name="results">The run's cells.</param>
    public static string ToJson(RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var document = new DataDocument(FormatVersion,
            [.. results.Cells.OrderBy(c => c.Scenario, StringComparer.Ordinal).ThenBy(c => c.CellId, StringComparer.Ordinal)]);
        return JsonSerializer.Serialize(document, CellResultReader.Options) + "\n";
    }

    private static List<string> OtherAxes(IEnumerable<CellResult> cells) =>
        [.. cells.SelectMany(c => c.Axes.Keys).Where(k => k is not ("driver" or "pairs")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string ColumnName(string axis) =>
        FixedBefore.Contains(axis, StringComparer.OrdinalIgnoreCase) || FixedAfter.Contains(axis, StringComparer.OrdinalIgnoreCase) ? "axis_" + axis : axis;

    private sealed record DataDocument(int FormatVersion, IReadOnlyList<CellResult> Cells);
}
