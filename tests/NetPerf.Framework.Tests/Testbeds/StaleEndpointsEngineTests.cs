using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// Docker 20.10's stale-endpoint fault on a real engine: NetPerf's second dockerd in its own namespace
/// (<see cref="NamespacedEngine"/>; the main engine is never touched), put into the states the fault leaves by editing that
/// engine's own network store while it runs (<see cref="NetworkStore"/>): an endpoint the engine still lists after its
/// container was removed, and an endpoint count above the endpoints with none listed ("has active endpoints", nothing
/// attached). NetPerf's teardown (<c>EngineNetwork</c> through <see cref="NetworkRemoval"/>) and <see cref="LeftoverSweeper"/>
/// must remove the network where a forced disconnect can, and otherwise say exactly what is left and how to clear it.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(AcrossNodesTests))]
public sealed class StaleEndpointsEngineTests : IDisposable
{
    /// <summary>The owner label of a run that is gone (no process has this pid), as the sweeper finds after a SIGKILL.</summary>
    private static readonly Dictionary<string, string> DeadRun = new()
    {
        [Reaper.Label] = "1", [Reaper.OwnerLabel] = "999999999:1", [Reaper.SessionLabel] = "0dead",
    };

    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task An_endpoint_the_engine_still_lists_after_its_container_was_removed_is_force_disconnected_by_teardown_and_the_sweeper()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var ns = await StartSecondEngineAsync(ct);
        try
        {
            using var docker = ClientOf(ns);

            // Teardown: a testbed whose pair 0 server was removed while the engine could not write its endpoint.
            var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(2).WithEngine(ns.Engine).BuildAsync(ct);
            var tag = bed.Name.Split('-')[^1];
            string networkId;
            try
            {
                networkId = (await docker.Networks.InspectNetworkAsync(bed.Name, ct)).ID;
                var victim = bed.Pairs[0].Server;
                var endpoint = await LeaveListedStaleEndpointAsync(ns, docker, networkId, victim.Id, victim.Name, ct);
                output?.WriteLine($"fault: network '{bed.Name}' lists endpoint '{endpoint}' ({victim.Name}), whose container is gone; the engine refuses to remove the network");
            }
            catch
            {
                await bed.DisposeAsync();
                throw;
            }

            var watch = Stopwatch.StartNew();
            await bed.DisposeAsync();
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teardown took {watch.Elapsed.TotalSeconds:0.0} s; warnings: {(bed.TeardownWarnings.Count == 0 ? "none" : string.Join(" | ", bed.TeardownWarnings))}"));
            var left = await Leftovers.OfSessionAsync(ns.Engine, Reaper.SessionId, tag);
            ReliabilityLedger.Faults("2. Stale endpoints", "an endpoint listed with no container (its container removed while the engine could not write it), then teardown", 1, left.Count);
            Assert.Empty(bed.TeardownWarnings);
            Assert.Empty(left);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"teardown took {watch.Elapsed}: the forced disconnect should end the refusals at once, not the 30 s retry window");

