namespace NetPerf.Tests.Workloads;

public sealed class Iperf3WorkloadValidationTests
{
    [Fact]
    public async Task A_fractional_warm_up_is_refused_because_iperf3_would_silently_discard_nothing()
    {
        using var host = new FakeWorkloadHost(1);
        var workload = Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)) with { WarmUp = TimeSpan.FromMilliseconds(500) };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => workload.RunAsync(host, TestContext.Current.CancellationToken));

        Assert.Contains("WarmUp must be a whole number of seconds for iperf3's -O (is 0.5 s)", e.Message);
    }
}
