using System.Globalization;
using NetPerf.Baselines;
using NetPerf.Experiments;
using NetPerf.Plan;
using NetPerf.Statistics;
using NetPerf.Testbeds;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Experiments;

/// <summary>
/// Verdicts that hold across runs, on real testbeds: the first run on an empty testbed records a provisional baseline; a
/// real regression (iperf3's bit-rate cap at 30% of that baseline's median) regresses again on a fresh testbed and fails
/// with both runs in the message; a control-arm cell logs the seed and order of its interleaved trials.
/// </summary>
/// <remarks>
/// Trials are 1 s of iperf3 so the whole test stays well under two minutes. The baseline is uncapped (its noise is what
/// a bridge on this machine gives); a cap at 30% of its median is far beyond any noise seen here, so the regression and
/// its confirmation are a property of the setup, not luck.
/// </remarks>
[Trait("Category", "Integration")]
public sealed class VerdictsAcrossRunsIntegrationTests : IDisposable
{
    private const string Testbed = "verdicts-across-runs-test";
    private readonly string _root = Directory.CreateTempSubdirectory("netperf-across-runs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task First_run_is_provisional_then_a_capped_rate_regresses_confirmed_on_a_fresh_testbed_and_a_control_arm_logs_its_order()
    {
        foreach (var driver in new[] { Driver.Bridge, Driver.Host })
        {
            var availability = CapabilityCheckRegistry.Default.Check(driver);
            Assert.SkipUnless(availability.Available, availability.Reason);
        }
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var settings = new ExperimentSettings(Path.Combine(_root, "baselines"), Path.Combine(_root, "results"), TestbedName: Testbed);
        var store = new BaselineStore(settings.BaselinesDirectory);
        var cell = new ExperimentCell("Throughput", Driver.Bridge, 1) { ScenarioClass = "NetPerf.Tests.VerdictsAcrossRuns" };
        var key = new BaselineKey(Testbed, "VerdictsAcrossRuns.Throughput", cell.CellId);
        var throughput = Metrics.AggregateThroughput.Name;

        ExperimentDefinition Definition(long? rate) => new(
            cell,
            Workload.Iperf3Tcp(TimeSpan.FromSeconds(1), bitRateBitsPerSecond: rate),
            [new Gate(Metrics.AggregateThroughput, tolerance: 0.10)],
            [Metrics.Retransmits],
            new SequentialPolicy(minTrials: 5, maxTrials: 5, step: 5));

        // (a) First run on an empty testbed: a provisional baseline, the cell passes.
        var firstRun = await new ExperimentRunner(settings).RunAsync(Definition(null), ct);
        output?.WriteLine(Experiment.Summary(firstRun));
        Assert.Equal("Provisional", firstRun.Result.Outcome);
        Assert.Null(firstRun.FailureMessage);
        Assert.Null(firstRun.Result.Confirmation);
        var baselinePath = store.BaselinePath(key);
        Assert.Equal(baselinePath, firstRun.Result.BaselinePath);
        Assert.Contains(firstRun.Warnings, w => w.Contains("provisional baseline", StringComparison.Ordinal) && w.Contains(baselinePath, StringComparison.Ordinal));
        var baseline = Assert.IsType<BaselineFile>(store.Read(key));
        var run = Assert.Single(baseline.Runs);
        Assert.Equal("first run on this testbed", run.Origin);
        Assert.Equal(Reaper.SessionId, run.RunId);
        Assert.Equal(5, run.Metrics[throughput].Values.Count);
        var baselineText = await File.ReadAllTextAsync(baselinePath, ct);
        var baselineMedian = baseline.Metrics[throughput].Summary.Median;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline median {baselineMedian:0.###} Gbit/s"));

        // (b) A real regression: capped at 30% of the baseline's median. Regressed on the first run and again on a fresh testbed.
        var cap = (long)(baselineMedian * 0.3 * 1e9);
        var slow = await new ExperimentRunner(settings).RunAsync(Definition(cap), ct);
        output?.WriteLine(Experiment.Summary(slow));
        Assert.Equal("Regressed", slow.Result.Outcome);
        Assert.Equal(Verdict.Regressed, Assert.Single(slow.Comparisons, c => c.Metric.Name == throughput).Verdict);
        var confirmation = Assert.IsType<CellConfirmation>(slow.Result.Confirmation);
        Assert.Equal("Regressed", confirmation.Outcome);
        Assert.Equal(slow.Result.Trials.Count, confirmation.Trials.Count);
        Assert.Equal("Regressed", Assert.Single(confirmation.Metrics, m => m.Metric == throughput).Verdict);
        var again = Assert.Single(slow.ConfirmationComparisons!, c => c.Metric.Name == throughput);
        Assert.Equal(Verdict.Regressed, again.Verdict);
        Assert.InRange(again.Current.Median / baselineMedian, 0.2, 0.4);

        var message = Assert.IsType<string>(slow.FailureMessage);
        output?.WriteLine(message);
        var firstHeading = message.IndexOf("--- first run", StringComparison.Ordinal);
        var confirmationHeading = message.IndexOf("--- confirmation on a fresh testbed", StringComparison.Ordinal);
        Assert.True(firstHeading >= 0 && confirmationHeading > firstHeading, message);
        Assert.Equal(2, message.Split("REGRESSED").Length - 1);
        Assert.Contains($"metric '{throughput}'", message[firstHeading..confirmationHeading]);
        Assert.Contains($"metric '{throughput}'", message[confirmationHeading..]);
        Assert.Contains(baselinePath, message);

        // The received file holds the confirmation run; the baseline is untouched.
        var receivedPath = Assert.IsType<string>(slow.Result.ReceivedPath);
        Assert.Contains(receivedPath, message);
        var received = Assert.IsType<BaselineFile>(store.ReadReceived(key));
        var confirmationValues = confirmation.Trials.Select(t => t.Measurements.Single(m => m.Metric == throughput && m.Flow is null).Value).ToList();
        var receivedValues = received.Newest.Metrics[throughput].Values;
        Assert.Equal(confirmationValues.Count, receivedValues.Count);
        // Baseline files keep 4 significant digits.
        Assert.All(confirmationValues.Zip(receivedValues), v => Assert.InRange(v.Second / v.First, 0.9995, 1.0005));
        Assert.Equal(baselineText, await File.ReadAllTextAsync(baselinePath, ct));

        // The power of the gate is in the result: one baseline run, so the between-run spread is unknown.
        var gated = Assert.Single(slow.Result.Metrics, m => m.Metric == throughput);
        Assert.Equal(1, gated.BaselineRuns);
        Assert.NotNull(gated.DetectableChangePercent);
        Assert.Null(gated.BetweenRunCvPercent);
        Assert.NotNull(gated.PowerNote);
        Assert.Contains("between-run spread is unknown", Experiment.Summary(slow));

        // (c) A control arm: both testbeds at once, the order of each trial pair from a logged seed (here replayed).
        var controlCell = new ExperimentCell("Throughput_vs_host", Driver.Bridge, 1) { ScenarioClass = "NetPerf.Tests.VerdictsAcrossRuns" };
        var ratio = Metrics.AggregateThroughput.RelativeTo("Host");
        var controlled = await new ExperimentRunner(settings with { Seed = 12345 }).RunAsync(new ExperimentDefinition(
            controlCell,
            Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)),
            [new Gate(ratio, tolerance: 0.10)],
            [Metrics.AggregateThroughput],
            new SequentialPolicy(minTrials: 3, maxTrials: 3, step: 1),
            ControlDriver: Driver.Host), ct);
        output?.WriteLine(Experiment.Summary(controlled));
        // The testbed folder holds only runs of this process, so it is still a first run on a new testbed.
        Assert.Equal("Provisional", controlled.Result.Outcome);
        Assert.Equal("12345", controlled.Result.Facts["control.order_seed"]);
        Assert.Equal("Host", controlled.Result.Facts["control.driver"]);
        var order = new TrialOrder(12345);
        for (var i = 0; i < 3; i++) order.NextControlFirst();
        Assert.Equal(order.Letters, controlled.Result.Facts["control.order"]);
        Assert.All(controlled.Result.Trials, t => Assert.Contains(t.Measurements, m => m.Metric == ratio.Name && m.Value > 0));
        output?.WriteLine($"control.order_seed {controlled.Result.Facts["control.order_seed"]}, control.order {controlled.Result.Facts["control.order"]}");
    }

