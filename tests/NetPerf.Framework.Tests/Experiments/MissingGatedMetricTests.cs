using NetPerf.Baselines;
using NetPerf.Experiments;
using NetPerf.Plan;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Baselines;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Experiments;

/// <summary>
/// A gate added after its cell's baseline was recorded: the baseline has no numbers for it, and the cell must fail saying
/// so (the gate checked nothing) instead of passing on its other gates; accept mode adds the run, after which it compares.
/// The real runner on a fake engine (driver None) and a fake workload.
/// </summary>
public sealed class MissingGatedMetricTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netperf-missing-gate-").FullName;
    private readonly IdOnlyEngine _engine = new("unix:///fake-missing-gate.sock");

    public void Dispose()
    {
        _engine.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Only_gates_the_baseline_has_no_numbers_for_are_missing()
    {
        var baseline = SampleBaselines.File();

        Assert.Empty(CellDecisions.GatesMissingFrom([new Gate(SampleBaselines.Throughput, 0.05), new Gate(SampleBaselines.Latency, 0.05)], baseline));
        Assert.Equal(["rtt"], CellDecisions.GatesMissingFrom([new Gate(SampleBaselines.Throughput, 0.05), new Gate(Metrics.Rtt, 0.05), new Gate(Metrics.Rtt, 0.1)], baseline));
    }

    [Fact]
    public async Task A_gate_the_baseline_has_no_numbers_for_fails_the_cell_and_says_to_re_record()
    {
        await Runner(Settings(record: true)).RunAsync(Definition(Metrics.AggregateThroughput), Ct);
        var store = new BaselineStore(Path.Combine(_root, "baselines"));
        var baselinePath = Assert.Single(Directory.GetFiles(Path.Combine(_root, "baselines"), "*.json", SearchOption.AllDirectories));
        var before = File.ReadAllBytes(baselinePath);

        var run = await Runner(Settings(record: false)).RunAsync(Definition(Metrics.AggregateThroughput, Metrics.Rtt), Ct);

        Assert.True(run.Failed, $"the cell passed with a gate it could not check: {run.Result.Outcome}, {run.Result.Message}");
        Assert.Equal("NewBaseline", run.Result.Outcome);
        var message = run.FailureMessage!;
        Assert.Contains("has no numbers for the gated metric(s) 'rtt'", message, StringComparison.Ordinal);
        Assert.Contains("could not check them", message, StringComparison.Ordinal);
        Assert.Contains("Gates the baseline has: 'aggregate_throughput' ", message, StringComparison.Ordinal);
        Assert.Contains($"Baseline: {baselinePath}", message, StringComparison.Ordinal);
        Assert.Contains("re-record the cell", message, StringComparison.Ordinal);
        Assert.Contains("NETPERF_ACCEPT=1", message, StringComparison.Ordinal);
        Assert.NotNull(run.Result.ReceivedPath);
        Assert.Contains($"Received: {run.Result.ReceivedPath}", message, StringComparison.Ordinal);
        Assert.True(File.Exists(run.Result.ReceivedPath));
        Assert.Equal(before, File.ReadAllBytes(baselinePath));
        var rtt = Assert.Single(run.Result.Metrics, m => m.Metric == "rtt");
        Assert.Equal("NoBaseline", rtt.Verdict);
        Assert.Contains("re-record", rtt.Reason, StringComparison.Ordinal);
        var key = BaselineJson.Deserialize(File.ReadAllText(baselinePath), baselinePath).Key;
        Assert.Contains("rtt", store.ReadReceived(key)!.Metrics.Keys);
    }

    [Fact]
    public async Task Accept_mode_adds_the_run_and_the_next_run_compares_the_new_gate()
    {
        await Runner(Settings(record: true)).RunAsync(Definition(Metrics.AggregateThroughput), Ct);
        // Baselines store run times to the second, and one session's runs of the same second count as one run.
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);

        var accepted = await Runner(Settings(record: false) with { Accept = true }).RunAsync(Definition(Metrics.AggregateThroughput, Metrics.Rtt), Ct);
        var next = await Runner(Settings(record: false)).RunAsync(Definition(Metrics.AggregateThroughput, Metrics.Rtt), Ct);

        Assert.False(accepted.Failed, accepted.FailureMessage);
        Assert.Equal("Accepted", accepted.Result.Outcome);
        Assert.Contains(accepted.Warnings, w => w.Contains("had no numbers for 'rtt'", StringComparison.Ordinal));
        Assert.False(next.Failed, next.FailureMessage);
        Assert.NotEqual("NoBaseline", Assert.Single(next.Result.Metrics, m => m.Metric == "rtt").Verdict);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ExperimentRunner Runner(ExperimentSettings settings) => new(settings, null, new TestbedPool<Testbed>());

    private ExperimentSettings Settings(bool record) =>
        new(Path.Combine(_root, "baselines"), Path.Combine(_root, "results"), TestbedName: "fake", Record: record, Trials: 5, RecordTrials: 5, MaxTrials: 5, Seed: 1);

    private ExperimentDefinition Definition(params Metric[] gated) =>
        new(new ExperimentCell("Tcp", Driver.None, 1) { ScenarioClass = "MissingGate.Samples" }, new FakeWorkload(), [.. gated.Select(m => new Gate(m, 0.05))], [], SequentialPolicy.Default, b => b.WithEngine(_engine));

    /// <summary>Steady numbers for both metrics: throughput about 10 Gbit/s, RTT about 50 us.</summary>
    private sealed class FakeWorkload : IWorkload
    {
        private int _calls;

        public string Name => "fake";

        public IReadOnlyList<Metric> Metrics => [NetPerf.Metrics.AggregateThroughput, NetPerf.Metrics.Rtt];

        public Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
        {
            var wobble = (Interlocked.Increment(ref _calls) % 3) * 0.01;
            return Task.FromResult(new WorkloadResult("fake")
            {
                Measurements = [new Measurement(NetPerf.Metrics.AggregateThroughput, 10 + wobble), new Measurement(NetPerf.Metrics.Rtt, 50 + wobble)],
            });
        }
    }
}
