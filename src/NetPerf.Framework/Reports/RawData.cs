using System.Text;
using System.Text.Json;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>The run's raw data for R, pandas or a spreadsheet: <c>data.json</c> (every cell) and tidy <c>data.csv</c>.</summary>
/// <remarks>
/// <para>
/// The CSV has one row per scenario x cell x attempt x trial x flow x metric with the columns
/// <c>scenario,cell,driver,pairs,{other axes...},attempt,trial,flow,metric,unit,value</c>. <c>attempt</c> is
/// <c>first</c> for the cell's run and <c>confirmation</c> for the trials of its confirmation run on a fresh testbed
/// (see <see cref="CellResult.Confirmation"/>), which follow the first run's. The other axes are the union of
/// the axis keys of all cells other than driver and pairs, in ordinal order (a cell without the axis leaves it
/// empty); an axis key that clashes with a fixed column is prefixed with <c>axis_</c>. <c>flow</c> is empty for
/// aggregates. Values use the invariant culture and round-trip precision; NaN is written as <c>NaN</c>.
/// Fields are quoted as RFC 4180 describes and records end with CRLF.
/// </para>
/// <para>
/// The JSON holds <c>formatVersion</c> and <c>cells</c>, each cell exactly as in <c>cells/*.json</c>: with each metric's
/// <c>baselineRuns</c>, <c>detectableChangePercent</c>, <c>betweenRunCvPercent</c>, <c>powerNote</c> and
/// <c>toleranceBelowDetectable</c>, and the cell's <c>confirmation</c> (null when none ran).
/// </para>
/// </remarks>
internal static class RawData
{
    /// <summary>The version of <c>data.json</c>'s layout.</summary>
    public const int FormatVersion = 1;

    private static readonly string[] FixedBefore = ["scenario", "cell", "driver", "pairs"];
    private static readonly string[] FixedAfter = ["attempt", "trial", "flow", "metric", "unit", "value"];

    /// <summary>The <c>attempt</c> of the cell's own trials.</summary>
    public const string FirstAttempt = "first";

    /// <summary>The <c>attempt</c> of the trials of the cell's confirmation run.</summary>
    public const string ConfirmationAttempt = "confirmation";

    /// <summary>The <c>attempt</c> of the trials of the cell's second confirmation run.</summary>
    public const string SecondConfirmationAttempt = "second_confirmation";

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
            AppendTrials(csv, prefix, FirstAttempt, cell.Trials);
            if (cell.Confirmation is { } confirmation)
                AppendTrials(csv, prefix, ConfirmationAttempt, confirmation.Trials);
            if (cell.SecondConfirmation is { } second)
                AppendTrials(csv, prefix, SecondConfirmationAttempt, second.Trials);
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

    private static void AppendTrials(StringBuilder csv, List<string?> prefix, string attempt, IEnumerable<TrialRecord> trials)
    {
        foreach (var trial in trials.OrderBy(t => t.Trial))
        {
            foreach (var m in trial.Measurements)
                CsvText.AppendRecord(csv, [.. prefix, attempt, ReportFormat.Integer(trial.Trial), m.Flow, m.Metric, m.Unit, ReportFormat.Raw(m.Value)]);
        }
    }

    private static List<string> OtherAxes(IEnumerable<CellResult> cells) =>
        [.. cells.SelectMany(c => c.Axes.Keys).Where(k => k is not ("driver" or "pairs")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string ColumnName(string axis) =>
        FixedBefore.Contains(axis, StringComparer.OrdinalIgnoreCase) || FixedAfter.Contains(axis, StringComparer.OrdinalIgnoreCase) ? "axis_" + axis : axis;

    private sealed record DataDocument(int FormatVersion, IReadOnlyList<CellResult> Cells);
}
