using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetPerf.Testbeds.Engine;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds.Engine (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Builds a <see cref="ContainerSpec"/> step by step; every <c>With</c> returns a new builder.</summary>
/// <remarks>
/// <para>
/// Builders are immutable, so a partly configured builder can be shared and branched:
/// </para>
/// <code>
/// var server = new ContainerBuilder().WithImage(image).WithLabel("netperf", "1").WithCommand("sleep", "infinity");
/// ContainerSpec s0 = server.WithName("np-s0").WithNetwork("np-net", "10.89.0.10").Build();
/// </code>
/// <para>
/// <c>With</c> methods only reject <see langword="null"/>; <see cref="Build"/> checks everything else
/// and reports all problems at once.
/// </para>
/// </remarks>
public sealed partial record ContainerBuilder
{
    private string Name { get; init; } = "";

    private string? Image { get; init; }

    private ImmutableArray<string> Command { get; init; } = [];

    private string NetworkMode { get; init; } = "bridge";

    private string? IpAddress { get; init; }

    private ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private ImmutableArray<(string Host, string Container, bool ReadOnly)> Binds { get; init; } = [];

    private ImmutableArray<string> Capabilities { get; init; } = [];

    private string? Cpuset { get; init; }

    private double? Cpus { get; init; }

    private ImmutableArray<(string HostIp, int Port)> PublishedPorts { get; init; } = [];

    private ImmutableSortedDictionary<string, string> Sysctls { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private ImmutableSortedDictionary<string, string> Environment { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private ImmutableArray<string>? Entrypoint { get; init; }

    private DotNet.Testcontainers.Configurations.IWaitForContainerOS? WaitStrategy { get; init; }

    private TimeSpan? StartTimeout { get; init; }

    private long? MemoryBytes { get; init; }

    /// <summary>The smallest memory limit Docker accepts.</summary>
    internal const long MinimumMemoryBytes = 6 * 1024 * 1024;

    private ImmutableSortedDictionary<string, byte[]> Files { get; init; } = ImmutableSortedDictionary.Create<string, byte[]>(StringComparer.Ordinal);

    /// <summary>Writes a file (absolute path) into the container before it starts.</summary>
    public ContainerBuilder WithFile(string path, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        return this with { Files = Files.SetItem(path, content) };
    }

    /// <summary>The container name (letters, digits, <c>_ . -</c>); without one the engine picks a random name.</summary>
    public ContainerBuilder WithName(string name) => this with { Name = name ?? throw new ArgumentNullException(nameof(name)) };

    /// <summary>The image reference, e.g. <c>netperf-tools:0324ddbab614</c>. Required.</summary>
    public ContainerBuilder WithImage(string image) => this with { Image = image ?? throw new ArgumentNullException(nameof(image)) };

    /// <summary>The command (argv) the container runs instead of the image's default; replaces any earlier command.</summary>
    public ContainerBuilder WithCommand(params string[] command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return this with { Command = [.. command] };
    }

    /// <summary>The entrypoint (argv) instead of the image's.</summary>
    public ContainerBuilder WithEntrypoint(params string[] entrypoint)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        return this with { Entrypoint = [.. entrypoint] };
    }

    /// <summary>Adds or replaces an environment variable of the container.</summary>
    public ContainerBuilder WithEnvironment(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Environment = Environment.SetItem(name, value) };
    }

    /// <summary>What start waits for before the container counts as ready, e.g. <c>Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(80)</c>.</summary>
    public ContainerBuilder WithWaitStrategy(DotNet.Testcontainers.Configurations.IWaitForContainerOS waitStrategy) =>
        this with { WaitStrategy = waitStrategy ?? throw new ArgumentNullException(nameof(waitStrategy)) };

    /// <summary>How long creating, starting and waiting may take (default: the engine's call timeout).</summary>
    public ContainerBuilder WithStartTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return this with { StartTimeout = timeout };
    }

    /// <summary>Attaches the container to a user-defined network, optionally at a fixed IPv4 address inside its subnet.</summary>
    /// <remarks>Replaces any earlier <see cref="WithNetwork"/> or <see cref="WithNetworkMode"/>.</remarks>
    public ContainerBuilder WithNetwork(string name, string? ipAddress = null) =>
        this with { NetworkMode = name ?? throw new ArgumentNullException(nameof(name)), IpAddress = ipAddress };

    /// <summary>Uses a built-in network mode: <c>host</c>, <c>none</c>, <c>bridge</c> or <c>container:&lt;id&gt;</c>.</summary>
    /// <remarks>Replaces any earlier <see cref="WithNetwork"/> or <see cref="WithNetworkMode"/>; for a user network use <see cref="WithNetwork"/>.</remarks>
    public ContainerBuilder WithNetworkMode(string mode) =>
        this with { NetworkMode = mode ?? throw new ArgumentNullException(nameof(mode)), IpAddress = null };

    /// <summary>Adds or replaces a label; label NetPerf resources with <c>netperf=1</c> so the reaper finds them.</summary>
    public ContainerBuilder WithLabel(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Labels = Labels.SetItem(key, value) };
    }

    /// <summary>Bind-mounts a host directory or file (absolute path) into the container.</summary>
    public ContainerBuilder WithBind(string hostPath, string containerPath, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        ArgumentNullException.ThrowIfNull(containerPath);
        return this with { Binds = Binds.Add((hostPath, containerPath, readOnly)) };
    }

    /// <summary>Adds a Linux capability, e.g. <c>NET_ADMIN</c> (the <c>CAP_</c> prefix is optional).</summary>
    public ContainerBuilder WithCapability(string capability)
    {
        ArgumentNullException.ThrowIfNull(capability);
        string name = capability.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? capability[4..] : capability;
        return Capabilities.Contains(name) ? this : this with { Capabilities = Capabilities.Add(name) };
    }

    /// <summary>Pins the container to host CPUs, e.g. <c>0,1</c> or <c>0-3</c>.</summary>
    public ContainerBuilder WithCpuset(string cpus) => this with { Cpuset = cpus ?? throw new ArgumentNullException(nameof(cpus)) };

    /// <summary>Limits the container to this many CPUs of time (e.g. 1.5), like <c>docker run --cpus</c>.</summary>
    public ContainerBuilder WithCpus(double cpus) => this with { Cpus = cpus };

    /// <summary>Limits the container's memory (swap included) to <paramref name="bytes"/>, like <c>docker run -m N --memory-swap N</c>.</summary>
    /// <remarks>The kernel's OOM killer then kills the largest process of the container that goes past it.</remarks>
    internal ContainerBuilder WithMemoryLimit(long bytes) => this with { MemoryBytes = bytes };

    /// <summary>Sets a namespaced sysctl in the container, e.g. <c>net.ipv4.tcp_congestion_control</c>.</summary>
    public ContainerBuilder WithSysctl(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Sysctls = Sysctls.SetItem(key, value) };
    }

    /// <summary>Publishes a container port (TCP and UDP) on the engine host's <paramref name="hostIp"/> at the same port number, like <c>-p hostIp:port:port</c>.</summary>
    public ContainerBuilder WithPublishedPort(string hostIp, int port)
    {
        ArgumentNullException.ThrowIfNull(hostIp);
        if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is between 1 and 65535.");
        return this with { PublishedPorts = PublishedPorts.Add((hostIp, port)) };
    }

    /// <summary>Checks the configuration and returns the spec.</summary>
    /// <exception cref="InvalidOperationException">Something is missing or malformed; the message lists every problem.</exception>
    public ContainerSpec Build()
    {
        var problems = new List<string>();
        if (Name.Length > 0 && !NamePattern().IsMatch(Name))
        {
            problems.Add($"name '{Name}' is not a valid container name: use letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }

        if (MemoryBytes is < MinimumMemoryBytes)
        {
            problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"memory limit {MemoryBytes} bytes is below the engine's minimum of {MinimumMemoryBytes} bytes (6 MiB)."));
        }

        if (string.IsNullOrWhiteSpace(Image))
        {
            problems.Add("no image: call WithImage(\"name:tag\"), e.g. the tag scripts/build-image.sh prints.");
        }

        if (Command.Any(string.IsNullOrEmpty) || (Command.Length > 0 && string.IsNullOrWhiteSpace(Command[0])))
        {
            problems.Add($"command [{string.Join(", ", Command.Select(a => $"'{a}'"))}] has an empty program name or argument.");
        }

        ValidateNetwork(problems);
        foreach ((string key, _) in Labels.Where(l => string.IsNullOrWhiteSpace(l.Key)))
        {
            problems.Add($"label key '{key}' is empty.");
        }

        foreach ((string host, string container, _) in Binds)
        {
            if (!host.StartsWith('/'))
            {
                problems.Add($"bind host path '{host}' is not absolute; pass a full path such as '/tmp/netperf'.");
            }

            if (!container.StartsWith('/'))
            {
                problems.Add($"bind container path '{container}' is not absolute; pass a full path such as '/shared'.");
            }

            if (host.Contains(':', StringComparison.Ordinal) || container.Contains(':', StringComparison.Ordinal))
            {
                problems.Add($"bind '{host}' -> '{container}' contains ':', which the engine reads as a separator; choose paths without ':'.");
            }
        }

        foreach (string capability in Capabilities.Where(c => !CapabilityPattern().IsMatch(c)))
        {
            problems.Add($"capability '{capability}' is not a capability name such as 'NET_ADMIN'.");
        }

        if (Cpuset is not null && !CpusetPattern().IsMatch(Cpuset))
        {
            problems.Add($"cpuset '{Cpuset}' is not a CPU list such as '0,1' or '0-3'.");
        }

        if (Cpus is { } cpus && !(double.IsFinite(cpus) && cpus > 0))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"CPU limit {cpus} is not a positive number of CPUs, e.g. 1.5."));
        }

        foreach (string path in Files.Keys.Where(f => !f.StartsWith('/')))
        {
            problems.Add($"file path '{path}' is not absolute; write it like '/etc/app/config.yaml'.");
        }

        foreach (string key in Environment.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
        {
            problems.Add($"environment variable name '{key}' is empty or contains '='.");
        }

        if (Entrypoint is { } entrypoint && (entrypoint.Length == 0 || string.IsNullOrWhiteSpace(entrypoint[0])))
        {
            problems.Add("entrypoint has no program name; pass at least one argument, e.g. WithEntrypoint(\"/docker-entrypoint.sh\").");
        }

        foreach (string key in Sysctls.Keys.Where(k => !SysctlPattern().IsMatch(k)))
        {
            problems.Add($"sysctl '{key}' is not a sysctl name such as 'net.ipv4.ip_forward'.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The container{(Name.Length > 0 ? $" '{Name}'" : "")} cannot be built ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
                + string.Concat(problems.Select(p => System.Environment.NewLine + "- " + p)));
        }

        return new ContainerSpec(
            Name,
            Image!,
            Command,
            NetworkMode,
            IpAddress,
            Labels,
            [.. Binds.Select(b => $"{b.Host}:{b.Container}{(b.ReadOnly ? ":ro" : "")}")],
            Capabilities,
            Cpuset,
            Cpus is { } c ? (long)Math.Round(c * 1e9) : null,
            Sysctls)
        {
            PublishedPorts = PublishedPorts,
            Environment = Environment,
            Entrypoint = Entrypoint is { } e ? [.. e] : null,
            WaitStrategy = WaitStrategy,
            StartTimeout = StartTimeout,
            Files = Files,
            MemoryBytes = MemoryBytes,
        };
    }

    private void ValidateNetwork(List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(NetworkMode))
        {
            problems.Add("network name is empty; call WithNetwork(\"name\") or WithNetworkMode(\"host\").");
            return;
        }

        if (NetworkMode.StartsWith("container:", StringComparison.Ordinal) && NetworkMode.Length == "container:".Length)
        {
            problems.Add("network mode 'container:' names no container; write 'container:<id or name>'.");
        }

        if (IpAddress is null)
        {
            return;
        }

        if (!IPAddress.TryParse(IpAddress, out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork
            || !IpAddress.Contains('.', StringComparison.Ordinal))
        {
            problems.Add($"IP address '{IpAddress}' is not an IPv4 address such as '10.89.0.10'.");
        }

        if (NetworkMode is "bridge" or "default" or "host" or "none")
        {
            problems.Add($"a fixed IP address ('{IpAddress}') needs a user-defined network, not '{NetworkMode}'; create one with NetworkBuilder and pass its name to WithNetwork.");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex CapabilityPattern();

    [GeneratedRegex(@"^\d+(-\d+)?(,\d+(-\d+)?)*$")]
    private static partial Regex CpusetPattern();

    [GeneratedRegex(@"^[a-z0-9_]+(\.[a-z0-9_\-]+|/[a-z0-9_\-]+)+$")]
    private static partial Regex SysctlPattern();
}
