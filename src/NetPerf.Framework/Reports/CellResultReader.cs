using System.Text.Json;
using System.Text.Json.Serialization;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>Reads the cell results a run left in <c>{results}/cells/*.json</c> (written by <see cref="JsonCellResultSink"/>).</summary>
/// <remarks>
/// A file that cannot be read does not stop the report: it is listed in <see cref="RunResults.Problems"/> with the
/// reason, so the report still shows every cell that could be read and says which files it left out.
/// </remarks>
internal static class CellResultReader
{
    /// <summary>The JSON options of cell result files: web defaults (camelCase), enums as strings, NaN allowed.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The folder below the results folder that holds one JSON file per cell.</summary>
    public const string CellsFolder = "cells";

    /// <summary>Reads every <c>*.json</c> file in <c>{resultsDirectory}/cells</c>.</summary>
    /// <remarks>A results folder without <c>cells</c> (every cell skipped, or the run stopped before the first cell) gives no cells and one problem line saying so.</remarks>
    /// <param name="resultsDirectory">The run's results folder (the one given to <c>--results-directory</c>).</param>
    /// <exception cref="DirectoryNotFoundException">The results folder does not exist.</exception>
    public static RunResults ReadDirectory(string resultsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resultsDirectory);
        if (!Directory.Exists(resultsDirectory))
            throw new DirectoryNotFoundException(
                $"The results folder '{resultsDirectory}' does not exist; run the scenarios first (scripts/scenarios.sh writes to $NETPERF_RESULTS), or pass the folder given to --results-directory.");
        var cellsDirectory = Path.Combine(resultsDirectory, CellsFolder);
        if (!Directory.Exists(cellsDirectory))
            return new RunResults([], [$"There is no folder '{cellsDirectory}': no cell wrote a result (every cell was skipped, or the run stopped before the first cell finished)."]);

        var cells = new List<CellResult>();
        var problems = new List<string>();
        foreach (var path in Directory.EnumerateFiles(cellsDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                cells.Add(Parse(File.ReadAllText(path), path));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
            {
                problems.Add($"'{path}' was left out: {e.Message}");
            }
        }
        return new RunResults(cells, problems);
    }

    /// <summary>Reads one cell result from its JSON text.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="path">The file's path, for messages.</param>
    /// <exception cref="InvalidDataException">The text is valid JSON but not a complete cell result.</exception>
    /// <exception cref="JsonException">The text is not valid JSON.</exception>
    public static CellResult Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        var cell = JsonSerializer.Deserialize<CellResult>(json, Options)
            ?? throw new InvalidDataException($"'{path}' holds 'null', not a cell result.");
        // The serializer leaves missing constructor arguments null; say which one instead of failing later.
        string? missing = cell.Scenario is null ? "scenario" : cell.CellId is null ? "cellId" : cell.Driver is null ? "driver"
            : cell.Trials is null ? "trials" : cell.Metrics is null ? "metrics" : cell.Outcome is null ? "outcome" : null;
        if (missing is not null)
            throw new InvalidDataException($"'{path}' is not a complete cell result: the property '{missing}' is missing.");
        var confirmation = Complete(cell.Confirmation, "confirmation", path);
        var second = Complete(cell.SecondConfirmation, "secondConfirmation", path);
        return cell with
        {
            DisplayName = cell.DisplayName ?? cell.CellId!,
            Axes = cell.Axes ?? new Dictionary<string, string>(),
            Facts = cell.Facts ?? new Dictionary<string, string>(),
            Message = cell.Message ?? "",
            Confirmation = confirmation,
            SecondConfirmation = second,
        };
    }

    private static CellConfirmation? Complete(CellConfirmation? confirmation, string property, string path)
    {
        if (confirmation is null)
            return null;
        string? missing = confirmation.Trials is null ? "trials" : confirmation.Metrics is null ? "metrics" : confirmation.Outcome is null ? "outcome" : null;
        if (missing is not null)
            throw new InvalidDataException($"'{path}' is not a complete cell result: the property '{property}.{missing}' is missing.");
        return confirmation with { Facts = confirmation.Facts ?? new Dictionary<string, string>() };
    }

    /// <summary>Writes one cell result as JSON in the same form as <see cref="JsonCellResultSink"/>.</summary>
    /// <param name="cell">The cell result.</param>
    public static string Serialize(CellResult cell) => JsonSerializer.Serialize(cell, Options);
}
