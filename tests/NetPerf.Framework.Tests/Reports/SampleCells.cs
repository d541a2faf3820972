using NetPerf.Experiments;
using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

/// <summary>Synthetic cell results shaped like the runner's, for the report tests.</summary>
internal static class SampleCells
{
    public const string Throughput = "HostVsBridge.Tcp_throughput";
    public const string Latency = "Latency.Ping_pong";
    public const string Fct = "Fct.Elephants_and_mice";

    /// <summary>A run with three scenarios: throughput (2 drivers x 2 pair counts, one regressed cell), latency (2 cells), FCT (2 cells, one without baseline).</summary>
    public static RunResults Run() => new(
    [
        ThroughputCell("Host", 1, 17.0, 17.1),
        ThroughputCell("Host", 2, 17.5, 17.4),
        ThroughputCell("Bridge", 1, 15.0, 15.2),
        ThroughputCell("Bridge", 2, 16.0, 11.0),
        LatencyCell("Host", 30),
        LatencyCell("Bridge", 38),
        FctCell("Host", withBaseline: true),
        FctCell("Bridge", withBaseline: false),
    ], []);

    public static CellResult ThroughputCell(string driver, int pairs, double baselinePerTrial, double currentPerTrial, string scenario = Throughput)
    {
        var rng = new Random(driver.Length * 31 + pairs);
        var trials = new List<TrialRecord>();
        var current = new List<double>();
        for (int t = 1; t <= 5; t++)
        {
            var measurements = new List<MeasurementRecord>();
            double total = 0;
            for (int p = 1; p <= pairs; p++)
            {
                double rate = currentPerTrial / pairs * (0.95 + 0.1 * rng.NextDouble());
                total += rate;
                measurements.Add(new MeasurementRecord("flow_throughput", "Gbit/s", rate, $"pair-{p}"));
            }
            current.Add(total);
            measurements.Add(new MeasurementRecord("aggregate_throughput", "Gbit/s", total, null));
            measurements.Add(new MeasurementRecord("retransmits", "count", Math.Round(total * 10 * rng.NextDouble()), null));
            trials.Add(new TrialRecord(t, measurements, 0.4));
        }
        var baseline = Enumerable.Range(0, 5).Select(i => baselinePerTrial * (0.98 + 0.01 * i)).ToList();
        bool regressed = currentPerTrial < baselinePerTrial * 0.9;
        var throughput = Metric("aggregate_throughput", "Gbit/s", "HigherIsBetter", true, baseline, current, regressed ? "Regressed" : "Unchanged");
        var retransmits = Metric("retransmits", "count", "LowerIsBetter", false, [], [.. trials.Select(t => t.Measurements.Single(m => m.Metric == "retransmits").Value)], "NoBaseline");
        return Cell(scenario, driver, pairs, new Dictionary<string, string>(), trials, [throughput, retransmits], regressed ? "Regressed" : "Passed",
            regressed ? "aggregate_throughput regressed: median 11 Gbit/s against 16 Gbit/s (-31%).\nSecond line." : "");
    }

    public static CellResult LatencyCell(string driver, double p50)
    {
        var trials = Enumerable.Range(1, 4).Select(t => new TrialRecord(t,
        [
            new MeasurementRecord("latency_p50", "us", p50 + t * 0.1, null),
            new MeasurementRecord("latency_p90", "us", p50 * 1.3 + t * 0.1, null),
            new MeasurementRecord("latency_p99", "us", p50 * 2 + t * 0.1, null),
            new MeasurementRecord("latency_p999", "us", p50 * 4 + t * 0.1, null),
            new MeasurementRecord("latency_max", "us", p50 * 10 + t, null),
        ], double.NaN)).ToList();
        var values = trials.Select(t => t.Measurements[0].Value).ToList();
        var metric = Metric("latency_p50", "us", "LowerIsBetter", true, [.. values.Select(v => v - 0.05)], values, "Unchanged");
        return Cell(Latency, driver, 1, new Dictionary<string, string> { ["msg"] = "350" }, trials, [metric], "Passed", "");
    }

