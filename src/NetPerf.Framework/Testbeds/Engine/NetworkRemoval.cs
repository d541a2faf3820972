using System.Diagnostics;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// Removes a network of NetPerf's own, for teardown and for the sweeper: when the engine refuses because the network
/// "has active endpoints", every endpoint the engine still lists on it is force-disconnected and the removal is tried
/// again at once; a refusal that outlasts that and the retry window is reported as <see cref="StaleEndpointsException"/>.
/// A refusal that only the engine's stored endpoint count can cause (<see cref="StaleCountEvidence"/>: a local network,
/// no endpoint listed, no container on it, confirmed over a few refusals) is reported as soon as it is confirmed, not at
/// the end of the window: waiting does not lower that count.
/// </summary>
internal static class NetworkRemoval
{
    /// <summary>While the engine keeps refusing, the endpoints are force-disconnected again at most this often.</summary>
    internal static readonly TimeSpan ForceInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Removes the network; returns the endpoints that had to be force-disconnected first (usually none).</summary>
    /// <param name="engine">The engine holding the network.</param>
    /// <param name="id">The network's id (or name).</param>
    /// <param name="name">The network's name, for messages.</param>
    /// <param name="retryFor">How long engine errors are retried (swarm-scoped networks refuse while endpoints are released); zero tries once after the forced disconnect.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <exception cref="StaleEndpointsException">The engine still said "has active endpoints" after the forced disconnect and <paramref name="retryFor"/>, or after <see cref="StaleCountEvidence.ConfirmFor"/> when only its endpoint count can hold the network.</exception>
    /// <exception cref="EngineException">Another engine error outlasted <paramref name="retryFor"/>; an engine that cannot be reached at once.</exception>
    public static async Task<IReadOnlyList<string>> RemoveAsync(IContainerEngine engine, string id, string name, TimeSpan retryFor, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var disconnected = new List<string>();
        TimeSpan? lastForced = null;
        string? disconnectError = null;
        var evidence = new StaleCountEvidence();
        while (true)
        {
            try
            {
                await engine.RemoveNetworkAsync(id, cancellationToken).ConfigureAwait(false);
                return disconnected;
            }
            catch (EngineException e) when (StaleEndpointsException.IsStaleEndpoints(e))
            {
                if (lastForced is null || watch.Elapsed - lastForced >= ForceInterval)
                {
                    lastForced = watch.Elapsed;
                    try
                    {
                        foreach (var endpoint in await engine.ForceDisconnectEndpointsAsync(id, cancellationToken).ConfigureAwait(false))
                            if (!disconnected.Contains(endpoint)) disconnected.Add(endpoint);
                    }
                    catch (Exception d) when (d is EngineException or TimeoutException)
                    {
                        // The removal below decides; the reason goes into the report if it still fails.
                        disconnectError = d.Message;
                    }

                    continue;
                }

                // Refused after the forced disconnect: what still holds the network decides whether waiting can help.
                if (retryFor > TimeSpan.Zero && evidence.Confirms(watch.Elapsed, await InspectAsync(engine, id, cancellationToken).ConfigureAwait(false)))
                    throw new StaleEndpointsException(name, disconnected, disconnectError, e, engine.Endpoint, evidence.Describe(watch.Elapsed, retryFor));
                if (watch.Elapsed >= retryFor) throw new StaleEndpointsException(name, disconnected, disconnectError, e, engine.Endpoint);
            }
            catch (EngineException e) when (watch.Elapsed < retryFor && !e.EngineUnreachable)
            {
                // Another refusal while the engine settles (e.g. a swarm-scoped network releasing its endpoints): retry below.
                // An engine that cannot be reached is not settling: retrying it held a run whose engine had gone for the
                // whole window (30 s in teardown) before it could report.
            }

            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What holds the network, or <see langword="null"/> when the engine cannot tell now (the removal is then retried as before).</summary>
    private static async Task<NetworkUse?> InspectAsync(IContainerEngine engine, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.InspectNetworkUseAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or TimeoutException)
        {
            return null;
        }
    }
}
