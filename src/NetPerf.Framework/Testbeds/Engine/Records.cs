using NetPerf.Testbeds.Engine;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds.Engine (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>What the engine says about itself.</summary>
/// <param name="ServerVersion">e.g. <c>20.10.24+dfsg1</c>.</param>
/// <param name="ApiVersion">The API version used for calls, after negotiation, e.g. <c>1.41</c>.</param>
/// <param name="KernelVersion">The engine host's kernel.</param>
/// <param name="OperatingSystem">The engine host's OS description.</param>
/// <param name="Cpus">CPUs the engine sees.</param>
/// <param name="SwarmActive">True when this engine is a swarm node (overlay networks possible).</param>
public sealed record EngineInfo(string ServerVersion, string ApiVersion, string KernelVersion, string OperatingSystem, int Cpus, bool SwarmActive);

/// <summary>A network as listed by the engine.</summary>
public sealed record NetworkSummary(string Id, string Name, string Driver, IReadOnlyList<string> Subnets, IReadOnlyDictionary<string, string> Labels);

/// <summary>What the engine shows of a network it refuses to remove: its scope, the endpoints it lists and the containers on it.</summary>
/// <remarks>
/// Read by <see cref="IContainerEngine.InspectNetworkUseAsync"/>. A <c>local</c> network that lists no endpoint and has no
/// container, yet is refused for "active endpoints", is held only by the engine's stored endpoint count, which waiting
/// does not lower; NetPerf then stops retrying early and reports it.
/// </remarks>
/// <param name="Scope">The network's scope as the engine reports it: <c>local</c>, <c>swarm</c> or <c>global</c>.</param>
/// <param name="Endpoints">The names of the endpoints the engine lists on it (an attached container, or an endpoint a removed container left).</param>
/// <param name="Containers">The ids of the containers, in any state, that the engine has on it (including one still being removed).</param>
public sealed record NetworkUse(string Scope, IReadOnlyList<string> Endpoints, IReadOnlyList<string> Containers);

/// <summary>A container as listed by the engine.</summary>
public sealed record ContainerSummary(string Id, string Name, string State, IReadOnlyDictionary<string, string> Labels);

/// <summary>A container's inspected state.</summary>
/// <param name="Id">Full id.</param>
/// <param name="Name">Name without the leading slash.</param>
/// <param name="Running">True while the container runs.</param>
/// <param name="Pid">The init process id on the host (0 when not running); its netns is /proc/Pid/ns/net.</param>
/// <param name="IpAddresses">IPv4 address per attached network name.</param>
public sealed record ContainerDetails(string Id, string Name, bool Running, int Pid, IReadOnlyDictionary<string, string> IpAddresses);

/// <summary>Everything needed to create a network. Build with <see cref="NetworkBuilder"/>.</summary>
public sealed record NetworkSpec(
    string Name,
    string Driver,
    string? Subnet,
    string? Gateway,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, string> Labels,
    bool Attachable,
    bool Internal);

/// <summary>Everything needed to create a container. Build with <see cref="ContainerBuilder"/>.</summary>
public sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    string NetworkMode,
    string? IpAddress,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Binds,
    IReadOnlyList<string> CapAdd,
    string? CpusetCpus,
    long? NanoCpus,
    IReadOnlyDictionary<string, string> Sysctls)
{
    /// <summary>Ports published on the engine's host, TCP and UDP, as (host address, port); host port = container port.</summary>
    public IReadOnlyList<(string HostIp, int Port)> PublishedPorts { get; init; } = [];

    /// <summary>Environment variables of the container's processes.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The entrypoint (argv) instead of the image's; <see langword="null"/> keeps the image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>What start waits for before the container counts as ready (a Testcontainers wait strategy); <see langword="null"/> waits until it runs.</summary>
    public DotNet.Testcontainers.Configurations.IWaitForContainerOS? WaitStrategy { get; init; }

    /// <summary>Files written into the container before it starts, by absolute path.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>How long creating, starting and waiting may take; <see langword="null"/> for the engine's call timeout.</summary>
    public TimeSpan? StartTimeout { get; init; }

    /// <summary>The container's memory limit in bytes (swap included, so it cannot swap past it), or <see langword="null"/> for none.</summary>
    internal long? MemoryBytes { get; init; }
}
