using System.Net.Http;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// The Docker Engine API's swarm and image-transfer calls (Docker.DotNet), which <see cref="IContainerEngine"/> does not
/// need for one engine: join and leave a swarm, remove a node, read the manager's address, copy an image between engines
/// (the API's <c>docker save | docker load</c>; there is no registry on the machine NetPerf is built on).
/// </summary>
internal sealed class SwarmApi : IDisposable
{
    private readonly DockerClient _docker;

    /// <summary>Connects to <paramref name="endpoint"/> (<c>unix:///path</c> or plain <c>tcp://host:port</c>) at API 1.41 (Docker 20.10).</summary>
    public SwarmApi(string endpoint, TimeSpan? timeout = null)
        : this(new EngineEndpoint(endpoint), timeout)
    {
    }

    /// <summary>Connects to the engine <paramref name="engine"/> talks to, with the same TLS settings.</summary>
    public SwarmApi(IContainerEngine engine, TimeSpan? timeout = null)
        : this(EngineEndpoint.Of(engine), timeout)
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/> (with its TLS certificates, if any) at API 1.41 (Docker 20.10).</summary>
    public SwarmApi(EngineEndpoint endpoint, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Settings = endpoint;
        Endpoint = endpoint.Address;
        _docker = endpoint.ClientBuilder().WithApiVersion(new System.Version(1, 41)).WithTimeout(timeout ?? TimeSpan.FromSeconds(120)).Build();
    }

    /// <summary>The endpoint with its TLS settings.</summary>
    public EngineEndpoint Settings { get; }

    /// <summary>The engine's endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The engine's swarm state: node id, advertised address, whether it is a manager, or none when not in a swarm.</summary>
    public async Task<(string NodeId, string NodeAddress, bool Manager, string State)> StateAsync(CancellationToken ct)
    {
        var info = await Call("GET /info", t => _docker.System.GetSystemInfoAsync(t), ct).ConfigureAwait(false);
        var swarm = info.Swarm;
        return (swarm?.NodeID ?? "", swarm?.NodeAddr ?? "", swarm?.ControlAvailable ?? false, swarm?.LocalNodeState ?? "inactive");
    }

    /// <summary>Whether the engine answers at all.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await _docker.System.PingAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or DockerApiException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The token a worker joins this manager's swarm with.</summary>
    public async Task<string> WorkerTokenAsync(CancellationToken ct)
    {
        var swarm = await Call("GET /swarm", t => _docker.Swarm.InspectSwarmAsync(t), ct).ConfigureAwait(false);
        return swarm.JoinTokens?.Worker ?? throw new InvalidOperationException($"The engine at '{Endpoint}' gave no worker join token: is it a swarm manager?");
    }

    /// <summary>Joins this engine to a swarm as the node advertised at <paramref name="advertiseAddress"/>.</summary>
    public Task JoinAsync(string managerAddress, string advertiseAddress, string token, CancellationToken ct) =>
        Call("POST /swarm/join", async t =>
        {
            await _docker.Swarm.JoinSwarmAsync(new SwarmJoinParameters
            {
                JoinToken = token,
                RemoteAddrs = [managerAddress],
                AdvertiseAddr = advertiseAddress,
                ListenAddr = advertiseAddress + ":2377",
                DataPathAddr = advertiseAddress,
            }, t).ConfigureAwait(false);
            return 0;
        }, ct);

    /// <summary>Makes this engine leave its swarm (forced: a worker with containers on an overlay still leaves).</summary>
    public Task LeaveAsync(CancellationToken ct) =>
        Call("POST /swarm/leave", async t => { await _docker.Swarm.LeaveSwarmAsync(new SwarmLeaveParameters { Force = true }, t).ConfigureAwait(false); return 0; }, ct);

    /// <summary>Removes a node from this manager's swarm; one already gone is not an error.</summary>
    public async Task RemoveNodeAsync(string nodeId, CancellationToken ct)
    {
        try
        {
            await Call($"DELETE /nodes/{nodeId}", async t => { await _docker.Swarm.RemoveNodeAsync(nodeId, true, t).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
        }
        catch (EngineException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>The manager's nodes: id, state (ready, down), engine labels.</summary>
    public async Task<IReadOnlyList<(string Id, string State, IReadOnlyDictionary<string, string> EngineLabels)>> NodesAsync(CancellationToken ct)
    {
        var nodes = await Call("GET /nodes", t => _docker.Swarm.ListNodesAsync(t), ct).ConfigureAwait(false);
        return [.. nodes.Select(n => (n.ID ?? "", n.Status?.State ?? "", (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(n.Description?.Engine?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)))];
    }

    /// <summary>Whether the engine has the image.</summary>
    public async Task<bool> HasImageAsync(string image, CancellationToken ct)
    {
        try
        {
            await Call($"GET /images/{image}/json", t => _docker.Images.InspectImageAsync(image, t), ct).ConfigureAwait(false);
            return true;
        }
        catch (EngineException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Copies <paramref name="image"/> from this engine to <paramref name="target"/> (save, then load; streamed).</summary>
    public Task CopyImageAsync(string image, SwarmApi target, CancellationToken ct) =>
        Call($"GET /images/{image}/get | POST /images/load", async t =>
        {
            await using var tar = await _docker.Images.SaveImageAsync(image, t).ConfigureAwait(false);
            await target._docker.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, tar, new Progress<JSONMessage>(), t).ConfigureAwait(false);
            return 0;
        }, ct);

    /// <summary>Lists the ids of every container on the engine, running or not.</summary>
    public async Task<IReadOnlyList<string>> ContainerIdsAsync(CancellationToken ct)
    {
        var list = await Call("GET /containers/json", t => _docker.Containers.ListContainersAsync(new ContainersListParameters { All = true }, t), ct).ConfigureAwait(false);
        return [.. list.Select(c => c.ID)];
    }

    /// <summary>Force-removes a container.</summary>
    public Task RemoveContainerAsync(string id, CancellationToken ct) =>
        Call($"DELETE /containers/{id}", async t => { await _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, t).ConfigureAwait(false); return 0; }, ct);

    /// <inheritdoc />
    public void Dispose() => _docker.Dispose();

    private async Task<T> Call<T>(string operation, Func<CancellationToken, Task<T>> body, CancellationToken ct)
    {
        try
        {
            return await body(ct).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.BadRequest && Settings.Tls is null && (e.ResponseBody ?? "").Contains("HTTPS server", StringComparison.Ordinal))
        {
            throw new EngineException(operation, e.StatusCode, TestcontainersEngine.PlainHttpToTlsMessage(Endpoint), e);
        }
        catch (DockerApiException e)
        {
            throw new EngineException(operation, e.StatusCode, string.IsNullOrWhiteSpace(e.ResponseBody) ? e.Message : e.ResponseBody.Trim(), e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException && Settings.Tls?.Explain(e, Endpoint) is { } tlsProblem)
        {
            throw new EngineException(operation, null, tlsProblem, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new EngineException(operation, null, $"cannot reach the engine at '{Endpoint}': {e.Message}", e);
        }
    }
}
