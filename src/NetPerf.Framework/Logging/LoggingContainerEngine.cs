using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Logging;

/// <summary>
/// An engine whose every call is logged at debug level with its arguments, duration and outcome (a failure at warning),
/// in front of the real one. Exec calls show the command line and exit code.
/// </summary>
internal sealed class LoggingContainerEngine(IContainerEngine inner, ILogger logger) : IContainerEngine
{
    public string Endpoint => inner.Endpoint;

    /// <summary>The engine behind the log (for its TLS settings, <see cref="EngineEndpoint.Of"/>).</summary>
    internal IContainerEngine Inner => inner;

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        Timed("info", () => inner.GetInfoAsync(cancellationToken), _ => "");

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) =>
        Timed($"image exists {image}", () => inner.ImageExistsAsync(image, cancellationToken), r => r ? "yes" : "no");

    public Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) =>
        Timed($"image id {image}", () => inner.GetImageIdAsync(image, cancellationToken), r => r);

    public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default) =>
        Timed($"create network {spec.Name}", () => inner.CreateNetworkAsync(spec, cancellationToken), Short);

    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default) =>
        Timed($"remove network {idOrName}", async () => { await inner.RemoveNetworkAsync(idOrName, cancellationToken).ConfigureAwait(false); return true; }, _ => "");

    public Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default) =>
        Timed($"force-disconnect endpoints of network {networkIdOrName}", () => inner.ForceDisconnectEndpointsAsync(networkIdOrName, cancellationToken),
            r => r.Count == 0 ? "none listed" : string.Join(", ", r));

    public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default) =>
        Timed($"list networks {labelFilter}", () => inner.ListNetworksAsync(labelFilter, cancellationToken), r => $"{r.Count} networks");

    public Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default) =>
        Timed($"run container {spec.Name} ({spec.Image})", () => inner.RunContainerAsync(spec, cancellationToken), Short);

    public Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default) =>
        Timed($"inspect {Short(id)}", () => inner.InspectContainerAsync(id, cancellationToken), r => r.Running ? "running" : "not running");

    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default) =>
        Timed($"remove container {Short(id)}", async () => { await inner.RemoveContainerAsync(id, cancellationToken).ConfigureAwait(false); return true; }, _ => "");

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default) =>
        Timed($"list containers {labelFilter}", () => inner.ListContainersAsync(labelFilter, cancellationToken), r => $"{r.Count} containers");

    public Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Timed($"exec in {Short(containerId)}: {string.Join(' ', command)}", () => inner.ExecAsync(containerId, command, timeout, cancellationToken),
            r => r.Succeeded ? "exit 0" : $"exit {r.ExitCode}: {Tail(r.Stderr)}");

    public Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default) =>
        Timed($"exec detached in {Short(containerId)}: {string.Join(' ', command)}", async () => { await inner.ExecDetachedAsync(containerId, command, cancellationToken).ConfigureAwait(false); return true; }, _ => "started");

    public void Dispose() => inner.Dispose();

    private async Task<T> Timed<T>(string what, Func<Task<T>> call, Func<T, string> outcome)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await call().ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
                logger.LogDebug("{What} -> {Outcome} in {Milliseconds} ms", what, outcome(result), watch.ElapsedMilliseconds);
            return result;
        }
        catch (Exception e)
        {
            logger.LogWarning("{What} -> failed in {Milliseconds} ms: {Error}", what, watch.ElapsedMilliseconds, e.Message);
            throw;
        }
    }

    private static string Short(string id) => id.Length > 12 && !id.Contains('-', StringComparison.Ordinal) ? id[..12] : id;

    private static string Tail(string text)
    {
        var t = text.Trim();
        return t.Length <= 200 ? t : "..." + t[^200..];
    }
}
