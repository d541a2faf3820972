using System.Collections.Concurrent;
using NetPerf.Experiments;
using NetPerf.Plan;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Experiments;

/// <summary>The runner with a pool, on real <see cref="Testbed"/> objects over a fake engine (driver None: one container per pair).</summary>
public sealed class TestbedReuseRunnerTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netperf-reuse-").FullName;
    private readonly IdOnlyEngine _engine = new("unix:///fake-reuse.sock");
    private readonly TestbedPool<Testbed> _pool = new();

    public async ValueTask DisposeAsync()
    {
        await _pool.ClearAsync();
        _engine.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_full_scale_cell_with_fewer_pairs_runs_on_the_first_pairs_of_the_testbed_its_class_left()
    {
        var workload = new FakeWorkload(_ => 100);
        var runner = Runner(Settings(record: true));

        var large = await runner.RunAsync(Definition(3, workload, Scale.Full), Ct);
        var small = await runner.RunAsync(Definition(1, workload, Scale.Full), Ct);

        Assert.Equal("false", large.Result.Facts["testbed.reused"]);
        Assert.Equal("true", small.Result.Facts["testbed.reused"]);
        Assert.Equal("3", small.Result.Facts["testbed.pairs_provisioned"]);
        Assert.Equal("1", small.Result.Facts["pairs"]);
        Assert.Equal(3, _engine.Started);                                  // one testbed of 3 pairs for both cells
        Assert.Equal(0, _engine.Removed);                                  // still idle in the pool
        Assert.All(workload.PairsSeen.Skip(large.Result.Trials.Count), n => Assert.Equal(1, n));
        Assert.NotNull(_pool.IdleKey);
    }

    [Fact]
    public async Task The_class_s_first_cell_provisions_the_largest_pair_count_so_later_cells_fit()
    {
        var runner = Runner(Settings(record: true));

        var small = await runner.RunAsync(Definition(1, new FakeWorkload(_ => 100), Scale.Full, reusePairs: 4), Ct);
        var large = await runner.RunAsync(Definition(4, new FakeWorkload(_ => 100), Scale.Full, reusePairs: 4), Ct);

        Assert.Equal("4", small.Result.Facts["testbed.pairs_provisioned"]);
        Assert.Equal("true", large.Result.Facts["testbed.reused"]);
        Assert.Equal(4, _engine.Started);
    }

    [Fact]
    public async Task With_the_switch_off_or_on_a_CI_scale_cell_every_cell_gets_a_fresh_testbed()
    {
        var off = Runner(Settings(record: true) with { ReuseTestbeds = false });
        await off.RunAsync(Definition(3, new FakeWorkload(_ => 100), Scale.Full), Ct);
        var offSmall = await off.RunAsync(Definition(1, new FakeWorkload(_ => 100), Scale.Full), Ct);
        var ci = Runner(Settings(record: true));
        await ci.RunAsync(Definition(3, new FakeWorkload(_ => 100), Scale.Ci), Ct);
        var ciSmall = await ci.RunAsync(Definition(1, new FakeWorkload(_ => 100), Scale.Ci), Ct);

        Assert.Equal("false", offSmall.Result.Facts["testbed.reused"]);
        Assert.Equal("false", ciSmall.Result.Facts["testbed.reused"]);
        Assert.Equal("1", ciSmall.Result.Facts["testbed.pairs_provisioned"]);
        Assert.Equal(8, _engine.Started);
        Assert.Equal(8, _engine.Removed);
        Assert.Null(_pool.IdleKey);
    }

    [Fact]
    public async Task A_confirmation_never_runs_on_a_reused_testbed()
    {
        await Runner(Settings(record: true)).RunAsync(Definition(3, new FakeWorkload(i => 100 + (i % 3)), Scale.Full), Ct);
        var recorded = await Runner(Settings(record: true)).RunAsync(Definition(1, new FakeWorkload(i => 100 + (i % 3)), Scale.Full), Ct);
        var startedBefore = _engine.Started;

        var regressed = await Runner(Settings(record: false)).RunAsync(Definition(1, new FakeWorkload(i => 50 + (i % 3)), Scale.Full), Ct);

        Assert.Equal("true", recorded.Result.Facts["testbed.reused"]);
        Assert.Equal("true", regressed.Result.Facts["testbed.reused"]);
        var confirmation = Assert.IsType<CellConfirmation>(regressed.Result.Confirmation);
        Assert.Equal("false", confirmation.Facts["testbed.reused"]);
        Assert.Equal("1", confirmation.Facts["testbed.pairs_provisioned"]);
        Assert.Equal(startedBefore + 1, _engine.Started);                  // the confirmation's own 1-pair testbed
        Assert.Equal("Regressed", regressed.Result.Outcome);
    }

    [Fact]
    public async Task A_testbed_whose_cell_failed_is_removed_and_the_next_cell_gets_a_fresh_one()
    {
        var runner = Runner(Settings(record: true));
        await Assert.ThrowsAsync<WorkloadException>(() => runner.RunAsync(Definition(2, new FakeWorkload(_ => throw new WorkloadException("tool died")), Scale.Full), Ct));
        var next = await runner.RunAsync(Definition(1, new FakeWorkload(_ => 100), Scale.Full), Ct);

        Assert.Equal("false", next.Result.Facts["testbed.reused"]);
        Assert.Equal(3, _engine.Removed);                                  // all 3 pairs provisioned for the class
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ExperimentRunner Runner(ExperimentSettings settings) => new(settings, null, _pool);

    private ExperimentSettings Settings(bool record) =>
        new(Path.Combine(_root, "baselines"), Path.Combine(_root, "results"), TestbedName: "fake", Record: record, Trials: 3, RecordTrials: 6, MaxTrials: 6, Seed: 1);

    private ExperimentDefinition Definition(int pairs, FakeWorkload workload, Scale scale, int? reusePairs = null) =>
        new(new ExperimentCell("Tcp", Driver.None, pairs) { Scale = scale, ScenarioClass = "Reuse.Samples" }, workload, [new Gate(Metrics.AggregateThroughput, 0.05)], [], SequentialPolicy.Default, b => b.WithEngine(_engine))
        {
            ReusePairs = reusePairs ?? 3,
        };

    private sealed class FakeWorkload(Func<int, double> value) : IWorkload
    {
        private int _calls;

        public ConcurrentQueue<int> PairsSeen { get; } = new();

        public string Name => "fake";

        public IReadOnlyList<Metric> Metrics => [NetPerf.Metrics.AggregateThroughput];

        public Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
        {
            PairsSeen.Enqueue(host.Pairs.Count);
            var v = value(Interlocked.Increment(ref _calls));
            return Task.FromResult(new WorkloadResult("fake") { Measurements = [new Measurement(NetPerf.Metrics.AggregateThroughput, v)] });
        }
    }
}
