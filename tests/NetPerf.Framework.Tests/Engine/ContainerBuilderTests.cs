using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

public class ContainerBuilderTests
{
    private static readonly ContainerBuilder Base = new ContainerBuilder().WithImage("netperf-tools:test");

    [Fact]
    public void Each_With_returns_a_new_builder_and_leaves_the_original_unchanged()
    {
        ContainerBuilder named = Base.WithName("a").WithLabel("netperf", "1");
        ContainerBuilder renamed = named.WithName("b").WithLabel("role", "server");

        Assert.NotSame(named, renamed);
        ContainerSpec a = named.Build();
        ContainerSpec b = renamed.Build();
        Assert.Equal("a", a.Name);
        Assert.Equal(new Dictionary<string, string> { ["netperf"] = "1" }, a.Labels);
        Assert.Equal("b", b.Name);
        Assert.Equal(2, b.Labels.Count);
    }

    [Fact]
    public void Every_setting_reaches_the_spec()
    {
        ContainerSpec spec = Base
            .WithName("np-ab12-s0")
            .WithCommand("sleep", "infinity")
            .WithNetwork("np-net", "10.89.0.10")
            .WithLabel("netperf", "1")
            .WithBind("/tmp/shared", "/shared")
            .WithBind("/etc/hosts", "/host-hosts", readOnly: true)
            .WithCapability("NET_ADMIN")
            .WithCapability("CAP_NET_RAW")
            .WithCapability("NET_ADMIN")
            .WithCpuset("0,1")
            .WithCpus(1.5)
            .WithSysctl("net.ipv4.tcp_congestion_control", "cubic")
            .Build();

        Assert.Equal("np-ab12-s0", spec.Name);
        Assert.Equal("netperf-tools:test", spec.Image);
        Assert.Equal(["sleep", "infinity"], spec.Command);
        Assert.Equal("np-net", spec.NetworkMode);
        Assert.Equal("10.89.0.10", spec.IpAddress);
        Assert.Equal(["/tmp/shared:/shared", "/etc/hosts:/host-hosts:ro"], spec.Binds);
        Assert.Equal(["NET_ADMIN", "NET_RAW"], spec.CapAdd);
        Assert.Equal("0,1", spec.CpusetCpus);
        Assert.Equal(1_500_000_000L, spec.NanoCpus);
        Assert.Equal("cubic", spec.Sysctls["net.ipv4.tcp_congestion_control"]);
    }

    [Fact]
    public void Defaults_are_the_default_bridge_with_the_images_command()
    {
        ContainerSpec spec = Base.Build();

        Assert.Equal("bridge", spec.NetworkMode);
        Assert.Empty(spec.Command);
        Assert.Null(spec.IpAddress);
        Assert.Null(spec.NanoCpus);
        Assert.Null(spec.CpusetCpus);
    }

    [Fact]
    public void WithNetworkMode_replaces_the_network_and_drops_its_address()
    {
        ContainerSpec spec = Base.WithNetwork("np-net", "10.89.0.10").WithNetworkMode("host").Build();

        Assert.Equal("host", spec.NetworkMode);
        Assert.Null(spec.IpAddress);
    }

    [Fact]
    public void Missing_image_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ContainerBuilder().WithName("np-x").Build());

        Assert.Contains("The container 'np-x' cannot be built (1 problem)", e.Message, StringComparison.Ordinal);
        Assert.Contains("no image: call WithImage", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_problems_are_listed_at_once()
    {
        var builder = new ContainerBuilder()
            .WithName("-bad name")
            .WithNetwork("bridge", "10.0.0.300")
            .WithBind("relative", "/x")
            .WithCapability("net admin")
            .WithCpuset("0,,1")
            .WithCpus(-1)
            .WithSysctl("Net IPv4", "1");

        var e = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("(9 problems)", e.Message, StringComparison.Ordinal);
        Assert.Contains("name '-bad name'", e.Message, StringComparison.Ordinal);
        Assert.Contains("no image", e.Message, StringComparison.Ordinal);
        Assert.Contains("IP address '10.0.0.300' is not an IPv4 address", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs a user-defined network, not 'bridge'", e.Message, StringComparison.Ordinal);
        Assert.Contains("bind host path 'relative' is not absolute", e.Message, StringComparison.Ordinal);
        Assert.Contains("capability 'net admin'", e.Message, StringComparison.Ordinal);
        Assert.Contains("cpuset '0,,1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("CPU limit -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("sysctl 'Net IPv4'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("container:")]
    [InlineData("")]
    public void Empty_network_modes_are_reported(string mode)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Base.WithNetworkMode(mode).Build());

        Assert.Contains("network", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments_throw_at_once() =>
        Assert.Throws<ArgumentNullException>(() => Base.WithLabel(null!, "v"));
}
