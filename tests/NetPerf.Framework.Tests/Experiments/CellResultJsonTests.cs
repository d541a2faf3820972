using NetPerf.Experiments;
using NetPerf.Reports;

namespace NetPerf.Tests.Experiments;

public sealed class CellResultJsonTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netperf-cell-json-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MetricResult Metric(string verdict) =>
        new("aggregate_throughput", "Gbit/s", "HigherIsBetter", true, 0.1, [12.1, 12.4], [3.7, 3.71], 12.3, null, null, 3.705, null, null, -69.9, 0.004,
            verdict, "reason", BaselineRuns: 1, DetectableChangePercent: 30.2, BetweenRunCvPercent: null, PowerNote: "detects regressions of 30.2% or more", ToleranceBelowDetectable: true);

    [Fact]
    public void The_confirmation_and_the_detection_power_survive_the_results_file()
    {
        var trial = new TrialRecord(1, [new MeasurementRecord("aggregate_throughput", "Gbit/s", 3.71, null)], double.NaN);
        var confirmation = new CellConfirmation([trial], [Metric("Regressed")], "Regressed", 12.6, new Dictionary<string, string> { ["subnet"] = "10.213.2.0/24" });
        var result = new CellResult("S.Throughput", "driver=Bridge/pairs=1", "Throughput(driver: Bridge, pairs: 1)", "Bridge", 1,
            new Dictionary<string, string>(), new Dictionary<string, string> { ["control.order_seed"] = "12345", ["control.order"] = "CCT" },
            [trial], [Metric("Regressed")], "Regressed", "message", "b.json", "b.received.json", DateTimeOffset.UnixEpoch, 24.9, confirmation);

        var path = new JsonCellResultSink(_root).Write(result)!;
        var read = CellResultReader.Parse(File.ReadAllText(path), path);

        var back = Assert.IsType<CellConfirmation>(read.Confirmation);
        Assert.Equal("Regressed", back.Outcome);
        Assert.Equal(12.6, back.DurationSeconds);
        Assert.Equal("10.213.2.0/24", back.Facts["subnet"]);
        Assert.Equal(3.71, Assert.Single(Assert.Single(back.Trials).Measurements).Value);
        Assert.Equal("CCT", read.Facts["control.order"]);
        var metric = Assert.Single(read.Metrics);
        Assert.Equal(1, metric.BaselineRuns);
        Assert.Equal(30.2, metric.DetectableChangePercent);
        Assert.Null(metric.BetweenRunCvPercent);
        Assert.Equal("detects regressions of 30.2% or more", metric.PowerNote);
        Assert.True(metric.ToleranceBelowDetectable);
    }

    [Fact]
    public void A_results_file_from_before_reads_with_no_confirmation_and_unknown_power()
    {
        const string json = """
            {"scenario":"S.T","cellId":"c","displayName":"T","driver":"Bridge","pairs":1,"trials":[],"outcome":"Passed",
             "metrics":[{"metric":"m","unit":"Gbit/s","direction":"HigherIsBetter","gated":true,"tolerance":0.1,"baselineValues":[],
             "currentValues":[1],"currentMedian":1,"verdict":"Unchanged","reason":"r"}],"startedUtc":"2026-01-01T00:00:00Z","durationSeconds":1}
            """;

        var read = CellResultReader.Parse(json, "old.json");

        Assert.Null(read.Confirmation);
        var metric = Assert.Single(read.Metrics);
        Assert.Equal(0, metric.BaselineRuns);
        Assert.Null(metric.DetectableChangePercent);
        Assert.False(metric.ToleranceBelowDetectable);
    }
}
