using System.Diagnostics;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Engine;

/// <summary>
/// An engine that answered and then went away (stopped, crashed, not started again): a call fails at once with an error
/// that names the engine and says what to do, and nothing retries a connection nobody takes. Against
/// <see cref="FakeDockerEngine"/> (no Docker needed); the real engine is stopped under a run in EngineRestartTests.
/// </summary>
public sealed class EngineGoneTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static FakeResponse Healthy(FakeRequest r) =>
        r.Target.Split('?')[0].EndsWith("/version", StringComparison.Ordinal)
            ? FakeResponse.Json(200, """{"Version":"20.10.24","ApiVersion":"1.41","KernelVersion":"6.1"}""")
            : r.Target.Contains("/images/", StringComparison.Ordinal) ? FakeResponse.Json(404, """{"message":"No such image"}""") : FakeResponse.Json(200, "[]");

    [Fact]
    public async Task A_network_removal_on_an_engine_that_went_away_fails_at_once_naming_its_socket_instead_of_retrying()
    {
        var fake = new FakeDockerEngine(Healthy);
        using var engine = new TestcontainersEngine(fake.Endpoint);
        await engine.ListNetworksAsync(cancellationToken: Token);
        var socket = fake.SocketPath;
        await fake.DisposeAsync();
        ReliabilityLedger.Faults("1. Faults", "an engine that answered and then went away, under a network removal (no retry)", 1, null);

        // 30 s is the teardown's retry window for a network the engine refuses to remove while it settles.
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<EngineException>(() => NetworkRemoval.RemoveAsync(engine, "np-net", "np-net", TimeSpan.FromSeconds(30), Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the removal took {watch.Elapsed.TotalSeconds:0.0} s; an engine nobody can reach must not be retried for the window");
        Assert.True(e.EngineUnreachable);
        Assert.Null(e.StatusCode);
        Assert.Contains($"cannot reach the engine at '{engine.Endpoint}': its socket '{socket}' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("It answered earlier in this run", e.Message, StringComparison.Ordinal);
        // Not the local engine scripts/setup.sh starts: the engine at that address is named as the one to start.
        Assert.Contains($"Start the engine at '{engine.Endpoint}' again", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_engine_that_went_away_is_said_to_keep_or_to_stop_the_containers_as_its_live_restore_setting_says(bool liveRestore)
    {
        var fake = new FakeDockerEngine(r => r.Target.Split('?')[0].EndsWith("/info", StringComparison.Ordinal)
            ? FakeResponse.Json(200, $$"""{"ServerVersion":"20.10.24","NCPU":2,"LiveRestoreEnabled":{{(liveRestore ? "true" : "false")}}}""")
            : Healthy(r));
        using var engine = new TestcontainersEngine(fake.Endpoint);
        // Every testbed build asks the engine's /info first (the capability probe); that is where the setting is read.
        await engine.GetInfoAsync(Token);
        await fake.DisposeAsync();

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.ListContainersAsync(cancellationToken: Token));

        Assert.Contains("It answered earlier in this run, so it stopped, crashed or is restarting", e.Message, StringComparison.Ordinal);
        if (liveRestore)
        {
            Assert.Contains("it has live-restore on, so this run's containers and their tools run on while it is down, but the tools' output streams to this run are cut", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("stops every container", e.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("it has no live-restore, so it stops every container when it stops: this run's containers are stopped or gone", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("run on while it is down", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_engine_whose_live_restore_setting_was_never_read_is_said_to_have_stopped_or_kept_the_containers()
    {
        var fake = new FakeDockerEngine(Healthy);
        using var engine = new TestcontainersEngine(fake.Endpoint);
        await engine.ListContainersAsync(cancellationToken: Token);
        await fake.DisposeAsync();

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.ListContainersAsync(cancellationToken: Token));

        Assert.Contains("an engine without live-restore stops every container when it stops (one with live-restore keeps them running)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_capability_probe_of_an_engine_at_another_address_that_does_not_answer_says_to_start_that_engine_not_scripts_setup_sh()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"netperf-no-engine-{Guid.NewGuid():N}.sock");
        using var engine = new TestcontainersEngine("unix://" + socket);

        var probe = await NetPerf.Testbeds.CapabilityCheck.ProbeAsync(engine, "netperf-tools:x", Token);

        Assert.Null(probe.Engine);
        Assert.StartsWith($"the Docker engine at 'unix://{socket}' does not answer (", probe.EngineProblem, StringComparison.Ordinal);
        Assert.Contains($"Is the engine at 'unix://{socket}' running? Start it there", probe.EngineProblem, StringComparison.Ordinal);
        Assert.DoesNotContain("scripts/setup.sh", probe.EngineProblem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hint_names_scripts_setup_sh_only_for_the_local_engine_it_manages_and_otherwise_the_engine_to_start()
    {
        const string remote = "tcp://10.0.0.2:2376";
        var second = $"unix://{Path.Combine(NetPerf.Testbeds.Cluster.NamespacedEngine.StateRoot, "ab12c", "docker.sock")}";

        foreach (var local in new[] { TestcontainersEngine.DefaultEndpoint, "unix:///run/docker.sock" })
        {
            Assert.Contains("Start the engine again (scripts/setup.sh starts the local one)", TestcontainersEngine.WentAwayHint(local, false), StringComparison.Ordinal);
            Assert.Contains("Run scripts/setup.sh to install and start it", TestcontainersEngine.SetupHint(local), StringComparison.Ordinal);
        }

        Assert.Contains($"Start the engine at '{remote}' again", TestcontainersEngine.WentAwayHint(remote, true), StringComparison.Ordinal);
        Assert.Contains($"Is the engine at '{remote}' running? Start it there", TestcontainersEngine.SetupHint(remote), StringComparison.Ordinal);

        var ns = $"a second engine NetPerf started in network namespace 'npab12cns' (its log: '{Path.Combine(NetPerf.Testbeds.Cluster.NamespacedEngine.StateRoot, "ab12c", "dockerd.log")}')";
        Assert.Contains($"Start the engine again: it is {ns}, which only the run that started it starts again", TestcontainersEngine.WentAwayHint(second, null), StringComparison.Ordinal);
        Assert.Contains($"It is {ns}", TestcontainersEngine.SetupHint(second), StringComparison.Ordinal);

        foreach (var endpoint in new[] { remote, second, "unix:///tmp/other/docker.sock" })
        {
            foreach (var liveRestore in new bool?[] { true, false, null })
                Assert.DoesNotContain("scripts/setup.sh", TestcontainersEngine.WentAwayHint(endpoint, liveRestore), StringComparison.Ordinal);
            Assert.DoesNotContain("scripts/setup.sh", TestcontainersEngine.SetupHint(endpoint), StringComparison.Ordinal);
        }
        // A socket with the same name elsewhere is not taken for NetPerf's second engine.
        Assert.Null(NetPerf.Testbeds.Cluster.NamespacedEngine.Describe("unix:///tmp/engines/ab12c/docker.sock"));
    }

    [Fact]
    public async Task A_request_whose_connection_the_engine_closes_unanswered_fails_naming_the_engine_not_with_the_clients_bare_message()
    {
        await using var fake = new FakeDockerEngine(r => r.Method == "DELETE" ? new FakeResponse(0, [], Drop: true) : Healthy(r));
        using var engine = new TestcontainersEngine(fake.Endpoint);
        await engine.ListContainersAsync(cancellationToken: Token);
        ReliabilityLedger.Faults("1. Faults", "an engine that closes the connection of a request without an answer (stopped under it)", 1, null);

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.RemoveContainerAsync("c0ffee", Token));

        Assert.True(e.EngineUnreachable);
        Assert.DoesNotContain("see inner exception", e.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot reach the engine at '{engine.Endpoint}': the connection ended before the engine answered", e.Message, StringComparison.Ordinal);
        Assert.Contains("It answered earlier in this run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_error_that_is_not_a_lost_connection_is_still_retried_for_the_window()
    {
        var refusals = 0;
        await using var fake = new FakeDockerEngine(r =>
            r.Method == "DELETE" && Interlocked.Increment(ref refusals) <= 2
                ? FakeResponse.Json(500, """{"message":"error while removing network: network np-net id 1 has been removed"}""")
                : Healthy(r));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        await NetworkRemoval.RemoveAsync(engine, "np-net", "np-net", TimeSpan.FromSeconds(30), Token);

        Assert.Equal(3, refusals);
    }
}
