using NetPerf.Testbeds;

namespace NetPerf.Experiments;

/// <summary>Reads the environment fingerprint of a cell's run: machine, kernel, engine, OVS, image, tools, offloads.</summary>
internal static class FingerprintReader
{
    /// <summary>The fingerprint of a run on a testbed.</summary>
    public static EnvironmentFingerprint Read(Testbed bed, WorkloadResult firstTrial)
    {
        var facts = bed.Facts;
        var ovs = bed.Options.Driver.Name == nameof(Driver.Ovs);
        return new EnvironmentFingerprint
        {
            Cores = Environment.ProcessorCount,
            CpuModel = CpuModel(),
            CpuSignature = CpuSignature(),
            Kernel = Kernel(),
            EngineVersion = facts.GetValueOrDefault("engine.version", "unknown"),
            OvsVersion = ovs ? facts.GetValueOrDefault("ovs.version") : null,
            OvsDatapath = ovs ? facts.GetValueOrDefault("ovs.datapath") : null,
            ImageId = facts.GetValueOrDefault("image.id", bed.Options.Image),
            ToolVersions = firstTrial.ToolVersions,
            Offloads = facts.TryGetValue("offloads", out var o) ? new Dictionary<string, string> { ["veth"] = o } : new Dictionary<string, string>(),
        };
    }

    /// <summary>This machine as <see cref="EnvironmentFingerprint.Machine"/> names it (cores, CPU model and signature, kernel release).</summary>
    public static string Machine() => EnvironmentFingerprint.MachineName(Environment.ProcessorCount, CpuModel(), CpuSignature(), Kernel());

    /// <summary>The CPU model name from /proc/cpuinfo.</summary>
    public static string CpuModel() => CpuInfo("model name") ?? "unknown";

    /// <summary>The CPU's vendor, family, model and stepping from /proc/cpuinfo, e.g. <c>AuthenticAMD 23/1/2</c>; <see langword="null"/> when not there.</summary>
    public static string? CpuSignature()
    {
        var lines = CpuInfoLines();
        return lines is null ? null : CpuSignatureOf(lines);
    }

    /// <summary>The CPU signature of the first processor in /proc/cpuinfo's <paramref name="lines"/>, or <see langword="null"/> when a field is missing.</summary>
    /// <param name="lines">The lines of /proc/cpuinfo.</param>
    internal static string? CpuSignatureOf(IEnumerable<string> lines)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Length == 0 && fields.Count > 0) break; // the first processor's block ends
            int colon = line.IndexOf(':');
            if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return fields.TryGetValue("vendor_id", out var vendor) && fields.TryGetValue("cpu family", out var family)
            && fields.TryGetValue("model", out var model) && fields.TryGetValue("stepping", out var stepping)
            ? $"{vendor} {family}/{model}/{stepping}"
            : null;
    }

    private static string? CpuInfo(string field)
    {
        foreach (var line in CpuInfoLines() ?? [])
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == field) return line[(colon + 1)..].Trim();
        }
        return null;
    }

    private static string[]? CpuInfoLines()
    {
        try { return File.ReadAllLines("/proc/cpuinfo"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The running kernel's release.</summary>
    public static string Kernel()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return Environment.OSVersion.VersionString; }
    }
}
