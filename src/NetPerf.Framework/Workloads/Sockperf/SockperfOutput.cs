using System.Globalization;
using System.Text.RegularExpressions;

namespace NetPerf.Workloads.Sockperf;

/// <summary>What all sockperf output has in common: colour codes, a version banner, <c>ERROR</c> lines and exit code 0 on failure.</summary>
internal static partial class SockperfOutput
{
    /// <summary>The output without ANSI colour codes.</summary>
    public static string Clean(string output) => Ansi().Replace(output, "");

    /// <summary>Throws when sockperf reported an error (it exits 0 even when it cannot connect).</summary>
    public static void ThrowOnError(string cleaned, string stderr, string nodeName)
    {
        var error = (cleaned + "\n" + Clean(stderr)).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal));
        if (error is not null)
            throw new WorkloadException($"sockperf on '{nodeName}' failed: '{error}'", nodeName);
        if (string.IsNullOrWhiteSpace(cleaned))
            throw new WorkloadException($"sockperf on '{nodeName}' printed nothing on stdout; stderr: '{stderr.Trim()}'", nodeName);
    }

    /// <summary>Parses a plain decimal number as sockperf prints it (<c>27.679</c>): finite and not negative; signs, NaN and infinities are rejected.</summary>
    public static bool TryParseNonNegative(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>The version from the banner <c>== version #3.7-no.git ==</c>.</summary>
    public static string Version(string cleaned) => VersionLine().Match(cleaned) is { Success: true } m ? m.Groups[1].Value : "unknown";

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"== version #(\S+) ==")]
    private static partial Regex VersionLine();
}
