namespace NetPerf.Experiments;

/// <summary>Receives the result of every cell as it finishes (the results folder; reports read it later).</summary>
public interface ICellResultSink
{
    /// <summary>Stores one cell's result; returns the file written, if any.</summary>
    string? Write(CellResult result);
}