    /// <summary>
    /// Against a baseline of several real runs, a real regression (iperf3's bit-rate cap at 10% of the baseline's centre)
    /// goes through the first run, the confirmation and the second confirmation, each on its own fresh testbed, and
    /// fails with the three runs judged together in the message, the result and the console summary.
    /// </summary>
    [Fact]
    public async Task Against_several_baseline_runs_a_capped_rate_is_confirmed_twice_on_fresh_testbeds()
    {
        var availability = CapabilityCheckRegistry.Default.Check(Driver.Bridge);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var settings = new ExperimentSettings(Path.Combine(_root, "baselines"), Path.Combine(_root, "results"), TestbedName: Testbed, RecordTrials: 3);
        var cell = new ExperimentCell("Throughput_several_runs", Driver.Bridge, 1) { ScenarioClass = "NetPerf.Tests.VerdictsAcrossRuns" };
        var throughput = Metrics.AggregateThroughput.Name;
        ExperimentDefinition Definition(long? rate) => new(
            cell,
            Workload.Iperf3Tcp(TimeSpan.FromSeconds(1), bitRateBitsPerSecond: rate),
            [new Gate(Metrics.AggregateThroughput, tolerance: 0.10)],
            [],
            new SequentialPolicy(minTrials: 3, maxTrials: 3, step: 1));

        // Four runs recorded on fresh testbeds (NETPERF_RECORD=1), so the between-run spread is known.
        for (var i = 0; i < 4; i++)
            Assert.Equal("Recorded", (await new ExperimentRunner(settings with { Record = true }).RunAsync(Definition(null), ct)).Result.Outcome);
        var baseline = Assert.IsType<BaselineFile>(new BaselineStore(settings.BaselinesDirectory).Read(new BaselineKey(Testbed, "VerdictsAcrossRuns.Throughput_several_runs", cell.CellId)));
        Assert.Equal(4, baseline.Runs.Count);
        var centre = RunSpread.Estimate(baseline.RunsFor(throughput, baseline.Newest.Fingerprint.Machine).Values)!.Center;

        var slow = await new ExperimentRunner(settings).RunAsync(Definition((long)(centre * 0.1 * 1e9)), ct);
        var summary = Experiment.Summary(slow);
        output?.WriteLine(summary);

        Assert.Equal("Regressed", slow.Result.Outcome);
        var confirmation = Assert.IsType<CellConfirmation>(slow.Result.Confirmation);
        var second = Assert.IsType<CellConfirmation>(slow.Result.SecondConfirmation);
        Assert.Equal("Regressed", second.Outcome);
        Assert.Equal(3, second.Trials.Count);
        // Each confirmation provisioned and measured its own testbed.
        Assert.All(new[] { confirmation, second }, c => Assert.True(c.DurationSeconds > 0 && c.Facts.ContainsKey("subnet")));
        var message = Assert.IsType<string>(slow.FailureMessage);
        output?.WriteLine(message);
        Assert.Contains("two more runs, each on a fresh testbed", message, StringComparison.Ordinal);
        Assert.Contains("the geometric mean of 3 run medians", message, StringComparison.Ordinal);
        Assert.Contains("--- second confirmation on another fresh testbed", message, StringComparison.Ordinal);
        Assert.Contains("second confirmation on another fresh testbed: Regressed", summary, StringComparison.Ordinal);
        // Each of the three runs is near the cap, far below the baseline.
        Assert.All(new[] { confirmation, second }, c => Assert.InRange(Assert.Single(c.Metrics, m => m.Metric == throughput).CurrentMedian / centre, 0.05, 0.15));
    }
}
