using System.Globalization;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// The engine keeps a network that lost its containers because it still counts endpoints on it ("has active endpoints"
/// with nothing attached): a known fault of Docker 20.10 after many containers were removed at once. Before reporting it,
/// NetPerf force-disconnects every endpoint the engine still lists on the network and tries again
/// (<see cref="NetworkRemoval"/>); that clears an endpoint the engine still lists after its container was removed.
/// When the engine lists none (the fault as it comes after parallel teardowns), its stored endpoint count is above its
/// endpoints; no API call lowers it, and only restarting the engine clears it: the engine recounts every network's
/// endpoints when it starts. NetPerf tells that state apart (<see cref="StaleCountEvidence"/>) and reports it after a short
/// confirmation instead of its whole retry window (<see cref="CountOnly"/>). Both states were reproduced on a real engine
/// (tests/NetPerf.Framework.Tests/Testbeds/StaleEndpointsEngineTests.cs). The measurement it follows is sound, so a
/// testbed reports it as a warning, not a failure.
/// </summary>
internal sealed class StaleEndpointsException : Exception
{
    /// <summary>Creates the exception for a network.</summary>
    /// <param name="network">The network's name.</param>
    /// <param name="inner">The engine's refusal.</param>
    public StaleEndpointsException(string network, Exception? inner = null)
        : this(network, [], null, inner)
    {
    }

    /// <summary>Creates the exception for a network whose listed endpoints were force-disconnected before the last refusal.</summary>
    /// <param name="network">The network's name.</param>
    /// <param name="disconnected">The endpoints NetPerf force-disconnected (none when the engine listed none).</param>
    /// <param name="disconnectError">Why a forced disconnect failed, if one did.</param>
    /// <param name="inner">The engine's last refusal.</param>
    /// <param name="engine">The engine's endpoint (e.g. <c>unix:///var/run/docker.sock</c>), named in the message: the one to restart.</param>
    /// <param name="countOnly">What showed that only the engine's endpoint count holds the network (<see cref="StaleCountEvidence.Describe"/>), when NetPerf stopped retrying on that evidence.</param>
    public StaleEndpointsException(string network, IReadOnlyList<string> disconnected, string? disconnectError, Exception? inner, string? engine = null, string? countOnly = null)
        : base($"Network '{network}'{(engine is null ? "" : $" on the engine at '{engine}'")} could not be removed: the engine says it 'has active endpoints' although no container is attached, "
            + "a known Docker engine fault after many containers were removed at once. " + Attempt(disconnected, disconnectError) + countOnly
            + "Only restarting the engine clears it: the engine recounts every network's endpoints when it starts (for the engine scripts/setup.sh manages: "
            + "stop dockerd, then run scripts/setup.sh; a second engine NetPerf started goes away with its run). It does not disturb later runs, "
            + "which report it and go on.", inner)
    {
        Network = network;
        Disconnected = disconnected;
        Engine = engine;
        CountOnly = countOnly is not null;
    }

    /// <summary>Whether NetPerf stopped retrying early because only the engine's stored endpoint count held the network (<see cref="StaleCountEvidence"/>).</summary>
    public bool CountOnly { get; }

    /// <summary>The endpoint of the engine that holds the network, when known.</summary>
    public string? Engine { get; }

    /// <summary>The network left behind.</summary>
    public string Network { get; }

    /// <summary>The endpoints NetPerf force-disconnected before it gave up.</summary>
    public IReadOnlyList<string> Disconnected { get; }

    /// <summary>Whether an engine error is this fault.</summary>
    /// <param name="e">The error.</param>
    public static bool IsStaleEndpoints(Exception e) =>
        e is EngineException { StatusCode: System.Net.HttpStatusCode.Forbidden } ee && ee.EngineMessage.Contains("active endpoints", StringComparison.OrdinalIgnoreCase);

    private static string Attempt(IReadOnlyList<string> disconnected, string? disconnectError) =>
        (disconnected.Count == 0
            ? "The engine listed no endpoint on it to force-disconnect (it counts endpoints it does not list)"
            : string.Create(CultureInfo.InvariantCulture, $"NetPerf force-disconnected the {disconnected.Count} endpoint(s) the engine listed ({string.Join(", ", disconnected.Select(d => $"'{d}'"))}) and the engine still refused")
        ) + (disconnectError is null ? ". " : $"; a forced disconnect failed: {disconnectError}. ");
}
