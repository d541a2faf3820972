using System.Globalization;
using System.Text;
using NetPerf.Baselines;
using NetPerf.Statistics;
using NetPerf.Testbeds;
using NetPerf.Verdicts;

namespace NetPerf.Cli;

/// <summary>
/// <c>netperf calibrate --inject</c>: real regressions, injected into real testbeds, judged against the committed
/// multi-run baselines with the framework's own <see cref="Comparer"/> and the confirmation rule.
/// </summary>
/// <remarks>
/// <para>
/// Each spec mirrors one CI-scale cell of the scenarios (same driver, pairs, workload and tolerance) and injects a real
/// regression: an iperf3 bit-rate cap at (1 - 1.5 x tolerance) times the baseline's centre, a CPU quota on every
/// container (0.5 cores, and 1 - 1.5 x the gate cores), or a smaller MTU (1000, 576). Each session runs on a freshly provisioned testbed; every ordered triple of sessions is one
/// try (the current run, its confirmation and the second confirmation), judged as the main job judges them.
/// </para>
/// <para>The CPU quota and MTU change the throughput by however much they do; the table shows that measured change next to the rate.</para>
/// </remarks>
internal static class InjectionCalibration
{
    /// <summary>One injected cell.</summary>
    internal sealed record Spec(string Scenario, string Cell, Driver Driver, int Pairs, double Tolerance, string Injection,
        Func<double, double, IWorkload> Workload, Func<TestbedBuilder, double, TestbedBuilder>? Configure = null,
        Func<Testbed, double, double, CancellationToken, Task>? Inject = null);

    /// <summary>What one spec gave.</summary>
    internal sealed record Row(Spec Spec, int BaselineRuns, double Center, double Gate, double MeasuredChange, int Tries, int Caught, IReadOnlyList<double> SessionMedians, string? Problem);

    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    internal static IReadOnlyList<Spec> Specs()
    {
        // Cap per stream (the iperf3 cells run one stream per pair) at 1 - 1.5 x the gate below the baseline's centre.
        static Func<double, double, IWorkload> Capped(int pairs) =>
            (center, gate) => Workload.Iperf3Tcp(Short, bitRateBitsPerSecond: (long)(center * 1e9 * Math.Max(0.05, 1 - 1.5 * gate) / pairs));
        static Func<double, double, IWorkload> Plain() => (_, _) => Workload.Iperf3Tcp(Short);
        const string Cap = "bit-rate cap at 1 - 1.5 x the gate";
        return
        [
            new("HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1", Driver.Bridge, 1, 0.10, Cap, Capped(1)),
            new("HostVsBridge.Tcp_bitrate", "driver=Host/pairs=1", Driver.Host, 1, 0.10, Cap, Capped(1)),
            new("LargeScale.Aggregate_throughput", "driver=Macvlan/pairs=2", Driver.Macvlan, 2, 0.10, Cap, Capped(2)),
            new("LargeScale.Aggregate_throughput", "driver=Ovs/pairs=1", Driver.Ovs, 1, 0.10, Cap, Capped(1)),
            new("SurveyFactors.Nat_vs_direct", "driver=BridgeNat/pairs=1", Driver.BridgeNat, 1, 0.10, Cap, Capped(1)),
            new("HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1", Driver.Bridge, 1, 0.10, "CPU quota 0.5 cores per container", Plain(), (b, _) => b.WithCpus(0.5)),
            // Unconfined, each container of a Bridge pair uses about one core; 0.5 cores gave -45% to -49% on both machines,
            // so throughput follows the quota closely and (1 - 1.5 x gate) cores aims at a regression of about 1.5 x the gate.
            new("HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1", Driver.Bridge, 1, 0.10, "CPU quota of 1 - 1.5 x the gate cores per container", Plain(), (b, gate) => b.WithCpus(Math.Round(Math.Max(0.05, 1 - 1.5 * gate), 2))),
            new("HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1", Driver.Bridge, 1, 0.10, "MTU 1000", Plain(), (b, _) => b.WithMtu(1000)),
            new("HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1", Driver.Bridge, 1, 0.10, "MTU 576", Plain(), (b, _) => b.WithMtu(576)),
            new("HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1", Driver.Bridge, 1, 0.10, "htb rate limit at 1 - 1.5 x the gate on the client", Plain(), Inject: Htb),
            new("LargeScale.Aggregate_throughput", "driver=Macvlan/pairs=2", Driver.Macvlan, 2, 0.10, "htb rate limit at 1 - 1.5 x the gate on each client", Plain(), Inject: Htb),
        ];
    }

    /// <summary>An htb qdisc on every client's interface at (1 - 1.5 x gate) times the baseline's centre, split over the pairs.</summary>
    private static async Task Htb(Testbed bed, double center, double gate, CancellationToken ct)
    {
        long rate = (long)(center * 1e9 * Math.Max(0.05, 1 - 1.5 * gate) / bed.Pairs.Count);
        foreach (var pair in bed.Pairs)
            await bed.LimitRateAsync(pair.Client, rate, ct);
    }

