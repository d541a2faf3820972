using NetPerf.Testbeds;
using NetPerf.Testbeds.Drivers;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Testbeds;

public sealed class DriverCheckTests
{
    private static readonly EngineInfo Engine = new("20.10.24", "1.41", "6.18", "Debian", 2, SwarmActive: false);

    private static ProbeResult Probe(OvsStatus? ovs = null, string? engineProblem = null, string? imageProblem = null, bool local = true) =>
        new(engineProblem is null ? Engine : null, engineProblem, local, "netperf-tools:x", imageProblem, ovs ?? new OvsStatus(true, true, "ovs-vsctl (Open vSwitch) 3.1.0", false));

    [Fact]
    public void Ovs_stopped_says_so_in_one_line_and_how_to_fix_it()
    {
        var answer = new OvsDriver().Check(Probe(new OvsStatus(true, false, "3.1.0", false)));
        Assert.False(answer.Available);
        Assert.DoesNotContain('\n', answer.ToString());
        Assert.Contains("not running", answer.Reason);
        Assert.Contains("ovs-ctl start", answer.Reason);
    }

    [Fact]
    public void Ovs_not_installed_names_the_package()
    {
        var answer = new OvsDriver().Check(Probe(new OvsStatus(false, false, null, false)));
        Assert.False(answer.Available);
        Assert.Contains("openvswitch-switch", answer.Reason);
    }

    [Fact]
    public void Ovs_without_kernel_module_uses_the_userspace_datapath_and_says_so()
    {
        var status = new OvsStatus(true, true, "3.1.0", KernelDatapath: false);
        Assert.Equal("netdev", status.Datapath);
        var answer = new OvsDriver().Check(Probe(status));
        Assert.True(answer.Available);
        Assert.Contains("userspace", answer.Reason);
    }

    [Theory]
    [InlineData(Driver.Host)]
    [InlineData(Driver.Bridge)]
    [InlineData(Driver.Macvlan)]
    [InlineData(Driver.Ovs)]
    [InlineData(Driver.None)]
    [InlineData(Driver.Container)]
    [InlineData(Driver.Overlay)]
    public void An_unreachable_engine_makes_every_driver_unavailable_with_the_fix(Driver driver)
    {
        var answer = DriverRegistry.BuiltIn.Get(driver).Check(Probe(engineProblem: "the Docker engine at 'unix:///var/run/docker.sock' does not answer; run scripts/setup.sh"));
        Assert.False(answer.Available);
        Assert.Contains("scripts/setup.sh", answer.Reason);
    }

    [Fact]
    public void A_missing_image_makes_drivers_unavailable()
    {
        var answer = new BridgeDriver().Check(Probe(imageProblem: "the tools image 'netperf-tools:x' is not on the engine; run scripts/setup.sh"));
        Assert.False(answer.Available);
        Assert.Contains("netperf-tools:x", answer.Reason);
    }

    [Fact]
    public void Overlay_needs_a_swarm()
    {
        var answer = new OverlayDriver().Check(Probe());
        Assert.False(answer.Available);
        Assert.Contains("docker swarm init", answer.Reason);
    }

    [Fact]
    public void Remote_engine_rules_out_host_side_plumbing()
    {
        Assert.False(new OvsDriver().Check(Probe(local: false)).Available);
        Assert.True(new BridgeDriver().Check(Probe(local: false)).Available);
    }

    [Fact]
    public void Every_driver_enum_value_is_registered()
    {
        Assert.Equal(Enum.GetNames<Driver>(), DriverRegistry.BuiltIn.Names);
        foreach (var d in Enum.GetValues<Driver>()) Assert.Equal(d.ToString(), DriverRegistry.BuiltIn.Get(d).Name);
    }
}
