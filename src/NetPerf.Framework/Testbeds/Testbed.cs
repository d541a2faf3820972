using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Drivers;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;
using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// N client/server container pairs on one network driver, ready to run workloads; disposing removes
/// every container, network, veth and OVS bridge it made, also on failure and on SIGINT/SIGTERM.
/// </summary>
/// <remarks>Create with <see cref="TestbedBuilder"/>.</remarks>
public sealed class Testbed : IWorkloadHost, IAsyncDisposable
{
    private const string SharedMount = "/netperf";
    private readonly IContainerEngine _engine;
    private readonly bool _ownsEngine;
    private readonly TestbedContext _context;
    private readonly ConcurrentDictionary<string, string> _containers = new();
    private readonly ConcurrentDictionary<string, IContainerEngine> _engineOf = new(StringComparer.Ordinal);
    private (IContainerEngine Engine, string Description, string? Namespace)? _secondNode;
    private readonly SemaphoreSlim _throttle;
    private IDisposable? _registration;
    private IDriverNetwork? _network;
    private List<Pair> _pairs = [];
    private readonly Lazy<Task<IReadOnlyList<string>>> _teardown;
    private int _problemsReported;

    private Testbed(IContainerEngine engine, bool ownsEngine, TestbedContext context)
    {
        _engine = engine;
        _ownsEngine = ownsEngine;
        _context = context;
        _throttle = new SemaphoreSlim(context.Options.Parallelism);
        SharedDirectoryOnHost = Path.Combine(Reaper.StateRoot, "testbeds", Reaper.SessionId, context.Tag);
        _teardown = new(TeardownOnceAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What was asked for.</summary>
    public TestbedOptions Options => _context.Options;

    /// <summary>The engine object name prefix of this testbed, e.g. <c>np-1a2b3-0k</c>.</summary>
    public string Name => _context.NamePrefix;

    /// <inheritdoc />
    public IReadOnlyList<Pair> Pairs => _pairs;

    /// <summary>Every distinct container of the testbed.</summary>
    public IReadOnlyList<Node> Nodes => [.. _pairs.SelectMany(p => new[] { p.Server, p.Client }).DistinctBy(n => n.Id)];

    /// <inheritdoc />
    public string SharedDirectoryOnHost { get; }

    /// <inheritdoc />
    public string SharedDirectoryInContainer => SharedMount;

    /// <summary>Facts that decide whether two results are comparable: driver, pairs, engine, datapath, subnet, image.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; private set; } = new Dictionary<string, string>();

    /// <summary>Wall time from the start of provisioning until every container was ready.</summary>
    public TimeSpan ProvisioningTime { get; private set; }

    /// <summary>Wall time of the teardown, once it ran.</summary>
    public TimeSpan TeardownTime { get; private set; }

    internal static async Task<Testbed> CreateAsync(TestbedOptions options, IContainerEngine? engine, CancellationToken cancellationToken)
    {
        var owns = engine is null;
        engine ??= Logging.NetPerfLog.Wrap(TestcontainersEngine.FromEnvironment());
        var probe = await CapabilityCheck.ProbeAsync(engine, options.Image, cancellationToken).ConfigureAwait(false);
        var driver = options.Driver;
        var availability = driver.Check(probe);
        if (!availability.Available)
        {
            if (owns) engine.Dispose();
            throw new DriverUnavailableException(availability);
        }
        await Reaper.SweepOnceAsync(engine, cancellationToken).ConfigureAwait(false);

        var bed = new Testbed(engine, owns, new TestbedContext(engine, options, probe));
        try
        {
            if (options.Placement == Placement.AcrossNodes)
            {
                string[] images = [options.Image, .. new[] { options.Servers?.Image, options.Clients?.Image }.OfType<string>()];
                var second = await SecondNode.AcquireAsync(engine, images, cancellationToken).ConfigureAwait(false);
                bed._secondNode = second;
                bed._context.SecondNode = new TestbedContext.Node(second.Engine, second.Namespace);
            }
            await bed.ProvisionAsync(driver, cancellationToken).ConfigureAwait(false);
            return bed;
        }
        catch
        {
            await bed.TeardownAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ProvisionAsync(INetworkDriver driver, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        _registration = Reaper.Register($"testbed '{Name}' ({Options.Driver.Name}, {Options.Pairs} pairs)", () => TeardownAsync());
        Directory.CreateDirectory(SharedDirectoryOnHost);
        _context.Track($"shared directory {SharedDirectoryOnHost}", () =>
        {
            if (Directory.Exists(SharedDirectoryOnHost)) Directory.Delete(SharedDirectoryOnHost, recursive: true);
            return Task.CompletedTask;
        });

        _network = await driver.CreateAsync(_context, ct).ConfigureAwait(false);
        var n = Options.Pairs;
        var basePort = _network.BasePort ?? Options.BasePort;
        var servers = await Task.WhenAll(Enumerable.Range(0, n).Select(i => StartNodeAsync(new NodeSlot(NodeRole.Server, i), basePort + i, null, ct))).ConfigureAwait(false);
        var clients = _network.ClientIsServer
            ? servers
            : await Task.WhenAll(Enumerable.Range(0, n).Select(i => StartNodeAsync(new NodeSlot(NodeRole.Client, i, servers[i].Id), basePort + i, servers[i].Address, ct))).ConfigureAwait(false);
        _pairs = [.. Enumerable.Range(0, n).Select(i => new Pair(i, servers[i], clients[i], basePort + i))];

        var info = _context.Probe.Engine;
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["driver"] = Options.Driver.Name,
            ["pairs"] = n.ToString(CultureInfo.InvariantCulture),
            ["image"] = Options.Image,
            ["image.id"] = await _engine.GetImageIdAsync(Options.Image, ct).ConfigureAwait(false),
            ["engine.version"] = info?.ServerVersion ?? "",
            ["engine.api"] = info?.ApiVersion ?? "",
        };
        foreach (var (k, v) in _network.Facts) facts[k] = v;
        facts["placement"] = Options.Placement.ToString();
        if (_secondNode is { } node)
        {
            var nodeInfo = await node.Engine.GetInfoAsync(ct).ConfigureAwait(false);
            facts["node2"] = node.Description;
            facts["node2.engine.version"] = nodeInfo.ServerVersion;
        }
        if (Options.Servers is { } ownServers)
        {
            facts["server.image"] = ownServers.Image;
            facts["server.image.id"] = await _engine.GetImageIdAsync(ownServers.Image, ct).ConfigureAwait(false);
        }
        if (Options.Clients is { } ownClients && !_network.ClientIsServer)
        {
            facts["client.image"] = ownClients.Image;
            facts["client.image.id"] = await _engine.GetImageIdAsync(ownClients.Image, ct).ConfigureAwait(false);
        }
        Facts = facts;
        ProvisioningTime = watch.Elapsed;
    }

    private async Task<Node> StartNodeAsync(NodeSlot slot, int port, string? serverAddress, CancellationToken ct)
    {
        await _throttle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Reaper.ShuttingDown) throw new OperationCanceledException("NetPerf is shutting down.");
            var name = $"{_context.NamePrefix}-{slot.Short}";
            var own = slot.Role == NodeRole.Server ? Options.Servers : Options.Clients;
            var builder = new ContainerBuilder()
                .WithName(name)
                .WithImage(own?.Image ?? Options.Image)
                .WithBind(SharedDirectoryOnHost, SharedMount);
            builder = own is null ? builder.WithCommand("sleep", "infinity") : Own(builder, own, slot, port, serverAddress);
            foreach (var (k, v) in _context.Labels) builder = builder.WithLabel(k, v);
            builder = builder.WithLabel("netperf.role", slot.Short);
            if (Options.Cpuset?.Invoke(slot) is { } cpuset) builder = builder.WithCpuset(cpuset);
            if (Options.CpusPerContainer is { } cpus) builder = builder.WithCpus(cpus);
            if (Options.MemoryPerContainerBytes is { } memory) builder = builder.WithMemoryLimit(memory);
            builder = _network!.Configure(builder, slot);

            // Across nodes, clients run on the second node; servers (and the network, made by the driver) on the main engine.
            var engine = slot.Role == NodeRole.Client && _secondNode is { } second ? second.Engine : _engine;
            var id = await engine.RunContainerAsync(builder.Build(), ct).ConfigureAwait(false);
            _engineOf[id] = engine;
            _containers[id] = name;
            var details = await engine.InspectContainerAsync(id, ct).ConfigureAwait(false);
            if (!details.Running)
                throw new InvalidOperationException(own is null
                    ? $"Container '{name}' stopped right after it started; check 'docker logs {name}' and that image '{Options.Image}' has 'sleep'."
                    : $"Your container '{name}' (image '{own.Image}') stopped right after it started; its command must keep running (a server in the foreground, or 'sleep infinity' for a client that the workload execs into). Check 'docker logs {name}'.");
            var address = await _network.ConnectAsync(details, slot, ct).ConfigureAwait(false);
            return new Node(name, id, address);
        }
        finally
        {
            _throttle.Release();
        }
    }

    private static ContainerBuilder Own(ContainerBuilder builder, OwnContainer own, NodeSlot slot, int port, string? serverAddress)
    {
        if (own.Entrypoint is { } entrypoint) builder = builder.WithEntrypoint([.. entrypoint]);
        if (own.Command.Length > 0) builder = builder.WithCommand([.. own.Command]);
        foreach (var (k, v) in own.Environment) builder = builder.WithEnvironment(k, v);
        foreach (var (k, v) in OwnContainer.NetPerfEnvironment(slot, port, serverAddress)) builder = builder.WithEnvironment(k, v);
        foreach (var (path, content) in own.Files) builder = builder.WithFile(path, content);
        if (own.WaitStrategy is { } wait) builder = builder.WithWaitStrategy(wait(port));
        return builder.WithStartTimeout(own.StartTimeout);
    }

    /// <summary>The first <paramref name="pairs"/> pairs of this testbed, for a cell with fewer pairs than it has (see <see cref="TestbedView"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pairs"/> is below 1 or above <see cref="Pairs"/>' count.</exception>
    internal TestbedView View(int pairs) => new(this, pairs);

    /// <inheritdoc />
    /// <exception cref="ContainerOomKilledException">The kernel's OOM killer killed the command (the container went past its memory limit); the message names the container and says what to do.</exception>
    public async Task<CommandResult> ExecAsync(Node node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var oomKillsBefore = MemoryAccounting.OomKills(node.Id);
        var result = await EngineOf(node.Id).ExecAsync(node.Id, command, timeout, cancellationToken).ConfigureAwait(false);
        // 137 is death by SIGKILL, which is what the OOM killer sends; the container's cgroup counts its kills, so a kill -9
        // from elsewhere is not taken for one. Without this a workload only saw a tool that died without output.
        if (result.ExitCode == 137 && MemoryAccounting.OomKills(node.Id) is { } after && after > (oomKillsBefore ?? 0))
        {
            var limit = MemoryAccounting.LimitBytes(node.Id) is { } bytes
                ? string.Create(CultureInfo.InvariantCulture, $"its memory limit of {bytes / (1024.0 * 1024):0.#} MiB")
                : "the memory it could get";
            throw new ContainerOomKilledException(
                $"'{TestcontainersEngine.CommandLine(command)}' in container '{node.Name}' was OOM-killed: it went past {limit} and the kernel's OOM killer ended it (exit 137). "
                + "Raise the containers' memory limit, or make the tool use less memory (fewer streams, smaller buffers).",
                node.Name);
        }

        return result;
    }

    /// <inheritdoc />
    public Task StartDetachedAsync(Node node, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        EngineOf(node.Id).ExecDetachedAsync(node.Id, command, cancellationToken);

    /// <summary>The engine a container of this testbed runs on.</summary>
    private IContainerEngine EngineOf(string containerId) => _engineOf.TryGetValue(containerId, out var engine) ? engine : _engine;

    /// <summary>
    /// Limits what <paramref name="node"/> sends to <paramref name="bitsPerSecond"/> with an htb qdisc on its interface
    /// (set from the host in the container's network namespace: containers have no NET_ADMIN). A real, injected
    /// regression for calibrations; removed with the container.
    /// </summary>
    /// <param name="node">A container of this testbed with its own network namespace (not host networking).</param>
    /// <param name="bitsPerSecond">The rate and ceiling, at least 1,000 bit/s.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task LimitRateAsync(Node node, long bitsPerSecond, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerSecond, 1000);
        var details = await EngineOf(node.Id).InspectContainerAsync(node.Id, cancellationToken).ConfigureAwait(false);
        string rate = bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit";
        string script = $"dev=$(ip -o link show | awk -F': ' '$2 !~ /^lo/ {{ sub(/@.*/, \"\", $2); print $2; exit }}') && "
            + $"tc qdisc replace dev \"$dev\" root handle 1: htb default 10 && tc class replace dev \"$dev\" parent 1: classid 1:10 htb rate {rate} ceil {rate}";
        await HostCommand.RunCheckedAsync("nsenter", [$"--net=/proc/{details.Pid.ToString(CultureInfo.InvariantCulture)}/ns/net", "sh", "-c", script], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<CpuSnapshot> SnapshotCpuAsync(CancellationToken cancellationToken) =>
        Task.FromResult(CpuAccounting.Snapshot(Nodes));

    /// <summary>
    /// What teardown left behind because of a known engine fault (a network with stale endpoints), as sentences saying what
    /// to do; empty until teardown ran. Such leftovers do not make <see cref="DisposeAsync"/> throw: the measurement stands.
    /// </summary>
    public IReadOnlyList<string> TeardownWarnings { get; private set; } = [];

    /// <summary>Removes everything the testbed made. Safe to call more than once and concurrently.</summary>
    /// <exception cref="InvalidOperationException">Something could not be removed; the message lists what, so it can be removed by hand.</exception>
    public async ValueTask DisposeAsync()
    {
        var problems = await TeardownAsync().ConfigureAwait(false);
        if (problems.Count > 0 && Interlocked.Exchange(ref _problemsReported, 1) == 0)
            throw new InvalidOperationException($"Testbed '{Name}' could not remove everything it made:\n- {string.Join("\n- ", problems)}\nThe next NetPerf run sweeps leftovers of dead runs; or remove them by hand.");
    }

    /// <summary>
    /// The one teardown of this testbed; every caller (the owner's dispose, a failed provisioning, the Reaper on a signal)
    /// waits for it. A signal that arrives while the owner is tearing down must wait too: the process ends when the
    /// Reaper's handler returns, and returning at once (as when a second caller just returned) left half the testbed behind.
    /// </summary>
    private Task<IReadOnlyList<string>> TeardownAsync() => _teardown.Value;

    private async Task<IReadOnlyList<string>> TeardownOnceAsync()
    {
        var watch = Stopwatch.StartNew();
        var problems = new ConcurrentBag<string>();
        var unreachable = new ConcurrentBag<(string Name, EngineException Error)>();
        using var removal = new SemaphoreSlim(Options.Parallelism);
        await Task.WhenAll(_containers.Select(async c =>
        {
            await removal.WaitAsync().ConfigureAwait(false);
            try { await EngineOf(c.Key).RemoveContainerAsync(c.Key).ConfigureAwait(false); }
            catch (EngineException e) when (e.EngineUnreachable) { unreachable.Add((c.Value, e)); }
            catch (Exception e) { problems.Add($"container '{c.Value}': {e.Message}"); }
            finally { removal.Release(); }
        })).ConfigureAwait(false);
        // An engine that went away fails every removal the same way: one line with the names, not one screen of repeats.
        foreach (var group in unreachable.GroupBy(u => u.Error.EngineMessage, StringComparer.Ordinal))
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{group.Count()} container(s) {string.Join(", ", group.Select(u => $"'{u.Name}'").Order(StringComparer.Ordinal))}: {group.Key}"));
        var (failures, faults) = await _context.UndoAllReportingFaultsAsync().ConfigureAwait(false);
        foreach (var p in failures) problems.Add(p);
        TeardownWarnings = faults;
        if (_secondNode is not null) SecondNode.Release();
        _registration?.Dispose();
        if (_ownsEngine) _engine.Dispose();
        TeardownTime = watch.Elapsed;
        return [.. problems];
    }
}
