using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using TcContainerBuilder = DotNet.Testcontainers.Builders.ContainerBuilder;
using TcNetworkBuilder = DotNet.Testcontainers.Builders.NetworkBuilder;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// <see cref="IContainerEngine"/> through Testcontainers for .NET (containers, networks, exec, lifecycle) and Docker.DotNet
/// for what Testcontainers does not cover (version and info, images, listing and removal by id for the sweeper, inspect,
/// detached exec).
/// </summary>
/// <remarks>
/// <para>
/// Create one with <see cref="FromEnvironment"/> (honours <c>DOCKER_HOST</c>), share it for the whole run (it is thread-safe)
/// and dispose it at the end. The first call reads the engine's API version and speaks the highest version both sides
/// know: the engine's own, capped at <see cref="MaximumApiVersion"/> (what this Testcontainers asks for); an engine older
/// than <see cref="MinimumApiVersion"/> (Docker 20.10) is refused with what to do. Testcontainers reads its settings once
/// per process, from the environment: the negotiated version goes to <c>DOCKER_API_VERSION</c> unless it is already set.
/// </para>
/// <para>
/// Reaper: Testcontainers' Ryuk runs where its image (<see cref="RyukImage"/>) is on the engine; otherwise (no registry to
/// pull it from, as on the machine NetPerf is built on) it is turned off with a one-line notice, and NetPerf's own session
/// labels and sweeper (<see cref="LeftoverSweeper"/>) remove what a killed run leaves. <c>TESTCONTAINERS_RYUK_DISABLED</c>
/// set by the user wins.
/// </para>
/// <para>
/// Every call is bounded by <see cref="CallTimeout"/> and the caller's token; a timeout throws <see cref="TimeoutException"/>,
/// an engine error <see cref="EngineException"/> carrying the engine's own message.
/// </para>
/// </remarks>
internal sealed class TestcontainersEngine : IContainerEngine
{
    /// <summary>Where the engine is reached when nothing else is said.</summary>
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The oldest Docker API version NetPerf works with (Docker 20.10).</summary>
    public const string MinimumApiVersion = "1.41";

    /// <summary>The newest Docker API version NetPerf asks for (the one Testcontainers 4.16 speaks); newer engines are spoken to in it.</summary>
    public const string MaximumApiVersion = "1.44";

    /// <summary>The environment variable naming the engine endpoint, as the docker CLI reads it.</summary>
    public const string DockerHostVariable = "DOCKER_HOST";

    /// <summary>The API version variable Testcontainers and the docker CLI read.</summary>
    public const string ApiVersionVariable = "DOCKER_API_VERSION";

    /// <summary>The variable that turns Testcontainers' reaper off.</summary>
    public const string RyukDisabledVariable = "TESTCONTAINERS_RYUK_DISABLED";

    /// <summary>The image of Testcontainers' reaper (Ryuk) in the Testcontainers version NetPerf uses.</summary>
    public const string RyukImage = "testcontainers/ryuk:0.14.0";

    private static readonly HashSet<string> BuiltInNetworkModes = new(StringComparer.Ordinal) { "bridge", "default", "host", "none" };
    private static readonly Lock ProcessSettingsGate = new();
    private static bool s_processSettingsApplied;

    private readonly Lock _sessionGate = new();
    private readonly ConcurrentDictionary<string, IContainer> _containers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, INetwork> _networks = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<DockerClient> _clients = [];
    private readonly DotNet.Testcontainers.Configurations.IDockerEndpointAuthenticationConfiguration _testcontainersEndpoint;
    private Task<Session>? _session;

    // The engine's live-restore setting from its last /info answer (every testbed build asks), for the message of an engine
    // that went away: with live-restore its containers run on while it is down. Null until it was asked.
    private volatile StrongBox<bool>? _liveRestore;

    /// <summary>Connects to <paramref name="endpoint"/>; no call is made until the first operation.</summary>
    /// <param name="endpoint"><c>unix:///path/to/docker.sock</c> or <c>tcp://host:port</c>.</param>
    /// <param name="tls">Mutual TLS for a tcp endpoint (<see cref="EngineTls"/>), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The endpoint is not an absolute URI with the unix or tcp scheme, or TLS was given for a socket.</exception>
    public TestcontainersEngine(string endpoint = DefaultEndpoint, EngineTls? tls = null)
        : this(new EngineEndpoint(endpoint, tls))
    {
    }