    public static CellResult FctCell(string driver, bool withBaseline)
    {
        var rng = new Random(driver.Length);
        var trials = new List<TrialRecord>();
        for (int t = 1; t <= 3; t++)
        {
            var m = new List<MeasurementRecord>();
            for (int f = 1; f <= 20; f++)
                m.Add(new MeasurementRecord("fct", "ms", f % 5 == 0 ? 500 + 100 * rng.NextDouble() : 0.5 + rng.NextDouble(), $"pair-1/flow-{f}"));
            m.Add(new MeasurementRecord("fct_median", "ms", m.Select(x => x.Value).Order().ElementAt(10), null));
            trials.Add(new TrialRecord(t, m, 1.5));
        }
        var values = trials.Select(t => t.Measurements.Single(x => x.Flow is null).Value).ToList();
        var metric = withBaseline
            ? Metric("fct_median", "ms", "LowerIsBetter", true, [.. values.Select(v => v * 1.01)], values, "Inconclusive")
            : Metric("fct_median", "ms", "LowerIsBetter", true, [], values, "NoBaseline");
        return Cell(Fct, driver, 1, new Dictionary<string, string>(), trials, [metric], withBaseline ? "Inconclusive" : "NewBaseline",
            withBaseline ? "" : "No baseline for Elephants_and_mice(driver: Bridge, pairs: 1) on testbed '2c-x-6.1'.");
    }

    public static MetricResult Metric(string name, string unit, string direction, bool gated, IReadOnlyList<double> baseline, IReadOnlyList<double> current, string verdict)
    {
        double Median(IReadOnlyList<double> v) => v.Order().ElementAt(v.Count / 2);
        double? bm = baseline.Count > 0 ? Median(baseline) : null;
        double cm = Median(current);
        return new MetricResult(name, unit, direction, gated, gated ? 0.05 : null, baseline, current,
            bm, bm * 0.98, bm * 1.02, cm, cm * 0.97, cm * 1.03,
            bm is { } b ? (cm / b - 1) * 100 : null, bm is null ? null : 0.01, verdict, $"{verdict} because of the numbers");
    }

    public static CellResult Cell(string scenario, string driver, int pairs, Dictionary<string, string> axes, IReadOnlyList<TrialRecord> trials,
        IReadOnlyList<MetricResult> metrics, string outcome, string message, string? cellId = null)
    {
        var allAxes = new Dictionary<string, string>(axes) { ["driver"] = driver, ["pairs"] = pairs.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var id = cellId ?? string.Join("/", new[] { $"driver={driver}", $"pairs={pairs}" }.Concat(axes.Select(a => $"{a.Key}={a.Value}")));
        return new CellResult(scenario, id, $"{scenario.Split('.')[^1]}(driver: {driver}, pairs: {pairs})", driver, pairs, allAxes,
            new Dictionary<string, string> { ["engine"] = "20.10" }, trials, metrics, outcome, message,
            $"/repo/baselines/t/{scenario}/{id.Replace("/", "__", StringComparison.Ordinal)}.json", null,
            new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), 12.5);
    }

    public const string Testbed = "2c-amd-epyc-6.18";
    public const string FirstRunThroughput = "FirstRun.Tcp_throughput";
    public const string FirstRunScaling = "FirstRun.Scaling";

    public const string UnderpoweredNote =
        "detects regressions of 12% or more with 90% power (alpha 0.05, 1 baseline run, 4 trials, confirmation included); the tolerance 5% is below what it can detect: to see a 5% regression it needs 4 baseline runs on fresh testbeds (it has 1; add runs with NETPERF_RECORD=1 or 'netperf merge-runs')";

