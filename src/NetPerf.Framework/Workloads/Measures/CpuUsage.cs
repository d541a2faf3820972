// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Measures (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>CPU used between two <see cref="CpuSnapshot"/>s taken around a run.</summary>
/// <param name="WallSeconds">Wall-clock seconds between the snapshots.</param>
/// <param name="ContainerCpuSeconds">CPU-seconds each container used, keyed by container name.</param>
/// <param name="HostBusyCpuSeconds">Non-idle CPU-seconds of the whole host (all cores).</param>
/// <param name="HostCores">Cores of the host.</param>
public sealed record CpuUsage(double WallSeconds, IReadOnlyDictionary<string, double> ContainerCpuSeconds, double HostBusyCpuSeconds, int HostCores)
{
    /// <summary>CPU-seconds used by all containers of the testbed together.</summary>
    public double ContainersCpuSeconds => ContainerCpuSeconds.Values.Sum();

    /// <summary>Busy CPU of the host, in percent of all its cores.</summary>
    public double HostCpuPercent => WallSeconds > 0 && HostCores > 0 ? 100 * HostBusyCpuSeconds / (WallSeconds * HostCores) : 0;

    /// <summary>Container CPU-seconds per 10^9 bytes moved, or <see langword="null"/> when nothing was moved.</summary>
    /// <param name="bytesMoved">Bytes the run moved while the snapshots were apart.</param>
    public double? CpuSecondsPerGigabyte(long bytesMoved) => bytesMoved > 0 ? ContainersCpuSeconds / (bytesMoved / 1e9) : null;

    /// <summary>The CPU used between <paramref name="before"/> and <paramref name="after"/>.</summary>
    /// <remarks>Containers missing from <paramref name="before"/> count from zero (a container started in between).</remarks>
    public static CpuUsage Between(CpuSnapshot before, CpuSnapshot after)
    {
        var perContainer = after.ContainerCpuSeconds.ToDictionary(
            kv => kv.Key,
            kv => kv.Value - before.ContainerCpuSeconds.GetValueOrDefault(kv.Key));
        return new CpuUsage(
            (after.Timestamp - before.Timestamp).TotalSeconds,
            perContainer,
            after.HostBusyCpuSeconds - before.HostBusyCpuSeconds,
            after.HostCores);
    }
}
