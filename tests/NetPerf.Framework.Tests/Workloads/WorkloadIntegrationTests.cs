using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Workloads;

/// <summary>
/// Every workload on every available driver at small scale (2 pairs, 1-second runs), on real containers: the values
/// must be sane (bytes received = bytes sent, p50 &lt;= p99, aggregate = sum of the flows over the window, skew reported).
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkloadIntegrationTests : IDisposable
{
    private const int Pairs = 2;
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    public static TheoryData<Driver, string> Cells => new MatrixTheoryData<Driver, string>(
        [Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs],
        ["iperf3-tcp", "iperf3-udp", "iperf2-tcp", "sockperf-pp", "sockperf-tp", "fixed-flows", "elephants-mice"]);

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Workload_gives_sane_values_on_real_containers(Driver driver, string workload)
    {
        var availability = new CapabilityCheck(_engine).Check(driver);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        string tag;
        await using (var bed = await new TestbedBuilder().WithDriver(driver).WithPairs(Pairs).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            var result = await Create(workload).RunAsync(bed, ct);
            Check(workload, result);
            Assert.True(double.IsFinite(result.StartSkewMilliseconds) && result.StartSkewMilliseconds >= 0 && result.StartSkewMilliseconds < 2000,
                $"start skew {result.StartSkewMilliseconds} ms");
            Assert.Equal(result.StartSkewMilliseconds, result.Value(Metrics.StartSkew), 6);
        }
        Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
    }

    private static IWorkload Create(string name) => name switch
    {
        "iperf3-tcp" => Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)),
        "iperf3-udp" => Workload.Iperf3Udp(200_000_000, TimeSpan.FromSeconds(1)),
        "iperf2-tcp" => Workload.Iperf2Tcp(TimeSpan.FromSeconds(3)),
        "sockperf-pp" => Workload.SockperfPingPong(350, TimeSpan.FromSeconds(1)),
        "sockperf-tp" => Workload.SockperfThroughput(1400, TimeSpan.FromSeconds(1)),
        "fixed-flows" => Workload.FixedSizeFlows(2_000_000),
        "elephants-mice" => Workload.ElephantMice(elephantFraction: 0.5, elephantBytes: 4_000_000, mouseBytes: 1_000_000),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static void Check(string workload, WorkloadResult r)
    {
        switch (workload)
        {
            case "iperf3-tcp" or "iperf2-tcp" or "sockperf-tp":
                AggregateIsSumOfFlows(r);
                if (workload == "sockperf-tp") Assert.True(r.Value(Metrics.MessagesPerSecond) > 0);
                break;
            case "iperf3-udp":
                AggregateIsSumOfFlows(r);
                Assert.InRange(r.Value(Metrics.UdpLoss), 0, 100);
                Assert.True(r.Value(Metrics.UdpJitter) >= 0);
                Assert.True(r.Value(Metrics.PacketsPerSecond) > 0);
                break;
            case "sockperf-pp":
                Assert.True(r.Value(Metrics.LatencyAvg) > 0);
                Assert.True(r.Value(Metrics.LatencyP50) <= r.Value(Metrics.LatencyP99), $"p50 {r.Value(Metrics.LatencyP50)} > p99 {r.Value(Metrics.LatencyP99)}");
                Assert.True(r.Value(Metrics.LatencyP99) <= r.Value(Metrics.LatencyMax));
                break;
            case "fixed-flows" or "elephants-mice":
                Assert.Equal(Pairs, r.Flows.Count);
                foreach (var f in r.Flows)
                {
                    Assert.True(f.Totals.SentBytes > 0, $"{f.Name} sent nothing");
                    Assert.Equal(f.Totals.SentBytes, f.Totals.ReceivedBytes);
                }
                Assert.True(r.Value(Metrics.FctMedian) > 0);
                Assert.True(r.Value(Metrics.FctMedian) <= r.Value(Metrics.FctP99));
                if (workload == "elephants-mice")
                {
                    Assert.Equal([1_000_000L, 4_000_000L], r.Flows.Select(f => f.Totals.SentBytes ?? 0).Order());
                    Assert.True(r.Value(Metrics.ElephantFctMedian) > 0 && r.Value(Metrics.MiceFctMedian) > 0);
                }
                break;
        }
    }

    private static void AggregateIsSumOfFlows(WorkloadResult r)
    {
        var aggregate = r.Value(Metrics.AggregateThroughput);
        var flows = Enumerable.Range(0, Pairs).Select(i => r.Value(Metrics.FlowThroughput, $"pair-{i}")).ToList();
        Assert.True(aggregate > 0, "aggregate throughput is zero");
        Assert.All(flows, f => Assert.True(f > 0));
        Assert.Equal(flows.Sum(), aggregate, aggregate * 1e-6);
    }
}
