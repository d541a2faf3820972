using System.Diagnostics;
using System.Net;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

/// <summary>The client against the real engine: networks, containers, exec, errors, parallel creation.</summary>
[Trait("Category", "Integration")]
public sealed class TestcontainersEngineIntegrationTests(EngineIntegrationFixture fixture) : IClassFixture<EngineIntegrationFixture>
{
    private static readonly TimeSpan ExecTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TestcontainersEngine Engine => fixture.Engine;

    [Fact]
    public async Task Info_reports_a_negotiated_version_within_the_supported_range()
    {
        EngineInfo info = await Engine.GetInfoAsync(Token);

        Version api = Version.Parse(info.ApiVersion);
        Assert.InRange(api, Version.Parse(TestcontainersEngine.MinimumApiVersion), Version.Parse(TestcontainersEngine.MaximumApiVersion));
        Assert.NotEmpty(info.ServerVersion);
        Assert.NotEmpty(info.KernelVersion);
        Assert.True(info.Cpus > 0, $"the engine reported {info.Cpus} CPUs");
    }

    [Fact]
    public async Task The_tools_image_exists_and_has_an_id_and_a_missing_one_does_not()
    {
        Assert.True(await Engine.ImageExistsAsync(fixture.Image, Token));
        Assert.StartsWith("sha256:", await Engine.GetImageIdAsync(fixture.Image, Token), StringComparison.Ordinal);
        Assert.False(await Engine.ImageExistsAsync("netperf-no-such-image:0", Token));
    }

