using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public class ToleranceWarningsTests
{
    [Fact]
    public void Each_gate_whose_tolerance_is_below_what_it_detects_gets_a_line_under_a_heading()
    {
        var lines = ToleranceWarnings.Format(SampleCells.PowerRun().Cells);

        Assert.Equal(2, lines.Count);
        Assert.Equal("== 1 gate has a tolerance below the regression it can detect (a regression of that size would likely pass) ==", lines[0]);
        Assert.Equal("Latency.Ping_pong driver=Host/pairs=1/msg=350: latency_p50 tolerance 5%, detects >= 12%; " + SampleCells.UnderpoweredNote, lines[1]);
    }

    [Fact]
    public void Gates_that_see_their_tolerance_and_reported_metrics_give_no_lines()
    {
        var flaggedButReported = SampleCells.ThroughputCell("Host", 1, 17, 17);
        flaggedButReported = flaggedButReported with
        {
            Metrics = [.. flaggedButReported.Metrics.Select(m => m.Gated ? m : SampleCells.WithPower(m, 1, 40, null, belowDetectable: true))],
        };

        Assert.Empty(ToleranceWarnings.Format([.. SampleCells.Run().Cells, flaggedButReported]));
    }

    [Fact]
    public void Without_a_note_the_line_gives_the_default_advice_and_the_heading_counts_every_gate()
    {
        var a = SampleCells.GatePower(SampleCells.LatencyCell("Bridge", 38), 1, 9.5, null, belowDetectable: true);
        var b = SampleCells.GatePower(SampleCells.ThroughputCell("Ovs", 1, 10, 10), 2, 7.25, 3, note: "  ", belowDetectable: true);

        var lines = ToleranceWarnings.Format([b, a]);

        Assert.Equal("== 2 gates have a tolerance below the regression they can detect (a regression of that size would likely pass) ==", lines[0]);
        // Scenario order: HostVsBridge before Latency.
        Assert.Equal("HostVsBridge.Tcp_throughput driver=Ovs/pairs=1: aggregate_throughput tolerance 5%, detects >= 7.25%; " + ToleranceWarnings.DefaultAdvice, lines[1]);
        Assert.StartsWith("Latency.Ping_pong driver=Bridge/pairs=1/msg=350: latency_p50 tolerance 5%, detects >= 9.5%; record more baseline runs", lines[2]);
    }
}
