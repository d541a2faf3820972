using NetPerf.Experiments;
using NetPerf.Plan;

namespace NetPerf.Tests.Experiments;

public sealed class ControlArmTests
{
    private static WorkloadResult Trial(double throughput, double rtt) => new("iperf3-tcp")
    {
        Measurements =
        [
            new Measurement(Metrics.AggregateThroughput, throughput),
            new Measurement(Metrics.Rtt, rtt),
            new Measurement(Metrics.FlowThroughput, throughput, "pair-0"),
        ],
    };

    [Fact]
    public void Each_aggregate_gets_its_ratio_to_the_control_arm_with_the_same_direction()
    {
        var withControl = ExperimentRunner.WithControl(Trial(12, 60), Trial(16, 40), "Host");

        var ratio = Metrics.AggregateThroughput.RelativeTo("Host");
        Assert.Equal("aggregate_throughput_vs_host", ratio.Name);
        Assert.Equal(Direction.HigherIsBetter, ratio.Direction);
        Assert.Equal(0.75, withControl.Value(ratio), 12);
        Assert.Equal(1.5, withControl.Value(Metrics.Rtt.RelativeTo("Host")), 12);
        Assert.Equal(Direction.LowerIsBetter, Metrics.Rtt.RelativeTo("Host").Direction);
        Assert.Equal(12, withControl.Value(Metrics.AggregateThroughput));
        Assert.DoesNotContain(withControl.Measurements, m => m.Flow is not null && m.Metric.Name.EndsWith("_vs_host", StringComparison.Ordinal));
    }

    [Fact]
    public void A_control_value_of_zero_gives_no_ratio_rather_than_infinity()
    {
        var withControl = ExperimentRunner.WithControl(Trial(12, 60), Trial(0, 40), "Host");

        Assert.Null(withControl.Find(Metrics.AggregateThroughput.RelativeTo("Host")));
    }

    [Fact]
    public void The_control_arm_must_be_another_driver()
    {
        var e = Assert.Throws<ArgumentException>(() => Experiment.For(new ExperimentCell("Tcp", Driver.Host, 1)).RelativeTo(Driver.Host));

        Assert.Contains("a control arm must use another driver", e.Message);
    }
}
