using NetPerf;

namespace MyScenarios;

/// <summary>
/// A first NetPerf scenario: TCP throughput of one iperf3 client/server pair on a Docker bridge network.
/// </summary>
/// <remarks>
/// Each driver x pairs combination is one test case (a cell). The first run on a machine records its numbers as a
/// provisional baseline under baselines/; later runs are compared with it and fail only on a confirmed regression.
/// Add drivers (<c>Driver.Host</c>, <c>Driver.Macvlan</c>, <c>Driver.Ovs</c>, ...) and pair counts to grow the matrix.
/// </remarks>
public sealed class SampleScenarios
{
    [DriverTheory(Driver.Bridge)]
    [Pairs(1)]
    public Task Tcp_throughput(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            .Run(Workload.Iperf3Tcp(TimeSpan.FromSeconds(2)))
            .Gate(Metrics.AggregateThroughput, tolerance: 0.10)     // fails the test on a confirmed regression
            .Report(Metrics.Retransmits)                           // reported only
            .RunAsync();
}
