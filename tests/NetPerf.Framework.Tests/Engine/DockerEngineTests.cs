using System.Net;
using System.Text.Json.Nodes;
using NetPerf.Testbeds.Engine;
using NetPerf.Workloads;

namespace NetPerf.Tests.Engine;

/// <summary>The client against a fake engine on a unix socket: negotiation, errors, timeouts, request shapes.</summary>
public class DockerEngineTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static FakeResponse Ok(string json = "{}") => FakeResponse.Json(200, json);

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.43", "1.43")]
    [InlineData("1.45", "1.45")]
    [InlineData("1.47", "1.45")]
    [InlineData("2.0", "1.45")]
    public async Task Calls_use_the_engines_version_capped_at_the_highest_supported(string engineVersion, string used)
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing(engineVersion, _ => Ok("[]")));
        using var engine = new DockerEngine(fake.Endpoint);

        await engine.ListContainersAsync(cancellationToken: Token);

        Assert.Equal(used, await engine.GetApiVersionAsync(Token));
        Assert.Contains(fake.Requests, r => r.Target.StartsWith($"/v{used}/containers/json?all=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_engine_older_than_the_minimum_is_refused_with_what_to_do()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.40", _ => Ok("[]")));
        using var engine = new DockerEngine(fake.Endpoint);

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.ListContainersAsync(cancellationToken: Token));

        Assert.Contains("speaks Docker API 1.40, older than 1.41", e.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade the engine", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Requests, r => r.Target.Contains("containers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_Api_Version_header_the_version_comes_from_the_version_endpoint()
    {
        await using var fake = new FakeDockerEngine(r => r.Target switch
        {
            "/_ping" => Ok("OK"),
            "/version" => Ok("""{"Version":"24.0.7","ApiVersion":"1.43"}"""),
            _ => Ok("[]"),
        });
        using var engine = new DockerEngine(fake.Endpoint);

        Assert.Equal("1.43", await engine.GetApiVersionAsync(Token));
    }

    [Fact]
    public async Task Negotiation_happens_once_for_many_parallel_calls()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => Ok("[]")));
        using var engine = new DockerEngine(fake.Endpoint);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => engine.ListNetworksAsync(cancellationToken: Token)));

        Assert.Single(fake.Requests, r => r.Target == "/_ping");
        Assert.Equal(30, fake.Requests.Count(r => r.Target == "/v1.41/networks"));
    }

    [Fact]
    public async Task An_engine_error_carries_operation_status_and_the_engines_message()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41",
            _ => FakeResponse.Json(409, """{"message":"Conflict. The container name \"/np-x\" is already in use"}""")));
        using var engine = new DockerEngine(fake.Endpoint);
        ContainerSpec spec = new ContainerBuilder().WithName("np-x").WithImage("img").Build();

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.CreateContainerAsync(spec, Token));

        Assert.Equal(HttpStatusCode.Conflict, e.StatusCode);
        Assert.Equal("Conflict. The container name \"/np-x\" is already in use", e.EngineMessage);
        Assert.Contains("container 'np-x'", e.Operation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_what_does_not_exist_is_not_an_error()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41",
            _ => FakeResponse.Json(404, """{"message":"No such container: gone"}""")));
        using var engine = new DockerEngine(fake.Endpoint);

        await engine.RemoveContainerAsync("gone", Token);
        await engine.RemoveNetworkAsync("gone", Token);
        Assert.False(await engine.ImageExistsAsync("gone:1", Token));

        Assert.Contains(fake.Requests, r => r is { Method: "DELETE", Target: "/v1.41/containers/gone?force=true&v=true" });
        Assert.Contains(fake.Requests, r => r is { Method: "DELETE", Target: "/v1.41/networks/gone" });
    }

    [Fact]
    public async Task An_unreachable_engine_says_how_to_fix_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"netperf-no-engine-{Guid.NewGuid():N}.sock");
        using var engine = new DockerEngine("unix://" + missing);

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.GetInfoAsync(Token));

        Assert.Null(e.StatusCode);
        Assert.Contains($"cannot reach the container engine at 'unix://{missing}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Is dockerd running? Run scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_past_the_timeout_throws_TimeoutException_naming_the_operation()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => new FakeResponse(200, [], Hang: true)));
        using var engine = new DockerEngine(fake.Endpoint, new DockerEngineOptions { CallTimeout = TimeSpan.FromMilliseconds(300) });

        var e = await Assert.ThrowsAsync<TimeoutException>(() => engine.StartContainerAsync("abc", Token));

        Assert.Contains("POST /containers/{id}/start (container 'abc')", e.Message, StringComparison.Ordinal);
        Assert.Contains("within 0.3 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => new FakeResponse(200, [], Hang: true)));
        using var engine = new DockerEngine(fake.Endpoint);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.StartContainerAsync("abc", cts.Token));
    }

    [Fact]
    public async Task Container_create_sends_the_spec_as_the_engine_expects()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => FakeResponse.Json(201, """{"Id":"c1","Warnings":[]}""")));
        using var engine = new DockerEngine(fake.Endpoint);
        ContainerSpec spec = new ContainerBuilder()
            .WithName("np-s0").WithImage("netperf-tools:x").WithCommand("sleep", "infinity").WithNetwork("np-net", "10.89.0.10")
            .WithLabel("netperf", "1").WithBind("/tmp/s", "/shared").WithCapability("NET_ADMIN").WithCpuset("0").WithCpus(0.5)
            .WithSysctl("net.core.somaxconn", "1024").Build();

        Assert.Equal("c1", await engine.CreateContainerAsync(spec, Token));

        FakeRequest request = Assert.Single(fake.Requests, r => r.Method == "POST");
        Assert.Equal("/v1.41/containers/create?name=np-s0", request.Target);
        JsonNode body = JsonNode.Parse(request.Body)!;
        Assert.Equal("netperf-tools:x", (string?)body["Image"]);
        Assert.Equal("infinity", (string?)body["Cmd"]![1]);
        Assert.Equal("1", (string?)body["Labels"]!["netperf"]);
        JsonNode host = body["HostConfig"]!;
        Assert.Equal("np-net", (string?)host["NetworkMode"]);
        Assert.Equal("/tmp/s:/shared", (string?)host["Binds"]![0]);
        Assert.Equal("NET_ADMIN", (string?)host["CapAdd"]![0]);
        Assert.Equal("0", (string?)host["CpusetCpus"]);
        Assert.Equal(500_000_000L, (long?)host["NanoCpus"]);
        Assert.Equal("1024", (string?)host["Sysctls"]!["net.core.somaxconn"]);
        Assert.False((bool?)host["AutoRemove"]);
        Assert.Equal("10.89.0.10", (string?)body["NetworkingConfig"]!["EndpointsConfig"]!["np-net"]!["IPAMConfig"]!["IPv4Address"]);
    }

    [Fact]
    public async Task Built_in_network_modes_send_no_endpoint_config()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => FakeResponse.Json(201, """{"Id":"c1"}""")));
        using var engine = new DockerEngine(fake.Endpoint);

        await engine.CreateContainerAsync(new ContainerBuilder().WithImage("i").WithNetworkMode("host").Build(), Token);

        JsonNode body = JsonNode.Parse(Assert.Single(fake.Requests, r => r.Method == "POST").Body)!;
        Assert.Null(body["NetworkingConfig"]);
        Assert.Null(body["Cmd"]);
        Assert.Equal("host", (string?)body["HostConfig"]!["NetworkMode"]);
    }

    [Fact]
    public async Task Network_create_sends_ipam_options_labels_and_flags()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => FakeResponse.Json(201, """{"Id":"n1","Warning":""}""")));
        using var engine = new DockerEngine(fake.Endpoint);
        NetworkSpec spec = new NetworkBuilder().WithName("np-net").WithSubnet("10.89.0.0/24", "10.89.0.1")
            .WithOption("com.docker.network.driver.mtu", "9000").WithLabel("netperf", "1").WithAttachable().Build();

        Assert.Equal("n1", await engine.CreateNetworkAsync(spec, Token));

        FakeRequest request = Assert.Single(fake.Requests, r => r.Method == "POST");
        Assert.Equal("/v1.41/networks/create", request.Target);
        JsonNode body = JsonNode.Parse(request.Body)!;
        Assert.Equal("np-net", (string?)body["Name"]);
        Assert.Equal("bridge", (string?)body["Driver"]);
        Assert.True((bool?)body["CheckDuplicate"]);
        Assert.True((bool?)body["Attachable"]);
        Assert.False((bool?)body["Internal"]);
        Assert.Equal("9000", (string?)body["Options"]!["com.docker.network.driver.mtu"]);
        Assert.Equal("1", (string?)body["Labels"]!["netperf"]);
        Assert.Equal("10.89.0.0/24", (string?)body["IPAM"]!["Config"]![0]!["Subnet"]);
        Assert.Equal("10.89.0.1", (string?)body["IPAM"]!["Config"]![0]!["Gateway"]);
    }

    [Fact]
    public async Task Label_filters_are_sent_as_the_engines_filters_json()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => Ok("""
            [{"Id":"n1","Name":"np-net","Driver":"bridge","IPAM":{"Config":[{"Subnet":"10.89.0.0/24"}]},"Labels":{"netperf":"1"}}]
            """)));
        using var engine = new DockerEngine(fake.Endpoint);

        NetworkSummary network = Assert.Single(await engine.ListNetworksAsync("netperf=1", Token));

        Assert.Equal(new NetworkSummary("n1", "np-net", "bridge", network.Subnets, network.Labels), network);
        Assert.Equal(["10.89.0.0/24"], network.Subnets);
        Assert.Contains(fake.Requests, r => r.Target == "/v1.41/networks?filters=" + Uri.EscapeDataString("""{"label":["netperf=1"]}"""));
    }

    [Fact]
    public async Task Inspect_reads_pid_state_and_addresses()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", _ => Ok("""
            {"Id":"c1full","Name":"/np-s0","State":{"Running":true,"Pid":4242},
             "NetworkSettings":{"Networks":{"np-net":{"IPAddress":"10.89.0.10"},"host":{"IPAddress":""}}}}
            """)));
        using var engine = new DockerEngine(fake.Endpoint);

        ContainerDetails details = await engine.InspectContainerAsync("c1", Token);

        Assert.Equal("c1full", details.Id);
        Assert.Equal("np-s0", details.Name);
        Assert.True(details.Running);
        Assert.Equal(4242, details.Pid);
        Assert.Equal(new Dictionary<string, string> { ["np-net"] = "10.89.0.10" }, details.IpAddresses);
    }

    [Fact]
    public async Task Exec_reads_the_raw_stream_to_the_end_and_then_the_exit_code()
    {
        byte[] raw = [.. MultiplexedStreamTests.Frame(1, "hi\n"), .. MultiplexedStreamTests.Frame(2, "err\n")];
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", r => r.Target switch
        {
            "/v1.41/containers/c1/exec" => FakeResponse.Json(201, """{"Id":"e1"}"""),
            "/v1.41/exec/e1/start" => new FakeResponse(200, raw,
                new Dictionary<string, string> { ["Content-Type"] = "application/vnd.docker.raw-stream" }, NoLength: true),
            "/v1.41/exec/e1/json" => Ok("""{"Running":false,"ExitCode":3}"""),
            _ => FakeResponse.Json(404, """{"message":"unexpected"}"""),
        }));
        using var engine = new DockerEngine(fake.Endpoint);

        CommandResult result = await engine.ExecAsync("c1", ["sh", "-c", "echo hi; echo err >&2; exit 3"], TimeSpan.FromSeconds(10), Token);

        Assert.Equal(new CommandResult(3, "hi\n", "err\n", result.Elapsed), result);
        JsonNode create = JsonNode.Parse(fake.Requests.Single(r => r.Target.EndsWith("/exec", StringComparison.Ordinal)).Body)!;
        Assert.True((bool?)create["AttachStdout"]);
        Assert.True((bool?)create["AttachStderr"]);
        Assert.False((bool?)create["Tty"]);
        JsonNode start = JsonNode.Parse(fake.Requests.Single(r => r.Target.EndsWith("/start", StringComparison.Ordinal)).Body)!;
        Assert.False((bool?)start["Detach"]);
    }

    [Fact]
    public async Task Exec_whose_stream_breaks_mid_frame_throws_EngineException_with_the_decoder_message()
    {
        byte[] raw = MultiplexedStreamTests.Frame(1, "0123456789")[..^3];
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", r => r.Target switch
        {
            "/v1.41/containers/c1/exec" => FakeResponse.Json(201, """{"Id":"e1"}"""),
            "/v1.41/exec/e1/start" => new FakeResponse(200, raw, NoLength: true),
            _ => Ok("""{"Running":false,"ExitCode":0}"""),
        }));
        using var engine = new DockerEngine(fake.Endpoint);

        var e = await Assert.ThrowsAsync<EngineException>(() => engine.ExecAsync("c1", ["true"], TimeSpan.FromSeconds(10), Token));

        Assert.Contains("announced 10 bytes of stdout but only 7 arrived", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detached_exec_starts_with_Detach_true_and_attaches_nothing()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", r => r.Target switch
        {
            "/v1.41/containers/c1/exec" => FakeResponse.Json(201, """{"Id":"e1"}"""),
            _ => Ok(""),
        }));
        using var engine = new DockerEngine(fake.Endpoint);

        await engine.ExecDetachedAsync("c1", ["nc", "-l", "-p", "5000"], Token);

        JsonNode create = JsonNode.Parse(fake.Requests.Single(r => r.Target.EndsWith("/exec", StringComparison.Ordinal)).Body)!;
        Assert.False((bool?)create["AttachStdout"]);
        JsonNode start = JsonNode.Parse(fake.Requests.Single(r => r.Target == "/v1.41/exec/e1/start").Body)!;
        Assert.True((bool?)start["Detach"]);
    }

    [Fact]
    public async Task Info_combines_version_and_info()
    {
        await using var fake = new FakeDockerEngine(FakeDockerEngine.WithPing("1.41", r => r.Target switch
        {
            "/v1.41/version" => Ok("""{"Version":"20.10.24+dfsg1","ApiVersion":"1.41","KernelVersion":"6.1.0"}"""),
            "/v1.41/info" => Ok("""{"KernelVersion":"6.1.0","OperatingSystem":"Debian GNU/Linux 12 (bookworm)","NCPU":2,"Swarm":{"LocalNodeState":"active"}}"""),
            _ => FakeResponse.Json(404, "{}"),
        }));
        using var engine = new DockerEngine(fake.Endpoint);

        EngineInfo info = await engine.GetInfoAsync(Token);

        Assert.Equal(new EngineInfo("20.10.24+dfsg1", "1.41", "6.1.0", "Debian GNU/Linux 12 (bookworm)", 2, true), info);
    }
}
