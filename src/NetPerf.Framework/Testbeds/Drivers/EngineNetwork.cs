using NetPerf.Testbeds.Engine;

namespace NetPerf.Testbeds.Drivers;

/// <summary>
/// A network the engine itself manages (bridge, macvlan, ipvlan, overlay): created with the testbed's
/// labels, containers join it with a fixed address (server i: .2+i, client i: .2+pairs+i).
/// </summary>
internal sealed class EngineNetwork : IDriverNetwork
{
    private readonly string _name;
    private readonly SubnetLease _subnet;
    private readonly int _pairs;

    private EngineNetwork(string name, SubnetLease subnet, int pairs, IReadOnlyDictionary<string, string> facts)
    {
        _name = name;
        _subnet = subnet;
        _pairs = pairs;
        Facts = facts;
    }

    public IReadOnlyDictionary<string, string> Facts { get; }

    public static async Task<IDriverNetwork> CreateAsync(TestbedContext context, NetworkBuilder builder, SubnetLease subnet, CancellationToken ct, IReadOnlyDictionary<string, string>? facts = null)
    {
        foreach (var (k, v) in context.Labels) builder = builder.WithLabel(k, v);
        var spec = builder.Build();
        var id = await context.Engine.CreateNetworkAsync(spec, ct).ConfigureAwait(false);
        context.Track($"network '{spec.Name}'", () => context.Engine.RemoveNetworkAsync(id));
        var all = new Dictionary<string, string>(facts ?? new Dictionary<string, string>()) { ["network"] = spec.Driver, ["subnet"] = subnet.Cidr };
        return new EngineNetwork(spec.Name, subnet, context.Options.Pairs, all);
    }

    public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot) =>
        container.WithNetwork(_name, AddressOf(slot));

    public Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken) =>
        Task.FromResult(container.IpAddresses.TryGetValue(_name, out var ip) && ip.Length > 0 ? ip : AddressOf(slot));

    private string AddressOf(NodeSlot slot) => _subnet.Host(slot.Role == NodeRole.Server ? 2 + slot.PairIndex : 2 + _pairs + slot.PairIndex);
}
