namespace NetPerf.Testbeds.Engine;

/// <summary>
/// The engine keeps a network that lost its containers because it still counts endpoints on it ("has active endpoints"
/// with nothing attached): a known fault of Docker 20.10 after many containers were removed at once. Only restarting the
/// engine clears it; a forced disconnect by the containers' names finds no endpoint (tried on this machine, 2026-12-02).
/// The measurement it follows is sound, so a testbed reports it as a warning, not a failure.
/// </summary>
internal sealed class StaleEndpointsException : Exception
{
    /// <summary>Creates the exception for a network.</summary>
    /// <param name="network">The network's name.</param>
    /// <param name="inner">The engine's refusal.</param>
    public StaleEndpointsException(string network, Exception? inner = null)
        : base($"Network '{network}' could not be removed: the engine says it 'has active endpoints' although no container is attached, "
            + "a known Docker engine fault after many containers were removed at once. Only restarting the engine clears it "
            + "(stop dockerd, then scripts/setup.sh starts it again); it does not disturb later runs, which report it and go on.", inner)
    {
        Network = network;
    }

    /// <summary>The network left behind.</summary>
    public string Network { get; }

    /// <summary>Whether an engine error is this fault.</summary>
    /// <param name="e">The error.</param>
    public static bool IsStaleEndpoints(Exception e) =>
        e is EngineException { StatusCode: System.Net.HttpStatusCode.Forbidden } ee && ee.EngineMessage.Contains("active endpoints", StringComparison.OrdinalIgnoreCase);
}
