using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

public class NetworkBuilderTests
{
    [Fact]
    public void Each_With_returns_a_new_builder_and_leaves_the_original_unchanged()
    {
        NetworkBuilder plain = new NetworkBuilder().WithName("np-a");
        NetworkBuilder internalNet = plain.WithInternal().WithLabel("netperf", "1");

        NetworkSpec a = plain.Build();
        NetworkSpec b = internalNet.Build();

        Assert.False(a.Internal);
        Assert.Empty(a.Labels);
        Assert.True(b.Internal);
        Assert.Equal("1", b.Labels["netperf"]);
    }

    [Fact]
    public void Every_setting_reaches_the_spec()
    {
        NetworkSpec spec = new NetworkBuilder()
            .WithName("np-mv")
            .WithDriver("macvlan")
            .WithSubnet("10.89.0.0/24", "10.89.0.1")
            .WithOption("parent", "np-veth0")
            .WithLabel("netperf", "1")
            .WithAttachable()
            .WithInternal()
            .Build();

        Assert.Equal(new NetworkSpec("np-mv", "macvlan", "10.89.0.0/24", "10.89.0.1", spec.Options, spec.Labels, true, true), spec);
        Assert.Equal("np-veth0", spec.Options["parent"]);
        Assert.Equal("1", spec.Labels["netperf"]);
    }

    [Fact]
    public void The_driver_defaults_to_bridge_without_subnet()
    {
        NetworkSpec spec = new NetworkBuilder().WithName("np-b").Build();

        Assert.Equal("bridge", spec.Driver);
        Assert.Null(spec.Subnet);
        Assert.Null(spec.Gateway);
    }

    [Fact]
    public void Missing_name_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(new NetworkBuilder().Build);

        Assert.Contains("(1 problem)", e.Message, StringComparison.Ordinal);
        Assert.Contains("no name: call WithName", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_problems_are_listed_at_once()
    {
        var e = Assert.Throws<InvalidOperationException>(new NetworkBuilder().WithDriver(" ").WithSubnet("10.89.0.5/24", "nope").Build);

        Assert.Contains("(4 problems)", e.Message, StringComparison.Ordinal);
        Assert.Contains("no name", e.Message, StringComparison.Ordinal);
        Assert.Contains("driver is empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("subnet '10.89.0.5/24' is not a CIDR network", e.Message, StringComparison.Ordinal);
        Assert.Contains("gateway 'nope' is not an IP address", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gateway_outside_the_subnet_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(new NetworkBuilder().WithName("np-g").WithSubnet("10.89.0.0/24", "10.90.0.1").Build);

        Assert.Contains("gateway '10.90.0.1' is outside subnet '10.89.0.0/24'", e.Message, StringComparison.Ordinal);
    }
}
