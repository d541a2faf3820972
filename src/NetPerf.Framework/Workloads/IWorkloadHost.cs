// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// What a workload may do with a testbed: see its pairs and run commands in its containers.
/// </summary>
/// <remarks>
/// Workloads only talk to this interface, never to the container engine, so every parser and
/// every orchestration step can be tested with canned tool output.
/// </remarks>
public interface IWorkloadHost
{
    /// <summary>The client/server pairs of the testbed, in index order.</summary>
    IReadOnlyList<Pair> Pairs { get; }

    /// <summary>A directory on the host, bind-mounted read-write into every container at <see cref="SharedDirectoryInContainer"/> (barriers, logs).</summary>
    string SharedDirectoryOnHost { get; }

    /// <summary>Where <see cref="SharedDirectoryOnHost"/> appears inside every container.</summary>
    string SharedDirectoryInContainer { get; }

    /// <summary>Runs a command in a container and waits for it to exit.</summary>
    /// <param name="node">The container.</param>
    /// <param name="command">argv; use <c>sh -c</c> for shell syntax.</param>
    /// <param name="timeout">Killed (from the caller's side) and reported as <see cref="TimeoutException"/> after this long.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    Task<CommandResult> ExecAsync(Node node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Starts a long-running command (a server) in a container without waiting for it to exit.</summary>
    Task StartDetachedAsync(Node node, IReadOnlyList<string> command, CancellationToken cancellationToken);

    /// <summary>Reads cumulative CPU time of every container of the testbed and of the host; subtract two snapshots for a window.</summary>
    Task<CpuSnapshot> SnapshotCpuAsync(CancellationToken cancellationToken);
}
