using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public class ChartBuilderTests
{
    private static readonly IReadOnlyList<ChartSpec> Charts = ChartBuilder.Build(SampleCells.Run());

    private static ChartSpec Single(string section) => Assert.Single(Charts, c => c.Section == section);

    [Fact]
    public void Throughput_against_pairs_has_one_line_per_driver_with_the_median_per_pair_count()
    {
        var chart = Single(ChartSections.ThroughputVsPairs);

        Assert.Equal(["Bridge", "Host"], chart.Series.Select(s => s.Name));
        var bridge = chart.Series[0];
        Assert.Equal([1.0, 2.0], bridge.Points.Select(p => p[0]));
        Assert.InRange(bridge.Points[1][1], 10.5, 11.5);
        Assert.Contains("Gbit/s", chart.YLabel, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_with_fixed_pairs_scales_against_the_axis_it_varies()
    {
        var cells = new[] { 1, 2 }.Select(cores =>
        {
            var cell = SampleCells.ThroughputCell("Bridge", 4, 10, 5 + cores, scenario: "Cores.Ratio");
            return cell with { Axes = new Dictionary<string, string>(cell.Axes) { ["cores"] = cores.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        });

        var chart = Assert.Single(ChartBuilder.Build(new RunResults([.. cells], [])), c => c.Section == ChartSections.ThroughputVsPairs);

        Assert.Equal("cores", chart.XLabel);
        var series = Assert.Single(chart.Series);
        Assert.Equal("Bridge, 4 pairs", series.Name);
        Assert.Equal([1.0, 2.0], series.Points.Select(p => p[0]));
    }

    [Fact]
    public void Per_client_throughput_cdf_has_one_step_curve_per_cell_ending_at_one()
    {
        var chart = Single(ChartSections.FlowThroughputCdf);

        Assert.Equal(4, chart.Series.Count);
        Assert.All(chart.Series, s =>
        {
            Assert.Equal("step", s.Style);
            Assert.Equal(0, s.Points[0][1]);
            Assert.Equal(1, s.Points[^1][1]);
        });
        // Host with 2 pairs: 5 trials x 2 flows = 10 distinct values, plus the starting point.
        Assert.Equal(11, chart.Series.Single(s => s.Name == "Host, 2 pairs").Points.Count);
    }

    [Fact]
    public void Fct_cdf_uses_a_log_axis_when_flows_differ_by_orders_of_magnitude()
    {
        var chart = Single(ChartSections.FctCdf);

        Assert.Equal(2, chart.Series.Count);
        Assert.Equal("logarithmic", chart.XScale);
    }

    [Fact]
    public void Latency_percentiles_are_categories_in_order()
    {
        var chart = Single(ChartSections.LatencyPercentiles);

        Assert.Equal(["p50", "p90", "p99", "p99.9", "max"], chart.Categories);
        Assert.Equal(2, chart.Series.Count);
        var host = chart.Series.Single(s => s.Name == "Host, 1 pair, msg=350");
        Assert.Equal([0.0, 1, 2, 3, 4], host.Points.Select(p => p[0]));
        Assert.True(host.Points.Select(p => p[1]).SequenceEqual(host.Points.Select(p => p[1]).Order()), "percentiles must rise");
    }

    [Fact]
    public void Retransmits_against_throughput_has_one_dot_per_trial_per_driver()
    {
        var chart = Single(ChartSections.RetransmitsVsThroughput);

        Assert.Equal(2, chart.Series.Count);
        Assert.All(chart.Series, s => Assert.Equal(10, s.Points.Count));
    }

    [Fact]
    public void Trials_against_baseline_has_a_chart_per_cell_and_gated_metric()
    {
        var charts = Charts.Where(c => c.Section == ChartSections.TrialsVsBaseline).ToList();

        Assert.Equal(8, charts.Count);
        var regressed = charts.Single(c => c.Title.Contains("Bridge, 2 pairs", StringComparison.Ordinal));
        Assert.Equal(["band-lower", "band-upper", "dashed", "hollow", "points"], regressed.Series.Select(s => s.Style));
        var noBaseline = charts.Single(c => c.Title.StartsWith(SampleCells.Fct + " Bridge", StringComparison.Ordinal));
        Assert.Equal(["points"], noBaseline.Series.Select(s => s.Style));
    }

    [Fact]
    public void Chart_ids_are_unique_and_in_section_order()
    {
        Assert.Equal(Charts.Count, Charts.Select(c => c.Id).Distinct().Count());
        var order = Charts.Select(c => ChartSections.All.ToList().IndexOf(c.Section)).ToList();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void Cdf_points_merge_equal_values_into_one_step()
    {
        var points = ChartBuilder.CdfPoints([1, 2, 2, 4]);

        Assert.Equal([[1.0, 0], [1, 0.25], [2, 0.75], [4, 1]], points);
    }

    [Fact]
    public void Confirmation_trials_are_drawn_as_diamonds_beside_the_first_run()
    {
        var cell = SampleCells.Confirmed("Bridge", 4, 16, 11, 15.9, "Unconfirmed");
        var first = cell.Metrics[0];
        var confirmation = cell.Confirmation!.Metrics[0] with { CurrentValues = [15, 16, 17, 15.5, 16.5, 15.8] };

        var series = ChartBuilder.TrialSeries(first, confirmation);

        Assert.Equal(["band-lower", "band-upper", "dashed", "hollow", "points", "diamonds"], series.Select(s => s.Style));
        Assert.Equal("first run's trials", series[4].Name);
        Assert.Equal([1.25, 2.25, 3.25, 4.25, 5.25, 6.25], series[5].Points.Select(p => p[0]));
        Assert.Equal(confirmation.CurrentValues, series[5].Points.Select(p => p[1]));
        // The baseline band spans the longest run: six confirmation trials against five first-run trials.
        Assert.Equal(6.5, series[0].Points[1][0]);
    }

    [Fact]
    public void Without_a_confirmation_the_trial_series_are_unchanged()
    {
        var metric = SampleCells.ThroughputCell("Bridge", 2, 16, 11).Metrics[0];

        var series = ChartBuilder.TrialSeries(metric);

        Assert.DoesNotContain(series, s => s.Style == "diamonds");
        Assert.Equal("this run's trials", series[^1].Name);
    }

    [Theory]
    [InlineData(3, 6.5, 2.0, false, "tolerance 5%, detects >= 6.5%, 3 baseline runs, between-run spread 2%")]
    [InlineData(1, 12.0, null, true, "tolerance 5%, detects >= 12%, 1 baseline run, between-run spread unknown (1 run); the tolerance is below what the gate can detect")]
    [InlineData(2, null, 4.0, false, "tolerance 5%, unknown, 2 baseline runs, between-run spread 4%")]
    public void Gate_note_says_what_the_gate_can_see(int runs, double? detectable, double? cv, bool below, string expected)
    {
        var metric = SampleCells.WithPower(SampleCells.LatencyCell("Host", 30).Metrics[0], runs, detectable, cv, belowDetectable: below);

        Assert.Equal(expected, ChartBuilder.GateNote(metric));
    }

    [Fact]
    public void Gate_note_without_a_baseline_says_so()
    {
        var metric = SampleCells.Provisional(1)[0].Metrics.Single(m => m.Gated);

        Assert.Equal("tolerance 5%, no baseline to compare with yet", ChartBuilder.GateNote(metric));
    }
}
