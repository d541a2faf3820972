using System.Globalization;
using System.Text;

namespace NetPerf.Experiments;

/// <summary>
/// One plain line per step of a cell (provisioning, each trial, confirmation, the verdict) appended to
/// <c>progress.log</c> in the results folder as it happens, so a long run shows signs of life.
/// </summary>
/// <remarks>
/// The test platform shows a test's output only when the test ends, and not at all on the console by default; a file is
/// the one channel that works from inside a test whatever runs it. <c>scripts/scenarios.sh</c> follows the file on the
/// console while the tests run (plain lines, fit for CI logs); elsewhere <c>tail -f results/scenarios/progress.log</c>
/// does the same. A line looks like <c>10:42:07 Aggregate_throughput(driver: Bridge, pairs: 50): trial 2 of 3: aggregate_throughput 13.2 Gbit/s</c>.
/// Writing never fails a cell: a progress line that cannot be written is dropped.
/// </remarks>
internal sealed class ProgressLog
{
    /// <summary>The file name in the results folder.</summary>
    public const string FileName = "progress.log";

    private static readonly Lock Gate = new();
    private readonly string? _path;
    private readonly string _cell;
    private readonly TimeProvider _clock;

    /// <summary>A log for one cell.</summary>
    /// <param name="resultsDirectory">The results folder, or <see langword="null"/> to write nothing.</param>
    /// <param name="cell">The cell's display name, at the start of every line.</param>
    /// <param name="clock">The clock of the time stamps (tests pass a fixed one).</param>
    public ProgressLog(string? resultsDirectory, string cell, TimeProvider? clock = null)
    {
        _path = string.IsNullOrEmpty(resultsDirectory) ? null : System.IO.Path.Combine(resultsDirectory, FileName);
        _cell = cell;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The file the lines go to, or <see langword="null"/>.</summary>
    public string? FilePath => _path;

    /// <summary>Appends one line about this cell.</summary>
    /// <param name="text">What happened, e.g. <c>provisioning 50 pairs on Bridge</c>.</param>
    public void Write(string text)
    {
        if (_path is null)
            return;
        var line = Format(_clock.GetUtcNow(), _cell, text);
        try
        {
            lock (Gate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                stream.Write(bytes);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Progress is a courtesy; the cell's result does not depend on it.
        }
    }

    /// <summary>One line: UTC time, cell, text; line breaks in the text become spaces so a line is one event.</summary>
    internal static string Format(DateTimeOffset utc, string cell, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"{utc.UtcDateTime:HH:mm:ss} {cell}: {text.ReplaceLineEndings(" ")}");
}