    /// <summary>Connects to <paramref name="settings"/>; no call is made until the first operation.</summary>
    public TestcontainersEngine(EngineEndpoint settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Endpoint = settings.Address;
        EndpointUri = settings.Uri;
        _testcontainersEndpoint = settings.TestcontainersEndpoint();
    }

    /// <inheritdoc />
    public string Endpoint { get; }

    /// <summary>The endpoint as a URI.</summary>
    public Uri EndpointUri { get; }

    /// <summary>The endpoint with its TLS settings, for other clients of the same engine (<see cref="SwarmApi"/>).</summary>
    public EngineEndpoint Settings { get; }

    /// <summary>The longest any single engine call (create and start, inspect, remove, list) may take; 60 s by default. Exec calls take their own timeout.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Connects to the engine named by <c>DOCKER_HOST</c> (with TLS when <c>DOCKER_TLS_VERIFY=1</c>, certificates from
    /// <c>DOCKER_CERT_PATH</c>), or to <see cref="DefaultEndpoint"/> when it is unset.
    /// </summary>
    /// <exception cref="ArgumentException"><c>DOCKER_HOST</c> has a form NetPerf cannot use (https, ssh, npipe), or a certificate file is missing.</exception>
    public static TestcontainersEngine FromEnvironment() => new(EngineEndpoint.Main());

