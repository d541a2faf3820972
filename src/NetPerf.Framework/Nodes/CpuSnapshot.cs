// Author-facing, so in namespace NetPerf rather than NetPerf.Nodes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Cumulative CPU time at one instant: per container (from its cgroup) and for the whole host.</summary>
/// <param name="Timestamp">When the snapshot was taken (monotonic, for differences only).</param>
/// <param name="ContainerCpuSeconds">CPU-seconds used so far by each container, keyed by container name.</param>
/// <param name="HostBusyCpuSeconds">Non-idle CPU-seconds of the whole host so far (all cores, from /proc/stat).</param>
/// <param name="HostCores">Cores of the host.</param>
public sealed record CpuSnapshot(TimeSpan Timestamp, IReadOnlyDictionary<string, double> ContainerCpuSeconds, double HostBusyCpuSeconds, int HostCores);
