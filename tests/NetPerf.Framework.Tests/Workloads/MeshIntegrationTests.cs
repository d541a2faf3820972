using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Workloads;

/// <summary>The mesh emulation on real containers: three nodes on a bridge, every record everywhere, nothing left running.</summary>
[Trait("Category", "Integration")]
public sealed class MeshIntegrationTests : IDisposable
{
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Three_nodes_on_a_bridge_hold_every_record_with_and_without_communication()
    {
        var availability = new CapabilityCheck(_engine).Check(Driver.Bridge);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper!;
        // 40 records per node at 1200/min: 2 s expected, 4 batches of 10 to each of 2 peers.
        var mesh = Workload.Mesh(recordsPerMinute: 1200, duration: TimeSpan.FromSeconds(2), batchSize: 10, recordSizeBytes: 128);
        string tag;
        await using (var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(3).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            foreach (var workload in new[] { mesh, mesh with { Communicate = false } })
            {
                var result = await workload.RunAsync(bed, ct);
                output.WriteLine(Describe(result));

                Assert.Equal(3, result.Flows.Count);
                var peers = workload.Communicate ? 2 : 0;
                Assert.All(result.Flows, f => Assert.Equal(40L * 128 * peers, f.Totals.ReceivedBytes));
                foreach (var flow in result.Flows)
                {
                    var deviation = result.Value(Metrics.MeshDeviation, flow.Name);
                    Assert.True(double.IsFinite(deviation) && deviation >= -5, $"{flow.Name}: deviation {deviation} %");
                    Assert.InRange(result.Value(Metrics.MeshExecutionTime, flow.Name), 2.0, 2.0 * 1.5);
                }
                Assert.Equal(result.Flows.Max(f => result.Value(Metrics.MeshDeviation, f.Name)), result.Value(Metrics.MeshDeviation));
                Assert.StartsWith("5.", result.ToolVersions["bash"], StringComparison.Ordinal);

                // Every node stopped its listeners and links.
                foreach (var node in bed.Pairs.Select(p => p.Server))
                {
                    var ps = await bed.ExecAsync(node, ["ps", "-e", "-o", "comm="], TimeSpan.FromSeconds(10), ct);
                    Assert.DoesNotContain(ps.Stdout.Split('\n'), c => c.Trim() is "nc" or "timeout" or "bash");
                }
            }
        }
        Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
    }

    private static string Describe(WorkloadResult result) =>
        $"{result.Workload}: " + string.Join(", ", result.Measurements.Select(m =>
            string.Create(CultureInfo.InvariantCulture, $"{m.Metric.Name}{(m.Flow is null ? "" : $"[{m.Flow}]")}={m.Value:0.###} {m.Metric.Unit}")));
}
