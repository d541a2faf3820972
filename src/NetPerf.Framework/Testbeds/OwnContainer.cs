using System.Collections.Immutable;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// A container of your own (in namespace <c>NetPerf</c> with the other types a scenario author types) for the servers or the clients of a testbed: your image (an HTTP server, a database, a load
/// generator), its command or entrypoint, environment, files and a Testcontainers wait strategy. NetPerf attaches it to
/// the cell's network driver like its own tools containers and tells it where it is through the environment.
/// </summary>
/// <remarks>
/// <para>
/// Every own container gets <c>NETPERF_ROLE</c> (<c>server</c> or <c>client</c>), <c>NETPERF_PAIR</c> (0-based),
/// <c>NETPERF_PORT</c> (the pair's port: <see cref="TestbedOptions.BasePort"/> + pair, which the pair's server should
/// listen on; with host networking all servers share one network namespace) and, for clients,
/// <c>NETPERF_SERVER_ADDRESS</c> (the pair's server address as the driver gives it). Servers start first, clients after
/// their server is ready.
/// </para>
/// <para>
/// Traffic is started by the workload behind NetPerf's start barrier, as for the built-in tools; the testbed measures the
/// CPU of your containers the same way. NetPerf's shared directory is bind-mounted at <c>/netperf</c>. An image that
/// is not on the engine is pulled where a registry is reachable (Testcontainers' default); here, without a registry, it
/// must be built locally first.
/// </para>
/// </remarks>
/// <example><code>
/// var server = new OwnContainer("my-registry/my-http-server:1.2")
///     .WithEnvironment("LISTEN_PORT", "8080")
///     .WaitUntilPortIsListening();
/// Experiment.ForCurrentCell().WithServers(server).Run(...)
/// </code></example>
public sealed record OwnContainer
{
    /// <summary>A container from <paramref name="image"/> with the image's own entrypoint and command.</summary>
    /// <param name="image">An image reference, e.g. <c>netperf-http:7d50c50b8b09</c>.</param>
    public OwnContainer(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        Image = image;
    }

    /// <summary>The image reference.</summary>
    public string Image { get; }

    /// <summary>The command (argv) instead of the image's, or empty for the image's.</summary>
    public ImmutableArray<string> Command { get; private init; } = [];

    /// <summary>The entrypoint (argv) instead of the image's, or <see langword="null"/> for the image's.</summary>
    public ImmutableArray<string>? Entrypoint { get; private init; }

    /// <summary>Environment variables (NetPerf's own <c>NETPERF_*</c> variables are added to these).</summary>
    public ImmutableSortedDictionary<string, string> Environment { get; private init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Files written into the container before it starts, by absolute path.</summary>
    public ImmutableSortedDictionary<string, byte[]> Files { get; private init; } = ImmutableSortedDictionary.Create<string, byte[]>(StringComparer.Ordinal);

    /// <summary>What start waits for, given the pair's port; <see langword="null"/> waits until the container runs.</summary>
    public Func<int, IWaitForContainerOS>? WaitStrategy { get; private init; }

    /// <summary>How long starting (with the wait strategy) may take; 60 s by default.</summary>
    public TimeSpan StartTimeout { get; private init; } = TimeSpan.FromSeconds(60);

    /// <summary>Replaces the image's command.</summary>
    public OwnContainer WithCommand(params string[] command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return this with { Command = [.. command] };
    }

    /// <summary>Replaces the image's entrypoint.</summary>
    public OwnContainer WithEntrypoint(params string[] entrypoint)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        return this with { Entrypoint = [.. entrypoint] };
    }

    /// <summary>Adds or replaces an environment variable (not one of NetPerf's <c>NETPERF_*</c>).</summary>
    /// <exception cref="ArgumentException">The name is empty, contains '=' or starts with <c>NETPERF_</c>.</exception>
    public OwnContainer WithEnvironment(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Contains('=', StringComparison.Ordinal))
            throw new ArgumentException($"Environment variable name '{name}' contains '='.", nameof(name));
        if (name.StartsWith("NETPERF_", StringComparison.Ordinal))
            throw new ArgumentException($"'{name}': NETPERF_* variables are set by NetPerf (role, pair, port, server address).", nameof(name));
        return this with { Environment = Environment.SetItem(name, value) };
    }

    /// <summary>Writes a file into the container before it starts.</summary>
    /// <exception cref="ArgumentException">The path is not absolute.</exception>
    public OwnContainer WithFile(string path, byte[] content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(content);
        if (!path.StartsWith('/'))
            throw new ArgumentException($"File path '{path}' in the container is not absolute; write it like '/etc/app/config.yaml'.", nameof(path));
        return this with { Files = Files.SetItem(path, content) };
    }

    /// <summary>Writes a text file (UTF-8) into the container before it starts.</summary>
    public OwnContainer WithFile(string path, string content) => WithFile(path, System.Text.Encoding.UTF8.GetBytes(content ?? throw new ArgumentNullException(nameof(content))));

    /// <summary>Waits with this Testcontainers strategy, e.g. <c>port => Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort((ushort)port))</c>.</summary>
    public OwnContainer WaitUntil(Func<int, IWaitForContainerOS> strategy) => this with { WaitStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy)) };

    /// <summary>Waits until something listens on the pair's TCP port inside the container (for servers).</summary>
    public OwnContainer WaitUntilPortIsListening() => WaitUntil(port => Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(port));

    /// <summary>How long starting may take.</summary>
    public OwnContainer WithStartTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return this with { StartTimeout = timeout };
    }

    /// <summary>NetPerf's variables for a container in <paramref name="slot"/>.</summary>
    internal static IReadOnlyDictionary<string, string> NetPerfEnvironment(NodeSlot slot, int port, string? serverAddress)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NETPERF_ROLE"] = slot.Role == NodeRole.Server ? "server" : "client",
            ["NETPERF_PAIR"] = slot.PairIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NETPERF_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (serverAddress is not null) env["NETPERF_SERVER_ADDRESS"] = serverAddress;
        return env;
    }
}
