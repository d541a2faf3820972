namespace NetPerf.Tests.Workloads;

public class HttpMetricsTests
{
    // Baselines key on these names and units: a change would orphan every recorded HTTP baseline.
    [Fact]
    public void Requests_per_second_is_higher_is_better_in_requests_per_second() =>
        Assert.Equal(("requests_per_second", "req/s", Direction.HigherIsBetter),
            (Metrics.RequestsPerSecond.Name, Metrics.RequestsPerSecond.Unit.Symbol, Metrics.RequestsPerSecond.Direction));

    [Fact]
    public void Http_latency_percentiles_are_lower_is_better_in_microseconds()
    {
        Assert.Equal(("http_latency_p50", "us", Direction.LowerIsBetter),
            (Metrics.HttpLatencyP50.Name, Metrics.HttpLatencyP50.Unit.Symbol, Metrics.HttpLatencyP50.Direction));
        Assert.Equal(("http_latency_p99", "us", Direction.LowerIsBetter),
            (Metrics.HttpLatencyP99.Name, Metrics.HttpLatencyP99.Unit.Symbol, Metrics.HttpLatencyP99.Direction));
    }
}
