using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Testbeds;

/// <summary>Users' own containers: validation, NetPerf's environment, and what reaches the engine's spec.</summary>
public class OwnContainerTests
{
    [Fact]
    public void NetPerf_tells_servers_their_port_and_clients_also_their_servers_address()
    {
        var server = OwnContainer.NetPerfEnvironment(new NodeSlot(NodeRole.Server, 2), 5203, null);
        var client = OwnContainer.NetPerfEnvironment(new NodeSlot(NodeRole.Client, 2, "abc"), 5203, "10.1.2.3");

        Assert.Equal("server", server["NETPERF_ROLE"]);
        Assert.Equal("2", server["NETPERF_PAIR"]);
        Assert.Equal("5203", server["NETPERF_PORT"]);
        Assert.False(server.ContainsKey("NETPERF_SERVER_ADDRESS"));
        Assert.Equal("client", client["NETPERF_ROLE"]);
        Assert.Equal("10.1.2.3", client["NETPERF_SERVER_ADDRESS"]);
    }

    [Fact]
    public void Own_settings_are_kept_and_bad_ones_are_refused_with_the_reason()
    {
        var own = new OwnContainer("my/server:1")
            .WithCommand("serve", "--port", "8080")
            .WithEntrypoint("/entry.sh")
            .WithEnvironment("MODE", "fast")
            .WithFile("/etc/app.conf", "x=1")
            .WaitUntilPortIsListening()
            .WithStartTimeout(TimeSpan.FromSeconds(5));

        Assert.Equal(["serve", "--port", "8080"], own.Command);
        Assert.Equal(["/entry.sh"], own.Entrypoint!.Value);
        Assert.Equal("fast", own.Environment["MODE"]);
        Assert.Equal("x=1"u8.ToArray(), own.Files["/etc/app.conf"]);
        Assert.NotNull(own.WaitStrategy!(5201));
        Assert.Equal(TimeSpan.FromSeconds(5), own.StartTimeout);
        Assert.Contains("NETPERF_", Assert.Throws<ArgumentException>(() => own.WithEnvironment("NETPERF_PORT", "1")).Message, StringComparison.Ordinal);
        Assert.Contains("'='", Assert.Throws<ArgumentException>(() => own.WithEnvironment("A=B", "1")).Message, StringComparison.Ordinal);
        Assert.Contains("not absolute", Assert.Throws<ArgumentException>(() => own.WithFile("etc/x", "")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new OwnContainer(" "));
    }

    [Fact]
    public void The_engine_spec_carries_entrypoint_environment_files_and_wait_strategy()
    {
        var wait = DotNet.Testcontainers.Builders.Wait.ForUnixContainer();
        var spec = new ContainerBuilder()
            .WithImage("my/server:1")
            .WithEntrypoint("sh", "-c")
            .WithCommand("exec serve")
            .WithEnvironment("MODE", "fast")
            .WithFile("/etc/app.conf", [1, 2, 3])
            .WithWaitStrategy(wait)
            .WithStartTimeout(TimeSpan.FromSeconds(7))
            .Build();

        Assert.Equal(["sh", "-c"], spec.Entrypoint);
        Assert.Equal("fast", spec.Environment["MODE"]);
        Assert.Equal([1, 2, 3], spec.Files["/etc/app.conf"]);
        Assert.Same(wait, spec.WaitStrategy);
        Assert.Equal(TimeSpan.FromSeconds(7), spec.StartTimeout);
        var e = Assert.Throws<InvalidOperationException>(() => new ContainerBuilder().WithImage("x").WithFile("rel/path", []).WithEnvironment("A=B", "1").Build());
        Assert.Contains("file path 'rel/path' is not absolute", e.Message, StringComparison.Ordinal);
        Assert.Contains("environment variable name 'A=B'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_testbed_takes_own_servers_and_clients()
    {
        var options = new TestbedBuilder().WithServers(new OwnContainer("srv:1")).WithClients(new OwnContainer("cli:1")).BuildOptions();

        Assert.Equal("srv:1", options.Servers!.Image);
        Assert.Equal("cli:1", options.Clients!.Image);
    }

    [Fact]
    public void Own_containers_survive_a_later_ConfigureTestbed_and_pinning()
    {
        var definition = Experiment.For(new ExperimentCell("Own", Driver.Bridge, 1))
            .WithServers(new OwnContainer("srv:1"))
            .WithClients(new OwnContainer("cli:1"))
            .ConfigureTestbed(b => b.WithMtu(1400))
            .Pin(CpuPinning.DifferentCores)
            .Run(Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)))
            .ToDefinition();

        var options = definition.ConfigureTestbed!(new TestbedBuilder()).BuildOptions();

        Assert.Equal("srv:1", options.Servers!.Image);
        Assert.Equal("cli:1", options.Clients!.Image);
        Assert.Equal(1400, options.Mtu);
        Assert.NotNull(options.Cpuset);
    }
}
