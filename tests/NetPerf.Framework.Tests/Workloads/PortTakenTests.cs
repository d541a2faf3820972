using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Testbeds;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Workloads;

/// <summary>
/// Another process takes a pair's port after the Host driver chose its free block and before the workload's server binds
/// (servers bind only when a workload starts): the workload must fail soon, naming the pair's server container, the
/// port, "already in use" and what to do, and its client must never talk to the intruder (which would give numbers of
/// something else, or a client that waits until its timeout).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PortTakenTests : IDisposable
{
    /// <summary>A server that cannot bind fails at once; this leaves room for a loaded machine, far below the 60 s start timeout.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    public static TheoryData<string> Workloads => ["iperf3-tcp", "iperf2-tcp", "sockperf-pp"];

    [Theory]
    [MemberData(nameof(Workloads))]
    public async Task A_port_taken_after_provisioning_fails_the_workload_naming_the_pair_the_port_and_what_to_do(string workload)
    {
        var availability = new CapabilityCheck(_engine).Check(Driver.Host);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        string tag;
        await using (var bed = await new TestbedBuilder().WithDriver(Driver.Host).WithPairs(2).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            // The second pair, so that the message must name the right one; its server's address on the host network.
            var pair = bed.Pairs[1];
            Assert.Equal("127.0.0.1", pair.Server.Address);
            var port = pair.Port.ToString(CultureInfo.InvariantCulture);

            var intruder = new TcpListener(IPAddress.Loopback, pair.Port);
            intruder.Start();
            WorkloadException failure;
            var watch = Stopwatch.StartNew();
            try
            {
                failure = await Assert.ThrowsAsync<WorkloadException>(() => Create(workload).RunAsync(bed, ct));
                watch.Stop();
                // No client ever reached the intruder: nothing was measured against it.
                Assert.False(intruder.Pending(), $"a client of '{workload}' connected to the process that took port {port}");
            }
            finally
            {
                intruder.Stop();
            }
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{workload}: failed after {watch.Elapsed.TotalSeconds:0.00} s: {failure.Message}"));

            Assert.True(watch.Elapsed < Bound, $"the failure took {watch.Elapsed.TotalSeconds:0.0} s, more than {Bound.TotalSeconds:0} s");
            Assert.Equal(pair.Server.Name, failure.NodeName);
            Assert.Contains($"'{pair.Server.Name}'", failure.Message, StringComparison.Ordinal);
            Assert.Contains($"pair {pair.Index}", failure.Message, StringComparison.Ordinal);
            Assert.Contains($"port {port}", failure.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("already in use", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Address already in use", failure.Message, StringComparison.Ordinal);
            Assert.Contains("free the port or run again", failure.Message, StringComparison.Ordinal);
            // The other pair's server was not the one blamed.
            Assert.DoesNotContain($"'{bed.Pairs[0].Server.Name}'", failure.Message, StringComparison.Ordinal);

            // With the port free again, the same testbed runs the workload: the advice works and nothing of the failed run is in the way.
            var result = await Create(workload).RunAsync(bed, ct);
            Assert.Equal(2, result.Flows.Count);
        }
        await Leftovers.NoneLeftAsync(_engine, Reaper.SessionId, "a pair's port taken by another process before its server binds (Host)", tag);
    }

    private static IWorkload Create(string name) => name switch
    {
        "iperf3-tcp" => Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)),
        "iperf2-tcp" => Workload.Iperf2Tcp(TimeSpan.FromSeconds(3)),
        "sockperf-pp" => Workload.SockperfPingPong(350, TimeSpan.FromSeconds(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
