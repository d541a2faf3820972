using NetPerf.Experiments;
using NetPerf.Plan;
using NetPerf.Testbeds;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Experiments;

/// <summary>The pool's rules on fake testbeds; the runner's use of it is in <see cref="TestbedReuseRunnerTests"/>.</summary>
public sealed class TestbedPoolTests
{
    private sealed class FakeBed(int pairs) : IAsyncDisposable
    {
        public int Pairs { get; } = pairs;

        public int Disposals { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposals++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Builds
    {
        public List<FakeBed> Made { get; } = [];

        public Task<FakeBed> Build(int pairs, CancellationToken ct)
        {
            var bed = new FakeBed(pairs);
            Made.Add(bed);
            return Task.FromResult(bed);
        }
    }

    [Fact]
    public async Task The_same_key_reuses_the_idle_testbed_and_fewer_pairs_fit_on_it()
    {
        var pool = new TestbedPool<FakeBed>();
        var builds = new Builds();
        var ct = TestContext.Current.CancellationToken;

        var first = await pool.AcquireAsync("k", pairs: 1, provisionPairs: 5, builds.Build, ct);
        await pool.ReturnAsync(first, healthy: true);
        var second = await pool.AcquireAsync("k", pairs: 3, provisionPairs: 5, builds.Build, ct);

        Assert.False(first.Reused);
        Assert.Equal(5, first.ProvisionedPairs);
        Assert.True(second.Reused);
        Assert.Same(first.Testbed, second.Testbed);
        Assert.Single(builds.Made);
        Assert.Equal(0, first.Testbed.Disposals);
        Assert.Null(pool.IdleKey); // handed out: nobody else gets it while the cell runs
    }

    [Fact]
    public async Task Another_key_removes_the_idle_testbed_before_building_its_own()
    {
        var pool = new TestbedPool<FakeBed>();
        var builds = new Builds();
        var ct = TestContext.Current.CancellationToken;
        var first = await pool.AcquireAsync("bridge", 2, 2, builds.Build, ct);
        await pool.ReturnAsync(first, healthy: true);

        var disposedBeforeBuild = -1;
        var other = await pool.AcquireAsync("macvlan", 2, 2, (n, c) =>
        {
            disposedBeforeBuild = first.Testbed.Disposals;
            return builds.Build(n, c);
        }, ct);

        Assert.False(other.Reused);
        Assert.Equal(1, disposedBeforeBuild);
        Assert.Equal(2, builds.Made.Count);
    }

    [Fact]
    public async Task More_pairs_than_the_idle_testbed_has_get_a_new_one()
    {
        var pool = new TestbedPool<FakeBed>();
        var builds = new Builds();
        var ct = TestContext.Current.CancellationToken;
        var small = await pool.AcquireAsync("k", 2, 2, builds.Build, ct);
        await pool.ReturnAsync(small, healthy: true);

        var large = await pool.AcquireAsync("k", 4, 2, builds.Build, ct);

        Assert.False(large.Reused);
        Assert.Equal(4, large.ProvisionedPairs);
        Assert.Equal(1, small.Testbed.Disposals);
    }

    [Fact]
    public async Task A_testbed_that_failed_its_cell_is_removed_not_kept()
    {
        var pool = new TestbedPool<FakeBed>();
        var builds = new Builds();
        var ct = TestContext.Current.CancellationToken;
        var lease = await pool.AcquireAsync("k", 1, 3, builds.Build, ct);

        await pool.ReturnAsync(lease, healthy: false);
        var next = await pool.AcquireAsync("k", 1, 3, builds.Build, ct);

        Assert.Equal(1, lease.Testbed.Disposals);
        Assert.False(next.Reused);
        Assert.Equal(2, builds.Made.Count);
    }

    [Fact]
    public async Task Clearing_removes_the_idle_testbed_once()
    {
        var pool = new TestbedPool<FakeBed>();
        var builds = new Builds();
        var lease = await pool.AcquireAsync("k", 1, 1, builds.Build, TestContext.Current.CancellationToken);
        await pool.ReturnAsync(lease, healthy: true);
        Assert.Equal("k", pool.IdleKey);

        await pool.ClearAsync();
        await pool.ClearAsync();

        Assert.Equal(1, lease.Testbed.Disposals);
        Assert.Null(pool.IdleKey);
    }

    [Fact]
    public void The_key_ignores_the_pair_count_but_not_the_driver_cpusets_image_class_or_own_clients()
    {
        var bridge = new TestbedBuilder().WithDriver(Driver.Bridge);
        var key = TestbedReuse.KeyOf(bridge.WithPairs(1), "A", 4);

        Assert.Equal(key, TestbedReuse.KeyOf(bridge.WithPairs(4), "A", 4));
        Assert.NotEqual(key, TestbedReuse.KeyOf(bridge.WithDriver(Driver.Macvlan), "A", 4));
        Assert.NotEqual(key, TestbedReuse.KeyOf(bridge, "B", 4));
        Assert.NotEqual(key, TestbedReuse.KeyOf(bridge.WithImage("other:1"), "A", 4));
        Assert.NotEqual(key, TestbedReuse.KeyOf(bridge.WithMtu(1400), "A", 4));
        var same = TestbedReuse.KeyOf(bridge.WithCpuset(CpuPlacement.For(null, CpuPinning.SameCore, 2)!), "A", 4);
        Assert.Equal(same, TestbedReuse.KeyOf(bridge.WithCpuset(CpuPlacement.For(null, CpuPinning.SameCore, 2)!), "A", 4));
        Assert.NotEqual(same, TestbedReuse.KeyOf(bridge.WithCpuset(CpuPlacement.For(null, CpuPinning.DifferentCores, 2)!), "A", 4));
        var client = new OwnContainer("img:1").WithCommand("sleep", "infinity");
        Assert.Equal(TestbedReuse.KeyOf(bridge.WithClients(client), "A", 4), TestbedReuse.KeyOf(bridge.WithClients(new OwnContainer("img:1").WithCommand("sleep", "infinity")), "A", 4));
        Assert.NotEqual(TestbedReuse.KeyOf(bridge.WithClients(client), "A", 4), TestbedReuse.KeyOf(bridge.WithClients(client.WithEnvironment("X", "1")), "A", 4));
        Assert.Null(TestbedReuse.KeyOf(bridge.WithServers(new OwnContainer("img:1")), "A", 4));
    }

    [Fact]
    public void Reuse_is_on_for_full_scale_cells_by_default_off_with_the_switch_and_never_with_a_control_arm()
    {
        var settings = new ExperimentSettings("baselines", "results");
        var full = Definition(Scale.Full);
        var ci = Definition(Scale.Ci);

        Assert.True(TestbedReuse.Applies(settings, full));
        Assert.False(TestbedReuse.Applies(settings, ci));
        Assert.False(TestbedReuse.Applies(settings with { ReuseTestbeds = false }, full));
        Assert.True(TestbedReuse.Applies(settings with { ReuseTestbeds = true }, ci));
        Assert.False(TestbedReuse.Applies(settings with { ReuseTestbeds = true }, full with { ControlDriver = Driver.Host }));
    }

    [Fact]
    public void A_testbed_for_reuse_gets_the_largest_pair_count_of_the_cells_of_its_method_that_can_share_it()
    {
        var cell = new ExperimentCell("A", Driver.Bridge, 1) { Scale = Scale.Full };
        ExperimentCell[] classCells =
        [
            cell, cell with { Pairs = 5 }, cell with { Driver = "Host", Pairs = 5 },
            // Another method, a CI-scale cell, other cores, other pinning: never the same testbed.
            cell with { Scenario = "B", Pairs = 10 },
            cell with { Pairs = 20, Scale = Scale.Ci },
            cell with { Pairs = 30, Cores = 1 },
            cell with { Pairs = 40, Pinning = CpuPinning.SameCore },
            cell with { Driver = "Host", Pairs = 50, Scale = Scale.Ci },
        ];

        Assert.Equal(5, NetPerf.Experiment.LargestPairs(classCells, cell));
        // No pinning is the same testbed as pinning None.
        Assert.Equal(5, NetPerf.Experiment.LargestPairs(classCells, cell with { Pinning = CpuPinning.None }));
        Assert.Equal(5, NetPerf.Experiment.LargestPairs(classCells, cell with { Driver = "Host" }));
        Assert.Equal(20, NetPerf.Experiment.LargestPairs(classCells, cell with { Scale = Scale.Ci }));
        Assert.Equal(30, NetPerf.Experiment.LargestPairs(classCells, cell with { Cores = 1 }));
        Assert.Equal(40, NetPerf.Experiment.LargestPairs(classCells, cell with { Pinning = CpuPinning.SameCore }));
        Assert.Equal(10, NetPerf.Experiment.LargestPairs(classCells, cell with { Scenario = "B" }));
        Assert.Equal(12, NetPerf.Experiment.LargestPairs(classCells, cell with { Pairs = 12 }));
        Assert.Equal(1, NetPerf.Experiment.LargestPairs([], cell));
    }

    internal static ExperimentDefinition Definition(Scale scale) =>
        new(new ExperimentCell("Tcp", Driver.Bridge, 1) { Scale = scale, ScenarioClass = "X" }, Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)), [], [], SequentialPolicy.Default);
}
