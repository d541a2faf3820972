using NetPerf.Testbeds.Engine;

namespace NetPerf.Testbeds.Drivers;

/// <summary><c>--network none</c>: client and server run in the same container and talk over its loopback; the reference without any network driver.</summary>
internal sealed class NoneDriver : INetworkDriver
{
    /// <inheritdoc />
    public string Name => nameof(Driver.None);

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe) => probe.CommonProblem is { } problem
        ? new(Name, false, problem)
        : new(Name, true, "one container per pair, traffic on its loopback");

    /// <inheritdoc />
    public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IDriverNetwork>(new Network());

    private sealed class Network : IDriverNetwork
    {
        public IReadOnlyDictionary<string, string> Facts { get; } = new Dictionary<string, string> { ["network"] = "none" };

        public bool ClientIsServer => true;

        public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot) => container.WithNetworkMode("none");

        public Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken) => Task.FromResult("127.0.0.1");
    }
}
