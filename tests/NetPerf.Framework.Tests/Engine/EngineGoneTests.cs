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
        Assert.Contains("Start the engine again", e.Message, StringComparison.Ordinal);
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
