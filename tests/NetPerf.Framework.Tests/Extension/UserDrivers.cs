using NetPerf;
using NetPerf.Tests.Extension;

// What a user writes to add drivers: one registration line each (the types live in this test assembly, not in NetPerf).
[assembly: RegisterDriver(typeof(UserBridgeDriver))]
[assembly: RegisterDriver(typeof(UserRefusingDriver))]

namespace NetPerf.Tests.Extension;

/// <summary>
/// A driver written outside NetPerf with its public surface only: a user-defined Docker bridge network on a subnet the
/// testbed reserves, removed at teardown.
/// </summary>
public sealed class UserBridgeDriver : INetworkDriver
{
    /// <summary>The name scenarios list it by.</summary>
    public const string DriverName = "UserBridge";

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe) => probe.CommonProblem is { } problem
        ? new(Name, false, problem)
        : new(Name, true, "a bridge network made by a driver outside NetPerf");

    /// <inheritdoc />
    public async Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken)
    {
        var subnet = await context.ReserveSubnetAsync(cancellationToken);
        var builder = new NetworkBuilder().WithName(context.NamePrefix).WithDriver("bridge").WithSubnet(subnet.Cidr, subnet.Gateway);
        foreach (var (key, value) in context.Labels)
        {
            builder = builder.WithLabel(key, value);
        }

        var spec = builder.Build();
        var id = await context.Engine.CreateNetworkAsync(spec, cancellationToken);
        context.Track($"network '{spec.Name}'", () => RemoveAsync(context.Engine, id));
        return new Network(spec.Name, subnet.Cidr);
    }

    // The engine may still hold the endpoints of containers removed a moment ago; a few retries cover that.
    private static async Task RemoveAsync(IContainerEngine engine, string id)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await engine.RemoveNetworkAsync(id);
                return;
            }
            catch (EngineException) when (attempt < 10)
            {
                await Task.Delay(300);
            }
        }
    }

    private sealed class Network(string name, string subnet) : IDriverNetwork
    {
        public IReadOnlyDictionary<string, string> Facts { get; } = new Dictionary<string, string> { ["network"] = "user-bridge", ["subnet"] = subnet };

        public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot) => container.WithNetwork(name);

        public Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken) =>
            container.IpAddresses.TryGetValue(name, out var address) && address.Length > 0
                ? Task.FromResult(address)
                : throw new InvalidOperationException($"Container '{container.Name}' has no address on network '{name}'.");
    }
}

/// <summary>A registered driver that is never available here: its cells are skipped, or fail when every driver is required.</summary>
public sealed class UserRefusingDriver : INetworkDriver
{
    /// <summary>The name scenarios list it by.</summary>
    public const string DriverName = "UserRefusing";

    /// <summary>Why it is unavailable.</summary>
    public const string Reason = "it needs an SR-IOV NIC, which this machine lacks";

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public DriverAvailability Check(ProbeResult probe) => new(Name, false, Reason);

    /// <inheritdoc />
    public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("An unavailable driver is never asked to build a network.");
}
