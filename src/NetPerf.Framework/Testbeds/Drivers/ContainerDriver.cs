using NetPerf.Testbeds.Engine;

namespace NetPerf.Testbeds.Drivers;

/// <summary>Shared network namespace ("pod"): each client joins its server's namespace with <c>--network container:</c>.</summary>
internal sealed class ContainerDriver : INetworkDriver
{
    /// <inheritdoc />
    public string Name => nameof(Driver.Container);

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe) => probe.CommonProblem is { } problem
        ? new(Name, false, problem)
        : new(Name, true, "client joins the server's network namespace; traffic on the shared loopback");

    /// <inheritdoc />
    public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IDriverNetwork>(new Network());

    private sealed class Network : IDriverNetwork
    {
        public IReadOnlyDictionary<string, string> Facts { get; } = new Dictionary<string, string> { ["network"] = "container (shared namespace)" };

        public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot) => slot.Role == NodeRole.Server
            ? container.WithNetworkMode("none")
            : container.WithNetworkMode($"container:{slot.ServerContainerId}");

        public Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken) => Task.FromResult("127.0.0.1");
    }
}
