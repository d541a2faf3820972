using System.Diagnostics;
using System.Net;
using NetPerf.Tests.Extension;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Drivers;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// Docker 20.10's stale-endpoint fault (a network that "has active endpoints" with nothing attached, seen here after
/// 50-pair bridge teardowns) is told apart from real teardown failures and reported as a warning with what to do; before
/// that, every endpoint the engine still lists is force-disconnected and the removal tried again (<see cref="NetworkRemoval"/>).
/// </summary>
public sealed class StaleEndpointsTests
{
    [Fact]
    public void Only_a_403_saying_active_endpoints_is_the_stale_endpoint_fault()
    {
        Assert.True(StaleEndpointsException.IsStaleEndpoints(new EngineException("DELETE /networks/{id}", HttpStatusCode.Forbidden,
            "error while removing network: network np-cf06b-0j id 0377 has active endpoints")));
        Assert.False(StaleEndpointsException.IsStaleEndpoints(new EngineException("DELETE /networks/{id}", HttpStatusCode.Forbidden, "operation not permitted")));
        Assert.False(StaleEndpointsException.IsStaleEndpoints(new EngineException("DELETE /networks/{id}", HttpStatusCode.NotFound, "has active endpoints")));
        Assert.False(StaleEndpointsException.IsStaleEndpoints(new InvalidOperationException("has active endpoints")));
    }

