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
    private readonly bool _fixedAddresses;

    private EngineNetwork(string name, SubnetLease subnet, int pairs, bool fixedAddresses, IReadOnlyDictionary<string, string> facts)
    {
        _name = name;
        _subnet = subnet;
        _pairs = pairs;
        _fixedAddresses = fixedAddresses;
        Facts = facts;
    }

    public IReadOnlyDictionary<string, string> Facts { get; }

    /// <summary>Creates the engine network with the testbed's labels and tracks its removal.</summary>
    /// <param name="context">The testbed being built.</param>
    /// <param name="builder">The driver-specific network description.</param>
    /// <param name="subnet">The subnet reserved for it.</param>
    /// <param name="ct">Cancels the creation.</param>
    /// <param name="facts">Driver facts to record besides network and subnet.</param>
    /// <param name="fixedAddresses">Pin container addresses; false lets the engine's IPAM choose (swarm reserves addresses of its own on overlay networks).</param>
    /// <param name="engine">The engine to create it on: the testbed's (default), or the second node's for a local-scope network across nodes.</param>
    public static async Task<IDriverNetwork> CreateAsync(TestbedContext context, NetworkBuilder builder, SubnetLease subnet, CancellationToken ct,
        IReadOnlyDictionary<string, string>? facts = null, bool fixedAddresses = true, IContainerEngine? engine = null)
    {
        engine ??= context.Engine;
        foreach (var (k, v) in context.Labels) builder = builder.WithLabel(k, v);
        var spec = builder.Build();
        var id = await engine.CreateNetworkAsync(spec, ct).ConfigureAwait(false);
        context.Track(ReferenceEquals(engine, context.Engine) ? $"network '{spec.Name}'" : $"network '{spec.Name}' on {engine.Endpoint}", () => RemoveAndWaitAsync(engine, id, spec.Name));
        var all = new Dictionary<string, string>(facts ?? new Dictionary<string, string>()) { ["network"] = spec.Driver, ["subnet"] = subnet.Cidr };
        return new EngineNetwork(spec.Name, subnet, context.Options.Pairs, fixedAddresses, all);
    }

    /// <summary>
    /// Removes the network and waits until the engine no longer lists it: swarm-scoped networks disappear
    /// asynchronously, and refuse removal while the endpoints of just-removed containers are released. Endpoints the
    /// engine still lists when it says "has active endpoints" are force-disconnected (<see cref="NetworkRemoval"/>); a
    /// refusal that only the engine's stale endpoint count can cause is reported after a short confirmation, not 30 s.
    /// </summary>
    private static async Task RemoveAndWaitAsync(IContainerEngine engine, string id, string name)
    {
        var retryFor = TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + retryFor;
        await NetworkRemoval.RemoveAsync(engine, id, name, retryFor).ConfigureAwait(false);
        while (true)
        {
            var left = await engine.ListNetworksAsync($"{Reaper.SessionLabel}={Reaper.SessionId}").ConfigureAwait(false);
            if (left.All(n => n.Id != id && n.Name != name)) return;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"Network '{name}' was still listed by the engine 30 s after its removal. If the engine says it 'has active endpoints' with no container attached, that is a known Docker engine fault after many containers were removed at once: only restarting the engine clears it (stop dockerd, then scripts/setup.sh starts it again); the next NetPerf run reports it and goes on.");
            await Task.Delay(200).ConfigureAwait(false);
            // Removal of a swarm-scoped network may have been accepted and still be under way; asking again is harmless.
            var remaining = deadline - DateTime.UtcNow;
            await NetworkRemoval.RemoveAsync(engine, id, name, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero).ConfigureAwait(false);
        }
    }

    public ContainerBuilder Configure(ContainerBuilder container, NodeSlot slot) =>
        container.WithNetwork(_name, _fixedAddresses ? AddressOf(slot) : null);

    public Task<string> ConnectAsync(ContainerDetails container, NodeSlot slot, CancellationToken cancellationToken) =>
        container.IpAddresses.TryGetValue(_name, out var ip) && ip.Length > 0
            ? Task.FromResult(ip)
            : throw new InvalidOperationException($"Container '{container.Name}' has no address on network '{_name}' after it started.");

    private string AddressOf(NodeSlot slot) => _subnet.Host(slot.Role == NodeRole.Server ? 2 + slot.PairIndex : 2 + _pairs + slot.PairIndex);
}
