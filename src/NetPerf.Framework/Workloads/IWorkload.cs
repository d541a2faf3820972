// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Traffic to run between the pairs of a testbed, and how to turn the tools' output into measurements.</summary>
/// <remarks>
/// A runner calls <see cref="RunAsync"/> once per trial on a ready testbed. A workload only talks to
/// <see cref="IWorkloadHost"/>; it fails loudly with <see cref="WorkloadException"/> rather than
/// returning a zero, NaN or partial value.
/// </remarks>
public interface IWorkload
{
    /// <summary>A stable name for reports and file names, e.g. <c>iperf3-tcp</c>.</summary>
    string Name { get; }

    /// <summary>The metrics this workload reports (aggregates; per-flow values reuse them with a flow name).</summary>
    IReadOnlyList<Metric> Metrics { get; }

    /// <summary>Runs one trial on all pairs of the testbed, started together, and returns what was measured.</summary>
    /// <param name="host">The testbed, as a workload sees it.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="WorkloadException">A tool failed, its output could not be parsed, or flows did not overlap.</exception>
    Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken);
}
