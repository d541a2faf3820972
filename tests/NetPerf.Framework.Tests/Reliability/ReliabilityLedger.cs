using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

[assembly: AssemblyFixture(typeof(NetPerf.Tests.Reliability.ReliabilityLedger))]

namespace NetPerf.Tests.Reliability;

/// <summary>
/// The numbers of the last run that docs/reliability.md asks for: the reliability tests record here the faults they
/// injected, the bad inputs they tried and the resources they found left afterwards; when every test has run, the
/// ledger is written as a markdown table to the file <see cref="Variable"/> names (scripts/test.sh sets it to
/// results/reliability-last-run.md). Without the variable nothing is written.
/// </summary>
/// <remarks>A leak is recorded before the test asserts there is none, so a run that leaked shows the number too.</remarks>
public sealed class ReliabilityLedger : IDisposable
{
    /// <summary>The file to write the table to.</summary>
    public const string Variable = "NETPERF_RELIABILITY_LEDGER";

    private static readonly ConcurrentQueue<Entry> s_entries = new();

    /// <summary>One record: a test injected <see cref="Faults"/> faults or tried <see cref="Inputs"/> inputs, and found <see cref="Leaked"/> resources left (null: nothing to leak).</summary>
    public sealed record Entry(string Area, string What, string Test, int Faults, int Inputs, int? Leaked);

    /// <summary>Faults injected by the running test, and what it found left afterwards (null where nothing can be left).</summary>
    public static void Faults(string area, string what, int injected, int? leaked) =>
        s_entries.Enqueue(new Entry(area, what, CurrentTest(), injected, 0, leaked));

    /// <summary>Bad inputs the running test tried.</summary>
    public static void Inputs(string area, string what, int tried) =>
        s_entries.Enqueue(new Entry(area, what, CurrentTest(), 0, tried, null));

    /// <inheritdoc />
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Table([.. s_entries], DateTimeOffset.UtcNow, global::NetPerf.Experiments.FingerprintReader.Machine()));
    }

    /// <summary>The markdown page: one row per area and kind of fault or input, with the tests that recorded it, and totals.</summary>
    internal static string Table(IReadOnlyList<Entry> entries, DateTimeOffset when, string machine)
    {
        static string N(int? n) => n is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";
        var md = new StringBuilder();
        md.AppendLine("# Reliability: the numbers of the last run");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Written by the framework's tests (`bash scripts/test.sh`) on {when:yyyy-MM-dd HH:mm} UTC on {machine}. Each row sums what the tests named there recorded:"));
        md.AppendLine("faults injected, bad inputs tried, and the resources of the faulted run (containers, networks, links, OVS bridges,");
        md.AppendLine("engines, processes, leases) still found afterwards; '-' where the fault cannot leave a resource. Which test proves");
        md.AppendLine("which promise, and how: [reliability.md](reliability.md).");
        md.AppendLine();
        md.AppendLine("| Area | Fault or input | Tests | Faults injected | Inputs tried | Resources leaked |");
        md.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var g in entries.GroupBy(e => (e.Area, e.What)).OrderBy(g => g.Key.Area, StringComparer.Ordinal).ThenBy(g => g.Key.What, StringComparer.Ordinal))
        {
            var tests = g.Select(e => e.Test).Distinct(StringComparer.Ordinal).Count();
            var leaked = g.Any(e => e.Leaked is not null) ? g.Sum(e => e.Leaked ?? 0) : (int?)null;
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key.Area} | {g.Key.What} | {tests} | {N(g.Sum(e => e.Faults))} | {N(g.Sum(e => e.Inputs))} | {N(leaked)} |"));
        }
        var all = entries.Any(e => e.Leaked is not null) ? entries.Sum(e => e.Leaked ?? 0) : (int?)null;
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| **All** | | {entries.Select(e => e.Test).Distinct(StringComparer.Ordinal).Count()} | {N(entries.Sum(e => e.Faults))} | {N(entries.Sum(e => e.Inputs))} | {N(all)} |"));
        return md.ToString();
    }

    private static string CurrentTest() => TestContext.Current.Test?.TestDisplayName ?? "(outside a test)";
}
