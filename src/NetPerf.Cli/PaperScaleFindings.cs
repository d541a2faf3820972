using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NetPerf.Baselines;

namespace NetPerf.Cli;

/// <summary>
/// The papers'-scale half of docs/findings.md: each study's finding at its own pair counts, the number the study
/// reported beside this machine's number from the data <c>scripts/paper-suite.sh</c> keeps (<c>docs/paper-scale/</c>:
/// the recorded runs under <c>baselines/</c>, <c>progress.log</c>, <c>machine.txt</c>), the suite's wall time and time
/// per experiment, and the survey's CPU-centred model as a prediction of each driver's saturation throughput.
/// </summary>
/// <remarks>
/// The studies' numbers are the ones the project quotes from them (issue 11); where the study gives no number the
/// finding is qualitative and the row says so. Written by hand: no library turns baselines into a findings table.
/// </remarks>
internal static partial class PaperScaleFindings
{
    /// <summary>One finding: the study, what it found, its number, this machine's number, and whether they agree.</summary>
    internal sealed record Row(string Study, string Finding, string Paper, string Here, string Verdict);

    /// <summary>Time spent on one experiment (test method): its cells and the sum of their first-to-last progress lines.</summary>
    internal sealed record ExperimentTime(string Method, int Cells, TimeSpan Time);

    /// <summary>The CPU model's prediction for one driver against the measured aggregate at the largest pair count.</summary>
    internal sealed record Prediction(string Driver, double CpuSecondsPerGb, double PredictedGbps, int Pairs, double MeasuredGbps)
    {
        /// <summary>Measured over predicted.</summary>
        public double Ratio => MeasuredGbps / PredictedGbps;
    }

    private const string Boeira = "Boeira et al. (large-scale, single node)";
    private const string Ramos = "Ramos & Maciel (host vs bridge)";
    private const string Survey = "de Andres Hernandez (survey factors)";
    private const string Anjos = "Anjos & Morais (mesh emulation)";
    private static readonly string[] Drivers = ["Host", "Bridge", "Macvlan", "Ovs"];
    private static readonly int[] PairCounts = [1, 2, 5, 10, 20, 50];

