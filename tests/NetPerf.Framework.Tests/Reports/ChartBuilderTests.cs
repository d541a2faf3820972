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
}
