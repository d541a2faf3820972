using NetPerf.Baselines;
using NetPerf.Cli;
using NetPerf.Tests.Baselines;

namespace NetPerf.Tests.Cli;

/// <summary>The papers'-scale findings on synthetic paper-suite data (no engine).</summary>
public sealed class PaperScaleFindingsTests
{
    private static readonly Metric Throughput = new("aggregate_throughput", Unit.GbitPerSecond, Direction.HigherIsBetter);
    private static readonly Metric CpuPerGb = new("cpu_seconds_per_gb", Unit.Ratio, Direction.LowerIsBetter);
    private static readonly Metric MaxMin = new("max_min_ratio", Unit.Ratio, Direction.LowerIsBetter);
    private static readonly Metric FctP99 = new("fct_p99", Unit.Milliseconds, Direction.LowerIsBetter);
    private static readonly Metric Deviation = new("mesh_deviation", Unit.Percent, Direction.LowerIsBetter);

    private static BaselineFile Cell(string scenario, string cell, params (Metric metric, double value)[] values) =>
        BaselineFile.ForRun(scenario, cell, "2c-test", new BaselineRun
        {
            Fingerprint = SampleBaselines.Fingerprint(),
            RecordedAt = new DateTimeOffset(2026, 12, 2, 17, 0, 0, TimeSpan.Zero),
            Origin = "record",
            Metrics = values.ToDictionary(v => v.metric.Name, v => BaselineMetric.Create(v.metric, [v.value * 0.99, v.value, v.value * 1.01], tolerance: null)),
        });

    [Fact]
    public void The_knee_is_the_first_pair_count_after_which_the_aggregate_grows_by_at_most_10_percent()
    {
        Assert.Equal(5, PaperScaleFindings.Knee([(1, 10), (2, 15), (5, 20), (10, 21), (20, 21.5), (50, 20)]));
        Assert.Equal(1, PaperScaleFindings.Knee([(1, 20), (2, 21), (5, 19), (50, 18)]));
        // A late rise past 10% moves the knee past the early plateau.
        Assert.Equal(20, PaperScaleFindings.Knee([(1, 10), (2, 10.5), (5, 10.6), (10, 10.7), (20, 14), (50, 15)]));
    }

    [Fact]
    public void Experiment_times_sum_each_cells_first_to_last_progress_line_per_method()
    {
        string[] log =
        [
            "17:00:00 Aggregate_throughput_full(driver: Host, pairs: 1): run: provisioning 1 pair on Host",
            "17:00:20 Aggregate_throughput_full(driver: Host, pairs: 1): verdict: passed",
            "17:00:21 Aggregate_throughput_full(driver: Host, pairs: 2): run: provisioning 2 pairs on Host",
            "17:01:01 Aggregate_throughput_full(driver: Host, pairs: 2): verdict: passed",
            "not a progress line",
            "23:59:50 Tcp_vs_udp_full(driver: Bridge, pairs: 1, protocol: Tcp): run: trial 1 of 3: aggregate_throughput 1 Gbit/s",
            "00:00:10 Tcp_vs_udp_full(driver: Bridge, pairs: 1, protocol: Tcp): verdict: passed",
        ];
        var times = PaperScaleFindings.ExperimentTimes(log);
        Assert.Equal(2, times.Count);
        Assert.Equal(("Aggregate_throughput_full", 2, TimeSpan.FromSeconds(60)), (times[0].Method, times[0].Cells, times[0].Time));
        Assert.Equal(("Tcp_vs_udp_full", 1, TimeSpan.FromSeconds(20)), (times[1].Method, times[1].Cells, times[1].Time));
    }

    [Fact]
    public void Spearman_is_one_for_a_monotonic_rise_and_minus_one_for_a_fall()
    {
        Assert.Equal(1, PaperScaleFindings.Spearman([1, 2, 3, 4], [10, 20, 25, 400]), 6);
        Assert.Equal(-1, PaperScaleFindings.Spearman([1, 2, 3, 4], [4, 3, 2, 1]), 6);
        Assert.InRange(PaperScaleFindings.Spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 0.5, 0.95);
    }

    [Fact]
    public void The_CPU_model_predicts_8_x_cores_over_the_1_pair_cost_and_sets_it_beside_the_largest_pair_count()
    {
        var files = new List<BaselineFile>
        {
            Cell("LargeScale.Aggregate_throughput_full", "driver=Bridge/pairs=1", (Throughput, 12), (CpuPerGb, 0.8)),
            Cell("LargeScale.Aggregate_throughput_full", "driver=Bridge/pairs=10", (Throughput, 15)),
            Cell("LargeScale.Aggregate_throughput_full", "driver=Bridge/pairs=50", (Throughput, 16)),
            // No 1-pair cost: no prediction.
            Cell("LargeScale.Aggregate_throughput_full", "driver=Ovs/pairs=50", (Throughput, 1)),
        };
        var prediction = Assert.Single(PaperScaleFindings.Predictions(new PaperScaleFindings.Lookup(files)));
        Assert.Equal("Bridge", prediction.Driver);
        Assert.Equal(8.0 * 2 / 0.8, prediction.PredictedGbps, 3);
        Assert.Equal(50, prediction.Pairs);
        Assert.Equal(16, prediction.MeasuredGbps, 3);
        Assert.Equal(0.8, prediction.Ratio, 3);
    }

    [Fact]
    public void Rows_set_the_studys_number_beside_this_machines_and_say_whether_they_agree()
    {
        var files = new List<BaselineFile>
        {
            Cell("LargeScale.Fairness_at_largest_pair_count_full", "driver=Bridge/pairs=50", (MaxMin, 1.3)),
            Cell("LargeScale.Flow_completion_time_5MB_full", "driver=Bridge/pairs=10", (FctP99, 100)),
            Cell("LargeScale.Flow_completion_time_5MB_full", "driver=Bridge/pairs=50", (FctP99, 500)),
        };
        for (var n = 2; n <= 12; n += 2)
            foreach (var rate in new[] { 600, 6000, 60000 })
                files.Add(Cell($"MeshEmulation.Deviation_at_{rate}_records_per_minute_full", $"driver=Bridge/pairs={n}", (Deviation, 0.01 * n * n * rate / 600.0)));
        var rows = PaperScaleFindings.Rows(new PaperScaleFindings.Lookup(files));

        var fairness = Assert.Single(rows, r => r.Finding.StartsWith("Per-client", StringComparison.Ordinal));
        Assert.Equal("up to 3x between clients", fairness.Paper);
        Assert.Contains("max/min 1.3x", fairness.Here, StringComparison.Ordinal);
        Assert.StartsWith("agrees in direction, smaller", fairness.Verdict, StringComparison.Ordinal);

        var fct = Assert.Single(rows, r => r.Finding.Contains("flow completion", StringComparison.Ordinal));
        Assert.Contains("+400%", fct.Here, StringComparison.Ordinal);
        Assert.StartsWith("agrees in direction", fct.Verdict, StringComparison.Ordinal);

        var mesh = Assert.Single(rows, r => r.Study.StartsWith("Anjos", StringComparison.Ordinal));
        Assert.Contains("Spearman rho against N^2 x D = 1", mesh.Here, StringComparison.Ordinal);
        Assert.StartsWith("agrees", mesh.Verdict, StringComparison.Ordinal);

        // Nothing measured for the saturation curve: the row says so instead of guessing.
        var knee = Assert.Single(rows, r => r.Finding.StartsWith("Aggregate throughput saturates", StringComparison.Ordinal));
        Assert.Equal("not measured", knee.Verdict);
    }
}