    /// <summary>The section as markdown.</summary>
    /// <param name="folder">The paper-scale folder as shown in the text (e.g. <c>docs/paper-scale</c>).</param>
    /// <param name="files">The recorded runs of the suite, one file per cell.</param>
    /// <param name="machine">The lines of machine.txt, or empty.</param>
    /// <param name="progress">The lines of progress.log, or empty.</param>
    public static string Write(string folder, IReadOnlyList<BaselineFile> files, IReadOnlyList<string> machine, IReadOnlyList<string> progress)
    {
        var b = new Lookup(files);
        var md = new StringBuilder();
        md.AppendLine("## At the papers' scale");
        md.AppendLine();
        md.AppendLine($"From `{folder}/` (written by `bash scripts/paper-suite.sh`: every `[FullScale]` cell once, at the studies' pair counts,");
        md.AppendLine("3 trials per cell, every workload capped at 5 s instead of the studies' 30 s; measured, not gated). Values are medians of the");
        md.AppendLine($"cell's trials. {files.Count} cells.");
        foreach (var line in machine)
            md.AppendLine($"- {line.Trim()}");
        md.AppendLine();

        var times = ExperimentTimes(progress);
        if (times.Count > 0)
        {
            md.AppendLine($"Time per experiment (sum of its cells, from progress.log; {times.Sum(t => t.Cells)} cells, {Minutes(TimeSpan.FromTicks(times.Sum(t => t.Time.Ticks)))} in cells):");
            md.AppendLine();
            md.AppendLine("| Experiment | Cells | Time |");
            md.AppendLine("|---|---|---|");
            foreach (var t in times)
                md.AppendLine($"| {t.Method} | {t.Cells} | {Minutes(t.Time)} |");
            md.AppendLine();
        }

        md.AppendLine("| Study | Finding | The study | This machine | Agreement |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var r in Rows(b))
            md.AppendLine($"| {Esc(r.Study)} | {Esc(r.Finding)} | {Esc(r.Paper)} | {Esc(r.Here)} | {Esc(r.Verdict)} |");
        md.AppendLine();

        var predictions = Predictions(b);
        md.AppendLine("### The survey's CPU-centred model as a prediction");
        md.AppendLine();
        md.AppendLine("The survey's model: the CPU, not the link, bounds container networking, so a driver saturates where its CPU cost per byte");
        md.AppendLine($"uses every core. Predicted saturation = cores x 8 / (CPU-seconds per GB at 1 pair), with {b.Cores?.ToString(CultureInfo.InvariantCulture) ?? "?"} cores;");
        md.AppendLine("the CPU-seconds are the containers' own (cgroup) CPU, so work the kernel does outside them (softirq on other cores, the OVS");
        md.AppendLine("userspace datapath's own threads) is not in the cost and makes the prediction too high.");
        md.AppendLine();
        if (predictions.Count == 0)
        {
            md.AppendLine("No driver has both a 1-pair CPU cost and a largest-pair-count aggregate in the data.");
        }
        else
        {
            md.AppendLine("| Driver | CPU-s per GB at 1 pair | Predicted saturation | Measured aggregate | Measured / predicted |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var p in predictions)
                md.AppendLine($"| {p.Driver} | {F(p.CpuSecondsPerGb)} | {F(p.PredictedGbps)} Gbit/s | {F(p.MeasuredGbps)} Gbit/s at {p.Pairs} pairs | {F(p.Ratio)} |");
        }
        return md.ToString();
    }

    /// <summary>The findings rows.</summary>
    internal static IReadOnlyList<Row> Rows(Lookup b)
    {
        var rows = new List<Row>();
        const string agg = "LargeScale.Aggregate_throughput_full";

        // Saturation knee per driver.
        var curves = Drivers.Select(d => (d, curve: Curve(b, agg, d))).Where(x => x.curve.Count >= 3).ToList();
        rows.Add(curves.Count == 0
            ? Missing(Boeira, "Aggregate throughput saturates as pairs are added (the CPU is the bottleneck).", "saturates after about 5 pairs")
            : new Row(Boeira, "Aggregate throughput saturates as pairs are added (the CPU is the bottleneck).", "saturates after about 5 pairs",
                string.Join("; ", curves.Select(x => $"{x.d}: {string.Join(", ", x.curve.Select(p => $"{p.pairs}p {F(p.value)}"))} Gbit/s, knee at {Knee(x.curve)} pair(s)")),
                KneeVerdict(curves.Select(x => Knee(x.curve)).ToList())));

        // Fairness at 50 pairs.
        var fair = new[] { "Bridge", "Macvlan", "Ovs" }
            .Select(d => (d, maxMin: b.Median("LargeScale.Fairness_at_largest_pair_count_full", $"driver={d}/pairs=50", "max_min_ratio"),
                jain: b.Median("LargeScale.Fairness_at_largest_pair_count_full", $"driver={d}/pairs=50", "jain_fairness")))
            .Where(x => x.maxMin is not null).ToList();
        rows.Add(fair.Count == 0
            ? Missing(Boeira, "Per-client throughput is unfair at 50 pairs.", "up to 3x between clients")
            : new Row(Boeira, "Per-client throughput is unfair at 50 pairs.", "up to 3x between clients",
                string.Join("; ", fair.Select(x => $"{x.d}: max/min {F(x.maxMin)}x, Jain {F(x.jain)}")),
                fair.Max(x => x.maxMin!.Value) switch
                {
                    >= 2 => $"agrees: up to {F(fair.Max(x => x.maxMin))}x between clients",
                    >= 1.2 => $"agrees in direction, smaller: at most {F(fair.Max(x => x.maxMin))}x against the study's 3x",
                    _ => "differs: clients are close to fair here",
                }));

        // FCT at 10 and 50 pairs.
        const string fct = "LargeScale.Flow_completion_time_5MB_full";
        var fcts = new[] { "Bridge", "Macvlan", "Ovs" }
            .Select(d => (d, m10: b.Median(fct, $"driver={d}/pairs=10", "fct_median"), m50: b.Median(fct, $"driver={d}/pairs=50", "fct_median"),
                p10: b.Median(fct, $"driver={d}/pairs=10", "fct_p99"), p50: b.Median(fct, $"driver={d}/pairs=50", "fct_p99")))
            .Where(x => x.p10 is not null && x.p50 is not null).ToList();
        rows.Add(fcts.Count == 0
            ? Missing(Boeira, "The 5 MB flow completion time's tail grows from 10 to 50 pairs.", "p99 about 31% higher at 50 pairs than at 10")
            : new Row(Boeira, "The 5 MB flow completion time's tail grows from 10 to 50 pairs.", "p99 about 31% higher at 50 pairs than at 10",
                string.Join("; ", fcts.Select(x => $"{x.d}: median {F(x.m10)} -> {F(x.m50)} ms, p99 {F(x.p10)} -> {F(x.p50)} ms ({Pct(x.p50!.Value / x.p10!.Value)})")),
                fcts.All(x => x.p50 > x.p10)
                    ? $"agrees in direction: p99 grows by {string.Join(", ", fcts.Select(x => Pct(x.p50!.Value / x.p10!.Value)))} (the study: +31%)"
                    : "differs: the p99 does not grow with pairs for every driver"));

        // Elephants and mice.
        const string em = "LargeScale.Elephants_and_mice_full";
        var ems = new[] { "Bridge", "Macvlan", "Ovs" }.SelectMany(d => new[] { 10, 50 }.Select(p => (d, p,
                mice: b.Median(em, $"driver={d}/pairs={p}", "mice_fct_median"), miceP99: b.Median(em, $"driver={d}/pairs={p}", "mice_fct_p99"),
                eleph: b.Median(em, $"driver={d}/pairs={p}", "elephant_fct_median"), elephP99: b.Median(em, $"driver={d}/pairs={p}", "elephant_fct_p99"))))
            .Where(x => x.mice is not null && x.eleph is not null).ToList();
        rows.Add(ems.Count == 0
            ? Missing(Boeira, "With 20% elephants (50 MB), the 5 MB mice finish long before the elephants.", "qualitative")
            : new Row(Boeira, "With 20% elephants (50 MB), the 5 MB mice finish long before the elephants.", "qualitative (no number quoted)",
                string.Join("; ", ems.Select(x => $"{x.d} {x.p}p: mice {F(x.mice)} (p99 {F(x.miceP99)}) ms, elephants {F(x.eleph)} (p99 {F(x.elephP99)}) ms")),
                ems.All(x => x.mice < x.eleph) ? "agrees: mice finish first in every cell" : "differs: in some cell the mice do not finish first"));

        // Pinning.
        const string pin = "LargeScale.Cpu_pinning_full";
        var pins = new[] { "Bridge", "Macvlan", "Ovs" }.SelectMany(d => new[] { 1, 10 }.Select(p => (d, p,
                none: b.Median(pin, $"driver={d}/pairs={p}/pinning=None", "aggregate_throughput"),
                same: b.Median(pin, $"driver={d}/pairs={p}/pinning=SameCore", "aggregate_throughput"),
                diff: b.Median(pin, $"driver={d}/pairs={p}/pinning=DifferentCores", "aggregate_throughput"))))
            .Where(x => x.none is not null && x.same is not null && x.diff is not null).ToList();
        var ovsDiff = pins.FirstOrDefault(x => x.d == "Ovs" && x.p == 1);
        var bridgeSame = pins.FirstOrDefault(x => x.d == "Bridge" && x.p == 1);
        rows.Add(pins.Count == 0
            ? Missing(Boeira, "Pinning the pair to different cores helps, to the same core hurts.", "different cores +21% (OVS), same core -13% (bridge)")
            : new Row(Boeira, "Pinning the pair to different cores helps, to the same core hurts.", "different cores +21% (OVS), same core -13% (bridge)",
                string.Join("; ", pins.Select(x => $"{x.d} {x.p}p: same core {Pct(x.same!.Value / x.none!.Value)}, different cores {Pct(x.diff!.Value / x.none.Value)}")),
                (ovsDiff.none, bridgeSame.none) switch
                {
                    (not null, not null) when ovsDiff.diff > ovsDiff.none && bridgeSame.same < bridgeSame.none =>
                        $"agrees in sign: OVS different cores {Pct(ovsDiff.diff!.Value / ovsDiff.none!.Value)}, Bridge same core {Pct(bridgeSame.same!.Value / bridgeSame.none!.Value)} (1 pair)",
                    (not null, not null) =>
                        $"differs: OVS different cores {Pct(ovsDiff.diff!.Value / ovsDiff.none!.Value)}, Bridge same core {Pct(bridgeSame.same!.Value / bridgeSame.none!.Value)} (1 pair)",
                    _ => "cannot tell: the 1-pair OVS or Bridge cells are missing",
                }));

        // Container-to-core ratio.
        const string ratio = "LargeScale.Container_to_core_ratio_full";
        var cores = new[] { "Bridge", "Macvlan", "Ovs" }
            .Select(d => (d, one: b.Median(ratio, $"driver={d}/pairs=10/cores=1", "aggregate_throughput"), two: b.Median(ratio, $"driver={d}/pairs=10/cores=2", "aggregate_throughput")))
            .Where(x => x.one is not null && x.two is not null).ToList();
        rows.Add(cores.Count == 0
            ? Missing(Boeira, "More containers per core (10 pairs on 1 core instead of 2) lowers throughput.", "qualitative")
            : new Row(Boeira, "More containers per core (10 pairs on 1 core instead of 2) lowers throughput.", "qualitative (no number quoted)",
                string.Join("; ", cores.Select(x => $"{x.d}: 1 core {F(x.one)}, 2 cores {F(x.two)} Gbit/s")),
                cores.All(x => x.one < x.two)
                    ? "agrees"
                    : $"agrees for {Names(cores.Where(x => x.one < x.two).Select(x => x.d))}; not for {Names(cores.Where(x => x.one >= x.two).Select(x => x.d))}"
                        + (cores.Any(x => x.d == "Ovs" && x.one >= x.two) ? " (OVS here is the userspace datapath, whose threads run outside the containers' cores)" : "")));

        // Message sizes.
        const string msg = "LargeScale.Message_sizes_full";
        var sizes = new[] { "Bridge", "Macvlan", "Ovs" }.Select(d => (d, points: b.CellsOf(msg).Where(c => c.StartsWith($"driver={d}/", StringComparison.Ordinal))
                .Select(c => (size: KeyValue(c, "msg"), rate: b.Median(msg, c, "aggregate_throughput"), msgs: b.Median(msg, c, "messages_per_second")))
                .Where(x => x.size is not null && x.rate is not null && x.msgs is not null).OrderBy(x => x.size).ToList()))
            .Where(x => x.points.Count >= 2).ToList();
        rows.Add(sizes.Count == 0
            ? Missing(Boeira, "Larger messages give a higher bit rate and fewer messages per second.", "qualitative")
            : new Row(Boeira, "Larger messages give a higher bit rate and fewer messages per second.", "qualitative (no number quoted)",
                string.Join("; ", sizes.Select(x => $"{x.d}: {F(x.points[0].rate)} Gbit/s at {x.points[0].size} B to {F(x.points[^1].rate)} Gbit/s at {x.points[^1].size} B, {F(x.points[0].msgs)} to {F(x.points[^1].msgs)} msg/s")),
                sizes.All(x => x.points[^1].rate > x.points[0].rate && x.points[^1].msgs < x.points[0].msgs)
                    ? "agrees: from the smallest to the largest message, every driver"
                    : "differs for some driver"));

        // Ramos & Maciel at full scale.
        var hostRate = b.Median("HostVsBridge.Tcp_bitrate_full", "driver=Host/pairs=1", "aggregate_throughput");
        var bridgeRate = b.Median("HostVsBridge.Tcp_bitrate_full", "driver=Bridge/pairs=1", "aggregate_throughput");
        rows.Add(hostRate is null || bridgeRate is null
            ? Missing(Ramos, "Host networking reaches a higher TCP bitrate than the bridge.", "qualitative")
            : new Row(Ramos, "Host networking reaches a higher TCP bitrate than the bridge.", "qualitative (no number quoted)",
                $"Host {F(hostRate)}, Bridge {F(bridgeRate)} Gbit/s ({F(hostRate / bridgeRate)}x)", hostRate > bridgeRate ? "agrees" : "differs"));
        var hostLat = b.Median("HostVsBridge.Tcp_latency_350_bytes_full", "driver=Host/pairs=1", "latency_p50");
        var bridgeLat = b.Median("HostVsBridge.Tcp_latency_350_bytes_full", "driver=Bridge/pairs=1", "latency_p50");
        rows.Add(hostLat is null || bridgeLat is null
            ? Missing(Ramos, "Host networking has lower latency than the bridge (350 B ping-pong).", "qualitative")
            : new Row(Ramos, "Host networking has lower latency than the bridge (350 B ping-pong).", "qualitative (no number quoted)",
                $"p50 Host {F(hostLat)}, Bridge {F(bridgeLat)} us", hostLat < bridgeLat ? "agrees" : "differs"));

        // Survey: TCP vs UDP, packet size, NAT / overlay / reference drivers.
        const string tu = "SurveyFactors.Tcp_vs_udp_full";
        var tcpUdp = new[] { "Bridge", "Macvlan", "Ovs" }.SelectMany(d => new[] { 1, 10 }.Select(p => (d, p,
                tcp: b.Median(tu, $"driver={d}/pairs={p}/protocol=Tcp", "aggregate_throughput"), udp: b.Median(tu, $"driver={d}/pairs={p}/protocol=Udp", "aggregate_throughput"))))
            .Where(x => x.tcp is not null && x.udp is not null).ToList();
        rows.Add(tcpUdp.Count == 0
            ? Missing(Survey, "TCP and UDP differ; UDP at a fixed offered rate is bounded by the per-packet cost.", "qualitative")
            : new Row(Survey, "TCP and UDP differ; UDP at a fixed offered rate is bounded by the per-packet cost.", "qualitative (no number quoted)",
                string.Join("; ", tcpUdp.Select(x => $"{x.d} {x.p}p: TCP {F(x.tcp)}, UDP {F(x.udp)} Gbit/s")),
                tcpUdp.All(x => x.tcp > x.udp) ? "agrees: TCP moves more in every cell (UDP offered 2 Gbit/s per pair)" : "partly differs: UDP moves more in some cell"));
        const string ps = "SurveyFactors.Udp_packet_size_full";
        var pps = new[] { "Bridge", "Macvlan", "Ovs" }.Select(d => (d, points: b.CellsOf(ps).Where(c => c.StartsWith($"driver={d}/", StringComparison.Ordinal))
                .Select(c => (size: KeyValue(c, "msg"), pps: b.Median(ps, c, "packets_per_second"), rate: b.Median(ps, c, "aggregate_throughput")))
                .Where(x => x.size is not null && x.pps is not null && x.rate is not null).OrderBy(x => x.size).ToList()))
            .Where(x => x.points.Count >= 2).ToList();
        rows.Add(pps.Count == 0
            ? Missing(Survey, "Small packets cap the bit rate: the packet rate, not the byte rate, is the limit.", "qualitative")
            : new Row(Survey, "Small packets cap the bit rate: the packet rate, not the byte rate, is the limit.", "qualitative (no number quoted)",
                string.Join("; ", pps.Select(x => $"{x.d}: {x.points[0].size} B {F(x.points[0].pps)} pkt/s {F(x.points[0].rate)} Gbit/s, {x.points[^1].size} B {F(x.points[^1].pps)} pkt/s {F(x.points[^1].rate)} Gbit/s")),
                pps.All(x => x.points[^1].rate > x.points[0].rate && x.points[^1].pps < 2 * x.points[0].pps)
                    ? "agrees: the packet rate stays within 2x while the bit rate grows with the size"
                    : "partly differs: see the numbers"));
        const string nat = "SurveyFactors.Nat_overlay_and_reference_drivers_full";
        var refs = new[] { 1, 10 }.Select(p => (p, bridge: b.Median(nat, $"driver=Bridge/pairs={p}", "aggregate_throughput"),
                others: new[] { "BridgeNat", "Overlay", "Container", "Ipvlan", "None" }
                    .Select(d => (d, v: b.Median(nat, $"driver={d}/pairs={p}", "aggregate_throughput"))).Where(x => x.v is not null).ToList()))
            .Where(x => x.bridge is not null && x.others.Count > 0).ToList();
        rows.Add(refs.Count == 0
            ? Missing(Survey, "NAT and an overlay cost throughput against a bridge; a shared namespace is fastest.", "qualitative")
            : new Row(Survey, "NAT and an overlay cost throughput against a bridge; a shared namespace is fastest.", "qualitative (no number quoted)",
                string.Join("; ", refs.Select(x => $"{x.p}p: Bridge {F(x.bridge)} Gbit/s, " + string.Join(", ", x.others.Select(o => $"{o.d} {F(o.v!.Value / x.bridge!.Value)}x")))),
                SurveyVerdict(refs.Select(x => (x.bridge!.Value, x.others.ToDictionary(o => o.d, o => o.v!.Value))).ToList())));

        // Mesh: deviation against N^2 x D.
        var mesh = new[] { (600, "MeshEmulation.Deviation_at_600_records_per_minute_full"), (6000, "MeshEmulation.Deviation_at_6000_records_per_minute_full"), (60000, "MeshEmulation.Deviation_at_60000_records_per_minute_full") }
            .SelectMany(r => b.CellsOf(r.Item2).Select(c => (rate: r.Item1, n: KeyValue(c, "pairs"), dev: b.Median(r.Item2, c, "mesh_deviation"))))
            .Where(x => x.n is not null && x.dev is not null).Select(x => (x.rate, n: x.n!.Value, dev: x.dev!.Value)).ToList();
        var quiet = b.CellsOf("MeshEmulation.Deviation_without_communication_full")
            .Select(c => (n: KeyValue(c, "pairs"), dev: b.Median("MeshEmulation.Deviation_without_communication_full", c, "mesh_deviation")))
            .Where(x => x.n is not null && x.dev is not null).ToList();
        if (mesh.Count < 3)
        {
            rows.Add(Missing(Anjos, "The deviation of execution time from the expected time grows with N^2 x D.", "grows with N^2 x D"));
        }
        else
        {
            var rho = Spearman(mesh.Select(x => (double)x.n * x.n * x.rate).ToList(), mesh.Select(x => x.dev).ToList());
            rows.Add(new Row(Anjos, "The deviation of execution time from the expected time grows with N^2 x D.", "grows with N^2 x D (qualitative)",
                $"{mesh.Count} cells, N 2-12, D 600-60000 records/min: deviation {F(mesh.Min(x => x.dev))}% to {F(mesh.Max(x => x.dev))}% "
                + $"(largest at N={mesh.MaxBy(x => x.dev).n}, D={mesh.MaxBy(x => x.dev).rate}); Spearman rho against N^2 x D = {F(rho)}"
                + (quiet.Count > 0 ? $"; without communication {string.Join(", ", quiet.Select(q => $"N={q.n}: {F(q.dev)}%"))}" : ""),
                rho switch
                {
                    >= 0.7 => "agrees: the deviation rises with N^2 x D",
                    >= 0.3 => "partly agrees: the deviation rises with N^2 x D, loosely",
                    _ => "differs: no rise with N^2 x D at this length (workloads capped at 5 s)",
                }));
        }
        return rows;
    }

    /// <summary>The CPU model's predictions: per driver, 8 x cores / (CPU-seconds per GB at 1 pair) against the measured aggregate at the largest pair count.</summary>
    internal static IReadOnlyList<Prediction> Predictions(Lookup b)
    {
        const string agg = "LargeScale.Aggregate_throughput_full";
        var result = new List<Prediction>();
        if (b.Cores is not { } cores || cores <= 0)
            return result;
        foreach (var d in Drivers)
        {
            var cost = b.Median(agg, $"driver={d}/pairs=1", "cpu_seconds_per_gb");
            var curve = Curve(b, agg, d);
            if (cost is not > 0 || curve.Count == 0)
                continue;
            var (pairs, measured) = curve[^1];
            result.Add(new Prediction(d, cost.Value, 8.0 * cores / cost.Value, pairs, measured));
        }
        return result;
    }

    /// <summary>
    /// The knee of a saturation curve: the smallest pair count after which the aggregate never grows by more than 10%
    /// over its value there.
    /// </summary>
    internal static int Knee(IReadOnlyList<(int pairs, double value)> curve)
    {
        for (var i = 0; i < curve.Count; i++)
            if (curve.Skip(i + 1).All(p => p.value <= 1.10 * curve[i].value))
                return curve[i].pairs;
        return curve[^1].pairs;
    }

    /// <summary>Per experiment (test method), the cells seen in progress.log and the sum of each cell's first-to-last line.</summary>
    internal static IReadOnlyList<ExperimentTime> ExperimentTimes(IReadOnlyList<string> progress)
    {
        var cells = new Dictionary<string, (string method, TimeSpan first, TimeSpan last)>(StringComparer.Ordinal);
        var order = new List<string>();
        var dayOffset = TimeSpan.Zero;
        TimeSpan? previous = null;
        foreach (var line in progress)
        {
            var m = ProgressLine().Match(line);
            if (!m.Success)
                continue;
            var time = TimeSpan.ParseExact(m.Groups["time"].Value, "hh\\:mm\\:ss", CultureInfo.InvariantCulture) + dayOffset;
            if (previous is { } p && time < p - TimeSpan.FromHours(1))
            {
                // Past midnight (UTC).
                dayOffset += TimeSpan.FromDays(1);
                time += TimeSpan.FromDays(1);
            }
            previous = time;
            var cell = m.Groups["method"].Value + "(" + m.Groups["args"].Value + ")";
            if (cells.TryGetValue(cell, out var c))
            {
                cells[cell] = (c.method, c.first, time);
            }
            else
            {
                cells[cell] = (m.Groups["method"].Value, time, time);
                order.Add(cell);
            }
        }
        return [.. order.GroupBy(c => cells[c].method)
            .Select(g => new ExperimentTime(g.Key, g.Count(), TimeSpan.FromTicks(g.Sum(c => (cells[c].last - cells[c].first).Ticks))))];
    }

    [GeneratedRegex(@"^(?<time>\d\d:\d\d:\d\d) (?<method>[A-Za-z_][A-Za-z0-9_]*)\((?<args>.*?)\): ")]
    private static partial Regex ProgressLine();

    /// <summary>Spearman's rank correlation (average ranks for ties).</summary>
    internal static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        var mx = rx.Average();
        var my = ry.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
                j++;
            for (var k = i; k <= j; k++)
                ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return ranks;
    }

    private static string KneeVerdict(IReadOnlyList<int> knees) => knees.Max() switch
    {
        <= 2 => $"agrees that it saturates, earlier: knees at {string.Join(", ", knees)} pair(s) against the study's ~5 (2 cores here are busy with one or two pairs)",
        <= 10 => $"agrees: knees at {string.Join(", ", knees)} pair(s)",
        _ => $"differs: some driver still grows past 10 pairs (knees at {string.Join(", ", knees)})",
    };

    private static string SurveyVerdict(IReadOnlyList<(double bridge, Dictionary<string, double> others)> points)
    {
        var natSlower = points.Where(p => p.others.ContainsKey("BridgeNat")).All(p => p.others["BridgeNat"] < p.bridge);
        var sharedFastest = points.Where(p => p.others.ContainsKey("Container")).All(p => p.others["Container"] >= p.others.Values.Append(p.bridge).Max());
        var overlaySlower = points.Where(p => p.others.ContainsKey("Overlay")).All(p => p.others["Overlay"] < p.bridge);
        return $"NAT slower: {(natSlower ? "agrees" : "differs")}; shared namespace fastest: {(sharedFastest ? "agrees" : "differs")}; overlay slower: "
            + (overlaySlower ? "agrees" : "differs (one engine: nothing is VXLAN-encapsulated in these cells; the CI-scale row on overlays across hosts measures two engines)");
    }

    private static List<(int pairs, double value)> Curve(Lookup b, string scenario, string driver) =>
        [.. PairCounts.Select(p => (p, v: b.Median(scenario, $"driver={driver}/pairs={p}", "aggregate_throughput"))).Where(x => x.v is not null).Select(x => (x.p, x.v!.Value))];

    private static int? KeyValue(string cell, string key) =>
        cell.Split('/').FirstOrDefault(p => p.StartsWith(key + "=", StringComparison.Ordinal)) is { } part
        && int.TryParse(part[(key.Length + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";

    private static Row Missing(string study, string finding, string paper) => new(study, finding, paper, "not in the paper-scale data", "not measured");

    private static string Pct(double ratio) => (ratio - 1).ToString("+0%;-0%;0%", CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan t) => t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s" : $"{t.Seconds} s";

    private static string F(double? v) => v is null ? "?" : v.Value.ToString(Math.Abs(v.Value) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Medians by scenario, cell and metric.</summary>
    internal sealed class Lookup(IReadOnlyList<BaselineFile> files)
    {
        private readonly Dictionary<(string, string), BaselineFile> _byCell = files.GroupBy(f => (f.Scenario, f.Cell)).ToDictionary(g => g.Key, g => g.Last());

        /// <summary>The cores of the machine the runs came from.</summary>
        public int? Cores => files.FirstOrDefault()?.Fingerprint.Cores;

        /// <summary>The median of a metric in a cell, or null.</summary>
        public double? Median(string scenario, string cell, string metric) =>
            _byCell.GetValueOrDefault((scenario, cell)) is { } file && file.Metrics.TryGetValue(metric, out var m) ? m.Summary.Median : null;

        /// <summary>The cells of a scenario.</summary>
        public IEnumerable<string> CellsOf(string scenario) => files.Where(f => f.Scenario == scenario).Select(f => f.Cell);
    }
}
