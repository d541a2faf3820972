using System.Globalization;

namespace NetPerf.Workloads;

/// <summary>Builds shell command lines for the tools image.</summary>
internal static class Shell
{
    /// <summary>Quotes one word for sh/bash.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Joins argv into one quoted command line.</summary>
    public static string Join(IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));

    /// <summary>A number as the tools expect it: invariant culture, no exponent.</summary>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>argv that runs <paramref name="script"/> with bash (bash has $EPOCHREALTIME, so timestamps need no fork).</summary>
    public static IReadOnlyList<string> Bash(string script) => ["bash", "-c", script];
}