    [Fact]
    public void The_message_names_the_network_and_says_how_to_clear_it()
    {
        var e = new StaleEndpointsException("np-cf06b-0j");
        Assert.Equal("np-cf06b-0j", e.Network);
        Assert.Contains("'np-cf06b-0j'", e.Message, StringComparison.Ordinal);
        Assert.Contains("restarting the engine", e.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teardown_reports_the_fault_apart_from_real_failures()
    {
        using var engine = new ProbeOnlyEngine();
        var probe = new ProbeResult(null, null, true, "netperf-tools:x", null, new OvsStatus(true, true, "3.1.0", false));
        var context = new TestbedContext(engine, new TestbedBuilder().BuildOptions(), probe);
        var undone = new List<string>();
        context.Track("network 'np-a'", () => throw new StaleEndpointsException("np-a"));
        context.Track("veth 'npx'", () => throw new InvalidOperationException("Cannot find device"));
        context.Track("container 'np-a-s0'", () => { undone.Add("np-a-s0"); return Task.CompletedTask; });

        var (failures, faults) = await context.UndoAllReportingFaultsAsync();

        Assert.Equal(["np-a-s0"], undone);
        Assert.Equal(["veth 'npx': Cannot find device"], failures);
        Assert.Contains("Network 'np-a' could not be removed", Assert.Single(faults), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_network_refused_for_active_endpoints_is_force_disconnected_and_then_removed()
    {
        using var engine = new EndpointsEngine { Endpoints = ["np-x-s0", "np-x-c0"] };
        var watch = Stopwatch.StartNew();

        var disconnected = await NetworkRemoval.RemoveAsync(engine, "n1", "np-x", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["np-x-s0", "np-x-c0"], disconnected);
        Assert.Equal(["remove", "disconnect n1", "remove"], engine.Calls);
        Assert.True(engine.NetworkRemoved);
        // The removal is tried again at once, not after the retry window.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(new string[0], "The engine listed no endpoint on it to force-disconnect")]
    [InlineData(new[] { "np-x-s0" }, "force-disconnected the 1 endpoint(s) the engine listed ('np-x-s0') and the engine still refused")]
    public async Task A_network_that_stays_refused_after_the_forced_disconnect_is_reported_as_today(string[] endpoints, string attempt)
    {
        using var engine = new EndpointsEngine { Endpoints = [.. endpoints], StaleCount = true };
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<StaleEndpointsException>(() =>
            NetworkRemoval.RemoveAsync(engine, "n1", "np-x", TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken));

        Assert.Equal("np-x", e.Network);
        Assert.Equal(endpoints, e.Disconnected);
        // The engine to restart is named: a run may use two (NetPerf's second engine).
        Assert.Contains("Network 'np-x' on the engine at 'fake://endpoints' could not be removed", e.Message, StringComparison.Ordinal);
        Assert.Contains(attempt, e.Message, StringComparison.Ordinal);
        Assert.Contains("restarting the engine", e.Message, StringComparison.Ordinal);
        Assert.True(StaleEndpointsException.IsStaleEndpoints(e.InnerException!));
        // Disconnected once (the next forced disconnect is due only after NetworkRemoval.ForceInterval), retried for the window, then reported.
        Assert.Equal(1, engine.Calls.Count(c => c.StartsWith("disconnect", StringComparison.Ordinal)));
        Assert.True(engine.Calls.Count(c => c == "remove") >= 3, string.Join(", ", engine.Calls));
        Assert.False(engine.NetworkRemoved);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("local", 0, 0, true)]
    [InlineData("swarm", 0, 0, false)]
    [InlineData("global", 0, 0, false)]
    [InlineData("", 0, 0, false)]
    [InlineData("local", 1, 0, false)]
    [InlineData("local", 0, 1, false)]
    public void Only_a_local_network_with_no_endpoint_listed_and_no_container_on_it_is_held_by_the_count_alone(string scope, int endpoints, int containers, bool countOnly)
    {
        var use = new NetworkUse(scope, [.. Enumerable.Range(0, endpoints).Select(i => $"np-x-s{i}")], [.. Enumerable.Range(0, containers).Select(i => $"c{i}")]);

        Assert.Equal(countOnly, StaleCountEvidence.IsCountOnly(use));
        Assert.False(StaleCountEvidence.IsCountOnly(null));
    }

    [Fact]
    public void The_count_only_state_is_confirmed_after_enough_refusals_over_enough_time_and_starts_over_when_anything_else_is_seen()
    {
        var countOnly = new NetworkUse("local", [], []);
        var evidence = new StaleCountEvidence();
        static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

        // Enough time but too few refusals, then enough refusals: confirmed at the fifth, 2 s after the first.
        Assert.False(evidence.Confirms(At(0.1), countOnly));
        Assert.False(evidence.Confirms(At(2.2), countOnly));
        Assert.False(evidence.Confirms(At(2.4), countOnly));
        Assert.False(evidence.Confirms(At(2.6), countOnly));
        Assert.True(evidence.Confirms(At(2.8), countOnly));
        Assert.Equal(StaleCountEvidence.ConfirmRefusals, evidence.Refusals);

        // A container still on the network (being removed), or an engine that cannot tell, starts the confirmation over.
        foreach (var breaker in new[] { new NetworkUse("local", [], ["c0"]), null })
        {
            evidence = new StaleCountEvidence();
            for (var i = 0; i < 10; i++) Assert.False(evidence.Confirms(At(0.2 * i), countOnly));
            Assert.False(evidence.Confirms(At(2.0), breaker));
            Assert.Equal(0, evidence.Refusals);
            // Many refusals, but not yet 2 s in the state since it came back.
            for (var i = 1; i <= 10; i++) Assert.False(evidence.Confirms(At(2.0 + (0.19 * i)), countOnly));
            Assert.True(evidence.Confirms(At(4.2), countOnly));
        }
    }

    [Fact]
    public async Task A_local_network_refused_with_no_endpoint_and_no_container_on_it_is_reported_after_the_confirmation_not_the_window()
    {
        using var engine = new EndpointsEngine { StaleCount = true, Use = _ => new NetworkUse("local", [], []) };
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<StaleEndpointsException>(() =>
            NetworkRemoval.RemoveAsync(engine, "n1", "np-x", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        // Waiting cannot lower the engine's count: it said so after the confirmation (2 s), not after the 30 s window.
        Assert.True(watch.Elapsed >= StaleCountEvidence.ConfirmFor && watch.Elapsed < StaleCountEvidence.ConfirmFor + TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.True(e.CountOnly);
        Assert.True(engine.Inspections >= StaleCountEvidence.ConfirmRefusals, $"{engine.Inspections} inspections");
        Assert.Contains("The engine listed no endpoint on it to force-disconnect", e.Message, StringComparison.Ordinal);
        Assert.Contains("showed no endpoint and no container on this local network", e.Message, StringComparison.Ordinal);
        Assert.Contains("instead of 30 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("restarting the engine", e.Message, StringComparison.Ordinal);
        Assert.False(engine.NetworkRemoved);
    }

    [Theory]
    [InlineData("local", "", "c0")]
    [InlineData("local", "np-x-s0", "")]
    [InlineData("swarm", "", "")]
    [InlineData(null, "", "")]
    public async Task A_refusal_that_may_still_end_is_retried_past_the_confirmation_and_the_removal_then_succeeds(string? scope, string endpoint, string container)
    {
        // Refused for 3 s (longer than the confirmation) while the engine shows a container still on the network, an endpoint
        // still listed, a swarm-scoped network, or cannot tell; then the refusal ends.
        var clears = StaleCountEvidence.ConfirmFor + TimeSpan.FromSeconds(1);
        using var engine = new EndpointsEngine
        {
            StaleCount = true, ClearsAfter = clears,
            Use = _ => scope is null ? null : new NetworkUse(scope, endpoint.Length > 0 ? [endpoint] : [], container.Length > 0 ? [container] : []),
        };
        var watch = Stopwatch.StartNew();

        await NetworkRemoval.RemoveAsync(engine, "n1", "np-x", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(engine.NetworkRemoved);
        Assert.True(watch.Elapsed >= clears, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_count_only_refusal_that_ends_within_the_confirmation_is_a_removal()
    {
        // The engine's own moment between deleting an endpoint and lowering its count: nothing listed, then removable.
        using var engine = new EndpointsEngine { StaleCount = true, ClearsAfter = TimeSpan.FromSeconds(1), Use = _ => new NetworkUse("local", [], []) };

        await NetworkRemoval.RemoveAsync(engine, "n1", "np-x", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(engine.NetworkRemoved);
    }

    [Fact]
    public async Task Other_refusals_are_not_answered_with_a_forced_disconnect()
    {
        using var engine = new EndpointsEngine { Refusal = "operation not permitted" };

        var e = await Assert.ThrowsAsync<EngineException>(() =>
            NetworkRemoval.RemoveAsync(engine, "n1", "np-x", TimeSpan.Zero, TestContext.Current.CancellationToken));

        Assert.Equal("operation not permitted", e.EngineMessage);
        Assert.Equal(["remove"], engine.Calls);
    }

    [Fact]
    public async Task Teardown_force_disconnects_a_network_refused_for_active_endpoints_and_removes_it()
    {
        using var engine = new EndpointsEngine { Endpoints = ["np-x-s0"] };
        var probe = new ProbeResult(null, null, true, "netperf-tools:x", null, new OvsStatus(true, true, "3.1.0", false));
        var context = new TestbedContext(engine, new TestbedBuilder().BuildOptions(), probe);
        using var subnet = new SubnetLease(250, Path.Combine(Path.GetTempPath(), $"netperf-lease-{Guid.NewGuid():N}"));
        await EngineNetwork.CreateAsync(context, new NetworkBuilder().WithName("np-x").WithDriver("bridge").WithSubnet(subnet.Cidr, subnet.Gateway),
            subnet, TestContext.Current.CancellationToken);

        var (failures, faults) = await context.UndoAllReportingFaultsAsync();

        Assert.Empty(failures);
        Assert.Empty(faults);
        Assert.True(engine.NetworkRemoved);
        Assert.Equal(["remove", "disconnect n1", "remove"], engine.Calls);
    }

    /// <summary>
    /// One network, n1, that the engine refuses to remove while it lists endpoints on it, or always with
    /// <see cref="StaleCount"/> (the engine's stale count: nothing a disconnect can clear) until <see cref="ClearsAfter"/>,
    /// or always with <see cref="Refusal"/>. <see cref="Use"/> is what it shows of the network (none: it cannot tell).
    /// </summary>
    private sealed class EndpointsEngine : IContainerEngine
    {
        private readonly Stopwatch _age = Stopwatch.StartNew();

        public List<string> Endpoints { get; init; } = [];

        public bool StaleCount { get; init; }

        public TimeSpan? ClearsAfter { get; init; }

        public Func<string, NetworkUse?>? Use { get; init; }

        public int Inspections { get; private set; }

        public string? Refusal { get; init; }

        public List<string> Calls { get; } = [];

        public bool NetworkRemoved { get; private set; }

        public string Endpoint => "fake://endpoints";

        public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default) => Task.FromResult("n1");

        public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default)
        {
            Calls.Add("remove");
            if (NetworkRemoved) return Task.CompletedTask;
            if (Refusal is not null)
                throw new EngineException("DELETE /networks/{id}", HttpStatusCode.Forbidden, Refusal);
            if ((StaleCount && !(_age.Elapsed >= ClearsAfter)) || Endpoints.Count > 0)
                throw new EngineException("DELETE /networks/{id}", HttpStatusCode.Forbidden, "error while removing network: network np-x id n1 has active endpoints");
            NetworkRemoved = true;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default)
        {
            Calls.Add($"disconnect {networkIdOrName}");
            IReadOnlyList<string> listed = [.. Endpoints];
            Endpoints.Clear();
            return Task.FromResult(listed);
        }

        public Task<NetworkUse?> InspectNetworkUseAsync(string networkIdOrName, CancellationToken cancellationToken = default)
        {
            Inspections++;
            return Task.FromResult(Use?.Invoke(networkIdOrName));
        }

        public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<NetworkSummary>>(NetworkRemoved ? [] : [new NetworkSummary("n1", "np-x", "bridge", [], new Dictionary<string, string>())]);

        public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public void Dispose() { }
    }
}
