using System.Globalization;

// Author-facing, so in namespace NetPerf rather than NetPerf.Nodes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>What a command run in a container produced.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Stdout">Everything written to standard output.</param>
/// <param name="Stderr">Everything written to standard error.</param>
/// <param name="Elapsed">Wall-clock time from start to exit, seen by the caller.</param>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>True when the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"exit {ExitCode} after {Elapsed.TotalSeconds:0.###} s; stderr: {Tail(Stderr)}; stdout: {Tail(Stdout)}");

    private static string Tail(string s) => s.Length <= 400 ? s.Trim() : "..." + s[^400..].Trim();
}