            // The sweeper: a network of a run that is gone, with the same fault.
            using var subnet = await SubnetAllocator.ReserveAsync(ns.Engine, ct);
            var (deadId, deadName, container) = await DeadRunNetworkAsync(ns, docker, subnet, withContainer: true, ct);
            await LeaveListedStaleEndpointAsync(ns, docker, deadId, container!, $"{deadName}-s0", ct);
            var (removed, stderr) = await SweepCapturingStderrAsync(ns.Engine, ct);
            output?.WriteLine($"sweep: {string.Join(", ", removed)}\n{stderr}");
            var stillThere = (await ns.Engine.ListNetworksAsync(Reaper.Label, ct)).Where(n => n.Id == deadId).ToList();
            ReliabilityLedger.Faults("2. Stale endpoints", "an endpoint listed with no container on a dead run's network, then the sweeper", 1, stillThere.Count);
            Assert.Contains($"network '{deadName}'", removed);
            Assert.Contains($"force-disconnected '{deadName}-s0', then removed it", stderr, StringComparison.Ordinal);
            Assert.Empty(stillThere);
        }
        finally
        {
            SecondNode.Release();
            await SecondNode.StopAsync();
        }
    }

    [Fact]
    public async Task An_endpoint_count_above_the_listed_endpoints_is_reported_by_teardown_and_the_sweeper_and_a_restart_of_the_engine_clears_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var ns = await StartSecondEngineAsync(ct);
        try
        {
            using var docker = ClientOf(ns);

            // Teardown: the engine counts one endpoint more than the testbed's two containers.
            var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(1).WithEngine(ns.Engine).BuildAsync(ct);
            var tag = bed.Name.Split('-')[^1];
            string bedNetwork;
            try
            {
                bedNetwork = (await docker.Networks.InspectNetworkAsync(bed.Name, ct)).ID;
                NetworkStore.SetEndpointCount(ns.DataRoot, bedNetwork, from: 2, to: 3);
            }
            catch
            {
                await bed.DisposeAsync();
                throw;
            }
            var watch = Stopwatch.StartNew();
            await bed.DisposeAsync();
            var teardown = watch.Elapsed;
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teardown took {teardown.TotalSeconds:0.0} s; warnings: {string.Join(" | ", bed.TeardownWarnings)}"));

            // What the engine shows: the network, no container, no endpoint listed, and the refusal.
            Assert.Equal([$"network {bed.Name}"], await Leftovers.OfSessionAsync(ns.Engine, Reaper.SessionId, tag));
            await AssertCountOnlyFaultAsync(ns, docker, bedNetwork, ct);
            var warning = Assert.Single(bed.TeardownWarnings);
            AssertSaysWhatIsLeftAndHowToClearIt(warning, bed.Name, ns.Engine.Endpoint);
            // Waiting cannot lower the count: teardown says so once the state is confirmed (2 s), not after its 30 s window.
            Assert.Contains("showed no endpoint and no container on this local network", warning, StringComparison.Ordinal);
            Assert.True(teardown < StaleCountEvidence.ConfirmFor + TimeSpan.FromSeconds(8),
                string.Create(CultureInfo.InvariantCulture, $"teardown took {teardown.TotalSeconds:0.0} s: a network held only by the engine's endpoint count should be reported after the {StaleCountEvidence.ConfirmFor.TotalSeconds:0} s confirmation, not the 30 s retry window"));

            // The sweeper: a dead run's network (no container ever) whose stored count says 1.
            using var subnet = await SubnetAllocator.ReserveAsync(ns.Engine, ct);
            var (deadId, deadName, _) = await DeadRunNetworkAsync(ns, docker, subnet, withContainer: false, ct);
            NetworkStore.SetEndpointCount(ns.DataRoot, deadId, from: 0, to: 1);
            await AssertCountOnlyFaultAsync(ns, docker, deadId, ct);
            var sweep = Stopwatch.StartNew();
            var (removed, stderr) = await SweepCapturingStderrAsync(ns.Engine, ct);
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first sweep ({sweep.Elapsed.TotalSeconds:0.0} s): {string.Join(", ", removed)}\n{stderr}"));
            Assert.DoesNotContain($"network '{deadName}'", removed);
            Assert.Contains($"could not remove network '{deadName}', left by an earlier run", stderr, StringComparison.Ordinal);
            AssertSaysWhatIsLeftAndHowToClearIt(stderr, deadName, ns.Engine.Endpoint);

            // What the message says to do: restart the engine. It recounts the endpoints of every network when it starts.
            var down = await ns.RestartAsync(crash: false, ct);
            Assert.Empty(await NetworkRemoval.RemoveAsync(ns.Engine, bedNetwork, bed.Name, TimeSpan.Zero, ct));
            (removed, stderr) = await SweepCapturingStderrAsync(ns.Engine, ct);
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine restarted in {down.TotalSeconds:0.0} s; second sweep: {string.Join(", ", removed)}\n{stderr}"));
            var left = (await ns.Engine.ListNetworksAsync(Reaper.Label, ct)).Where(n => n.Id == deadId || n.Id == bedNetwork).Select(n => n.Name).ToList();
            ReliabilityLedger.Faults("2. Stale endpoints", "an endpoint count above the listed endpoints (teardown and the sweeper report it), then an engine restart", 2, left.Count);
            Assert.Contains($"network '{deadName}'", removed);
            Assert.Empty(left);
        }
        finally
        {
            SecondNode.Release();
            await SecondNode.StopAsync();
        }
    }

    /// <summary>
    /// The natural way, as the fault was first seen (100 containers on one bridge network removed 8 at a time): rounds of a
    /// 50-pair Bridge testbed on the second engine, torn down 8 removals at a time through the engine client. The fault may
    /// or may not come; either way nothing may be left but a network reported as the fault, and the engine's log is
    /// searched for libnetwork's lost decrement. Explicit: about a minute per round.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task Parallel_teardowns_of_100_containers_leave_nothing_or_report_the_fault()
    {
        const int Rounds = 3;
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var ns = await StartSecondEngineAsync(ct);
        try
        {
            var faults = 0;
            for (var round = 1; round <= Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(50).WithParallelism(8).WithEngine(ns.Engine).BuildAsync(ct);
                var up = watch.Elapsed;
                await bed.DisposeAsync();
                var left = await Leftovers.OfSessionAsync(ns.Engine, Reaper.SessionId, bed.Name.Split('-')[^1]);
                output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: 100 containers up in {up.TotalSeconds:0.0} s, down in {bed.TeardownTime.TotalSeconds:0.0} s; left: {(left.Count == 0 ? "nothing" : string.Join(", ", left))}; warnings: {(bed.TeardownWarnings.Count == 0 ? "none" : string.Join(" | ", bed.TeardownWarnings))}"));
                if (bed.TeardownWarnings.Count > 0)
                {
                    faults++;
                    Assert.Equal([$"network {bed.Name}"], left);
                    await ns.RestartAsync(crash: false, ct);
                    await NetworkRemoval.RemoveAsync(ns.Engine, bed.Name, bed.Name, TimeSpan.Zero, ct);
                }
                else
                {
                    Assert.Empty(left);
                }
            }
            var log = File.ReadAllLines(ns.LogFile).Where(l => l.Contains("endpoint", StringComparison.OrdinalIgnoreCase)).ToList();
            output?.WriteLine($"the fault came in {faults} of {Rounds} rounds; the engine's log on endpoints ({log.Count} lines):\n{string.Join('\n', log.TakeLast(20))}");
        }
        finally
        {
            SecondNode.Release();
            await SecondNode.StopAsync();
        }
    }

    /// <summary>
    /// Removes container <paramref name="containerId"/> while the engine cannot write its endpoint on the network, so the
    /// endpoint stays stored after the container is gone; then lets the engine write again. Asserts the fault state from the
    /// engine and returns the endpoint's id.
    /// </summary>
    private static async Task<string> LeaveListedStaleEndpointAsync(NamespacedEngine ns, DockerClient docker, string networkId, string containerId, string containerName, CancellationToken ct)
    {
        var endpoint = (await docker.Networks.InspectNetworkAsync(networkId, ct)).Containers[containerId].EndpointID;
        var key = NetworkStore.EndpointKey(networkId, endpoint);
        Assert.True(NetworkStore.HideKey(ns.DataRoot, key) > 0, $"the store has no key '{key}'");
        try
        {
            await ns.Engine.RemoveContainerAsync(containerId, ct);
        }
        finally
        {
            NetworkStore.RestoreKey(ns.DataRoot, key);
        }

        Assert.DoesNotContain(await ns.Engine.ListContainersAsync(null, ct), c => c.Id == containerId);
        var listed = (await docker.Networks.InspectNetworkAsync(networkId, ct)).Containers;
        // An endpoint without a container is listed under "ep-" + its id, with the container's name.
        Assert.True(listed.TryGetValue("ep-" + endpoint, out var stale), $"the engine does not list the stale endpoint; it lists: {string.Join(", ", listed.Keys)}");
        Assert.Equal(containerName, stale.Name);
        var refusal = await Assert.ThrowsAsync<EngineException>(() => ns.Engine.RemoveNetworkAsync(networkId, ct));
        Assert.True(StaleEndpointsException.IsStaleEndpoints(refusal), refusal.Message);
        return endpoint;
    }

    /// <summary>The network lists no endpoint, and the engine still refuses to remove it for active endpoints.</summary>
    private static async Task AssertCountOnlyFaultAsync(NamespacedEngine ns, DockerClient docker, string networkId, CancellationToken ct)
    {
        Assert.Empty((await docker.Networks.InspectNetworkAsync(networkId, ct)).Containers ?? new Dictionary<string, Docker.DotNet.Models.EndpointResource>());
        var refusal = await Assert.ThrowsAsync<EngineException>(() => ns.Engine.RemoveNetworkAsync(networkId, ct));
        Assert.True(StaleEndpointsException.IsStaleEndpoints(refusal), refusal.Message);
    }

    private static void AssertSaysWhatIsLeftAndHowToClearIt(string message, string network, string engine)
    {
        Assert.Contains($"Network '{network}' on the engine at '{engine}' could not be removed", message, StringComparison.Ordinal);
        Assert.Contains("The engine listed no endpoint on it to force-disconnect", message, StringComparison.Ordinal);
        Assert.Contains("restarting the engine", message, StringComparison.Ordinal);
    }

    /// <summary>A bridge network labelled as a dead run's, optionally with a running container of that run on it.</summary>
    private static async Task<(string Id, string Name, string? Container)> DeadRunNetworkAsync(NamespacedEngine ns, DockerClient docker, SubnetLease subnet, bool withContainer, CancellationToken ct)
    {
        var name = $"np-0dead-{Guid.NewGuid().ToString("N")[..6]}";
        var builder = new NetworkBuilder().WithName(name).WithDriver("bridge").WithSubnet(subnet.Cidr, subnet.Gateway);
        foreach (var (k, v) in DeadRun) builder = builder.WithLabel(k, v);
        var id = await ns.Engine.CreateNetworkAsync(builder.Build(), ct);
        string? container = null;
        if (withContainer)
        {
            var spec = new ContainerBuilder().WithImage(ToolsImage.Reference).WithName($"{name}-s0").WithCommand("sleep", "infinity")
                .WithNetwork(name, subnet.Host(2));
            foreach (var (k, v) in DeadRun) spec = spec.WithLabel(k, v);
            container = await ns.Engine.RunContainerAsync(spec.Build(), ct);
        }
        Assert.Equal(withContainer ? 1 : 0, (await docker.Networks.InspectNetworkAsync(id, ct)).Containers.Count);
        return (id, name, container);
    }

    private static async Task<(IReadOnlyList<string> Removed, string Stderr)> SweepCapturingStderrAsync(IContainerEngine engine, CancellationToken ct)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var removed = await LeftoverSweeper.SweepAsync(engine, new LeftoverSweeper.Timing(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), ct);
            return (removed, error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    private static DockerClient ClientOf(NamespacedEngine ns) => new DockerClientBuilder().WithEndpoint(new Uri(ns.Engine.Endpoint)).Build();

    /// <summary>NetPerf's second engine in its own namespace, with the tools image; skips with the reason where none can be started.</summary>
    private async Task<NamespacedEngine> StartSecondEngineAsync(CancellationToken ct)
    {
        var reason = await SecondNode.UnavailableReasonAsync(_engine.Endpoint, ct);
        Assert.SkipWhen(reason is not null, $"no second engine here: {reason}");
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Bridge).Available, "needs the Bridge driver");
        await SecondNode.AcquireAsync(_engine, [ToolsImage.Reference], ct);
        return SecondNode.Local ?? throw new InvalidOperationException("no local second engine was started (is NETPERF_SECOND_NODE set?)");
    }
}
