using System.Net;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Testbeds;

/// <summary>The sweeper against an engine that refuses to remove a leftover (no Docker needed).</summary>
public class LeftoverSweeperTests
{
    /// <summary>An engine holding leftovers of a dead run; the network cannot be removed, as Docker's stale-endpoint fault does.</summary>
    private sealed class StuckEngine : IContainerEngine
    {
        private static readonly Dictionary<string, string> Dead = new() { [Reaper.Label] = "1", [Reaper.OwnerLabel] = "999999999:1" };

        public List<string> Removed { get; } = [];

        public string Endpoint => "fake://";

        /// <summary>How many times containers were listed; from <see cref="LateFrom"/> on, a container the dead run asked for last appears.</summary>
        public int Listings { get; private set; }

        /// <summary>The listing from which the late container shows (int.MaxValue: never).</summary>
        public int LateFrom { get; init; } = int.MaxValue;

        /// <summary>The listing from which every listing shows one more new container (int.MaxValue: never).</summary>
        public int EndlessFrom { get; init; } = int.MaxValue;

        public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default)
        {
            Listings++;
            var all = new List<ContainerSummary> { new("c1", "np-dead-01-s0", "exited", Dead) };
            if (Listings >= LateFrom) all.Add(new ContainerSummary("c2", "np-dead-01-s1", "running", Dead));
            if (Listings >= EndlessFrom) all.Add(new ContainerSummary($"late-{Listings}", $"np-dead-01-l{Listings}", "created", Dead));
            return Task.FromResult<IReadOnlyList<ContainerSummary>>([.. all.Where(c => !Removed.Contains(c.Id))]);
        }

        public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<NetworkSummary>>([.. new[]
            {
                new NetworkSummary("n1", "np-dead-01", "bridge", ["10.213.9.0/24"], Dead),
                new NetworkSummary("n2", "np-dead-02", "bridge", ["10.213.10.0/24"], Dead),
            }.Where(n => !Removed.Contains(n.Id))]);

        public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
        {
            Removed.Add(id);
            return Task.CompletedTask;
        }

        /// <summary>Whether a forced disconnect clears network n1's endpoint (a real endpoint the engine lists), or n1 stays refused (the engine's stale count).</summary>
        public bool DisconnectClears { get; init; }

        /// <summary>The networks whose endpoints were force-disconnected, in order.</summary>
        public List<string> ForceDisconnects { get; } = [];

        private bool _n1Cleared;

        public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default)
        {
            if (idOrName == "n1" && !_n1Cleared)
                throw new EngineException("DELETE /networks/{id}", HttpStatusCode.Forbidden, "error while removing network: network np-dead-01 id n1 has active endpoints");
            Removed.Add(idOrName);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default)
        {
            ForceDisconnects.Add(networkIdOrName);
            if (networkIdOrName != "n1" || !DisconnectClears) return Task.FromResult<IReadOnlyList<string>>([]);
            _n1Cleared = true;
            return Task.FromResult<IReadOnlyList<string>>(["np-dead-01-s0"]);
        }

        public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public void Dispose() { }
    }

    /// <summary>20 ms polls, 300 ms of quiet, 10 s at most.</summary>
    private static readonly LeftoverSweeper.Timing Fast = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));

    /// <summary>Sweeps with stderr captured: what was removed, and what the sweep reported there.</summary>
    private static async Task<(IReadOnlyList<string> Removed, StringWriter Error)> SweepCapturingStderrAsync(IContainerEngine engine, LeftoverSweeper.Timing? timing = null)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            return (await LeftoverSweeper.SweepAsync(engine, timing ?? Fast, TestContext.Current.CancellationToken), error);
        }
        finally
        {
            Console.SetError(original);
        }
    }

    [Fact]
    public async Task A_leftover_the_engine_refuses_to_remove_is_reported_and_the_sweep_goes_on()
    {
        using var engine = new StuckEngine();
        var (removed, error) = await SweepCapturingStderrAsync(engine);

        // The container and the second network went; the stuck network is reported with what clears it, not thrown.
        Assert.Equal(["c1", "n2"], engine.Removed);
        Assert.Contains("container 'np-dead-01-s0'", removed);
        Assert.Contains("network 'np-dead-02'", removed);
        Assert.DoesNotContain("network 'np-dead-01'", removed);
        Assert.Contains("could not remove network 'np-dead-01'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("restarting the engine", error.ToString(), StringComparison.Ordinal);
        // It was reported only after a forced disconnect of its endpoints (none listed) and one more try; the polls for
        // late containers found none, so no second full pass tried it again.
        Assert.Equal(["n1"], engine.ForceDisconnects);
        Assert.Contains("listed no endpoint on it to force-disconnect", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_network_refused_for_active_endpoints_is_force_disconnected_and_then_removed()
    {
        using var engine = new StuckEngine { DisconnectClears = true };
        var (removed, error) = await SweepCapturingStderrAsync(engine);

        Assert.Equal(["n1"], engine.ForceDisconnects);
        Assert.Equal(["c1", "n1", "n2"], engine.Removed);
        Assert.Contains("network 'np-dead-01'", removed);
        Assert.DoesNotContain("could not remove", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("force-disconnected 'np-dead-01-s0', then removed it", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Containers_a_killed_run_asked_for_that_appear_after_the_first_pass_are_swept_too()
    {
        // The late container shows only at the fourth listing, after two passes that found nothing new: the sweep of
        // 2026-12-03 stopped at the first such pass and left it.
        using var engine = new StuckEngine { LateFrom = 4 };
        var (removed, _) = await SweepCapturingStderrAsync(engine);

        Assert.Equal(["c1", "n2", "c2"], engine.Removed);
        Assert.Contains("container 'np-dead-01-s1'", removed);
        Assert.True(engine.Listings >= 5, $"{engine.Listings} listings");
    }

    [Fact]
    public async Task The_sweep_looks_again_until_no_new_container_came_for_the_quiet_time_and_no_longer()
    {
        using var engine = new StuckEngine { LateFrom = 2 };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SweepCapturingStderrAsync(engine);
        var elapsed = clock.Elapsed;

        Assert.Equal(["c1", "n2", "c2"], engine.Removed);
        // Quiet time counted from the pass that found c2; far below the limit.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_engine_that_keeps_showing_new_containers_is_swept_for_the_limit_and_no_longer()
    {
        using var engine = new StuckEngine { EndlessFrom = 1 };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SweepCapturingStderrAsync(engine, Fast with { Limit = TimeSpan.FromSeconds(1) });
        var elapsed = clock.Elapsed;

        Assert.InRange(elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        Assert.True(engine.Removed.Count(r => r.StartsWith("late-", StringComparison.Ordinal)) >= 5);
    }
}
