using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds.Drivers;

/// <summary><c>--network host</c>: no isolation; every container shares the host's namespace and pairs use their own ports on loopback.</summary>
internal sealed class HostDriver : INetworkDriver
{
    /// <inheritdoc />
    public string Name => nameof(Driver.Host);

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe) => probe.CommonProblem is { } problem
        ? new(Name, false, problem)
        : new(Name, true, "containers share the host network namespace; pairs use a block of free ports on 127.0.0.1");

    /// <inheritdoc />
    public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken)
    {
        // Held until teardown: the servers bind their ports only when a workload starts, so a free block alone could be chosen by another run too.
        var ports = PortLeases.Reserve(2 * context.Options.Pairs);
        context.Track($"port block {ports.From}-{ports.To}", () => { ports.Dispose(); return Task.CompletedTask; });
        return Task.FromResult<IDriverNetwork>(new Network(ports.From));
    }

    private sealed class Network(int basePort) : IDriverNetwork
    {
        public IReadOnlyDictionary<string, string> Facts { get; } = new Dictionary<string, string> { ["network"] = "host" };

        public int? BasePort => basePort;

        public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot) => container.WithNetworkMode("host");

        public Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken) => Task.FromResult("127.0.0.1");
    }
}
