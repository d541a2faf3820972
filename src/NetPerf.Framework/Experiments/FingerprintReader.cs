using NetPerf.Testbeds;
using NetPerf.Workloads;

namespace NetPerf.Experiments;

/// <summary>Reads the environment fingerprint of a cell's run: machine, kernel, engine, OVS, image, tools, offloads.</summary>
public static class FingerprintReader
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
            Kernel = Kernel(),
            EngineVersion = facts.GetValueOrDefault("engine.version", "unknown"),
            OvsVersion = ovs ? facts.GetValueOrDefault("ovs.version") : null,
            OvsDatapath = ovs ? facts.GetValueOrDefault("ovs.datapath") : null,
            ImageId = facts.GetValueOrDefault("image.id", bed.Options.Image),
            ToolVersions = firstTrial.ToolVersions,
            Offloads = facts.TryGetValue("offloads", out var o) ? new Dictionary<string, string> { ["veth"] = o } : new Dictionary<string, string>(),
        };
    }

    /// <summary>This machine as <see cref="EnvironmentFingerprint.Machine"/> names it (cores, CPU model, kernel release).</summary>
    public static string Machine() => $"{Environment.ProcessorCount}c {CpuModel()} {Kernel()}";

    /// <summary>The CPU model name from /proc/cpuinfo.</summary>
    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown";
    }

    /// <summary>The running kernel's release.</summary>
    public static string Kernel()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return Environment.OSVersion.VersionString; }
    }
}
