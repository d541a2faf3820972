namespace NetPerf.Experiments;

/// <summary>Receives the result of every cell as it finishes (the results folder; reports read it later).</summary>
internal interface ICellResultSink
{
    /// <summary>Stores one cell's result; returns the file written, if any.</summary>
    string? Write(CellResult result);

    /// <summary>Stores a companion file of a cell (e.g. its per-interval table); returns the file written, if any.</summary>
    /// <param name="result">The cell the file belongs to.</param>
    /// <param name="suffix">The file's suffix, e.g. <c>intervals.csv</c>.</param>
    /// <param name="content">The text to store.</param>
    string? WriteCompanion(CellResult result, string suffix, string content) => null;
}
