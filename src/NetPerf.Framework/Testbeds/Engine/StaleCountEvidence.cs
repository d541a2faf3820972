using System.Globalization;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// Tells the engine's stale endpoint count, which waiting cannot lower, from a refusal for "active endpoints" that may
/// still end, on what the engine shows after each refusal (<see cref="IContainerEngine.InspectNetworkUseAsync"/>).
/// </summary>
/// <remarks>
/// The count is all that holds a network when the network is <c>local</c>-scoped (a swarm-scoped one is released by the
/// swarm, asynchronously), the engine lists no endpoint on it (a listed one may still be going away, or can be
/// force-disconnected) and no container is on it (one may still be being removed). Docker 20.10 keeps a local network's
/// endpoint count in its store and lowers it only when it deletes an endpoint, or recounts it when it starts; so once no
/// endpoint and no container is left, only a restart of the engine ends the refusal. That state must hold over
/// <see cref="ConfirmRefusals"/> refusals spanning <see cref="ConfirmFor"/>, so that the engine's own moment between
/// deleting an endpoint and lowering the count is not taken for it. Anything else, or an engine that cannot tell,
/// starts the confirmation over, and the caller keeps retrying for its window.
/// </remarks>
internal sealed class StaleCountEvidence
{
    /// <summary>How long the count-only state must last, refusal after refusal, before NetPerf stops retrying.</summary>
    public static readonly TimeSpan ConfirmFor = TimeSpan.FromSeconds(2);

    /// <summary>The fewest refusals in the count-only state before NetPerf stops retrying.</summary>
    public const int ConfirmRefusals = 5;

    private TimeSpan? _since;

    /// <summary>The refusals seen in the count-only state since it began (0 when it does not hold).</summary>
    public int Refusals { get; private set; }

    /// <summary>Whether what the engine shows leaves only its stored endpoint count holding the network.</summary>
    /// <param name="use">What the engine showed after a refusal for "active endpoints"; <see langword="null"/> when it could not tell.</param>
    public static bool IsCountOnly(NetworkUse? use) =>
        use is { Endpoints.Count: 0, Containers.Count: 0 } && string.Equals(use.Scope, "local", StringComparison.Ordinal);

    /// <summary>Records one refusal and what the engine showed after it; true once the count-only state has been confirmed.</summary>
    /// <param name="elapsed">The time since the removal began.</param>
    /// <param name="use">What the engine showed after the refusal; <see langword="null"/> when it could not tell.</param>
    public bool Confirms(TimeSpan elapsed, NetworkUse? use)
    {
        if (!IsCountOnly(use))
        {
            _since = null;
            Refusals = 0;
            return false;
        }
        _since ??= elapsed;
        Refusals++;
        return Refusals >= ConfirmRefusals && elapsed - _since.Value >= ConfirmFor;
    }

    /// <summary>Says what was seen, for the report, once <see cref="Confirms"/> returned true.</summary>
    /// <param name="elapsed">The time since the removal began.</param>
    /// <param name="retryFor">The retry window NetPerf did not wait out.</param>
    public string Describe(TimeSpan elapsed, TimeSpan retryFor) => string.Create(CultureInfo.InvariantCulture,
        $"Through {Refusals} refusals over {(elapsed - (_since ?? elapsed)).TotalSeconds:0.0} s the engine showed no endpoint and no container on this local network, "
        + $"so only its stored endpoint count holds it and waiting cannot lower that: NetPerf stopped retrying after {elapsed.TotalSeconds:0.0} s instead of {retryFor.TotalSeconds:0} s. ");
}
