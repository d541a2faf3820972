using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using NetPerf.Plan;
using NetPerf.Testbeds;

namespace NetPerf.Experiments;

/// <summary>
/// When a cell may run on the testbed an earlier cell of its class left idle, and what makes two testbeds the same
/// (everything in the testbed options but the pair count, plus the scenario class).
/// </summary>
/// <remarks>
/// <para>
/// Provisioning dominates the full-scale forms (a 50-pair bridge testbed takes about a minute here), and their cells
/// differ mostly in the pair count. So a cell's first run may reuse: the first cell of a group that can share a testbed
/// provisions the largest pair count of its method's cells with the same driver and container settings
/// (<see cref="ExperimentDefinition.ReusePairs"/>), and the later cells run on its first N pairs while the other
/// containers stay idle. <see cref="Sdk.TestbedOrderer"/> runs those cells one after another, largest first. Servers are
/// started by the workload in every trial, so each trial still gets fresh server processes.
/// </para>
/// <para>
/// <c>NETPERF_REUSE_TESTBEDS</c>: unset, full-scale cells reuse and CI-scale cells do not; <c>0</c> turns reuse off for
/// every cell; <c>1</c> turns it on for CI-scale cells too. Never reused: confirmations (a regression is confirmed on a
/// fresh testbed, new containers and network), cells with a control arm (two testbeds per cell), and testbeds whose
/// servers are your own containers (their server process would outlive the cell, not only the trial).
/// </para>
/// </remarks>
internal static class TestbedReuse
{
    /// <summary>
    /// The process-wide pool the scenarios share: cells of one class run one after another in one process, and an idle
    /// testbed is what ties them together. Its testbeds are registered with the reaper until removed.
    /// </summary>
    public static TestbedPool<Testbed> Shared { get; } = new();

    /// <summary>Whether the first run of <paramref name="definition"/> may run on a pooled testbed under <paramref name="settings"/>.</summary>
    public static bool Applies(ExperimentSettings settings, ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.ControlDriver is not null) return false;
        return settings.ReuseTestbeds ?? definition.Cell.Scale == Scale.Full;
    }

    /// <summary>
    /// What a testbed built by <paramref name="builder"/> is, apart from its pair count, for a scenario class; two requests
    /// with equal keys can share a testbed. <see langword="null"/> when the testbed must not be shared (own servers).
    /// </summary>
    /// <param name="builder">The cell's testbed builder.</param>
    /// <param name="scope">The scenario class.</param>
    /// <param name="pairs">The pairs the testbed is provisioned with; per-container settings (cpusets) are compared for all of them.</param>
    public static string? KeyOf(TestbedBuilder builder, string scope, int pairs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var o = builder.BuildOptions();
        if (o.Servers is not null) return null;
        var text = new StringBuilder();
        void Line(string name, object? value) => text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "-").Append('\n');
        Line("scope", scope);
        Line("driver", $"{o.Driver.Name} ({o.Driver.GetType().FullName})");
        Line("image", o.Image);
        Line("cpus", o.CpusPerContainer);
        Line("mtu", o.Mtu);
        Line("parent", o.MacvlanParent);
        Line("base_port", o.BasePort);
        Line("placement", o.Placement);
        Line("engine", builder.Engine is { } engine ? RuntimeHelpers.GetHashCode(engine) : "default");
        for (var i = 0; i < pairs; i++)
        {
            if (o.Cpuset is null) break;
            Line($"cpuset.s{i.ToString(CultureInfo.InvariantCulture)}", o.Cpuset(new NodeSlot(NodeRole.Server, i)));
            Line($"cpuset.c{i.ToString(CultureInfo.InvariantCulture)}", o.Cpuset(new NodeSlot(NodeRole.Client, i)));
        }
        if (o.Clients is { } c) Line("clients", Describe(c));
        return text.ToString();
    }

    /// <summary>An own container as text: image, command, entrypoint, environment, files (hashed), start timeout and wait strategy.</summary>
    private static string Describe(OwnContainer c)
    {
        var files = string.Join(",", c.Files.Select(f => $"{f.Key}:{Convert.ToHexString(SHA256.HashData(f.Value))[..16]}"));
        var wait = c.WaitStrategy is { } w ? $"{w.Method.DeclaringType?.FullName}.{w.Method.Name}" : "running";
        return $"{c.Image} cmd[{string.Join(' ', c.Command)}] entry[{(c.Entrypoint is { } e ? string.Join(' ', e) : "-")}] "
            + $"env[{string.Join(",", c.Environment.Select(kv => $"{kv.Key}={kv.Value}"))}] files[{files}] start {c.StartTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s wait {wait}";
    }
}
