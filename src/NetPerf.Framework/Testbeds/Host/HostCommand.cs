using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using NetPerf.Logging;

namespace NetPerf.Testbeds.Host;

/// <summary>
/// Runs a host command-line tool (<c>ip</c>, <c>ovs-vsctl</c>, <c>ethtool</c>, <c>nsenter</c>) where no API exists.
/// </summary>
internal static class HostCommand
{
    private static ILogger Log => NetPerfLog.For("NetPerf.Host");

    /// <summary>Runs <paramref name="file"/> with arguments and returns what it printed; never throws for a non-zero exit.</summary>
    public static async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(127, "", $"'{file}' could not be started ({e.Message}); is it installed? Run scripts/setup.sh.", watch.Elapsed);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{Describe(file, args)}' did not finish within {timeout.TotalSeconds} s.");
        }
        var result = new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), watch.Elapsed);
        if (Log.IsEnabled(LogLevel.Debug))
            Log.LogDebug("{Command} -> exit {Exit} in {Milliseconds} ms{Stderr}", Describe(file, args), result.ExitCode, (long)result.Elapsed.TotalMilliseconds,
                result.Succeeded || result.Stderr.Length == 0 ? "" : ": " + result.Stderr.Trim());
        return result;
    }

    /// <summary>Runs a command and throws <see cref="InvalidOperationException"/> quoting its stderr when it fails.</summary>
    public static async Task<string> RunCheckedAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        var r = await RunAsync(file, args, timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (!r.Succeeded)
            throw new InvalidOperationException($"'{Describe(file, args)}' failed with exit code {r.ExitCode}: {r.Stderr.Trim()}{(r.Stdout.Length > 0 ? " " + r.Stdout.Trim() : "")}");
        return r.Stdout;
    }

    /// <summary>Runs a command synchronously (for signal handlers and probes).</summary>
    public static CommandResult Run(string file, params string[] args) =>
        RunAsync(file, args, TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();

    /// <summary>The command line as a user would type it.</summary>
    public static string Describe(string file, IReadOnlyList<string> args)
    {
        var sb = new StringBuilder(file);
        foreach (var a in args) sb.Append(' ').Append(a.Contains(' ') ? $"\"{a}\"" : a);
        return sb.ToString();
    }
}
