using Microsoft.Extensions.Logging;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Testbeds.Cluster;

/// <summary>
/// The engine that containers placed "across nodes" run on: the engine named by <see cref="Variable"/> (a real second
/// host of the main engine's swarm, <c>DOCKER_HOST</c>-style), or else a <see cref="NamespacedEngine"/> this process
/// starts on first use and keeps for the rest of the run (starting one costs seconds: dockerd, image load, swarm join).
/// </summary>
/// <remarks>Process-wide like <see cref="Reaper"/>: one second engine per run, shared by every testbed that needs it, removed at exit.</remarks>
internal static class SecondNode
{
    /// <summary>Names a second engine to use instead of starting one here, e.g. <c>tcp://10.0.0.2:2376</c> (the form of <c>DOCKER_HOST</c>).</summary>
    public const string Variable = "NETPERF_SECOND_NODE";

    /// <summary><c>1</c>: speak mutual TLS to <see cref="Variable"/>'s engine and verify its certificate (as <c>DOCKER_TLS_VERIFY</c> does for the main engine).</summary>
    public const string TlsVerifyVariable = "NETPERF_SECOND_NODE_TLS_VERIFY";

    /// <summary>The folder with ca.pem, cert.pem and key.pem for <see cref="Variable"/>'s engine (as <c>DOCKER_CERT_PATH</c>; <c>~/.docker</c> when unset).</summary>
    public const string CertPathVariable = "NETPERF_SECOND_NODE_CERT_PATH";

    /// <summary>The remote second engine named by <see cref="Variable"/> and its TLS siblings, or <see langword="null"/> when it is unset.</summary>
    /// <exception cref="ArgumentException">A value NetPerf cannot use, or missing certificate files (named, with the folder searched).</exception>
    internal static EngineEndpoint? RemoteEndpoint(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return string.IsNullOrWhiteSpace(environment(Variable)) ? null : EngineEndpoint.FromEnvironment(Variable, TlsVerifyVariable, CertPathVariable, environment);
    }

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static NamespacedEngine? s_local;
    private static IContainerEngine? s_remote;
    private static int s_users;
    private static IDisposable? s_registration;

    private static readonly Lazy<string?> s_cachedReason = new(() =>
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string endpoint;
        try { endpoint = EngineEndpoint.Main().Address; }
        catch (ArgumentException e) { return e.Message; }
        return UnavailableReasonAsync(endpoint, timeout.Token).GetAwaiter().GetResult();
    });

    /// <summary>Why no second node can be had here (asked once per process, for skipping cells), or <see langword="null"/>.</summary>
    public static string? CachedUnavailableReason() => s_local is not null || s_remote is not null ? null : s_cachedReason.Value;

    /// <summary>Why no second node can be had here, or <see langword="null"/> when one can.</summary>
    public static async Task<string?> UnavailableReasonAsync(string mainEndpoint, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } remote)
        {
            try
            {
                using var api = new SwarmApi(RemoteEndpoint()!, TimeSpan.FromSeconds(15));
                var state = await api.StateAsync(ct).ConfigureAwait(false);
                return string.Equals(state.State, "active", StringComparison.OrdinalIgnoreCase)
                    ? null
                    : $"{Variable}={remote} is not a node of a swarm; join it to the main engine's swarm ('docker swarm join')";
            }
            catch (ArgumentException e)
            {
                return $"{Variable}={remote} cannot be used: {e.Message}";
            }
            catch (Exception e) when (e is EngineException or TimeoutException)
            {
                return $"{Variable}={remote} did not answer: {e.Message}";
            }
        }
        return await NamespacedEngine.UnavailableReasonAsync(mainEndpoint, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The second node's engine, started if needed, with <paramref name="images"/> present, and its network namespace on
    /// this machine (null for a remote engine); call <see cref="Release"/> when done.
    /// </summary>
    public static async Task<(IContainerEngine Engine, string Description, string? Namespace)> AcquireAsync(IContainerEngine main, IReadOnlyList<string> images, CancellationToken ct)
    {
        await Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Reaper.ShuttingDown) throw new OperationCanceledException("NetPerf is shutting down.");
            if (RemoteEndpoint() is { } remote)
            {
                s_remote ??= Logging.NetPerfLog.Wrap(new TestcontainersEngine(remote));
                using var mainApi = new SwarmApi(main);
                using var api = new SwarmApi(remote);
                foreach (var image in images.Distinct(StringComparer.Ordinal))
                    if (!await api.HasImageAsync(image, ct).ConfigureAwait(false))
                        await mainApi.CopyImageAsync(image, api, ct).ConfigureAwait(false);
                s_users++;
                return (s_remote, $"engine {remote}", null);
            }
            if (s_local is null)
            {
                var reason = await NamespacedEngine.UnavailableReasonAsync(main.Endpoint, ct).ConfigureAwait(false);
                if (reason is not null) throw new DriverUnavailableException(new DriverAvailability("placement=AcrossNodes", false, reason));
                s_registration = Reaper.Register("the second engine", StopAtExitAsync);
                s_local = await NamespacedEngine.StartAsync(main, images, line => Logging.NetPerfLog.For("NetPerf.Cluster").LogInformation("{Step}", line), ct).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"[netperf] second engine '{s_local.Namespace}' ({s_local.Address}) joined the swarm in {s_local.StartTime.TotalSeconds:0.0} s").ConfigureAwait(false);
            }
            else
            {
                await s_local.EnsureImagesAsync(main, images, ct).ConfigureAwait(false);
            }
            s_users++;
            return (s_local.Engine, $"second engine in namespace {s_local.Namespace} ({s_local.Address})", s_local.Namespace);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A testbed no longer uses the second node.</summary>
    public static void Release() => Interlocked.Decrement(ref s_users);

    /// <summary>The local second engine, when one runs (for counters read from the host).</summary>
    internal static NamespacedEngine? Local => s_local;

    /// <summary>Stops the local second engine now (tests); testbeds still using it lose their client containers.</summary>
    internal static async Task StopAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (s_local is { } local)
            {
                s_local = null;
                s_registration?.Dispose();
                await local.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task StopAtExitAsync()
    {
        // Testbeds tear down in parallel at exit; give theirs a moment to remove their containers from this engine first.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref s_users) > 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(200).ConfigureAwait(false);
        if (s_local is { } local)
        {
            s_local = null;
            await local.DisposeAsync().ConfigureAwait(false);
        }
    }
}
