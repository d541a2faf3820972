using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Workloads;

/// <summary>
/// wrk against nginx in your own containers (the HTTP image as servers and clients) on a real bridge testbed: NetPerf's
/// environment is visible inside, nginx serves on the pair's port with one worker, and the workload measures real requests.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WrkIntegrationTests : IDisposable
{
    private const int Pairs = 2;
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Wrk_loads_nginx_in_own_containers_that_see_their_netperf_environment()
    {
        var availability = CapabilityCheckRegistry.Default.Check(Driver.Bridge);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        var image = HttpImage.Reference;
        Assert.SkipUnless(await _engine.ImageExistsAsync(image, ct),
            $"the HTTP image '{image}' is not on the engine; run 'scripts/build-image.sh http' (scripts/setup.sh builds it offline), or set {HttpImage.EnvironmentVariable}");

        var builder = new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(Pairs).WithEngine(_engine)
            .WithServers(new OwnContainer(image).WithCommand("sh", "-c", HttpImage.ServerScript).WaitUntilPortIsListening())
            .WithClients(new OwnContainer(image).WithCommand("sleep", "infinity"));
        string tag;
        await using (var bed = await builder.BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            foreach (var pair in bed.Pairs)
            {
                var port = pair.Port.ToString(CultureInfo.InvariantCulture);
                var index = pair.Index.ToString(CultureInfo.InvariantCulture);
                Assert.Equal($"server {index} {port} - yes", await EnvironmentInsideAsync(bed, pair.Server, ct));
                Assert.Equal($"client {index} {port} {pair.Server.Address} yes", await EnvironmentInsideAsync(bed, pair.Client, ct));
                // nginx moved from port 80 to the pair's port.
                var listening = await bed.ExecAsync(pair.Server, ["sh", "-c", "ss -Hltnp"], TimeSpan.FromSeconds(10), ct);
                Assert.Contains($":{port} ", listening.Stdout);
                Assert.Contains("nginx", listening.Stdout);
                Assert.DoesNotContain(":80 ", listening.Stdout);
                var workers = await bed.ExecAsync(pair.Server, ["sh", "-c", "ps -eo args= | grep -c '^nginx: worker process'"], TimeSpan.FromSeconds(10), ct);
                Assert.Equal("1", workers.Stdout.Trim());
            }
            Assert.Equal(image, bed.Facts["server.image"]);

            var result = await Workload.Wrk(TimeSpan.FromSeconds(2)).RunAsync(bed, ct);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Value(Metrics.RequestsPerSecond):0} req/s, p50 {result.Value(Metrics.HttpLatencyP50):0} us, p99 {result.Value(Metrics.HttpLatencyP99):0} us, host CPU {result.Value(Metrics.HostCpuPercent):0}%"));

            // A trial with any socket error or error response would have thrown: every request was served.
            Assert.True(result.Value(Metrics.RequestsPerSecond) > 0, "no requests per second");
            Assert.True(result.Value(Metrics.HttpLatencyP50) > 0, "p50 latency is zero");
            Assert.True(result.Value(Metrics.HttpLatencyP50) <= result.Value(Metrics.HttpLatencyP99));
            Assert.Equal(Pairs, result.Flows.Count);
            foreach (var flow in result.Flows)
            {
                var rate = result.Value(Metrics.RequestsPerSecond, flow.Name);
                Assert.True(rate > 0, $"{flow.Name}: no requests");
                // What nginx served is /1k.bin: 1 KiB of body plus a few hundred bytes of headers per request.
                var bytesPerRequest = flow.Totals.ReceivedBytes!.Value / (rate * flow.Totals.Seconds!.Value);
                Assert.InRange(bytesPerRequest, 1024, 1500);
            }
            Assert.Equal(result.Flows.Sum(f => result.Value(Metrics.RequestsPerSecond, f.Name)), result.Value(Metrics.RequestsPerSecond), 6);
            Assert.StartsWith("wrk ", result.ToolVersions["wrk"], StringComparison.Ordinal);
            Assert.True(result.Value(Metrics.HostCpuPercent) > 0);
            Assert.True(result.Value(Metrics.CpuSecondsPerGb) > 0);
        }
        Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
    }

    private static async Task<string> EnvironmentInsideAsync(Testbed bed, Node node, CancellationToken ct)
    {
        var result = await bed.ExecAsync(node,
            ["sh", "-c", "echo \"$NETPERF_ROLE $NETPERF_PAIR $NETPERF_PORT ${NETPERF_SERVER_ADDRESS:--} $(test -d /netperf && echo yes || echo no)\""],
            TimeSpan.FromSeconds(10), ct);
        Assert.True(result.Succeeded, result.ToString());
        return result.Stdout.Trim();
    }
}
