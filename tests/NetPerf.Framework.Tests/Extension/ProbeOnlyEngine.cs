using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Extension;

/// <summary>An engine that answers only the capability probe (a local engine with the tools image); everything else is refused.</summary>
internal sealed class ProbeOnlyEngine : IContainerEngine
{
    private int _probes;

    /// <summary>How often the probe asked for the engine's description.</summary>
    public int Probes => _probes;

    public string Endpoint => "unix:///probe-only.sock";

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _probes);
        return Task.FromResult(new EngineInfo("probe-only", "1.41", "6.1.0", "linux", 2, SwarmActive: false));
    }

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) => throw Refused();

    public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default) => throw Refused();

    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default) => throw Refused();

    public Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default) => throw Refused();

    public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default) => throw Refused();

    public Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default) => throw Refused();

    public Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default) => throw Refused();

    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default) => throw Refused();

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default) => throw Refused();

    public Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default) => throw Refused();

    public Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default) => throw Refused();

    public void Dispose()
    {
    }

    private static NotSupportedException Refused() => new("The probe-only engine answers the capability probe and nothing else.");
}
