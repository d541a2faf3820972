using System.Globalization;
using NetPerf.Testbeds.Drivers;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// An immutable, fluent way to describe a testbed; every <c>With</c> returns a new builder and
/// <see cref="BuildAsync"/> validates everything before provisioning.
/// </summary>
/// <example><code>
/// await using var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(4).BuildAsync(ct);
/// </code></example>
public sealed record TestbedBuilder
{
    private INetworkDriver _driver = DriverRegistry.BuiltIn.Get(Driver.Bridge);
    private int _pairs = 1;
    private string? _image;
    private Func<NodeSlot, string?>? _cpuset;
    private double? _cpus;
    private int? _mtu;
    private string? _parent;
    private int _basePort = 5201;
    private int _parallelism = 16;
    private IContainerEngine? _engine;
    private OwnContainer? _servers;
    private OwnContainer? _clients;
    private Placement _placement = Placement.SameNode;
    private long? _memory;

    /// <summary>Limits every container's memory to <paramref name="bytes"/> (swap included); a tool that goes past it is OOM-killed and the exec fails naming the container.</summary>
    internal TestbedBuilder WithMemoryPerContainer(long bytes) => this with { _memory = bytes };

    /// <summary>Selects the network driver (default Bridge).</summary>
    public TestbedBuilder WithDriver(Driver driver) => this with { _driver = DriverRegistry.BuiltIn.Get(driver) };

    /// <summary>Selects a network driver of your own (or a built-in one from <see cref="DriverRegistry.BuiltIn"/>).</summary>
    public TestbedBuilder WithDriver(INetworkDriver driver) => this with { _driver = driver ?? throw new ArgumentNullException(nameof(driver)) };

    /// <summary>Sets the number of client/server pairs (default 1).</summary>
    public TestbedBuilder WithPairs(int pairs) => this with { _pairs = pairs };

    /// <summary>Overrides the tools image (default <see cref="ToolsImage.Reference"/>).</summary>
    public TestbedBuilder WithImage(string image) => this with { _image = image };

    /// <summary>Confines every container to one cpuset, e.g. <c>"0"</c> for a container-to-core ratio study.</summary>
    public TestbedBuilder WithCpuset(string cpuset) => this with { _cpuset = _ => cpuset };

    /// <summary>Chooses the cpuset per container (CPU pinning policies).</summary>
    public TestbedBuilder WithCpuset(Func<NodeSlot, string?> cpuset) => this with { _cpuset = cpuset };

    /// <summary>Limits every container to a CPU quota, in cores.</summary>
    public TestbedBuilder WithCpus(double cores) => this with { _cpus = cores };

    /// <summary>Sets the containers' interface MTU.</summary>
    public TestbedBuilder WithMtu(int mtu) => this with { _mtu = mtu };

    /// <summary>Parents macvlan/ipvlan on a real NIC instead of a veth the testbed creates. Traffic then leaves the machine's own namespaces only if you make it.</summary>
    /// <remarks>The link must exist (<c>ip -br link</c> lists them); building fails naming it otherwise. NetPerf neither creates nor deletes it.</remarks>
    public TestbedBuilder WithMacvlanParent(string nic) => this with { _parent = nic };

    /// <summary>First server port (default 5201); pair i uses BasePort + i.</summary>
    public TestbedBuilder WithBasePort(int port) => this with { _basePort = port };

    /// <summary>How many engine calls run at once while provisioning (default 16).</summary>
    public TestbedBuilder WithParallelism(int calls) => this with { _parallelism = calls };

    /// <summary>Runs every pair's server in your own container (see <see cref="OwnContainer"/>) instead of the tools image.</summary>
    public TestbedBuilder WithServers(OwnContainer server) => this with { _servers = server ?? throw new ArgumentNullException(nameof(server)) };

    /// <summary>Runs every pair's client in your own container (see <see cref="OwnContainer"/>) instead of the tools image.</summary>
    public TestbedBuilder WithClients(OwnContainer client) => this with { _clients = client ?? throw new ArgumentNullException(nameof(client)) };

    /// <summary>Places each pair's client on a second node (engine) of the swarm, or with its server (default); see <see cref="Placement"/>.</summary>
    public TestbedBuilder WithPlacement(Placement placement) => this with { _placement = placement };

    /// <summary>Uses this engine instead of <see cref="TestcontainersEngine.FromEnvironment"/>; the caller keeps ownership.</summary>
    public TestbedBuilder WithEngine(IContainerEngine engine) => this with { _engine = engine };

    /// <summary>The engine set with <see cref="WithEngine"/>, or <see langword="null"/> for the default one.</summary>
    internal IContainerEngine? Engine => _engine;

    /// <summary>The validated options, or an <see cref="ArgumentException"/> listing every problem.</summary>
    public TestbedOptions BuildOptions()
    {
        var errors = new List<string>();
        if (_pairs < 1) errors.Add($"Pairs must be at least 1 (got {_pairs.ToString(CultureInfo.InvariantCulture)}).");
        if (_pairs > 126) errors.Add($"Pairs must be at most 126 per testbed: containers get addresses in one /24 (got {_pairs.ToString(CultureInfo.InvariantCulture)}).");
        if (_cpus is <= 0) errors.Add("CPU quota must be positive; use WithCpus(0.5) for half a core.");
        if (_mtu is < 576 or > 65535) errors.Add($"MTU must be between 576 and 65535 (got {_mtu?.ToString(CultureInfo.InvariantCulture)}).");
        if (_basePort is < 1024 || _basePort + (2 * _pairs) + 10000 > 65535) errors.Add("BasePort must leave room for two ports per pair below 65535 and be at least 1024.");
        if (_parallelism < 1) errors.Add("Parallelism must be at least 1.");
        if (_memory is < ContainerBuilder.MinimumMemoryBytes)
            errors.Add($"Memory per container must be at least {ContainerBuilder.MinimumMemoryBytes.ToString(CultureInfo.InvariantCulture)} bytes (6 MiB, the engine's minimum; got {_memory?.ToString(CultureInfo.InvariantCulture)}).");
        if (_placement == Placement.AcrossNodes && !_driver.SpansEngines)
            errors.Add($"Driver {_driver.Name} cannot place a pair across nodes: its network lives on one engine. Use Overlay (an attachable swarm network) or Macvlan (a veth segment between the two engines).");
        if (_placement == Placement.AcrossNodes && _parent is not null)
            errors.Add($"A macvlan parent ('{_parent}') cannot be combined with placement AcrossNodes: the two engines share a veth segment NetPerf creates between them.");
        if (errors.Count > 0) throw new ArgumentException("The testbed is not valid:\n- " + string.Join("\n- ", errors));
        return new TestbedOptions(_driver, _pairs, _image ?? ToolsImage.Reference, _cpuset, _cpus, _mtu, _parent, _basePort, _parallelism, _servers, _clients, _placement)
        {
            MemoryPerContainerBytes = _memory,
        };
    }

    /// <summary>Validates, provisions the network and containers, and returns the ready testbed.</summary>
    public Task<Testbed> BuildAsync(CancellationToken cancellationToken = default) =>
        Testbed.CreateAsync(BuildOptions(), _engine, cancellationToken);
}
