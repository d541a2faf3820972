using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetPerf.Workloads;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// <see cref="IContainerEngine"/> over the Docker Engine HTTP API, on a unix socket or plain TCP.
/// </summary>
/// <remarks>
/// <para>
/// Create one with <see cref="FromEnvironment"/> (honours <c>DOCKER_HOST</c>) or with an explicit
/// endpoint, share it for the whole run (it is thread-safe and pools connections; a hundred calls
/// in parallel are fine) and dispose it at the end.
/// </para>
/// <para>
/// The first call negotiates the API version: the engine's own version, capped at
/// <see cref="MaximumApiVersion"/>; an engine older than <see cref="MinimumApiVersion"/> is refused.
/// Every call is bounded by <see cref="DockerEngineOptions.CallTimeout"/> and the caller's token;
/// a timeout throws <see cref="TimeoutException"/>, an engine error <see cref="EngineException"/>
/// carrying the engine's own message.
/// </para>
/// </remarks>
public sealed class DockerEngine : IContainerEngine
{
    /// <summary>Where the engine is reached when nothing else is said.</summary>
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The oldest Docker API version NetPerf works with (Docker 20.10).</summary>
    public const string MinimumApiVersion = "1.41";

    /// <summary>The newest Docker API version NetPerf asks for; newer engines are spoken to in this version.</summary>
    public const string MaximumApiVersion = "1.45";

    /// <summary>The environment variable naming the engine endpoint, as the docker CLI reads it.</summary>
    public const string DockerHostVariable = "DOCKER_HOST";

    private const string SetupHint = "Is dockerd running? Run scripts/setup.sh to install and start it, or set DOCKER_HOST to the engine's address.";

    private static readonly HashSet<string> BuiltInNetworkModes = new(StringComparer.Ordinal) { "bridge", "default", "host", "none" };

    private readonly HttpClient _http;
    private readonly Lock _versionGate = new();
    private Task<string>? _apiVersion;

    /// <summary>Connects to <see cref="DefaultEndpoint"/> with default options.</summary>
    public DockerEngine()
        : this(DefaultEndpoint)
    {
    }

    /// <summary>Connects to an engine; no call is made until the first operation.</summary>
    /// <param name="endpoint"><c>unix:///path/to/docker.sock</c>, or plain <c>tcp://host:port</c> (no TLS).</param>
    /// <param name="options">Timeouts and connection limits; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The endpoint has an unsupported form.</exception>
    public DockerEngine(string endpoint, DockerEngineOptions? options = null)
    {
        Options = options ?? new DockerEngineOptions();
        if (Options.CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.CallTimeout, "DockerEngineOptions.CallTimeout must be positive, e.g. 60 s.");
        }

