using NetPerf.Testbeds.Engine;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds.Engine (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// The small part of a container engine NetPerf needs: networks, containers, exec.
/// </summary>
/// <remarks>
/// <see cref="TestcontainersEngine"/> implements it with Testcontainers and Docker.DotNet; tests can put a fake behind
/// it. Every call takes a cancellation token and is bounded by the engine's call timeout; failures throw
/// <see cref="EngineException"/> carrying the engine's message.
/// </remarks>
public interface IContainerEngine : IDisposable
{
    /// <summary>Where the engine is reached, e.g. <c>unix:///var/run/docker.sock</c>.</summary>
    string Endpoint { get; }

    /// <summary>Engine version, negotiated API version, kernel, CPUs.</summary>
    Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>True when an image with this reference exists locally.</summary>
    Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default);

    /// <summary>Image id (sha256:...) of a local image.</summary>
    Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default);

    /// <summary>Creates a network and returns its id.</summary>
    Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Removes a network; a network that does not exist is not an error.</summary>
    Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Force-disconnects every endpoint the engine still lists on a network (an attached container, or the endpoint a
    /// removed container left behind) and returns their names; a network that does not exist has none.
    /// </summary>
    /// <remarks>
    /// NetPerf calls it only when the engine refuses to remove a network of its own because it "has active endpoints",
    /// then tries the removal again. Docker: <c>GET /networks/{id}</c>, then <c>POST /networks/{id}/disconnect</c> with
    /// <c>Force</c> for each endpoint; an endpoint that is gone by then is not an error. The default implementation
    /// disconnects nothing, so an engine of your own written before this member still compiles and such a network is
    /// reported as before.
    /// </remarks>
    Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// Reads what holds a network: its scope, the endpoints the engine lists on it and the containers it has on it; or
    /// <see langword="null"/> when the engine cannot tell (or the network does not exist).
    /// </summary>
    /// <remarks>
    /// NetPerf calls it while the engine refuses to remove a network of its own because it "has active endpoints", to
    /// tell a refusal that may end (an endpoint listed, a container still being removed, a swarm-scoped network) from
    /// the engine's stale endpoint count, which only an engine restart clears. Docker: <c>GET /networks/{id}</c> and
    /// <c>GET /containers/json?all=1</c> filtered by <c>network</c>. The default implementation returns
    /// <see langword="null"/>, so an engine of your own written before this member still compiles and such a refusal is
    /// retried for the whole window as before.
    /// </remarks>
    Task<NetworkUse?> InspectNetworkUseAsync(string networkIdOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult<NetworkUse?>(null);

    /// <summary>Lists networks, optionally only those carrying a label (<c>key</c> or <c>key=value</c>).</summary>
    Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates and starts a container, waits for its wait strategy (if any) and returns its id; a container that was
    /// created but did not start is removed before the call throws.
    /// </summary>
    Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Reads a container's state: pid, running, addresses.</summary>
    Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Force-removes a container; one that does not exist is not an error.</summary>
    Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists containers (running or not), optionally only those carrying a label.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a command in a running container and waits for it to exit.</summary>
    /// <exception cref="TimeoutException">The command did not exit within <paramref name="timeout"/>.</exception>
    Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Starts a command in a running container and returns without waiting for it.</summary>
    Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default);
}