    /// <summary>
    /// A run that exercises the power facts and confirmations: a regression the confirmation repeated, one it did not
    /// (Unconfirmed), a latency gate whose 5% tolerance is below the 12% it can detect (one baseline run), a
    /// well-powered latency gate (4 runs, 1.85% between-run spread), and a gate whose detectable regression is unknown.
    /// </summary>
    public static RunResults PowerRun() => new(
    [
        Confirmed("Bridge", 2, 16.0, 11.0, 11.2, "Regressed"),
        Confirmed("Bridge", 4, 16.0, 11.0, 15.9, "Unconfirmed"),
        GatePower(ThroughputCell("Host", 1, 17.0, 17.1), 4, 2.5, 1.2),
        GatePower(LatencyCell("Host", 30), 1, 12, null, UnderpoweredNote, belowDetectable: true),
        GatePower(LatencyCell("Bridge", 38), 4, 3.1, 1.85),
        GatePower(FctCell("Host", withBaseline: true), 2, null, 4.0),
    ], []);

    /// <summary>A throughput cell whose first run regressed and was re-run on a fresh testbed; <paramref name="outcome"/> says whether the confirmation agreed.</summary>
    public static CellResult Confirmed(string driver, int pairs, double baseline, double first, double confirmation, string outcome)
    {
        var cell = ThroughputCell(driver, pairs, baseline, first);
        var rerun = ThroughputCell(driver, pairs, baseline, confirmation);
        var message = outcome == "Regressed"
            ? "aggregate_throughput regressed in the first run and in the confirmation on a fresh testbed."
            : "aggregate_throughput regressed in the first run (-31%) but not in the confirmation on a fresh testbed (-0.6%); passes with a warning.";
        return cell with
        {
            Metrics = GatePower(cell, 3, 6.5, 2.0).Metrics,
            Outcome = outcome,
            Message = message,
            Confirmation = new CellConfirmation(rerun.Trials, GatePower(rerun, 3, 6.5, 2.0).Metrics, outcome, 41.5,
                new Dictionary<string, string> { ["engine"] = "20.10", ["testbed.id"] = "fresh" }),
        };
    }

    /// <summary>The cell with the power facts set on each of its gated metrics.</summary>
    public static CellResult GatePower(CellResult cell, int runs, double? detectable, double? cv, string? note = null, bool belowDetectable = false) =>
        cell with { Metrics = [.. cell.Metrics.Select(m => m.Gated ? WithPower(m, runs, detectable, cv, note, belowDetectable) : m)] };

    public static MetricResult WithPower(MetricResult metric, int runs, double? detectable, double? cv, string? note = null, bool belowDetectable = false) =>
        metric with { BaselineRuns = runs, DetectableChangePercent = detectable, BetweenRunCvPercent = cv, PowerNote = note, ToleranceBelowDetectable = belowDetectable };

    /// <summary><paramref name="count"/> cells of a first run on <paramref name="testbed"/> (two scenarios of their own), recorded as provisional baselines below <paramref name="baselines"/>.</summary>
    public static IReadOnlyList<CellResult> Provisional(int count, string baselines = "/repo/baselines", string testbed = Testbed) =>
    [
        .. Enumerable.Range(1, count).Select(i =>
        {
            var cell = ThroughputCell("Bridge", i, 10, 10, scenario: i % 2 == 0 ? FirstRunThroughput : FirstRunScaling);
            var file = cell.CellId.Replace("/", "__", StringComparison.Ordinal) + ".json";
            return cell with
            {
                Metrics = [.. cell.Metrics.Select(m => m with { BaselineValues = [], BaselineMedian = null, BaselineCiLower = null, BaselineCiUpper = null, ChangePercent = null, PValue = null, Verdict = "NoBaseline", Reason = "No baseline yet; recorded as a provisional one." })],
                Outcome = "Provisional",
                Message = $"First run on testbed '{testbed}': recorded as a provisional baseline.",
                BaselinePath = Path.Combine(baselines, testbed, cell.Scenario, file),
            };
        }),
    ];
}
