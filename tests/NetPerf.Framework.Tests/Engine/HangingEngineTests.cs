using System.Diagnostics;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Engine;

/// <summary>
/// An engine that accepts a call and never answers (a wedged dockerd): every call path must give up within
/// <see cref="TestcontainersEngine.CallTimeout"/> with an exception naming the operation, and must stop at once when the
/// caller cancels. Against <see cref="FakeDockerEngine"/> (no Docker needed).
/// </summary>
public sealed class HangingEngineTests
{
    private static readonly TimeSpan ShortCallTimeout = TimeSpan.FromSeconds(1);

    // The bound a timed-out call must meet: its timeout plus slack for a loaded 2-core machine.
    private static readonly TimeSpan TimeoutBound = TimeSpan.FromSeconds(5);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A healthy 20.10 engine, except that requests whose path contains <paramref name="hangOn"/> (after the version prefix) never get an answer.</summary>
    private static Func<FakeRequest, FakeResponse> HangingOn(string hangOn) => r =>
    {
        var path = r.Target.Split('?')[0];
        if (path.Contains(hangOn, StringComparison.Ordinal)) return new FakeResponse(200, [], Hang: true);
        if (path.EndsWith("/version", StringComparison.Ordinal)) return FakeResponse.Json(200, """{"Version":"20.10.24","ApiVersion":"1.41","KernelVersion":"6.1"}""");
        if (path.Contains("/images/netperf-tools", StringComparison.Ordinal)) return FakeResponse.Json(200, """{"Id":"sha256:0123","RepoTags":["netperf-tools:1"]}""");
        if (path.Contains("/images/", StringComparison.Ordinal)) return FakeResponse.Json(404, """{"message":"No such image"}""");
        return FakeResponse.Json(200, "[]");
    };

    public static TheoryData<string, string, string> Calls => new()
    {
        // call, path that hangs, what the message must name
        { "list containers", "/containers/json", "GET /containers/json (label 'netperf.session=abcde')" },
        { "inspect container", "/containers/c0ffee/json", "GET /containers/{id}/json (container 'c0ffee')" },
        { "remove container", "/containers/c0ffee", "DELETE /containers/{id} (container 'c0ffee')" },
        { "list networks", "/networks", "GET /networks (label 'netperf.session=abcde')" },
        { "remove network", "/networks/np-net", "DELETE /networks/{id} (network 'np-net')" },
        { "image exists", "/images/netperf-tools", "GET /images/{name}/json (image 'netperf-tools:1')" },
        { "image id", "/images/netperf-tools", "GET /images/{name}/json (image 'netperf-tools:1')" },
        { "engine info", "/info", "GET /version and /info" },
        { "exec detached", "/containers/c0ffee/exec", "detached exec 'iperf3 -s' in container 'c0ffee'" },
        { "exec", "/containers/c0ffee/exec", "Command 'iperf3 -s' in container 'c0ffee' did not exit within 1 s" },
        { "create network", "/networks/create", "POST /networks/create (network 'np-net', driver 'bridge')" },
        { "create and start container", "/containers/create", "create and start container 'np-c0' (image 'netperf-tools:1')" },
        { "version at first contact", "/version", "GET /version" },
        { "reaper image at first contact", "/images/testcontainers/ryuk", "GET /images/{name}/json (image 'testcontainers/ryuk:0.14.0')" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_call_the_engine_never_answers_times_out_naming_the_operation(string call, string hangOn, string operation)
    {
        await using var fake = new FakeDockerEngine(HangingOn(hangOn));
        using var engine = new TestcontainersEngine(fake.Endpoint) { CallTimeout = ShortCallTimeout };
        ReliabilityLedger.Faults("1. Faults", "an engine call that never answers (its timeout ends it)", 1, null);
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Call(engine, call, Token).WaitAsync(TimeSpan.FromSeconds(30), Token));

        watch.Stop();
        Assert.True(watch.Elapsed < TimeoutBound, $"'{call}' gave up after {watch.Elapsed.TotalSeconds:0.00} s; its timeout is {ShortCallTimeout.TotalSeconds} s.");
        Assert.True(watch.Elapsed >= ShortCallTimeout - TimeSpan.FromMilliseconds(50), $"'{call}' gave up after {watch.Elapsed.TotalSeconds:0.00} s, before its timeout: it did not wait for the engine.");
        Assert.Contains(operation, e.Message, StringComparison.Ordinal);
        if (call != "exec")
        {
            Assert.Contains("did not finish within 1 s", e.Message, StringComparison.Ordinal);
            Assert.Contains(fake.Endpoint, e.Message, StringComparison.Ordinal);
        }
        Assert.Contains(fake.Requests, r => r.Target.Contains(hangOn, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_call_the_engine_never_answers_stops_when_the_caller_cancels(string call, string hangOn, string operation)
    {
        _ = operation;
        await using var fake = new FakeDockerEngine(HangingOn(hangOn));
        // The call's own timeout (60 s by default) is far away: only the token can end it in time.
        using var engine = new TestcontainersEngine(fake.Endpoint);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        ReliabilityLedger.Faults("1. Faults", "an engine call that never answers (the caller cancels)", 1, null);
        var task = Call(engine, call, cancel.Token);
        var watch = Stopwatch.StartNew();
        while (!fake.Requests.Any(r => r.Target.Contains(hangOn, StringComparison.Ordinal)) && watch.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(10, Token);
        Assert.Contains(fake.Requests, r => r.Target.Contains(hangOn, StringComparison.Ordinal));

        watch.Restart();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromSeconds(30), Token));

        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"'{call}' took {watch.Elapsed.TotalSeconds:0.00} s to stop after its token was cancelled.");
    }

    private static Task Call(TestcontainersEngine engine, string call, CancellationToken ct) => call switch
    {
        "list containers" => engine.ListContainersAsync("netperf.session=abcde", ct),
        "inspect container" => engine.InspectContainerAsync("c0ffee", ct),
        "remove container" => engine.RemoveContainerAsync("c0ffee", ct),
        "list networks" => engine.ListNetworksAsync("netperf.session=abcde", ct),
        "remove network" => engine.RemoveNetworkAsync("np-net", ct),
        "image exists" => engine.ImageExistsAsync("netperf-tools:1", ct),
        "image id" => engine.GetImageIdAsync("netperf-tools:1", ct),
        "engine info" => engine.GetInfoAsync(ct),
        "exec detached" => engine.ExecDetachedAsync("c0ffee", ["iperf3", "-s"], ct),
        // Exec takes its own timeout (a tool may run for minutes), here the same 1 s.
        "exec" => engine.ExecAsync("c0ffee", ["iperf3", "-s"], ShortCallTimeout, ct),
        "create network" => engine.CreateNetworkAsync(new NetworkSpec("np-net", "bridge", null, null, new Dictionary<string, string>(), new Dictionary<string, string>(), false, false), ct),
        "create and start container" => engine.RunContainerAsync(new ContainerBuilder().WithName("np-c0").WithImage("netperf-tools:1").WithCommand("sleep", "infinity").Build(), ct),
        "version at first contact" or "reaper image at first contact" => engine.ListContainersAsync(cancellationToken: ct),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, "no such call in this test"),
    };
}
