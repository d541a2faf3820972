using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Experiments;

/// <summary>An engine whose containers exist only as ids (for the runner on driver None with a fake workload); counts what was started and removed.</summary>
/// <param name="endpoint">What <see cref="Endpoint"/> says, e.g. <c>unix:///fake-reuse.sock</c>.</param>
internal sealed class IdOnlyEngine(string endpoint) : IContainerEngine
{
    private int _started;
    private int _removed;

    public int Started => _started;

    public int Removed => _removed;

    public string Endpoint => endpoint;

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new EngineInfo("fake", "1.41", "6.1.0", "linux", 2, SwarmActive: false));

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) => Task.FromResult("sha256:fake");

    public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default) => Task.FromResult(spec.Name);

    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NetworkSummary>>([]);

    public Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _started);
        return Task.FromResult("id-" + spec.Name);
    }

    public Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ContainerDetails(id, id[3..], Running: true, Pid: 0, new Dictionary<string, string>()));

    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _removed);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ContainerSummary>>([]);

    public Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake workload runs no commands.");

    public Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake workload runs no commands.");

    public void Dispose()
    {
    }
}
