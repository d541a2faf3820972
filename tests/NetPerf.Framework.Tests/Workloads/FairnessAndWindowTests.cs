using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Orchestration;

namespace NetPerf.Tests.Workloads;

public class FairnessAndWindowTests
{
    [Fact]
    public void Jain_index_is_1_for_equal_rates_and_1_over_n_for_one_hog()
    {
        Assert.Equal(1.0, Fairness.JainIndex([5, 5, 5, 5]), 12);
        Assert.Equal(0.25, Fairness.JainIndex([8, 0, 0, 0]), 12);
        Assert.Equal(36.0 / 42.0, Fairness.JainIndex([1, 2, 3]), 12);
    }

    [Fact]
    public void Max_min_ratio_divides_fastest_by_slowest()
    {
        Assert.Equal(2.0, Fairness.MaxMinRatio([2, 4, 3]), 12);
        Assert.Throws<ArgumentException>(() => Fairness.MaxMinRatio([2, 0]));
        Assert.Throws<ArgumentException>(() => Fairness.JainIndex([]));
    }

    private static FlowInterval I(double start, double end, long bytes, bool omitted = false) => new(start, end, bytes, bytes * 8 / (end - start)) { Omitted = omitted };

    [Fact]
    public void Aggregate_is_the_sum_of_per_flow_bytes_inside_the_common_window_not_the_sum_of_averages()
    {
        // Flow A runs 0..3 s with a fast first second; flow B starts 0.5 s later and stops at 2.5 s.
        IReadOnlyList<FlowInterval> a = [I(-1, 0, 99_000_000_000, omitted: true), I(0, 1, 3_000_000_000), I(1, 2, 1_000_000_000), I(2, 3, 1_000_000_000)];
        IReadOnlyList<FlowInterval> b = [I(0.5, 1.5, 2_000_000_000), I(1.5, 2.5, 2_000_000_000)];

        var window = OverlapWindow.Compute([("a", a), ("b", b)]);

        Assert.Equal(new MeasurementWindow(0.5, 2.5), window);
        Assert.Equal(1.5e9 + 1e9 + 0.5e9, OverlapWindow.Within(a, window), 3);
        Assert.Equal(4e9, OverlapWindow.Within(b, window), 3);
        var aggregate = OverlapWindow.GigabitsPerSecond(a, window) + OverlapWindow.GigabitsPerSecond(b, window);
        Assert.Equal(28.0, aggregate, 9);
        var sumOfAverages = 5e9 * 8 / 3 / 1e9 + 16.0;
        Assert.NotEqual(sumOfAverages, aggregate, 3);
    }

    [Fact]
    public void Flows_that_never_overlap_fail_loudly()
    {
        var e = Assert.Throws<WorkloadException>(() => OverlapWindow.Compute([("a", [I(0, 1, 1)]), ("b", [I(2, 3, 1)])]));
        Assert.Contains("never all ran at the same time", e.Message);
    }

    [Fact]
    public void A_flow_with_only_warm_up_intervals_fails_loudly()
    {
        var e = Assert.Throws<WorkloadException>(() => OverlapWindow.Compute([("pair-1", [I(0, 1, 1, omitted: true)])]));
        Assert.Contains("Flow 'pair-1' reported no interval after warm-up", e.Message);
    }

    [Fact]
    public void Percentiles_use_nearest_rank()
    {
        double[] values = [5, 1, 4, 2, 3];
        Assert.Equal(3, Percentile.Median(values));
        Assert.Equal(2.5, Percentile.Median([1, 2, 3, 4]));
        Assert.Equal(5, Percentile.NearestRank(values, 99));
        Assert.Equal(1, Percentile.NearestRank(values, 20));
        Assert.Equal(2, Percentile.NearestRank(values, 21));
    }
}
