using NetPerf.Baselines;
using NetPerf.Cli;
using NetPerf.Tests.Baselines;

namespace NetPerf.Tests.Cli;

/// <summary>The leave-runs-out calibration on synthetic multi-run baselines.</summary>
public class RunCalibrationTests
{
    private static BaselineFile Cell(string cell, IReadOnlyList<double[]> runs, double tolerance = 0.10)
    {
        var fingerprint = SampleBaselines.Fingerprint();
        var list = runs.Select((values, i) => new BaselineRun
        {
            Fingerprint = fingerprint,
            RecordedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddHours(i),
            RunId = $"job{i}",
            Origin = "record",
            Machine = "test",
            Metrics = new Dictionary<string, BaselineMetric>
            {
                [SampleBaselines.Throughput.Name] = BaselineMetric.Create(SampleBaselines.Throughput, values, tolerance),
            },
        }).ToList();
        return new BaselineFile { Scenario = "S", Cell = cell, Testbed = fingerprint.TestbedName, Runs = list };
    }

    private static double[] Around(double center, int seed) =>
        [.. Enumerable.Range(0, 5).Select(i => center * (1 + 0.01 * Math.Sin(seed * 7 + i)))];

    [Fact]
    public void Steady_runs_give_no_false_alarm_and_a_scaled_regression_is_caught()
    {
        var file = Cell("steady", [.. Enumerable.Range(0, 5).Select(i => Around(10 * (1 + 0.01 * (i % 2)), i))]);

        var row = Assert.Single(RunCalibration.Evaluate([file], currentTrials: 3));

        Assert.Equal(20, row.Jobs);
        Assert.Equal(0, row.ConfirmedFalse);
        Assert.Equal(row.Jobs, row.DetectionTries);
        Assert.Equal(row.Jobs, row.Detected);
        // Runs 1% apart support the 10% asked for: the gate is the tolerance, and 15% is caught.
        Assert.Equal(0.10, row.Gate!.Value, 9);
        Assert.Equal(row.Jobs, row.DetectedAtGoal);
        Assert.NotNull(row.Detectable);
        Assert.True(row.Detectable < 0.15, $"detectable {row.Detectable}");
    }

    [Fact]
    public void Runs_that_differ_a_lot_are_reported_as_unable_to_see_the_tolerance()
    {
        double[] centers = [10, 14, 7, 12, 8.5];
        var file = Cell("noisy", [.. centers.Select((c, i) => Around(c, i))]);

        var row = Assert.Single(RunCalibration.Evaluate([file], currentTrials: 3));

        Assert.True(row.ToleranceBelowDetectable);
        Assert.True(row.Detectable > 0.3, $"detectable {row.Detectable}");
        // The data sets a gate far above 10%, and a regression of 1.5 times the asked 10% is not caught reliably.
        Assert.True(row.Gate > 0.3, $"gate {row.Gate}");
        Assert.True(row.DetectedAtGoal < row.Jobs, $"{row.DetectedAtGoal} of {row.Jobs}");
        Assert.True(row.RunCv > 0.15, $"run CV {row.RunCv}");
    }

    [Fact]
    public void Cells_with_fewer_than_three_runs_are_left_out_and_the_report_says_how_many_cells_it_used()
    {
        var two = Cell("two", [Around(10, 1), Around(10, 2)]);
        var three = Cell("three", [Around(10, 1), Around(10, 2), Around(10, 3)]);

        var text = RunCalibration.Report([two, three], 3, "netperf calibrate --runs");

        Assert.Contains("Cells with at least 3 runs: 1 (gated metrics: 1)", text, StringComparison.Ordinal);
        Assert.Contains("| S | three | aggregate_throughput | 10%", text, StringComparison.Ordinal);
        Assert.DoesNotContain("| S | two |", text, StringComparison.Ordinal);
        Assert.Contains("Rerun: `netperf calibrate --runs`", text, StringComparison.Ordinal);
    }
}