        if (Options.MaxConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.MaxConnections, "DockerEngineOptions.MaxConnections must be at least 1, e.g. 256.");
        }

        DockerEndpoint parsed = DockerEndpoint.Parse(endpoint);
        Endpoint = parsed.Endpoint;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Options.MaxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            // The engine is local: an HTTP(S)_PROXY meant for the internet must never see its traffic.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        if (parsed.SocketPath is { } socketPath)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(socketPath, cancellationToken);
        }

        _http = new HttpClient(handler)
        {
            BaseAddress = parsed.BaseAddress,
            // Each call sets its own deadline (see RunAsync), so the client's single timeout stays out of the way.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <inheritdoc />
    public string Endpoint { get; }

    /// <summary>The timeouts and limits in force.</summary>
    public DockerEngineOptions Options { get; }

    /// <summary>Connects to the engine named by <c>DOCKER_HOST</c>, or to <see cref="DefaultEndpoint"/> when it is unset.</summary>
    /// <param name="options">Timeouts and connection limits; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><c>DOCKER_HOST</c> has a form NetPerf cannot use (TLS, ssh, npipe).</exception>
    public static DockerEngine FromEnvironment(DockerEngineOptions? options = null) =>
        new(ResolveEndpoint(Environment.GetEnvironmentVariable(DockerHostVariable)), options);

    /// <summary>The endpoint for a value of <c>DOCKER_HOST</c>: the value itself, or the default when unset or blank.</summary>
    internal static string ResolveEndpoint(string? dockerHost) =>
        string.IsNullOrWhiteSpace(dockerHost) ? DefaultEndpoint : DockerEndpoint.Parse(dockerHost).Endpoint;

    /// <summary>
    /// The API version calls use: the engine's version capped at <see cref="MaximumApiVersion"/>.
    /// </summary>
    /// <exception cref="EngineException">The engine is older than <see cref="MinimumApiVersion"/> or reports no usable version.</exception>
    internal static string NegotiateApiVersion(string? engineApiVersion, string endpoint)
    {
        if (!Version.TryParse(engineApiVersion, out Version? engine))
        {
            throw new EngineException("GET /_ping", null,
                $"the engine at '{endpoint}' reported API version '{engineApiVersion}', which is not a version number; is '{endpoint}' a Docker engine?");
        }

        Version minimum = Version.Parse(MinimumApiVersion);
        Version maximum = Version.Parse(MaximumApiVersion);
        if (engine < minimum)
        {
            throw new EngineException("GET /_ping", null,
                $"the engine at '{endpoint}' speaks Docker API {engine}, older than {MinimumApiVersion} (Docker 20.10), the oldest NetPerf supports; "
                + "upgrade the engine (scripts/setup.sh installs a suitable one).");
        }

        return (engine < maximum ? engine : maximum).ToString(2);
    }

    /// <summary>The negotiated API version (e.g. <c>1.41</c>); negotiates on first use.</summary>
    /// <param name="cancellationToken">Stops waiting; the shared negotiation itself goes on for other callers.</param>
    public Task<string> GetApiVersionAsync(CancellationToken cancellationToken = default) =>
        ApiVersionTask().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        string apiVersion = await GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        JsonNode? version = await CallAsync(HttpMethod.Get, "version", null, "GET /version", cancellationToken).ConfigureAwait(false);
        JsonNode? info = await CallAsync(HttpMethod.Get, "info", null, "GET /info", cancellationToken).ConfigureAwait(false);
        string kernel = Str(info?["KernelVersion"]) ?? Str(version?["KernelVersion"]) ?? "";
        return new EngineInfo(
            ServerVersion: Str(version?["Version"]) ?? Str(info?["ServerVersion"]) ?? "",
            ApiVersion: apiVersion,
            KernelVersion: kernel,
            OperatingSystem: Str(info?["OperatingSystem"]) ?? "",
            Cpus: info?["NCPU"] is JsonValue ncpu && ncpu.TryGetValue(out int cpus) ? cpus : 0,
            SwarmActive: string.Equals(Str(info?["Swarm"]?["LocalNodeState"]), "active", StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        JsonNode? node = await CallAsync(HttpMethod.Get, $"images/{EscapeImage(image)}/json", null, $"GET /images/{{name}}/json (image '{image}')",
            cancellationToken, notFoundIsEmpty: true).ConfigureAwait(false);
        return node is not null;
    }

    /// <inheritdoc />
    public async Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        string operation = $"GET /images/{{name}}/json (image '{image}')";
        JsonNode? node = await CallAsync(HttpMethod.Get, $"images/{EscapeImage(image)}/json", null, operation, cancellationToken).ConfigureAwait(false);
        return Str(node?["Id"]) ?? throw new EngineException(operation, HttpStatusCode.OK, "the engine's answer has no 'Id'");
    }

    /// <inheritdoc />
    public async Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var ipamConfig = new JsonArray();
        if (spec.Subnet is not null)
        {
            var entry = new JsonObject { ["Subnet"] = spec.Subnet };
            if (spec.Gateway is not null)
            {
                entry["Gateway"] = spec.Gateway;
            }

            ipamConfig.Add(entry);
        }

        var body = new JsonObject
        {
            ["Name"] = spec.Name,
            ["Driver"] = spec.Driver,
            ["CheckDuplicate"] = true,
            ["Internal"] = spec.Internal,
            ["Attachable"] = spec.Attachable,
            ["Options"] = ToJson(spec.Options),
            ["Labels"] = ToJson(spec.Labels),
            ["IPAM"] = new JsonObject { ["Driver"] = "default", ["Config"] = ipamConfig },
        };
        string operation = $"POST /networks/create (network '{spec.Name}')";
        JsonNode? node = await CallAsync(HttpMethod.Post, "networks/create", body, operation, cancellationToken).ConfigureAwait(false);
        return Str(node?["Id"]) ?? throw new EngineException(operation, HttpStatusCode.Created, "the engine's answer has no 'Id'");
    }

    /// <inheritdoc />
    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrName);
        return CallAsync(HttpMethod.Delete, $"networks/{Uri.EscapeDataString(idOrName)}", null,
            $"DELETE /networks/{{id}} (network '{idOrName}')", cancellationToken, notFoundIsEmpty: true);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default)
    {
        JsonNode? node = await CallAsync(HttpMethod.Get, "networks" + LabelFilterQuery('?', labelFilter), null,
            "GET /networks" + FilterSuffix(labelFilter), cancellationToken).ConfigureAwait(false);
        var result = new List<NetworkSummary>();
        foreach (JsonNode? network in node as JsonArray ?? [])
        {
            var subnets = new List<string>();
            foreach (JsonNode? config in network?["IPAM"]?["Config"] as JsonArray ?? [])
            {
                if (Str(config?["Subnet"]) is { Length: > 0 } subnet)
                {
                    subnets.Add(subnet);
                }
            }

            result.Add(new NetworkSummary(
                Str(network?["Id"]) ?? "", Str(network?["Name"]) ?? "", Str(network?["Driver"]) ?? "", subnets, Labels(network?["Labels"])));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var hostConfig = new JsonObject
        {
            ["NetworkMode"] = spec.NetworkMode,
            ["Binds"] = ToJson(spec.Binds),
            ["CapAdd"] = ToJson(spec.CapAdd),
            ["Sysctls"] = ToJson(spec.Sysctls),
            // The reaper and the testbed remove containers explicitly; AutoRemove would race with inspect.
            ["AutoRemove"] = false,
        };
        if (spec.CpusetCpus is not null)
        {
            hostConfig["CpusetCpus"] = spec.CpusetCpus;
        }

        JsonObject? exposed = null;
        if (spec.PublishedPorts.Count > 0)
        {
            var bindings = new JsonObject();
            exposed = [];
            foreach (var (hostIp, port) in spec.PublishedPorts)
            {
                foreach (var proto in new[] { "tcp", "udp" })
                {
                    var key = $"{port.ToString(CultureInfo.InvariantCulture)}/{proto}";
                    bindings[key] = new JsonArray(new JsonObject { ["HostIp"] = hostIp, ["HostPort"] = port.ToString(CultureInfo.InvariantCulture) });
                    exposed[key] = new JsonObject();
                }
            }

            hostConfig["PortBindings"] = bindings;
        }

        if (spec.NanoCpus is { } nanoCpus)
        {
            hostConfig["NanoCpus"] = nanoCpus;
        }

        var body = new JsonObject
        {
            ["Image"] = spec.Image,
            ["Labels"] = ToJson(spec.Labels),
            ["HostConfig"] = hostConfig,
        };
        if (exposed is not null)
        {
            body["ExposedPorts"] = exposed;
        }

        if (spec.Command.Count > 0)
        {
            body["Cmd"] = ToJson(spec.Command);
        }

        if (IsUserNetwork(spec.NetworkMode))
        {
            var endpoint = new JsonObject();
            if (spec.IpAddress is not null)
            {
                endpoint["IPAMConfig"] = new JsonObject { ["IPv4Address"] = spec.IpAddress };
            }

            body["NetworkingConfig"] = new JsonObject { ["EndpointsConfig"] = new JsonObject { [spec.NetworkMode] = endpoint } };
        }

        string query = spec.Name.Length == 0 ? "" : "?name=" + Uri.EscapeDataString(spec.Name);
        string operation = $"POST /containers/create (container '{spec.Name}', image '{spec.Image}')";
        JsonNode? node = await CallAsync(HttpMethod.Post, "containers/create" + query, body, operation, cancellationToken).ConfigureAwait(false);
        return Str(node?["Id"]) ?? throw new EngineException(operation, HttpStatusCode.Created, "the engine's answer has no 'Id'");
    }

    /// <inheritdoc />
    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return CallAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/start", null,
            $"POST /containers/{{id}}/start (container '{id}')", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        JsonNode? node = await CallAsync(HttpMethod.Get, $"containers/{Uri.EscapeDataString(id)}/json", null,
            $"GET /containers/{{id}}/json (container '{id}')", cancellationToken).ConfigureAwait(false);
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node?["NetworkSettings"]?["Networks"] is JsonObject networks)
        {
            foreach ((string network, JsonNode? settings) in networks)
            {
                // Host and none networking attach with an empty address: there is nothing to reach.
                if (Str(settings?["IPAddress"]) is { Length: > 0 } address)
                {
                    addresses[network] = address;
                }
            }
        }

        JsonNode? state = node?["State"];
        return new ContainerDetails(
            Id: Str(node?["Id"]) ?? id,
            Name: (Str(node?["Name"]) ?? "").TrimStart('/'),
            Running: state?["Running"] is JsonValue running && running.TryGetValue(out bool isRunning) && isRunning,
            Pid: state?["Pid"] is JsonValue pid && pid.TryGetValue(out int pidValue) ? pidValue : 0,
            IpAddresses: addresses);
    }

    /// <inheritdoc />
    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return CallAsync(HttpMethod.Delete, $"containers/{Uri.EscapeDataString(id)}?force=true&v=true", null,
            $"DELETE /containers/{{id}} (container '{id}')", cancellationToken, notFoundIsEmpty: true);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default)
    {
        JsonNode? node = await CallAsync(HttpMethod.Get, "containers/json?all=true" + LabelFilterQuery('&', labelFilter), null,
            "GET /containers/json" + FilterSuffix(labelFilter), cancellationToken).ConfigureAwait(false);
        var result = new List<ContainerSummary>();
        foreach (JsonNode? container in node as JsonArray ?? [])
        {
            string name = (container?["Names"] as JsonArray)?.FirstOrDefault() is JsonValue first && first.TryGetValue(out string? n) ? n.TrimStart('/') : "";
            result.Add(new ContainerSummary(Str(container?["Id"]) ?? "", name, Str(container?["State"]) ?? "", Labels(container?["Labels"])));
        }

        return result;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The command runs without a TTY; its output is read from the engine's multiplexed stream until
    /// the command closes stdout and stderr, then its exit code is read. On timeout NetPerf stops
    /// waiting and closes the connection, but the engine has no way to kill an exec: the process in
    /// the container may outlive the timeout. Kill it yourself (e.g. <c>pkill</c> in the container)
    /// or remove the container if that matters.
    /// </remarks>
    /// <exception cref="TimeoutException">The command did not exit within <paramref name="timeout"/>; the message names the container and the command.</exception>
    public async Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        ValidateCommand(command);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The exec timeout must be positive.");
        }

        var stopwatch = Stopwatch.StartNew();
        string execId = await CreateExecAsync(containerId, command, attach: true, cancellationToken).ConfigureAwait(false);
        string commandLine = CommandLine(command);
        string operation = $"POST /exec/{{id}}/start (command '{commandLine}' in container '{containerId}')";
        string timeoutMessage = string.Create(CultureInfo.InvariantCulture,
            $"Command '{commandLine}' in container '{containerId}' did not exit within {timeout.TotalSeconds:0.###} s. NetPerf stopped waiting, "
            + $"but the process may still be running inside the container; raise the timeout or make the command finish sooner.");
        var (stdout, stderr, exitCode) = await RunAsync(operation, timeout, timeoutMessage, cancellationToken, async token =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, await VersionedAsync($"exec/{execId}/start", token).ConfigureAwait(false))
            {
                Content = JsonContent(new JsonObject { ["Detach"] = false, ["Tty"] = false }),
            };

            // The engine answers 200 with a raw stream and closes the connection at the end (no length,
            // no chunking), which HttpClient reads to EOF; no connection hijacking is needed.
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, operation, notFoundIsEmpty: false, token).ConfigureAwait(false);
            Stream stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                (string Stdout, string Stderr) output;
                try
                {
                    output = await MultiplexedStream.ReadToEndAsync(stream, token).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new EngineException(operation, response.StatusCode, e.Message, e);
                }

                int exit = await WaitForExitCodeAsync(execId, containerId, commandLine, token).ConfigureAwait(false);
                return (output.Stdout, output.Stderr, exit);
            }
        }).ConfigureAwait(false);
        return new CommandResult(exitCode, stdout, stderr, stopwatch.Elapsed);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The command's output goes nowhere; redirect it to a file in the container if you need it.
    /// Returns once the engine has started the process.
    /// </remarks>
    public async Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        ValidateCommand(command);
        string execId = await CreateExecAsync(containerId, command, attach: false, cancellationToken).ConfigureAwait(false);
        await CallAsync(HttpMethod.Post, $"exec/{execId}/start", new JsonObject { ["Detach"] = true, ["Tty"] = false },
            $"POST /exec/{{id}}/start (detached command '{CommandLine(command)}' in container '{containerId}')", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes pooled connections to the engine.</summary>
    public void Dispose() => _http.Dispose();

    private static async ValueTask<Stream> ConnectUnixAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<string> CreateExecAsync(string containerId, IReadOnlyList<string> command, bool attach, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["AttachStdin"] = false,
            ["AttachStdout"] = attach,
            ["AttachStderr"] = attach,
            ["Tty"] = false,
            ["Cmd"] = ToJson(command),
        };
        string operation = $"POST /containers/{{id}}/exec (command '{CommandLine(command)}' in container '{containerId}')";
        JsonNode? node = await CallAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(containerId)}/exec", body, operation, cancellationToken)
            .ConfigureAwait(false);
        return Str(node?["Id"]) ?? throw new EngineException(operation, HttpStatusCode.Created, "the engine's answer has no 'Id'");
    }

    /// <summary>Reads the exit code; polls briefly because the output can end before the engine records the exit.</summary>
    private async Task<int> WaitForExitCodeAsync(string execId, string containerId, string commandLine, CancellationToken token)
    {
        string operation = $"GET /exec/{{id}}/json (command '{commandLine}' in container '{containerId}')";
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            JsonNode? node = await SendAsync(HttpMethod.Get, $"exec/{execId}/json", null, operation, notFoundIsEmpty: false, token).ConfigureAwait(false);
            bool running = node?["Running"] is JsonValue r && r.TryGetValue(out bool isRunning) && isRunning;
            if (!running && node?["ExitCode"] is JsonValue code && code.TryGetValue(out int exitCode))
            {
                return exitCode;
            }

            // The process closed its output but has not exited yet; the caller's timeout bounds this wait.
            await Task.Delay(delay, token).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    private Task<string> ApiVersionTask()
    {
        lock (_versionGate)
        {
            // A failed negotiation (engine not up yet) is retried by the next call instead of being cached.
            if (_apiVersion is null || _apiVersion.IsFaulted || _apiVersion.IsCanceled)
            {
                _apiVersion = NegotiateAsync();
            }

            return _apiVersion;
        }
    }

    private Task<string> NegotiateAsync() =>
        RunAsync("GET /_ping", Options.CallTimeout, null, CancellationToken.None, async token =>
        {
            string? reported = null;
            using (HttpResponseMessage ping = await _http.GetAsync("_ping", token).ConfigureAwait(false))
            {
                if (ping.IsSuccessStatusCode && ping.Headers.TryGetValues("Api-Version", out IEnumerable<string>? values))
                {
                    reported = values.FirstOrDefault();
                }
            }

            if (reported is null)
            {
                // Some proxies in front of an engine drop the header; /version carries it in the body.
                using HttpResponseMessage version = await _http.GetAsync("version", token).ConfigureAwait(false);
                await EnsureSuccessAsync(version, "GET /version", notFoundIsEmpty: false, token).ConfigureAwait(false);
                string text = await version.Content.ReadAsStringAsync(token).ConfigureAwait(false);
                reported = Str(ParseJson(text, "GET /version", version.StatusCode)?["ApiVersion"]);
            }

            return NegotiateApiVersion(reported, Endpoint);
        });

    private async Task<string> VersionedAsync(string path, CancellationToken token)
    {
        string version = await ApiVersionTask().WaitAsync(token).ConfigureAwait(false);
        return $"v{version}/{path}";
    }

    /// <summary>One engine call bounded by <see cref="DockerEngineOptions.CallTimeout"/>; returns the JSON answer, or null for none.</summary>
    private Task<JsonNode?> CallAsync(HttpMethod method, string path, JsonNode? body, string operation, CancellationToken cancellationToken, bool notFoundIsEmpty = false) =>
        RunAsync(operation, Options.CallTimeout, null, cancellationToken,
            token => SendAsync(method, path, body, operation, notFoundIsEmpty, token));

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, string operation, bool notFoundIsEmpty, CancellationToken token)
    {
        using var request = new HttpRequestMessage(method, await VersionedAsync(path, token).ConfigureAwait(false));
        if (body is not null)
        {
            request.Content = JsonContent(body);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
        if (!await EnsureSuccessAsync(response, operation, notFoundIsEmpty, token).ConfigureAwait(false))
        {
            return null;
        }

        string text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        return ParseJson(text, operation, response.StatusCode);
    }

    /// <summary>Throws <see cref="EngineException"/> with the engine's message unless the status is a success; false for an allowed 404.</summary>
    private static async Task<bool> EnsureSuccessAsync(HttpResponseMessage response, string operation, bool notFoundIsEmpty, CancellationToken token)
    {
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        if (notFoundIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        string body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        throw new EngineException(operation, response.StatusCode, EngineErrorBody.Parse(body, (int)response.StatusCode));
    }

    /// <summary>
    /// Runs <paramref name="body"/> under a deadline linked to the caller's token, and turns the deadline
    /// and transport failures into <see cref="TimeoutException"/> and <see cref="EngineException"/>.
    /// </summary>
    private async Task<T> RunAsync<T>(string operation, TimeSpan timeout, string? timeoutMessage, CancellationToken cancellationToken, Func<CancellationToken, Task<T>> body)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await body(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new TimeoutException(timeoutMessage ?? string.Create(CultureInfo.InvariantCulture,
                $"Container engine call {operation} got no answer within {timeout.TotalSeconds:0.###} s from '{Endpoint}'. "
                + $"The engine may be overloaded or hung: check 'docker info', or raise DockerEngineOptions.CallTimeout."), e);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new EngineException(operation, null,
                $"cannot reach the container engine at '{Endpoint}' ({Innermost(e).Message}). {SetupHint}", e);
        }
        catch (HttpRequestException e)
        {
            throw new EngineException(operation, e.StatusCode, $"the connection to '{Endpoint}' failed: {Innermost(e).Message}", e);
        }
        catch (IOException e)
        {
            throw new EngineException(operation, null, $"the connection to '{Endpoint}' broke: {e.Message}", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static JsonNode? ParseJson(string text, string operation, HttpStatusCode status)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new EngineException(operation, status, $"the engine's answer is not JSON ({e.Message}): {EngineErrorBody.Parse(text, (int)status)}", e);
        }
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? s) ? s : null;

    private static Dictionary<string, string> Labels(JsonNode? node)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach ((string key, JsonNode? value) in obj)
            {
                labels[key] = Str(value) ?? "";
            }
        }

        return labels;
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach ((string key, string value) in map)
        {
            obj[key] = value;
        }

        return obj;
    }

    private static JsonArray ToJson(IReadOnlyList<string> items)
    {
        var array = new JsonArray();
        foreach (string item in items)
        {
            array.Add(item);
        }

        return array;
    }

    private static string LabelFilterQuery(char separator, string? labelFilter)
    {
        if (string.IsNullOrWhiteSpace(labelFilter))
        {
            return "";
        }

        string filters = new JsonObject { ["label"] = new JsonArray(labelFilter) }.ToJsonString();
        return $"{separator}filters={Uri.EscapeDataString(filters)}";
    }

    private static string FilterSuffix(string? labelFilter) =>
        string.IsNullOrWhiteSpace(labelFilter) ? "" : $" (label '{labelFilter}')";

    /// <summary>Escapes an image reference for the path, keeping the '/' of repository paths as the engine's route expects.</summary>
    private static string EscapeImage(string image) =>
        Uri.EscapeDataString(image).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static bool IsUserNetwork(string networkMode) =>
        networkMode.Length > 0 && !BuiltInNetworkModes.Contains(networkMode) && !networkMode.StartsWith("container:", StringComparison.Ordinal);

    private static void ValidateCommand(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
        {
            throw new ArgumentException("The command is empty; pass argv, e.g. [\"sh\", \"-c\", \"echo hi\"].", nameof(command));
        }
    }

    /// <summary>The command as a shell-like line for messages; arguments with spaces are quoted.</summary>
    internal static string CommandLine(IReadOnlyList<string> command) =>
        string.Join(' ', command.Select(a => a.Length > 0 && !a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? a : "\"" + a.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
}
