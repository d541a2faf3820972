using System.Text;
using System.Text.RegularExpressions;

// Internal, in namespace NetPerf like the rest of Metrics/: a namespace NetPerf.Metrics would clash with the class Metrics.
namespace NetPerf;

/// <summary>What a measurement was taken on: hardware, kernel, engine, switch, image, tools and NIC offloads.</summary>
/// <remarks>
/// Baselines are kept per <see cref="TestbedName"/>, a coarse name (cores, CPU model, kernel major.minor) so that
/// minor changes do not orphan every baseline; the full fingerprint is stored in each baseline file, and
/// <see cref="DifferencesFrom"/> lists what changed for reports. Equality compares every field, dictionaries by content.
/// </remarks>
internal sealed partial record EnvironmentFingerprint
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
    private readonly string? testbedName;

    /// <summary>Logical cores of the host.</summary>
    public required int Cores { get; init; }

    /// <summary>The CPU model as the kernel reports it (<c>model name</c> in /proc/cpuinfo).</summary>
    public required string CpuModel { get; init; }

    /// <summary>The kernel release, e.g. <c>6.1.0-18-amd64</c>.</summary>
    public required string Kernel { get; init; }

    /// <summary>
    /// Vendor, family, model and stepping of the CPU (<c>vendor_id</c>, <c>cpu family</c>, <c>model</c>, <c>stepping</c> in
    /// /proc/cpuinfo), e.g. <c>AuthenticAMD 23/1/2</c>; <see langword="null"/> when unknown (runs recorded before it was kept).
    /// </summary>
    /// <remarks>
    /// Under a hypervisor the model name can be as coarse as <c>AMD EPYC</c> for CPUs generations apart (family 23, Zen 1, and
    /// family 26, Zen 5, both seen on this project's machines with one kernel build), so the name alone does not tell machines apart.
    /// </remarks>
    public string? CpuSignature { get; init; }

    /// <summary>The container engine version, e.g. <c>20.10.24</c>.</summary>
    public required string EngineVersion { get; init; }

    /// <summary>The Open vSwitch version, or <see langword="null"/> when Open vSwitch is not installed.</summary>
    public string? OvsVersion { get; init; }

    /// <summary>The Open vSwitch datapath type (<c>netdev</c>, <c>system</c>), or <see langword="null"/> when not used.</summary>
    public string? OvsDatapath { get; init; }

    /// <summary>The id of the tools image the workloads ran in.</summary>
    public required string ImageId { get; init; }

    /// <summary>Versions of the measuring tools, keyed by tool name, e.g. <c>iperf3</c> = <c>3.12</c>.</summary>
    public IReadOnlyDictionary<string, string> ToolVersions { get; init; } = Empty;

    /// <summary>NIC offload settings that change results, keyed by feature, e.g. <c>tso</c> = <c>off</c>.</summary>
    public IReadOnlyDictionary<string, string> Offloads { get; init; } = Empty;

    /// <summary>
    /// Which machine this is, as far as a fingerprint tells: cores, CPU model and the full kernel release (on the machines
    /// NetPerf is built on every machine has its own kernel build, e.g. <c>6.18.44-fc-v1045</c>). Machines of one testbed
    /// name have differed by 2.5x in host-networking throughput, so a verdict prefers the baseline runs of its own machine
    /// (<c>BaselineFile.RunsFor</c>).
    /// </summary>
    /// <remarks>Runs recorded before <see cref="CpuSignature"/> was kept have none, so they never count as this machine's.</remarks>
    public string Machine => MachineName(Cores, CpuModel, CpuSignature, Kernel);

    /// <summary>The <see cref="Machine"/> of a fingerprint with these fields, e.g. <c>2c AMD EPYC (AuthenticAMD 23/1/2) 6.18.44-fc-v1045</c>.</summary>
    /// <param name="cores">Logical cores.</param>
    /// <param name="cpuModel">The CPU model name.</param>
    /// <param name="cpuSignature">Vendor, family, model and stepping, or <see langword="null"/> when unknown.</param>
    /// <param name="kernel">The kernel release.</param>
    public static string MachineName(int cores, string cpuModel, string? cpuSignature, string kernel) =>
        cpuSignature is null ? $"{cores}c {cpuModel} {kernel}" : $"{cores}c {cpuModel} ({cpuSignature}) {kernel}";

    /// <summary>
    /// The name baselines are filed under. Defaults to <c>{cores}c-{cpu-model-slug}-{kernel major.minor}</c>,
    /// e.g. <c>2c-intel-xeon-platinum-8370c-6.1</c>; set it to group machines differently.
    /// </summary>
    public string TestbedName
    {
        get => testbedName ?? DefaultTestbedName(Cores, CpuModel, Kernel);
        init => testbedName = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("'TestbedName' must not be empty; leave it unset to use the default name.", nameof(TestbedName))
            : value;
    }

    /// <summary>The default testbed name: <c>{cores}c-{cpu-model-slug}-{kernel major.minor}</c>.</summary>
    /// <param name="cores">Logical cores.</param>
    /// <param name="cpuModel">The CPU model string.</param>
    /// <param name="kernel">The kernel release.</param>
    public static string DefaultTestbedName(int cores, string cpuModel, string kernel)
    {
        ArgumentNullException.ThrowIfNull(cpuModel);
        ArgumentNullException.ThrowIfNull(kernel);
        var match = KernelVersion().Match(kernel);
        string kernelPart = match.Success ? $"{match.Groups[1].Value}.{match.Groups[2].Value}" : Slug(kernel);
        string cpu = Slug(cpuModel);
        return $"{cores}c-{(cpu.Length == 0 ? "unknown-cpu" : cpu)}-{(kernelPart.Length == 0 ? "unknown-kernel" : kernelPart)}";
    }

    /// <summary>Lists the fields that differ from <paramref name="other"/>, as <c>name: 'old' -> 'new'</c> lines (old = <paramref name="other"/>).</summary>
    /// <param name="other">The fingerprint to compare with, typically the baseline's.</param>
    public IReadOnlyList<string> DifferencesFrom(EnvironmentFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        void Check(string name, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
                differences.Add($"{name}: '{before ?? "(none)"}' -> '{after ?? "(none)"}'");
        }

        Check("testbed name", other.TestbedName, TestbedName);
        Check("cores", other.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture), Cores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("cpu model", other.CpuModel, CpuModel);
        Check("cpu signature", other.CpuSignature, CpuSignature);
        Check("kernel", other.Kernel, Kernel);
        Check("engine version", other.EngineVersion, EngineVersion);
        Check("ovs version", other.OvsVersion, OvsVersion);
        Check("ovs datapath", other.OvsDatapath, OvsDatapath);
        Check("image id", other.ImageId, ImageId);
        foreach (var key in other.ToolVersions.Keys.Union(ToolVersions.Keys).Order(StringComparer.Ordinal))
            Check($"tool '{key}'", other.ToolVersions.GetValueOrDefault(key), ToolVersions.GetValueOrDefault(key));
        foreach (var key in other.Offloads.Keys.Union(Offloads.Keys).Order(StringComparer.Ordinal))
            Check($"offload '{key}'", other.Offloads.GetValueOrDefault(key), Offloads.GetValueOrDefault(key));
        return differences;
    }

    /// <inheritdoc />
    public bool Equals(EnvironmentFingerprint? other) => other is not null && DifferencesFrom(other).Count == 0;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TestbedName, Cores, CpuModel, Kernel, EngineVersion, ImageId, ToolVersions.Count, Offloads.Count);

    private static string Slug(string text)
    {
        // "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz" -> "intel-xeon-platinum-8370c": drop marks, clock and filler words.
        string lower = text.ToLowerInvariant().Replace("(r)", " ").Replace("(tm)", " ");
        int at = lower.IndexOf('@');
        if (at >= 0)
            lower = lower[..at];
        var words = NonAlphanumeric().Split(lower).Where(w => w.Length > 0 && w is not ("cpu" or "processor"));
        var slug = new StringBuilder();
        foreach (var word in words)
            slug.Append(slug.Length == 0 ? "" : "-").Append(word);
        return slug.ToString();
    }

    [GeneratedRegex(@"^(\d+)\.(\d+)")]
    private static partial Regex KernelVersion();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