    [Fact]
    public async Task Exec_returns_stdout_stderr_and_the_exit_code()
    {
        CommandResult result = await Engine.ExecAsync(fixture.ServerId, ["sh", "-c", "echo hi; echo err >&2; exit 3"], ExecTimeout, Token);

        Assert.Equal("hi\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.True(result.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public async Task Exec_of_large_output_returns_all_of_it()
    {
        CommandResult result = await Engine.ExecAsync(fixture.ServerId, ["sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x"], ExecTimeout, Token);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1_000_000, result.Stdout.Length);
    }

    [Fact]
    public async Task Exec_past_its_timeout_throws_TimeoutException_naming_container_and_command()
    {
        var stopwatch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<TimeoutException>(
            () => Engine.ExecAsync(fixture.ServerId, ["sleep", "30"], TimeSpan.FromSeconds(1), Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"the timeout took {stopwatch.Elapsed.TotalSeconds:0.0} s to fire");
        Assert.Contains($"'sleep 30' in container '{fixture.ServerId}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("within 1 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("may still be running", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_bytes_sent_from_one_container_arrive_in_the_other()
    {
        const int Bytes = 100_000;
        string file = $"/tmp/received-{Guid.NewGuid():N}";
        await Engine.ExecDetachedAsync(fixture.ServerId, ["sh", "-c", $"nc -l -p 5000 > {file}"], Token);

        // The listener starts asynchronously: retry the sender until it connects.
        CommandResult sent = await RetryUntilAsync(
            () => Engine.ExecAsync(fixture.ClientId, ["sh", "-c", $"head -c {Bytes} /dev/zero | nc -N -w 5 {fixture.ServerAddress} 5000"], ExecTimeout, Token),
            r => r.Succeeded);
        Assert.True(sent.Succeeded, $"the sender failed: {sent}");

        // nc in the server writes the file until the sender's FIN arrives: wait for the full count.
        CommandResult counted = await RetryUntilAsync(
            () => Engine.ExecAsync(fixture.ServerId, ["sh", "-c", $"wc -c < {file}"], ExecTimeout, Token),
            r => r.Stdout.Trim() == Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), counted.Stdout.Trim());
    }

    [Fact]
    public async Task Inspect_reports_the_pid_the_running_state_and_the_fixed_address()
    {
        ContainerDetails details = await Engine.InspectContainerAsync(fixture.ServerId, Token);

        Assert.Equal(fixture.ServerId, details.Id);
        Assert.Equal($"np-test-{fixture.Session}-s", details.Name);
        Assert.True(details.Running);
        Assert.True(details.Pid > 0, $"pid {details.Pid}");
        Assert.True(File.Exists($"/proc/{details.Pid}/ns/net"), $"no network namespace at /proc/{details.Pid}/ns/net");
        Assert.Equal(new Dictionary<string, string> { [fixture.NetworkName] = fixture.ServerAddress }, details.IpAddresses);
    }

    [Fact]
    public async Task Listing_by_label_finds_this_runs_network_and_containers()
    {
        NetworkSummary network = Assert.Single(await Engine.ListNetworksAsync(fixture.SessionLabel, Token));
        Assert.Equal(fixture.NetworkId, network.Id);
        Assert.Equal(fixture.NetworkName, network.Name);
        Assert.Equal("bridge", network.Driver);
        Assert.Equal([fixture.Subnet], network.Subnets);

        IReadOnlyList<ContainerSummary> containers = await Engine.ListContainersAsync(fixture.SessionLabel, Token);
        Assert.Contains(containers, c => c.Id == fixture.ServerId && c.State == "running" && c.Labels["netperf"] == "1");
        Assert.Contains(containers, c => c.Id == fixture.ClientId);
    }

    [Fact]
    public async Task Creating_a_container_from_a_missing_image_throws_the_engines_message()
    {
        ContainerSpec spec = fixture.Container.WithName($"np-test-{fixture.Session}-missing").WithImage("netperf-no-such-image:0").Build();
        string? created = null;
        try
        {
            var e = await Assert.ThrowsAsync<EngineException>(async () => created = await Engine.RunContainerAsync(spec, Token));

            Assert.Contains("netperf-no-such-image", e.Message, StringComparison.Ordinal);
            Assert.Contains("create and start container", e.Message, StringComparison.Ordinal);
            // Nothing of it is left on the engine.
            Assert.DoesNotContain(await Engine.ListContainersAsync(fixture.SessionLabel, Token), c => c.Name.EndsWith("-missing", StringComparison.Ordinal));
        }
        finally
        {
            if (created is not null)
            {
                await Engine.RemoveContainerAsync(created, Token);
            }
        }
    }

    [Theory]
    [InlineData("host")]
    [InlineData("none")]
    public async Task Host_and_none_modes_really_switch_the_containers_networking(string mode)
    {
        // Testcontainers' WithNetwork("host"/"none") leaves a container on the default network; the engine must not.
        string id = await Engine.RunContainerAsync(fixture.Container.WithName($"np-test-{fixture.Session}-{mode}").WithNetworkMode(mode).Build(), Token);
        try
        {
            CommandResult inside = await Engine.ExecAsync(id, ["sh", "-c", "ls /sys/class/net"], ExecTimeout, Token);
            var interfaces = inside.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            Assert.Equal(0, inside.ExitCode);
            // docker0 lives only in the host's namespace (other tests add and remove veths there, so the full list moves).
            if (mode == "none")
                Assert.Equal(["lo"], interfaces);
            else
                Assert.Contains("docker0", interfaces);
            Assert.Empty((await Engine.InspectContainerAsync(id, Token)).IpAddresses);
        }
        finally
        {
            await Engine.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_containers_own_entrypoint_environment_and_wait_strategy_are_honoured()
    {
        // A user's container: its own entrypoint and environment, ready only once it has written its file.
        ContainerSpec spec = fixture.Container
            .WithName($"np-test-{fixture.Session}-own")
            .WithEntrypoint("sh", "-c")
            .WithCommand("sleep 1; echo \"$GREETING\" > /tmp/ready; exec sleep infinity")
            .WithEnvironment("GREETING", "hello from the user's container")
            .WithWaitStrategy(DotNet.Testcontainers.Builders.Wait.ForUnixContainer().UntilFileExists("/tmp/ready", DotNet.Testcontainers.Configurations.FileSystem.Container))
            .WithStartTimeout(TimeSpan.FromSeconds(30))
            .Build();
        var watch = Stopwatch.StartNew();
        string id = await Engine.RunContainerAsync(spec, Token);
        try
        {
            var elapsed = watch.Elapsed;
            CommandResult ready = await Engine.ExecAsync(id, ["cat", "/tmp/ready"], ExecTimeout, Token);

            Assert.Equal("hello from the user's container", ready.Stdout.Trim());
            Assert.True(elapsed >= TimeSpan.FromSeconds(1), $"start returned after {elapsed.TotalSeconds:0.##} s, before the file was written");
        }
        finally
        {
            await Engine.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_network_refused_for_an_attached_container_is_force_disconnected_and_then_removed()
    {
        using var subnet = await SubnetAllocator.ReserveAsync(Engine, Token);
        string name = $"np-test-{fixture.Session}-fd";
        string id = await Engine.CreateNetworkAsync(new NetworkBuilder().WithName(name).WithSubnet(subnet.Cidr, subnet.Gateway)
            .WithLabel("netperf", "1").WithLabel("netperf.session", fixture.Session).Build(), Token);
        string container = "";
        try
        {
            container = await Engine.RunContainerAsync(fixture.Container.WithName($"{name}-s").WithNetwork(name, subnet.Host(2)).Build(), Token);

            // The real engine's refusal is the one NetPerf answers with a forced disconnect.
            var refusal = await Assert.ThrowsAsync<EngineException>(() => Engine.RemoveNetworkAsync(id, Token));
            Assert.True(StaleEndpointsException.IsStaleEndpoints(refusal), refusal.Message);

            var disconnected = await NetworkRemoval.RemoveAsync(Engine, id, name, TimeSpan.Zero, Token);

            Assert.Equal([$"{name}-s"], disconnected);
            Assert.DoesNotContain(await Engine.ListNetworksAsync(fixture.SessionLabel, Token), n => n.Id == id);
            // The container itself is untouched: still running, now without that network.
            var details = await Engine.InspectContainerAsync(container, Token);
            Assert.True(details.Running);
            Assert.False(details.IpAddresses.ContainsKey(name));
        }
        finally
        {
            if (container.Length > 0) await Engine.RemoveContainerAsync(container, CancellationToken.None);
            await Engine.RemoveNetworkAsync(id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Removing_a_container_and_network_that_do_not_exist_is_not_an_error()
    {
        await Engine.RemoveContainerAsync($"np-test-{fixture.Session}-never", Token);
        await Engine.RemoveNetworkAsync($"np-test-{fixture.Session}-never", Token);
        await Assert.ThrowsAsync<EngineException>(() => Engine.InspectContainerAsync($"np-test-{fixture.Session}-never", Token));
    }

    [Fact]
    public async Task Twenty_containers_created_in_parallel_through_one_engine_all_run()
    {
        const int Count = 20;
        string label = $"netperf.parallel={Guid.NewGuid():N}";
        ContainerBuilder builder = fixture.Container.WithLabel("netperf.parallel", label["netperf.parallel=".Length..]).WithNetworkMode("none");
        try
        {
            string[] ids = await Task.WhenAll(Enumerable.Range(0, Count).Select(async i =>
            {
                return await Engine.RunContainerAsync(builder.WithName($"np-test-{fixture.Session}-p{i}").Build(), Token);
            }));

            ContainerDetails[] details = await Task.WhenAll(ids.Select(id => Engine.InspectContainerAsync(id, Token)));
            Assert.All(details, d => Assert.True(d.Running, $"container '{d.Name}' is not running"));
            Assert.Equal(Count, details.Select(d => d.Pid).Distinct().Count());
            Assert.Equal(Count, (await Engine.ListContainersAsync(label, Token)).Count);
        }
        finally
        {
            IReadOnlyList<ContainerSummary> left = await Engine.ListContainersAsync(label, CancellationToken.None);
            await Task.WhenAll(left.Select(c => Engine.RemoveContainerAsync(c.Id, CancellationToken.None)));
        }

        Assert.Empty(await Engine.ListContainersAsync(label, Token));
    }

    private static async Task<CommandResult> RetryUntilAsync(Func<Task<CommandResult>> run, Func<CommandResult, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            CommandResult result = await run();
            if (done(result) || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                return result;
            }

            await Task.Delay(100, Token);
        }
    }
}
