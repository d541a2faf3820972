using NetPerf.Plan;
using NetPerf.Testbeds;

namespace NetPerf.Tests.Experiments;

public sealed class ExperimentPinTests
{
    private static Func<NodeSlot, string?>? CpusetOf(Experiment experiment)
    {
        var definition = experiment.Run(Workload.SockperfPingPong()).ToDefinition();
        var builder = new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(2);
        return (definition.ConfigureTestbed?.Invoke(builder) ?? builder).BuildOptions().Cpuset;
    }

    [Fact]
    public void Pin_puts_client_and_server_of_each_pair_on_the_cores_the_policy_names()
    {
        Assert.SkipWhen(Environment.ProcessorCount < 2, "needs 2 cores");
        var cpuset = CpusetOf(Experiment.For(new ExperimentCell("Latency", Driver.Bridge, 2)).Pin(CpuPinning.DifferentCores));

        Assert.NotNull(cpuset);
        Assert.NotEqual(cpuset(new NodeSlot(NodeRole.Server, 0)), cpuset(new NodeSlot(NodeRole.Client, 0)));
        Assert.Equal("0", cpuset(new NodeSlot(NodeRole.Server, 0)));
        Assert.Equal("1", cpuset(new NodeSlot(NodeRole.Client, 0)));
    }

    [Fact]
    public void A_cell_with_its_own_pinning_axis_keeps_it()
    {
        var cell = new ExperimentCell("Latency", Driver.Bridge, 1) { Pinning = CpuPinning.None };

        Assert.Null(CpusetOf(Experiment.For(cell).Pin(CpuPinning.SameCore)));
    }

    [Fact]
    public void Without_pin_the_testbed_is_not_confined()
    {
        Assert.Null(CpusetOf(Experiment.For(new ExperimentCell("Latency", Driver.Bridge, 1))));
    }
}
