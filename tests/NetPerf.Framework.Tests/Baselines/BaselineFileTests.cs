using NetPerf.Baselines;
using NetPerf.Statistics;

namespace NetPerf.Tests.Baselines;

public class BaselineFileTests
{
    private static BaselineFile OneRun(double scale, int hoursLater, string runId) => SampleBaselines.File(scale: scale, hoursLater: hoursLater, runId: runId);

    [Fact]
    public void WithRunsOf_appends_the_new_run_after_the_old_ones()
    {
        var baseline = OneRun(1, 0, "r0001");

        var merged = baseline.WithRunsOf(OneRun(0.5, 24, "r0002"), keep: 10);

        Assert.Equal(["r0001", "r0002"], merged.Runs.Select(r => r.RunId));
        Assert.Equal("r0002", merged.Newest.RunId);
        Assert.Equal(merged.Newest.RecordedAt, merged.RecordedAt);
        Assert.Single(baseline.Runs);
    }

    [Fact]
    public void WithRunsOf_keeps_the_newest_runs_and_drops_the_oldest()
    {
        var baseline = OneRun(1, 0, "r0001").WithRunsOf(OneRun(1, 24, "r0002"), keep: 10).WithRunsOf(OneRun(1, 48, "r0003"), keep: 10);

        var merged = baseline.WithRunsOf(OneRun(1, 72, "r0004"), keep: 3);

        Assert.Equal(["r0002", "r0003", "r0004"], merged.Runs.Select(r => r.RunId));
    }

    [Fact]
    public void WithRunsOf_keeps_the_newest_runs_of_each_machine_so_a_new_machine_does_not_push_out_another()
    {
        static BaselineFile On(string signature, int hoursLater, string runId)
        {
            var file = OneRun(1, hoursLater, runId);
            return file with { Runs = [file.Runs[0] with { Fingerprint = file.Runs[0].Fingerprint with { CpuSignature = signature } }] };
        }

        var baseline = On("AuthenticAMD 26/2/1", 0, "old1").WithRunsOf(On("AuthenticAMD 26/2/1", 1, "old2"), keep: 2);

        var merged = baseline.WithRunsOf(On("AuthenticAMD 23/1/2", 2, "new1"), keep: 2)
            .WithRunsOf(On("AuthenticAMD 23/1/2", 3, "new2"), keep: 2)
            .WithRunsOf(On("AuthenticAMD 23/1/2", 4, "new3"), keep: 2);

        // The old machine keeps both its runs; the new one its newest two, all oldest first.
        Assert.Equal(["old1", "old2", "new2", "new3"], merged.Runs.Select(r => r.RunId));
    }

    [Fact]
    public void WithRunsOf_keeps_the_same_run_once()
    {
        var baseline = OneRun(1, 0, "r0001").WithRunsOf(OneRun(1, 24, "r0002"), keep: 10);

        var merged = baseline.WithRunsOf(OneRun(1, 24, "r0002"), keep: 10).WithRunsOf(baseline, keep: 10);

        Assert.Equal(["r0001", "r0002"], merged.Runs.Select(r => r.RunId));
    }

    [Fact]
    public void WithRunsOf_refuses_the_runs_of_another_cell()
    {
        var baseline = SampleBaselines.File(cell: "a/driver=Bridge");

        var error = Assert.Throws<ArgumentException>(() => baseline.WithRunsOf(SampleBaselines.File(cell: "b/driver=Bridge", hoursLater: 24, runId: "r0002"), keep: 10));

        Assert.Contains("/ThroughputScenarios/b/driver=Bridge'", error.Message, StringComparison.Ordinal);
        Assert.Contains("different cells", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithRunsOf_refuses_a_metric_whose_unit_changed_and_points_to_replace()
    {
        var baseline = OneRun(1, 0, "r0001");
        var run = SampleBaselines.Run(hoursLater: 24, runId: "r0002");
        var megabits = new Metric(SampleBaselines.Throughput.Name, Unit.MbitPerSecond, Direction.HigherIsBetter);
        var other = BaselineFile.ForRun(baseline.Scenario, baseline.Cell, baseline.Testbed, run with
        {
            Metrics = new Dictionary<string, BaselineMetric> { [megabits.Name] = BaselineMetric.Create(megabits, [17000, 16900, 17100], tolerance: 0.05) },
        });

        var error = Assert.Throws<ArgumentException>(() => baseline.WithRunsOf(other, keep: 10));

        Assert.Contains("'aggregate_throughput'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--replace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pooled_metrics_concatenate_the_values_of_every_run_oldest_first()
    {
        var merged = OneRun(1, 0, "r0001").WithRunsOf(OneRun(2, 24, "r0002"), keep: 10);

        var pooled = merged.Metrics["aggregate_throughput"];

        var expected = merged.Runs[0].Metrics["aggregate_throughput"].Values.Concat(merged.Runs[1].Metrics["aggregate_throughput"].Values).ToList();
        Assert.Equal(expected, pooled.Values);
        Assert.Equal(10, pooled.Values.Count);
        Assert.Equal(SampleAnalyzer.Default.Summarize(expected).Median, pooled.Summary.Median);
        Assert.Equal(8, merged.Metrics["rtt_p50"].Values.Count);
        Assert.Equal(0.05, pooled.Tolerance);
        Assert.Equal(2, merged.RunValues("aggregate_throughput").Count);
        Assert.Equal(5, merged.RunValues("aggregate_throughput")[1].Count);
    }

    [Fact]
    public void A_baseline_without_runs_is_refused()
    {
        var sample = SampleBaselines.File();

        Assert.Throws<ArgumentException>(() => sample with { Runs = [] });
    }
}
