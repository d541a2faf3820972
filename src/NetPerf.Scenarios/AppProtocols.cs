namespace NetPerf.Scenarios;

/// <summary>
/// An application protocol on each network driver (Host, Bridge, Macvlan, Ovs, and the survey's BridgeNat, Overlay and Container), in containers of the user's kind rather than NetPerf's tools image:
/// nginx serving a 1 KiB file and wrk loading it over 10 kept-open connections, both from the HTTP image
/// (<c>image/http</c>, <see cref="HttpImage"/>), attached to the cell's driver as the pair's own server and client.
/// </summary>
/// <remarks>
/// The gates are requests per second (10%) and median request latency (20%, as for the other latency cells); p99 and
/// CPU are reported. Each pair's containers are pinned to different cores: on 2 cores wrk and nginx otherwise share
/// cores in one run and not in the next, which moves latency more than a driver regression would. nginx runs one worker
/// (<see cref="HttpImage.ServerScript"/>), so its core is not shared by two workers taking turns. Trials are 3 s: the
/// four cells took 43 s of the main job here (3 trials each), 68 s when one cell ran a confirmation.
/// </remarks>
public sealed class AppProtocols
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(3);

    [DriverTheory(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs, Driver.BridgeNat, Driver.Overlay, Driver.Container)]
    [Pairs(1)]
    public Task Http_requests(Driver driver, int pairs) =>
        Experiment.ForCurrentCell()
            // nginx moved to the pair's port (all servers share one namespace with host networking); the client idles
            // until the workload runs wrk in it behind the start barrier.
            .WithServers(new OwnContainer(HttpImage.Reference).WithCommand("sh", "-c", HttpImage.ServerScript).WaitUntilPortIsListening())
            .WithClients(new OwnContainer(HttpImage.Reference).WithCommand("sleep", "infinity"))
            .Run(Workload.Wrk(Short, connections: 10, path: "/1k.bin"))
            .Pin(CpuPinning.DifferentCores)
            .Gate(Metrics.RequestsPerSecond, tolerance: 0.10)
            .Gate(Metrics.HttpLatencyP50, tolerance: 0.20)
            .Report(Metrics.HttpLatencyP99, Metrics.HostCpuPercent, Metrics.CpuSecondsPerGb)
            .RunAsync();
}