    /// <summary>
    /// The endpoint for a value of <c>DOCKER_HOST</c>: the default when unset or blank; <c>unix:///path</c> (or a bare
    /// absolute socket path) or <c>tcp://host[:port]</c> (<c>http://</c> is read as tcp; the port defaults to 2375, or
    /// 2376 with <paramref name="tls"/>, as Docker's).
    /// </summary>
    /// <exception cref="ArgumentException">A form NetPerf cannot use (https, ssh, npipe, a relative path), with the forms that work.</exception>
    internal static string ResolveEndpoint(string? dockerHost, bool tls = false)
    {
        if (string.IsNullOrWhiteSpace(dockerHost)) return DefaultEndpoint;
        var value = dockerHost.Trim();
        if (value.StartsWith('/')) value = "unix://" + value;
        string Refuse() => throw new ArgumentException(
            $"Docker endpoint '{dockerHost}' is not supported: use unix:///path/to/docker.sock, plain tcp://host:2375, or tcp://host:2376 with "
            + $"{EngineEndpoint.TlsVerifyVariable}=1 and {EngineEndpoint.CertPathVariable} (ca.pem, cert.pem, key.pem) for TLS, as the docker CLI takes them.", nameof(dockerHost));
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) return Refuse();
        switch (uri.Scheme)
        {
            case "unix":
                return uri.Host.Length == 0 && uri.AbsolutePath.Length > 1 ? "unix://" + uri.AbsolutePath : Refuse();
            case "tcp" or "http":
                if (uri.Host.Length == 0 || uri.AbsolutePath is not ("" or "/")) return Refuse();
                // Docker's default is 2375 even for http:// (whose URI default would be 80); an explicit port is kept.
                int port = uri.Port > 0 && !(uri.IsDefaultPort && !value.Contains($":{uri.Port}", StringComparison.Ordinal)) ? uri.Port : tls ? 2376 : 2375;
                return string.Create(CultureInfo.InvariantCulture, $"tcp://{uri.Host}:{port}");
            default:
                return Refuse();
        }
    }

    /// <summary>The API version to speak: the engine's version capped at <see cref="MaximumApiVersion"/>.</summary>
    /// <exception cref="EngineException">The engine is older than <see cref="MinimumApiVersion"/> or reports no usable version.</exception>
    internal static string NegotiateApiVersion(string? engineApiVersion, string endpoint)
    {
        if (!System.Version.TryParse(engineApiVersion, out var engine))
            throw new EngineException("GET /version", null, $"the engine at '{endpoint}' reported API version '{engineApiVersion}', which is not a version number; is '{endpoint}' a Docker engine?");
        var minimum = System.Version.Parse(MinimumApiVersion);
        var maximum = System.Version.Parse(MaximumApiVersion);
        if (engine < minimum)
            throw new EngineException("GET /version", null,
                $"the engine at '{endpoint}' speaks Docker API {engine}, older than {MinimumApiVersion} (Docker 20.10), the oldest NetPerf supports; upgrade the engine (scripts/setup.sh installs a suitable one).");
        return (engine < maximum ? engine : maximum).ToString(2);
    }

    /// <summary>The negotiated API version (e.g. <c>1.41</c>); negotiates on first use.</summary>
    public async Task<string> GetApiVersionAsync(CancellationToken cancellationToken = default) =>
        (await SessionAsync(cancellationToken).ConfigureAwait(false)).ApiVersion;

    /// <summary>Whether Testcontainers' reaper (Ryuk) runs for this process; known after the first call.</summary>
    public static bool? RyukEnabled { get; private set; }

    /// <inheritdoc />
    public async Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        return await CallAsync("GET /version and /info", async token =>
        {
            var version = await session.Docker.System.GetVersionAsync(token).ConfigureAwait(false);
            var info = await session.Docker.System.GetSystemInfoAsync(token).ConfigureAwait(false);
            _liveRestore = new StrongBox<bool>(info.LiveRestoreEnabled);
            return new EngineInfo(
                ServerVersion: version.Version ?? info.ServerVersion ?? "",
                ApiVersion: session.ApiVersion,
                KernelVersion: info.KernelVersion ?? version.KernelVersion ?? "",
                OperatingSystem: info.OperatingSystem ?? "",
                Cpus: (int)info.NCPU,
                SwarmActive: string.Equals(info.Swarm?.LocalNodeState, "active", StringComparison.OrdinalIgnoreCase));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        return await CallAsync(ImageOperation(image), token => ImageExistsAsync(session.Docker, image, token), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var inspect = await CallAsync(ImageOperation(image), token => session.Docker.Images.InspectImageAsync(image, token), cancellationToken).ConfigureAwait(false);
        return inspect.ID;
    }

    /// <inheritdoc />
    public async Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var network = new TcNetworkBuilder()
            .WithDockerEndpoint(_testcontainersEndpoint)
            .WithLogger(NullLogger.Instance)
            .WithName(spec.Name)
            .WithLabel(spec.Labels)
            .WithCleanUp(RyukEnabled == true)
            .WithCreateParameterModifier(p =>
            {
                // NetworkBuilder offers bridge, host and nat only; macvlan, ipvlan, overlay and subnets go in here.
                p.Driver = spec.Driver;
                p.Internal = spec.Internal;
                p.Attachable = spec.Attachable;
                p.Options = new Dictionary<string, string>(spec.Options);
                p.IPAM = new IPAM
                {
                    Driver = "default",
                    Config = spec.Subnet is null ? [] : [new IPAMConfig { Subnet = spec.Subnet, Gateway = spec.Gateway! }],
                };
            })
            .Build();
        string operation = $"POST /networks/create (network '{spec.Name}', driver '{spec.Driver}')";
        await CallAsync(operation, async token => { await network.CreateAsync(token).ConfigureAwait(false); return 0; }, cancellationToken).ConfigureAwait(false);
        var inspect = await CallAsync($"GET /networks/{{id}} (network '{spec.Name}')", token => session.Docker.Networks.InspectNetworkAsync(spec.Name, token), cancellationToken).ConfigureAwait(false);
        _networks[inspect.ID] = network;
        return inspect.ID;
    }

    /// <inheritdoc />
    public async Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrName);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        string operation = $"DELETE /networks/{{id}} (network '{idOrName}')";
        if (_networks.TryRemove(idOrName, out var network))
        {
            try
            {
                await CallAsync(operation, async token => { await network.DeleteAsync(token).ConfigureAwait(false); return 0; }, cancellationToken).ConfigureAwait(false);
                // No return here: Testcontainers' delete returned without error although the engine refused (a container
                // still attached; seen on this engine, 2026-12-03). The delete below answers 404 when the network is gone,
                // or the engine's refusal.
            }
            catch (EngineException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
        }

        try
        {
            await CallAsync(operation, async token => { await session.Docker.Networks.DeleteNetworkAsync(idOrName, token).ConfigureAwait(false); return 0; }, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: not an error.
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(networkIdOrName);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        if (await InspectNetworkOrNullAsync(session, networkIdOrName, cancellationToken).ConfigureAwait(false) is not { } network)
            return [];

        var disconnected = new List<string>();
        foreach (var (key, endpoint) in network.Containers ?? new Dictionary<string, EndpointResource>())
        {
            // The engine deletes an endpoint whose container is gone by the endpoint's name (key "ep-<id>"); a live
            // container is found by its name too.
            var name = !string.IsNullOrEmpty(endpoint?.Name) ? endpoint.Name : key;
            try
            {
                await CallAsync($"POST /networks/{{id}}/disconnect (network '{networkIdOrName}', endpoint '{name}', force)", async token =>
                {
                    await session.Docker.Networks.DisconnectNetworkAsync(network.ID, new NetworkDisconnectParameters { Container = name, Force = true }, token).ConfigureAwait(false);
                    return 0;
                }, cancellationToken).ConfigureAwait(false);
                disconnected.Add(name);
            }
            catch (EngineException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone meanwhile: nothing to disconnect.
            }
        }

        return disconnected;
    }

    /// <summary>The engine's view of a network, or <see langword="null"/> when it has no such network.</summary>
    private async Task<NetworkResponse?> InspectNetworkOrNullAsync(Session session, string networkIdOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync($"GET /networks/{{id}} (network '{networkIdOrName}')",
                token => session.Docker.Networks.InspectNetworkAsync(networkIdOrName, token), cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<NetworkUse?> InspectNetworkUseAsync(string networkIdOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(networkIdOrName);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        if (await InspectNetworkOrNullAsync(session, networkIdOrName, cancellationToken).ConfigureAwait(false) is not { } network)
            return null;

        // Containers in any state that name the network, by its id: one still being removed is listed until it is gone.
        var filters = new Dictionary<string, IDictionary<string, bool>> { ["network"] = new Dictionary<string, bool> { [network.ID] = true } };
        var containers = await CallAsync($"GET /containers/json (network '{networkIdOrName}')",
            token => session.Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, token), cancellationToken).ConfigureAwait(false);
        return new NetworkUse(
            network.Scope ?? "",
            [.. (network.Containers ?? new Dictionary<string, EndpointResource>()).Select(p => !string.IsNullOrEmpty(p.Value?.Name) ? p.Value.Name : p.Key)],
            [.. containers.Select(c => c.ID ?? "")]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default)
    {
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var networks = await CallAsync("GET /networks" + FilterSuffix(labelFilter),
            token => session.Docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilters(labelFilter) }, token), cancellationToken).ConfigureAwait(false);
        return [.. networks.Select(n => new NetworkSummary(
            n.ID ?? "",
            n.Name ?? "",
            n.Driver ?? "",
            [.. (n.IPAM?.Config ?? []).Select(c => c.Subnet).Where(s => !string.IsNullOrEmpty(s))],
            new Dictionary<string, string>(n.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)))];
    }

    /// <inheritdoc />
    public async Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await SessionAsync(cancellationToken).ConfigureAwait(false);
        var builder = new TcContainerBuilder(spec.Image)
            .WithDockerEndpoint(_testcontainersEndpoint)
            .WithLogger(NullLogger.Instance)
            .WithLabel(spec.Labels)
            .WithCleanUp(RyukEnabled == true)
            .WithEnvironment(spec.Environment)
            .WithCreateParameterModifier(p => Configure(p, spec));
        if (spec.Name.Length > 0) builder = builder.WithName(spec.Name);
        if (spec.Entrypoint is { Count: > 0 } entrypoint) builder = builder.WithEntrypoint([.. entrypoint]);
        if (spec.Command.Count > 0) builder = builder.WithCommand([.. spec.Command]);
        if (spec.WaitStrategy is { } wait) builder = builder.WithWaitStrategy(wait);
        foreach (var (path, content) in spec.Files) builder = builder.WithResourceMapping(content, path);
        var container = builder.Build();
        string operation = $"create and start container '{spec.Name}' (image '{spec.Image}')";
        try
        {
            await CallAsync(operation, async token => { await container.StartAsync(token).ConfigureAwait(false); return 0; }, cancellationToken, spec.StartTimeout).ConfigureAwait(false);
        }
        catch
        {
            // A container that was created but did not start (or whose wait strategy gave up) goes now, not at the sweep.
            try { await container.DisposeAsync().ConfigureAwait(false); }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or InvalidOperationException) { }
            throw;
        }

        _containers[container.Id] = container;
        return container.Id;
    }

    /// <inheritdoc />
    public async Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var inspect = await CallAsync($"GET /containers/{{id}}/json (container '{id}')", token => session.Docker.Containers.InspectContainerAsync(id, token), cancellationToken).ConfigureAwait(false);
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (network, settings) in inspect.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
        {
            // Host and none networking attach with an empty address: there is nothing to reach.
            if (!string.IsNullOrEmpty(settings?.IPAddress)) addresses[network] = settings.IPAddress;
        }

        return new ContainerDetails(
            Id: inspect.ID ?? id,
            Name: (inspect.Name ?? "").TrimStart('/'),
            Running: inspect.State?.Running ?? false,
            Pid: (int)(inspect.State?.Pid ?? 0),
            IpAddresses: addresses);
    }

    /// <inheritdoc />
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        // Force-removed by id for every container (Testcontainers' dispose stops first, which waits out the stop timeout
        // of a 'sleep infinity' that ignores SIGTERM); the Testcontainers object is dropped with it.
        _containers.TryRemove(id, out _);
        try
        {
            await CallAsync($"DELETE /containers/{{id}} (container '{id}')",
                async token => { await session.Docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, token).ConfigureAwait(false); return 0; },
                cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: not an error.
        }
        catch (EngineException e) when (e.StatusCode == HttpStatusCode.Conflict && e.EngineMessage.Contains("already in progress", StringComparison.Ordinal))
        {
            // Someone else's removal is under way, typically the last request of a run that was killed in its teardown,
            // which the engine carries out anyway (seen when the sweeper met it). Gone is what the caller wants: wait for it,
            // so that the network it sits on can be removed next.
            await WaitUntilRemovedAsync(session, id, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitUntilRemovedAsync(Session session, string id, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await CallAsync($"GET /containers/{{id}}/json (container '{id}')", token => session.Docker.Containers.InspectContainerAsync(id, token), cancellationToken).ConfigureAwait(false);
            }
            catch (EngineException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }

            if (watch.Elapsed > CallTimeout)
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"Container '{id}' was being removed by another request and was still there after {CallTimeout.TotalSeconds:0.###} s (engine at '{Endpoint}'); remove it by hand with 'docker rm -f {id}'."));
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default)
    {
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var containers = await CallAsync("GET /containers/json" + FilterSuffix(labelFilter),
            token => session.Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilters(labelFilter) }, token), cancellationToken).ConfigureAwait(false);
        return [.. containers.Select(c => new ContainerSummary(
            c.ID ?? "",
            (c.Names?.FirstOrDefault() ?? "").TrimStart('/'),
            c.State ?? "",
            new Dictionary<string, string>(c.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)))];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Through Testcontainers' exec for the containers this engine started, through Docker.DotNet for others. On timeout
    /// NetPerf stops waiting, but the engine has no way to kill an exec: the process in the container may outlive it.
    /// </remarks>
    /// <exception cref="TimeoutException">The command did not exit within <paramref name="timeout"/>; the message names the container and the command.</exception>
    public async Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        ValidateCommand(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        string commandLine = CommandLine(command);
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (_containers.TryGetValue(containerId, out var container))
            {
                var result = await container.ExecAsync([.. command], deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
                return new CommandResult((int)(result.ExitCode ?? -1), result.Stdout ?? "", result.Stderr ?? "", watch.Elapsed);
            }

            var exec = await session.Docker.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
            {
                Cmd = [.. command],
                AttachStdout = true,
                AttachStderr = true,
            }, deadline.Token).ConfigureAwait(false);
            using var stream = await session.Docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { Detach = false, TTY = false }, deadline.Token).ConfigureAwait(false);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(deadline.Token).ConfigureAwait(false);
            var inspect = await session.Docker.Exec.InspectContainerExecAsync(exec.ID, deadline.Token).ConfigureAwait(false);
            return new CommandResult((int)(inspect.ExitCode ?? -1), stdout, stderr, watch.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"Command '{commandLine}' in container '{containerId}' did not exit within {timeout.TotalSeconds:0.###} s. NetPerf stopped waiting, but the process may still be running inside the container; raise the timeout or make the command finish sooner."));
        }
        catch (DockerApiException e)
        {
            throw new EngineException($"exec '{commandLine}' in container '{containerId}'", e.StatusCode, EngineMessage(e), e);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            // The engine went away while the command ran (stopped, crashed, restarting): say so, not the client's bare "Connection failed".
            throw Unreachable($"exec '{commandLine}' in container '{containerId}'", e);
        }
    }

    /// <inheritdoc />
    /// <remarks>The command's output goes nowhere; redirect it to a file in the container if you need it. Returns once the engine has started the process.</remarks>
    public async Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        ValidateCommand(command);
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        await CallAsync($"detached exec '{CommandLine(command)}' in container '{containerId}'", async token =>
        {
            var exec = await session.Docker.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters { Cmd = [.. command] }, token).ConfigureAwait(false);
            try
            {
                using var stream = await session.Docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { Detach = true, TTY = false }, token).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Docker.DotNet expects a stream to attach to; a detached start answers with a plain body once the engine
                // has started the process ("cannot hijack chunked or content length stream"). The inspect below decides.
            }

            var state = await session.Docker.Exec.InspectContainerExecAsync(exec.ID, token).ConfigureAwait(false);
            if (!state.Running && state.ExitCode is null && state.Pid == 0)
                throw new EngineException($"detached exec '{CommandLine(command)}' in container '{containerId}'", null, "the engine did not start the command (it is neither running nor finished).");
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the engine clients; containers and networks are removed by their testbeds (and by the sweeper after a crash).</summary>
    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
        _clients.Clear();
        _containers.Clear();
        _networks.Clear();
    }

    internal static string CommandLine(IReadOnlyList<string> command) =>
        string.Join(' ', command.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));

    private sealed record Session(DockerClient Docker, string ApiVersion);

    private Task<Session> SessionAsync(CancellationToken cancellationToken)
    {
        lock (_sessionGate)
        {
            // A failed negotiation is not cached: the engine may come up later (setup starts it).
            if (_session is null || _session.IsFaulted || _session.IsCanceled)
                _session = NegotiateAsync();
            return _session.WaitAsync(cancellationToken);
        }
    }

    private async Task<Session> NegotiateAsync()
    {
        // The engine's own version, read without a version prefix (every engine answers /version).
        var probe = Settings.ClientBuilder().WithTimeout(CallTimeout).Build();
        _clients.Add(probe);
        var version = await CallAsync("GET /version", token => probe.System.GetVersionAsync(token), CancellationToken.None).ConfigureAwait(false);
        string api = NegotiateApiVersion(version.APIVersion, Endpoint);
        var docker = Settings.ClientBuilder().WithApiVersion(System.Version.Parse(api)).WithTimeout(CallTimeout).Build();
        _clients.Add(docker);
        // Under CallAsync like every call: a hang here would otherwise end in the client's bare TaskCanceledException.
        bool ryukImage = await CallAsync(ImageOperation(RyukImage), token => ImageExistsAsync(docker, RyukImage, token), CancellationToken.None).ConfigureAwait(false);
        ApplyProcessSettings(api, ryukImage, Endpoint);
        return new Session(docker, api);
    }

    /// <summary>
    /// Testcontainers reads its settings once per process from the environment: set the API version and the reaper before
    /// its first use, unless the user set them.
    /// </summary>
    private static void ApplyProcessSettings(string apiVersion, bool ryukImagePresent, string endpoint)
    {
        lock (ProcessSettingsGate)
        {
            if (s_processSettingsApplied) return;
            s_processSettingsApplied = true;
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ApiVersionVariable)))
                Environment.SetEnvironmentVariable(ApiVersionVariable, apiVersion);
            var disabled = Environment.GetEnvironmentVariable(RyukDisabledVariable);
            if (string.IsNullOrWhiteSpace(disabled))
            {
                if (!ryukImagePresent)
                {
                    Environment.SetEnvironmentVariable(RyukDisabledVariable, "true");
                    Console.Error.WriteLine($"NetPerf: Testcontainers' reaper (Ryuk, image {RyukImage}) is not on the engine at {endpoint}, so it is off; NetPerf's session labels and sweeper remove what a killed run leaves.");
                }

                RyukEnabled = ryukImagePresent;
            }
            else
            {
                RyukEnabled = !(bool.TryParse(disabled, out var off) && off);
            }
        }
    }

    private static async Task<bool> ImageExistsAsync(DockerClient docker, string image, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static void Configure(CreateContainerParameters p, ContainerSpec spec)
    {
        p.HostConfig ??= new HostConfig();
        var host = p.HostConfig;
        // WithNetwork("host") / ("none") would leave the container on the default network: the mode is set here.
        host.NetworkMode = spec.NetworkMode;
        host.Binds = [.. spec.Binds];
        host.CapAdd = [.. spec.CapAdd];
        host.Sysctls = new Dictionary<string, string>(spec.Sysctls);
        // The testbed and the sweeper remove containers explicitly; AutoRemove would race with inspect.
        host.AutoRemove = false;
        if (spec.CpusetCpus is not null) host.CpusetCpus = spec.CpusetCpus;
        if (spec.NanoCpus is { } nano) host.NanoCPUs = nano;
        if (spec.MemoryBytes is { } memory)
        {
            host.Memory = memory;
            // Swap equal to the limit: the container cannot swap its way past it.
            host.MemorySwap = memory;
        }
        if (spec.PublishedPorts.Count > 0)
        {
            host.PortBindings = new Dictionary<string, IList<PortBinding>>();
            p.ExposedPorts = new Dictionary<string, EmptyStruct>();
            foreach (var (hostIp, port) in spec.PublishedPorts)
            {
                foreach (var proto in new[] { "tcp", "udp" })
                {
                    var key = $"{port.ToString(CultureInfo.InvariantCulture)}/{proto}";
                    host.PortBindings[key] = [new PortBinding { HostIP = hostIp, HostPort = port.ToString(CultureInfo.InvariantCulture) }];
                    p.ExposedPorts[key] = default;
                }
            }
        }

        p.NetworkingConfig = IsUserNetwork(spec.NetworkMode)
            ? new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [spec.NetworkMode] = spec.IpAddress is null ? new EndpointSettings() : new EndpointSettings { IPAMConfig = new EndpointIPAMConfig { IPv4Address = spec.IpAddress } },
                },
            }
            : new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings>() };
    }

    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? CallTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            return await body(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our deadline, or the engine client's own timeout (set to the same length, so either may fire first): both are
            // this call taking too long, and the caller did not cancel.
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"Container engine call {operation} did not finish within {limit.TotalSeconds:0.###} s (engine at '{Endpoint}'). {SetupHint(Endpoint)}"));
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.BadRequest && Settings.Tls is null && (e.ResponseBody ?? "").Contains("HTTPS server", StringComparison.Ordinal))
        {
            throw new EngineException(operation, e.StatusCode, PlainHttpToTlsMessage(Endpoint), e);
        }
        catch (DockerApiException e)
        {
            throw new EngineException(operation, e.StatusCode, EngineMessage(e), e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException && Settings.Tls?.Explain(e, Endpoint) is { } tlsProblem)
        {
            throw new EngineException(operation, null, tlsProblem, e);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw Unreachable(operation, e);
        }
    }

    /// <summary>What to do when an engine answered plain HTTP with "Client sent an HTTP request to an HTTPS server".</summary>
    internal static string PlainHttpToTlsMessage(string endpoint) =>
        $"the engine at '{endpoint}' speaks TLS and NetPerf spoke plain HTTP to it; set {EngineEndpoint.TlsVerifyVariable}=1 and {EngineEndpoint.CertPathVariable} "
        + $"(for the second node: {Cluster.SecondNode.TlsVerifyVariable}=1 and {Cluster.SecondNode.CertPathVariable}) to the folder with ca.pem, cert.pem and key.pem";

    // The engine client's transport wraps every failure of a request in an HttpRequestException ("The requested failed, see
    // inner exception"); a connection the engine closed before its answer ends in one around "Sequence contains no elements"
    // (no status line), seen when the engine was killed under a removal.
    private static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException || (Innermost(e) is SocketException or IOException && e is IOException or SocketException);

    /// <summary>The engine did not take the connection; when it answered earlier in this run, it went away during the run.</summary>
    private EngineException Unreachable(string operation, Exception e)
    {
        var answeredBefore = _session is { IsCompletedSuccessfully: true };
        var hint = answeredBefore ? WentAwayHint(Endpoint, _liveRestore?.Value) : SetupHint(Endpoint);
        // A unix socket that is gone fails as "Cannot assign requested address" (ENOENT mapped by .NET): say what it means.
        var cause = EndpointUri.Scheme == "unix" && !File.Exists(EndpointUri.AbsolutePath)
            ? $"its socket '{EndpointUri.AbsolutePath}' does not exist"
            : Innermost(e) is SocketException or IOException ? Innermost(e).Message : $"the connection ended before the engine answered ({Innermost(e).Message})";
        return new EngineException(operation, null, $"cannot reach the engine at '{Endpoint}': {cause}. {hint}", e) { EngineUnreachable = true };
    }

    /// <summary>
    /// What to do about an engine that never answered: for the local engine scripts/setup.sh manages, run it; for a second
    /// engine NetPerf started, that it belongs to a run; for any other, start the engine at that address.
    /// </summary>
    internal static string SetupHint(string endpoint) =>
        IsDefaultLocal(endpoint)
            ? "Is dockerd running? Run scripts/setup.sh to install and start it, or set DOCKER_HOST to the engine's address."
            : Cluster.NamespacedEngine.Describe(endpoint) is { } second
                ? $"It is {second}; it exists only while the run that started it holds it: run again, and the next run's sweep removes what is left of it."
                : $"Is the engine at '{endpoint}' running? Start it there, or point DOCKER_HOST (or {Cluster.SecondNode.Variable} for the second node) at an engine that runs.";

    /// <summary>
    /// What happened to the run's containers and what to do, for an engine that answered earlier in the run and no longer
    /// does: without live-restore (<paramref name="liveRestore"/> false) it stopped them; with it they run on while it is
    /// down; unknown (null) says both. The engine is named, and scripts/setup.sh only for the local engine it manages.
    /// </summary>
    internal static string WentAwayHint(string endpoint, bool? liveRestore)
    {
        var containers = liveRestore switch
        {
            true => "it has live-restore on, so this run's containers and their tools run on while it is down, but the tools' output streams to this run are cut",
            false => "it has no live-restore, so it stops every container when it stops: this run's containers are stopped or gone",
            null => "an engine without live-restore stops every container when it stops (one with live-restore keeps them running), so this run's containers are stopped or left running",
        };
        var start = IsDefaultLocal(endpoint)
            ? "Start the engine again (scripts/setup.sh starts the local one)"
            : Cluster.NamespacedEngine.Describe(endpoint) is { } second
                ? $"Start the engine again: it is {second}, which only the run that started it starts again"
                : $"Start the engine at '{endpoint}' again";
        return $"It answered earlier in this run, so it stopped, crashed or is restarting; {containers}. {start}, and run again: the next run removes what this one left.";
    }

    /// <summary>The local engine scripts/setup.sh installs and starts (<see cref="DefaultEndpoint"/>; /var/run is /run).</summary>
    private static bool IsDefaultLocal(string endpoint) =>
        endpoint is DefaultEndpoint or "unix:///run/docker.sock";

    private static string ImageOperation(string image) => $"GET /images/{{name}}/json (image '{image}')";

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>The engine's own message from an error body such as <c>{"message":"No such image: x"}</c>.</summary>
    private static string EngineMessage(DockerApiException e)
    {
        var body = e.ResponseBody;
        if (string.IsNullOrWhiteSpace(body)) return e.Message;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return body.Trim();
    }

    private static Dictionary<string, IDictionary<string, bool>>? LabelFilters(string? labelFilter) =>
        string.IsNullOrWhiteSpace(labelFilter) ? null : new() { ["label"] = new Dictionary<string, bool> { [labelFilter] = true } };

    private static string FilterSuffix(string? labelFilter) => string.IsNullOrWhiteSpace(labelFilter) ? "" : $" (label '{labelFilter}')";

    private static bool IsUserNetwork(string networkMode) =>
        !BuiltInNetworkModes.Contains(networkMode) && !networkMode.StartsWith("container:", StringComparison.Ordinal);

    private static void ValidateCommand(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
            throw new ArgumentException("The command needs at least a program name.", nameof(command));
    }
}