    internal static async Task<IReadOnlyList<Row>> RunAsync(string baselinesRoot, string testbed, int sessions, int trials, CancellationToken ct)
    {
        var store = new BaselineStore(baselinesRoot);
        var rows = new List<Row>();
        foreach (var spec in Specs())
        {
            var baseline = store.Read(new BaselineKey(testbed, spec.Scenario, spec.Cell));
            if (baseline is null || !baseline.Metrics.ContainsKey(Metrics.AggregateThroughput.Name))
            {
                rows.Add(new Row(spec, 0, double.NaN, double.NaN, double.NaN, 0, 0, [], $"no baseline with '{Metrics.AggregateThroughput.Name}' for {testbed}/{spec.Scenario}/{spec.Cell}"));
                continue;
            }
            // The main job judges this machine against its own runs when the baseline has 3 or more of them.
            var runs = baseline.RunsFor(Metrics.AggregateThroughput.Name, Experiments.FingerprintReader.Machine()).Values;
            var spread = RunSpread.Estimate(runs)!;
            var gate = new Gate(Metrics.AggregateThroughput, spec.Tolerance);
            double gateTolerance = RunLevelCheck.GateTolerance(gate, spread, trials);
            var sessionValues = new List<List<double>>();
            string? problem = null;
            for (int s = 0; s < sessions && problem is null; s++)
            {
                try
                {
                    var builder = new TestbedBuilder().WithDriver(spec.Driver).WithPairs(spec.Pairs);
                    if (spec.Configure is { } configure) builder = configure(builder, gateTolerance);
                    await using var bed = await builder.BuildAsync(ct);
                    if (spec.Inject is { } inject) await inject(bed, spread.Center, gateTolerance, ct);
                    var workload = spec.Workload(spread.Center, gateTolerance);
                    var values = new List<double>();
                    for (int t = 0; t < trials; t++)
                        values.Add((await workload.RunAsync(bed, ct)).Value(Metrics.AggregateThroughput));
                    sessionValues.Add(values);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{spec.Scenario}/{spec.Cell}, {spec.Injection}, session {s + 1}/{sessions}: median {SampleAnalyzer.Default.Summarize(values).Median:0.###} Gbit/s (baseline centre {spread.Center:0.###})"));
                }
                catch (DriverUnavailableException e)
                {
                    problem = e.Message;
                }
            }
            // Every ordered triple of sessions is one try (pairs with only 2 sessions): the current run, its confirmation
            // and the second confirmation, judged exactly as the main job judges them.
            int tries = 0, caught = 0;
            for (int a = 0; a < sessionValues.Count; a++)
            {
                for (int b = 0; b < sessionValues.Count; b++)
                {
                    if (a == b) continue;
                    for (int c = 0; c < sessionValues.Count; c++)
                    {
                        if (sessionValues.Count >= 3 && (c == a || c == b)) continue;
                        tries++;
                        if (RunCalibration.Judge(gate, runs, sessionValues[a], sessionValues[b], sessionValues.Count >= 3 ? sessionValues[c] : null).Regressed) caught++;
                        if (sessionValues.Count < 3) break;
                    }
                }
            }
            var medians = sessionValues.Select(v => SampleAnalyzer.Default.Summarize(v).Median).ToList();
            double change = medians.Count == 0 ? double.NaN : Math.Exp(medians.Average(Math.Log)) / spread.Center - 1;
            rows.Add(new Row(spec, runs.Count, spread.Center, gateTolerance, change, tries, caught, medians, problem));
        }
        return rows;
    }

    internal static string Report(IReadOnlyList<Row> rows, string machine, string command)
    {
        string P(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%";
        var md = new StringBuilder();
        md.AppendLine("# Real injected regressions against the committed baselines");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Measured on {DateTimeOffset.UtcNow:yyyy-MM-dd} on {machine} with `{command}`."));
        md.AppendLine("Each session is a freshly provisioned testbed; every ordered triple of sessions is a try (current run, its");
        md.AppendLine("confirmation and second confirmation), judged as the main job judges them against the committed multi-run baseline: the gate");
        md.AppendLine("the data sets (the scenario's tolerance or wider), the first run screened at half the gate, both runs judged together,");
        md.AppendLine("and when those are worse, the three runs together.");
        md.AppendLine();
        md.AppendLine("| Scenario | Cell | Asked | Gate | Injection | Baseline runs | Baseline centre (Gbit/s) | Measured change | Caught (tries) | Session medians (Gbit/s) |");
        md.AppendLine("|---|---|---:|---:|---|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            string caught = r.Tries == 0 ? (r.Problem ?? "-") : string.Create(CultureInfo.InvariantCulture, $"{100.0 * r.Caught / r.Tries:0}% ({r.Caught}/{r.Tries})");
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Spec.Scenario} | {r.Spec.Cell} | {r.Spec.Tolerance * 100:0}% | {r.Gate * 100:0.#}% | {r.Spec.Injection} | {r.BaselineRuns} | {r.Center:0.###} | {P(r.MeasuredChange)} | {caught} | {string.Join(", ", r.SessionMedians.Select(m => m.ToString("0.###", CultureInfo.InvariantCulture)))} |"));
        }
        return md.ToString();
    }
}
