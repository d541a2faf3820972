using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using NetPerf.Testbeds.Engine;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds.Engine (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Builds a <see cref="NetworkSpec"/> step by step; every <c>With</c> returns a new builder.</summary>
/// <remarks>
/// <code>
/// NetworkSpec net = new NetworkBuilder().WithName("np-ab12").WithSubnet("10.89.0.0/24").WithLabel("netperf", "1").Build();
/// </code>
/// <para>
/// The driver defaults to <c>bridge</c>. <c>With</c> methods only reject <see langword="null"/>;
/// <see cref="Build"/> checks everything else and reports all problems at once.
/// </para>
/// </remarks>
public sealed partial record NetworkBuilder
{
    private string? Name { get; init; }

    private string Driver { get; init; } = "bridge";

    private string? Subnet { get; init; }

    private string? Gateway { get; init; }

    private ImmutableSortedDictionary<string, string> Options { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private bool Attachable { get; init; }

    private bool Internal { get; init; }

    /// <summary>The network name. Required.</summary>
    public NetworkBuilder WithName(string name) => this with { Name = name ?? throw new ArgumentNullException(nameof(name)) };

    /// <summary>The network driver: <c>bridge</c> (default), <c>macvlan</c>, <c>overlay</c>, ...</summary>
    public NetworkBuilder WithDriver(string driver) => this with { Driver = driver ?? throw new ArgumentNullException(nameof(driver)) };

    /// <summary>The subnet in CIDR form (e.g. <c>10.89.0.0/24</c>) and optionally the gateway inside it.</summary>
    public NetworkBuilder WithSubnet(string cidr, string? gateway = null) =>
        this with { Subnet = cidr ?? throw new ArgumentNullException(nameof(cidr)), Gateway = gateway };

    /// <summary>Adds or replaces a driver option, e.g. <c>parent</c> for macvlan or <c>com.docker.network.driver.mtu</c>.</summary>
    public NetworkBuilder WithOption(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Options = Options.SetItem(key, value) };
    }

    /// <summary>Adds or replaces a label; label NetPerf resources with <c>netperf=1</c> so the reaper finds them.</summary>
    public NetworkBuilder WithLabel(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Labels = Labels.SetItem(key, value) };
    }

    /// <summary>Lets standalone containers join the network (needed for swarm-scoped drivers such as overlay).</summary>
    public NetworkBuilder WithAttachable(bool attachable = true) => this with { Attachable = attachable };

    /// <summary>Cuts the network off from outside traffic: its containers reach only each other.</summary>
    public NetworkBuilder WithInternal(bool isInternal = true) => this with { Internal = isInternal };

    /// <summary>Checks the configuration and returns the spec.</summary>
    /// <exception cref="InvalidOperationException">Something is missing or malformed; the message lists every problem.</exception>
    public NetworkSpec Build()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("no name: call WithName(\"np-...\").");
        }
        else if (!NamePattern().IsMatch(Name))
        {
            problems.Add($"name '{Name}' is not a valid network name: use letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(Driver))
        {
            problems.Add("driver is empty; call WithDriver(\"bridge\") or leave the default.");
        }

        IPNetwork? subnet = null;
        if (Subnet is not null)
        {
            // IPNetwork.TryParse accepts host bits (10.89.0.5/24); the engine's IPAM wants the network address itself.
            int slash = Subnet.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && IPNetwork.TryParse(Subnet, out IPNetwork parsed)
                && IPAddress.TryParse(Subnet[..slash], out IPAddress? written) && parsed.BaseAddress.Equals(written))
            {
                subnet = parsed;
            }
            else
            {
                problems.Add($"subnet '{Subnet}' is not a CIDR network with no host bits set, such as '10.89.0.0/24'.");
            }
        }

        if (Gateway is not null)
        {
            if (!IPAddress.TryParse(Gateway, out IPAddress? gateway))
            {
                problems.Add($"gateway '{Gateway}' is not an IP address such as '10.89.0.1'.");
            }
            else if (subnet is { } network && !network.Contains(gateway))
            {
                problems.Add($"gateway '{Gateway}' is outside subnet '{Subnet}'; pick an address inside it, e.g. its first host.");
            }
        }

        foreach (string key in Labels.Keys.Where(string.IsNullOrWhiteSpace).Concat(Options.Keys.Where(string.IsNullOrWhiteSpace)))
        {
            problems.Add($"label or option key '{key}' is empty.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The network{(string.IsNullOrWhiteSpace(Name) ? "" : $" '{Name}'")} cannot be built ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
                + string.Concat(problems.Select(p => Environment.NewLine + "- " + p)));
        }

        return new NetworkSpec(Name!, Driver, Subnet, Gateway, Options, Labels, Attachable, Internal);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();
}
