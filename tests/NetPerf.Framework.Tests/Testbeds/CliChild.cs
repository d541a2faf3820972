using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NetPerf.Tests.Testbeds;

/// <summary>A real NetPerf process: the CLI (<c>netperf.dll</c> beside the tests) started as a child, read line by line.</summary>
internal static partial class CliChild
{
    /// <summary>Starts <c>dotnet netperf.dll ARGS</c> with standard output and error redirected.</summary>
    public static Process Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <summary>Starts <c>dotnet netperf.dll ARGS</c> with <paramref name="environment"/> added to (or, for null values, removed from) this process's.</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "netperf.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        return Process.Start(psi)!;
    }

    /// <summary>The session id from the child's first line (<c>session 1a2b3, pid N: provisioning</c>).</summary>
    /// <param name="child">The child.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <param name="stderr">The child's standard error, when the caller already reads it to the end.</param>
    public static async Task<string> ReadSessionAsync(Process child, CancellationToken ct, Task<string>? stderr = null)
    {
        var line = await WaitForLineAsync(child, "session ", ct, stderr);
        return SessionPattern().Match(line).Groups[1].Value;
    }

    /// <summary>Reads the child's output up to the first line that starts with <paramref name="start"/> (90 s at most).</summary>
    /// <param name="child">The child.</param>
    /// <param name="start">How the line starts.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <param name="stderr">The child's standard error, when the caller already reads it to the end.</param>
    /// <exception cref="InvalidOperationException">The child ended first; the message quotes its standard error.</exception>
    public static async Task<string> WaitForLineAsync(Process child, string start, CancellationToken ct, Task<string>? stderr = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith(start, StringComparison.Ordinal)) return line;
        var said = stderr is null ? await child.StandardError.ReadToEndAsync(ct) : await stderr.WaitAsync(TimeSpan.FromSeconds(30), ct);
        throw new InvalidOperationException($"the CLI ended without printing '{start}': {said}");
    }

    [GeneratedRegex(@"^session ([0-9a-f]{5})")]
    private static partial Regex SessionPattern();
}
