using System.Text;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

/// <summary>The engine's API version negotiation and errors against a fake engine (no Docker needed).</summary>
public class TestcontainersEngineTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static FakeResponse Ok(string json) => FakeResponse.Json(200, json);

    private static Func<FakeRequest, FakeResponse> Engine(string apiVersion) => r =>
        r.Target.EndsWith("/version", StringComparison.Ordinal)
            ? Ok($$"""{"Version":"99.0.0","ApiVersion":"{{apiVersion}}","KernelVersion":"6.18"}""")
            : r.Target.Contains("/images/", StringComparison.Ordinal) ? FakeResponse.Json(404, """{"message":"No such image"}""")
            : Ok("[]");

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.43", "1.43")]
    [InlineData("1.44", "1.44")]
    [InlineData("1.47", "1.44")]
    [InlineData("2.0", "1.44")]
    public async Task Calls_use_the_engines_version_capped_at_the_highest_both_sides_speak(string engineVersion, string used)
    {
        await using var fake = new FakeDockerEngine(Engine(engineVersion));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        await engine.ListContainersAsync(cancellationToken: Token);

        Assert.Equal(used, await engine.GetApiVersionAsync(Token));
        // The version is read without a prefix, then every call goes to the negotiated version.
        Assert.Contains(fake.Requests, r => r.Target == "/version");
        Assert.Contains(fake.Requests, r => r.Target.StartsWith($"/v{used}/containers/json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_engine_older_than_the_minimum_is_refused_with_what_to_do()
    {
        await using var fake = new FakeDockerEngine(Engine("1.40"));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.ListContainersAsync(cancellationToken: Token));

        Assert.Contains("speaks Docker API 1.40, older than 1.41", e.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade the engine", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Requests, r => r.Target.Contains("containers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_engine_error_carries_the_operation_status_and_the_engines_message()
    {
        await using var fake = new FakeDockerEngine(r => r.Target.EndsWith("/version", StringComparison.Ordinal)
            ? Ok("""{"Version":"20.10.24","ApiVersion":"1.41"}""")
            : r.Target.Contains("/containers/", StringComparison.Ordinal) ? FakeResponse.Json(409, """{"message":"container is paused"}""")
            : FakeResponse.Json(404, """{"message":"No such image"}"""));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.InspectContainerAsync("abc", Token));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, e.StatusCode);
        Assert.Equal("container is paused", e.EngineMessage);
        Assert.Contains("GET /containers/{id}/json (container 'abc')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_engine_says_how_to_fix_it()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"netperf-no-engine-{Guid.NewGuid():N}.sock");
        using var engine = new TestcontainersEngine("unix://" + socket);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => engine.GetInfoAsync(Token));

        // Not the local engine scripts/setup.sh manages: the message names the engine to start instead.
        Assert.Contains($"Is the engine at 'unix://{socket}' running? Start it there", e.Message, StringComparison.Ordinal);
        Assert.Contains(socket, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_lookups_answer_false_for_a_missing_image()
    {
        await using var fake = new FakeDockerEngine(Engine("1.41"));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        Assert.False(await engine.ImageExistsAsync("netperf-no-such-image:0", Token));
        Assert.Contains(fake.Requests, r => r.Target.StartsWith("/v1.41/images/netperf-no-such-image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Force_disconnect_inspects_the_network_and_disconnects_every_endpoint_it_lists_with_force()
    {
        await using var fake = new FakeDockerEngine(r =>
            r.Target.EndsWith("/version", StringComparison.Ordinal) ? Ok("""{"Version":"20.10.24","ApiVersion":"1.41"}""")
            : r.Target.Contains("/images/", StringComparison.Ordinal) ? FakeResponse.Json(404, """{"message":"No such image"}""")
            : r is { Method: "GET", Target: "/v1.41/networks/np-x" }
                ? Ok("""{"Name":"np-x","Id":"0377abc","Containers":{"4f1e":{"Name":"np-x-s0","EndpointID":"e1"},"ep-9c2d":{"Name":"np-x-c0","EndpointID":"9c2d"},"7a0b":{"Name":"np-x-c1","EndpointID":"e3"}}}""")
            : r is { Method: "POST", Target: "/v1.41/networks/0377abc/disconnect" }
                ? r.Body.Contains("np-x-c1", StringComparison.Ordinal) ? FakeResponse.Json(404, """{"message":"No such container"}""") : Ok("")
            : FakeResponse.Json(404, """{"message":"No such network"}"""));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        var disconnected = await engine.ForceDisconnectEndpointsAsync("np-x", Token);

        // The endpoint a removed container left ("ep-" key) is named by its endpoint name; one gone meanwhile (404) is skipped.
        Assert.Equal(["np-x-s0", "np-x-c0"], disconnected.Order(StringComparer.Ordinal).Reverse());
        var posts = fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(3, posts.Count);
        Assert.All(posts, p => Assert.Contains("\"Force\":true", p.Body, StringComparison.Ordinal));
        Assert.Contains(posts, p => p.Body.Contains("\"Container\":\"np-x-c0\"", StringComparison.Ordinal));
        Assert.Empty(await engine.ForceDisconnectEndpointsAsync("np-gone", Token));
    }

    [Fact]
    public async Task Network_use_reads_the_scope_and_endpoints_of_the_network_and_the_containers_on_it_by_its_id()
    {
        await using var fake = new FakeDockerEngine(r =>
            r.Target.EndsWith("/version", StringComparison.Ordinal) ? Ok("""{"Version":"20.10.24","ApiVersion":"1.41"}""")
            : r.Target.Contains("/images/", StringComparison.Ordinal) ? FakeResponse.Json(404, """{"message":"No such image"}""")
            : r is { Method: "GET", Target: "/v1.41/networks/np-x" }
                ? Ok("""{"Name":"np-x","Id":"0377abc","Scope":"local","Containers":{"ep-9c2d":{"Name":"np-x-c0","EndpointID":"9c2d"}}}""")
            : r is { Method: "GET", Target: "/v1.41/networks/np-empty" } ? Ok("""{"Name":"np-empty","Id":"0377def","Scope":"local","Containers":{}}""")
            : r.Method == "GET" && r.Target.StartsWith("/v1.41/containers/json", StringComparison.Ordinal)
                ? Ok(Uri.UnescapeDataString(r.Target).Contains("0377abc", StringComparison.Ordinal) ? """[{"Id":"c0ffee","Names":["/np-x-s0"],"State":"removing"}]""" : "[]")
            : FakeResponse.Json(404, """{"message":"No such network"}"""));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        var use = await engine.InspectNetworkUseAsync("np-x", Token);
        var empty = await engine.InspectNetworkUseAsync("np-empty", Token);

        Assert.NotNull(use);
        Assert.Equal("local", use.Scope);
        Assert.Equal(["np-x-c0"], use.Endpoints);
        Assert.Equal(["c0ffee"], use.Containers);
        // Every container in any state (one still being removed) that names the network by its id.
        var list = Uri.UnescapeDataString(fake.Requests.First(r => r.Target.StartsWith("/v1.41/containers/json", StringComparison.Ordinal)).Target);
        Assert.Contains("all=", list, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"network\":{\"0377abc\":true}", list, StringComparison.Ordinal);
        Assert.Equal("local", empty?.Scope);
        Assert.Empty(empty!.Endpoints);
        Assert.Empty(empty.Containers);
        Assert.Null(await engine.InspectNetworkUseAsync("np-gone", Token));
    }

    [Fact]
    public async Task Removing_a_container_whose_removal_is_already_under_way_waits_until_it_is_gone()
    {
        int inspections = 0;
        await using var fake = new FakeDockerEngine(r =>
            r.Target.EndsWith("/version", StringComparison.Ordinal) ? Ok("""{"Version":"20.10.24","ApiVersion":"1.41"}""")
            : r.Method == "DELETE" ? FakeResponse.Json(409, """{"message":"removal of container c0ffee is already in progress"}""")
            : r.Target.Contains("/containers/c0ffee/json", StringComparison.Ordinal)
                ? (Interlocked.Increment(ref inspections) < 3 ? Ok("""{"Id":"c0ffee","State":{"Running":false}}""") : FakeResponse.Json(404, """{"message":"No such container: c0ffee"}"""))
            : FakeResponse.Json(404, """{"message":"No such image"}"""));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        await engine.RemoveContainerAsync("c0ffee", Token);

        // Returned only once the engine said the container is gone (the third look).
        Assert.Equal(3, inspections);
    }

    [Fact]
    public async Task A_removal_under_way_that_never_ends_is_a_timeout_naming_the_container_and_what_to_do()
    {
        await using var fake = new FakeDockerEngine(r =>
            r.Target.EndsWith("/version", StringComparison.Ordinal) ? Ok("""{"Version":"20.10.24","ApiVersion":"1.41"}""")
            : r.Method == "DELETE" ? FakeResponse.Json(409, """{"message":"removal of container c0ffee is already in progress"}""")
            : r.Target.Contains("/containers/c0ffee/json", StringComparison.Ordinal) ? Ok("""{"Id":"c0ffee","State":{"Running":false}}""")
            : FakeResponse.Json(404, """{"message":"No such image"}"""));
        using var engine = new TestcontainersEngine(fake.Endpoint) { CallTimeout = TimeSpan.FromSeconds(1) };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<TimeoutException>(() => engine.RemoveContainerAsync("c0ffee", Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"gave up after {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("Container 'c0ffee' was being removed by another request", e.Message, StringComparison.Ordinal);
        Assert.Contains("docker rm -f c0ffee", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_conflict_on_removal_is_still_an_engine_error()
    {
        await using var fake = new FakeDockerEngine(r =>
            r.Target.EndsWith("/version", StringComparison.Ordinal) ? Ok("""{"Version":"20.10.24","ApiVersion":"1.41"}""")
            : r.Method == "DELETE" ? FakeResponse.Json(409, """{"message":"You cannot remove a running container c0ffee"}""")
            : FakeResponse.Json(404, """{"message":"No such image"}"""));
        using var engine = new TestcontainersEngine(fake.Endpoint);

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.RemoveContainerAsync("c0ffee", Token));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, e.StatusCode);
        Assert.DoesNotContain(fake.Requests, r => r.Target.Contains("/containers/c0ffee/json", StringComparison.Ordinal));
    }
}
