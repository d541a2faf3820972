using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetPerf.Experiments;

/// <summary>Writes each cell's result as <c>{results}/cells/{scenario}__{cell}.json</c>.</summary>
internal sealed class JsonCellResultSink(string resultsDirectory) : ICellResultSink
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <inheritdoc />
    public string? Write(CellResult result)
    {
        var dir = Path.Combine(resultsDirectory, "cells");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{Safe(result.Scenario)}__{Safe(result.CellId)}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(result, Options));
        return path;
    }

    /// <inheritdoc />
    public string? WriteCompanion(CellResult result, string suffix, string content)
    {
        var dir = Path.Combine(resultsDirectory, "cells");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{Safe(result.Scenario)}__{Safe(result.CellId)}.{Safe(suffix)}");
        File.WriteAllText(path, content);
        return path;
    }

    private static string Safe(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '=' ? c : '_'));
}
