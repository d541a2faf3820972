namespace NetPerf.Baselines;

/// <summary>A baseline or received file is malformed, truncated or holds a value of the wrong type.</summary>
/// <remarks>The message names the file and the JSON path of the problem, e.g. <c>$.metrics.aggregate_throughput.values[2]</c>.</remarks>
internal class BaselineFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file that is malformed.</param>
    /// <param name="jsonPath">Where in the file, as a JSON path starting at <c>$</c>.</param>
    /// <param name="problem">What is wrong, in one sentence.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public BaselineFormatException(string filePath, string jsonPath, string problem, Exception? inner = null)
        : base($"Baseline file '{filePath}' is not valid at '{jsonPath}': {problem}", inner)
    {
        FilePath = filePath;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The malformed file.</summary>
    public string FilePath { get; }

    /// <summary>The JSON path of the problem, starting at <c>$</c>.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
