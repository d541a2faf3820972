using NetPerf.Verdicts;

namespace NetPerf.Tests.Verdicts;

public class FailureMessageTests
{
    [Fact]
    public void Message_names_cell_metric_numbers_threshold_p_value_verdict_files_and_next_step()
    {
        var gate = new Gate(new Metric("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter), tolerance: 0.05);
        double[] baseline = [17.0, 17.2, 16.9, 17.1, 17.3, 16.8, 17.0, 17.1, 17.2, 16.9];
        double[] current = [12.0, 12.1, 11.9, 12.2, 12.0, 11.8, 12.1, 12.0, 11.9, 12.1];
        var comparison = Comparer.Compare(gate, baseline, current);

        var message = FailureMessage.Format("Tcp_throughput/driver=Bridge/pairs=10", comparison,
            "baselines/tb/S/x.json", "baselines/tb/S/x.received.json", "run 'netperf accept Tcp_throughput'");

        Assert.StartsWith("NetPerf: cell 'Tcp_throughput/driver=Bridge/pairs=10', metric 'aggregate_throughput' (Gbit/s, higher is better): REGRESSED", message, StringComparison.Ordinal);
        Assert.Contains("baseline: median 17.05 Gbit/s, 95% CI [", message, StringComparison.Ordinal);
        Assert.Contains("current:  median 12.02 Gbit/s", message, StringComparison.Ordinal);
        Assert.Contains("change:   -29.5% (median)", message, StringComparison.Ordinal);
        Assert.Contains("tolerance ±5%", message, StringComparison.Ordinal);
        Assert.Contains("p-value:  p < 0.0001 (one-sided Mann-Whitney, current lower by more than 5%); alpha 0.05", message, StringComparison.Ordinal);
        Assert.Contains("verdict:  Regressed.", message, StringComparison.Ordinal);
        Assert.Contains("baseline file: baselines/tb/S/x.json", message, StringComparison.Ordinal);
        Assert.Contains("received file: baselines/tb/S/x.received.json", message, StringComparison.Ordinal);
        Assert.EndsWith("accept them: run 'netperf accept Tcp_throughput'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", message, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiny_samples_say_the_interval_is_undefined()
    {
        var gate = new Gate(new Metric("rtt_p50", Unit.Microseconds, Direction.LowerIsBetter));
        var comparison = Comparer.Compare(gate, [35], [36, 37]);

        var message = FailureMessage.Format("Rr/driver=Host", comparison, null, null, "accept");

        Assert.Contains("CI undefined (n < 3), n = 1", message, StringComparison.Ordinal);
        Assert.Contains("baseline file: (none)", message, StringComparison.Ordinal);
        Assert.Contains("INCONCLUSIVE", message, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", message, StringComparison.Ordinal);
    }
}
