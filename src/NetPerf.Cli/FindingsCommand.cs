using System.CommandLine;
using System.Globalization;
using System.Text;
using NetPerf.Baselines;

namespace NetPerf.Cli;

/// <summary>
/// <c>netperf findings</c>: writes docs/findings.md from the committed baselines: each seed study's qualitative finding
/// next to what this machine's baselines show, and whether they agree.
/// </summary>
/// <remarks>
/// It reads baselines (not a results folder) so the document always matches what is committed; regenerate it after
/// recording or accepting baselines. A finding whose cells have no baseline says so instead of guessing.
/// </remarks>
internal static class FindingsCommand
{
    public static Command Create()
    {
        var baselines = new Option<DirectoryInfo>("--baselines") { Description = "The baselines folder.", DefaultValueFactory = _ => new DirectoryInfo("baselines") };
        var testbed = new Option<string?>("--testbed") { Description = "The testbed folder under --baselines (default: the one with the most baselines)." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the markdown.", DefaultValueFactory = _ => new FileInfo("docs/findings.md") };
        var paperScale = new Option<DirectoryInfo>("--paper-scale")
        {
            Description = "The folder scripts/paper-suite.sh wrote (its baselines/, progress.log and machine.txt); its section is added when it exists.",
            DefaultValueFactory = _ => new DirectoryInfo("docs/paper-scale"),
        };
        var command = new Command("findings", "Writes docs/findings.md: each study's finding next to what this machine's committed baselines (and the paper-scale data) show.") { baselines, testbed, output, paperScale };
        command.SetAction(async (parse, ct) =>
        {
            var root = parse.GetValue(baselines)!;
            if (!root.Exists)
            {
                Console.Error.WriteLine($"No baselines folder '{root.FullName}'. Run from the repository root or pass --baselines.");
                return 2;
            }
            var name = parse.GetValue(testbed) ?? root.EnumerateDirectories()
                .OrderByDescending(d => d.EnumerateFiles("*.json", SearchOption.AllDirectories).Count(f => !f.Name.EndsWith(".received.json", StringComparison.Ordinal)))
                .Select(d => d.Name).FirstOrDefault();
            if (name is null)
            {
                Console.Error.WriteLine($"'{root.FullName}' holds no testbed folder; record baselines first (NETPERF_RECORD=1 scripts/scenarios.sh).");
                return 2;
            }
            var files = Directory.EnumerateFiles(Path.Combine(root.FullName, name), "*.json", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".received.json", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(f => BaselineJson.Deserialize(File.ReadAllText(f), f))
                .ToList();
            var text = Findings.Write(name, files, Path.GetRelativePath(Directory.GetCurrentDirectory(), root.FullName));
            var paper = parse.GetValue(paperScale)!;
            var paperBaselines = Path.Combine(paper.FullName, "baselines");
            var paperFiles = Directory.Exists(paperBaselines)
                ? Directory.EnumerateFiles(paperBaselines, "*.json", SearchOption.AllDirectories)
                    .Where(f => !f.EndsWith(".received.json", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                    .Select(f => BaselineJson.Deserialize(File.ReadAllText(f), f))
                    .ToList()
                : [];
            if (paperFiles.Count > 0)
            {
                string[] Lines(string file) => File.Exists(Path.Combine(paper.FullName, file)) ? File.ReadAllLines(Path.Combine(paper.FullName, file)) : [];
                text += Environment.NewLine + PaperScaleFindings.Write(Path.GetRelativePath(Directory.GetCurrentDirectory(), paper.FullName), paperFiles, Lines("machine.txt"), Lines("progress.log"));
                var figure = Path.Combine(paper.FullName, PaperScaleFigures.SaturationFile);
                if (PaperScaleFigures.WriteSaturation(figure, new PaperScaleFindings.Lookup(paperFiles)))
                {
                    var link = Path.GetRelativePath(parse.GetValue(output)!.Directory!.FullName, figure).Replace('\\', '/');
                    text += Environment.NewLine + $"![Aggregate throughput against pairs per driver, with the CPU model's predicted saturation dashed]({link})" + Environment.NewLine;
                }
            }
            var outFile = parse.GetValue(output)!;
            Directory.CreateDirectory(outFile.DirectoryName!);
            await File.WriteAllTextAsync(outFile.FullName, text, ct);
            Console.WriteLine($"wrote {outFile.FullName} from {files.Count} baselines of testbed '{name}'"
                + (paperFiles.Count > 0 ? $" and {paperFiles.Count} paper-scale cells in '{paper.FullName}'" : $" (no paper-scale data in '{paperBaselines}')"));
            return 0;
        });
        return command;
    }
}

/// <summary>The findings of the seed studies, checked against a set of baselines.</summary>
internal static class Findings
{
    private sealed record Row(string Study, string Finding, string Here, string Verdict);

    public static string Write(string testbed, IReadOnlyList<BaselineFile> files, string baselinesPath)
    {
        var b = new Lookup(files);
        var rows = new List<Row>();
        string ramos = "Ramos & Maciel (host vs bridge)";
        string boeira = "Boeira et al. (large-scale, single node)";
        string survey = "de Andres Hernandez (survey factors)";
        string anjos = "Anjos & Morais (mesh emulation)";

        // Ramos & Maciel.
        rows.Add(Compare(ramos, "Host networking reaches a higher TCP bitrate than the bridge.",
            b.Median("HostVsBridge.Tcp_bitrate", "driver=Host/pairs=1", "aggregate_throughput"),
            b.Median("HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1", "aggregate_throughput"),
            "Host", "Bridge", "Gbit/s", higherIsBetter: true));
        rows.Add(Compare(ramos, "Host networking has lower latency (sockperf ping-pong, 350 B) than the bridge.",
            b.Median("HostVsBridge.Tcp_latency_350_bytes", "driver=Host/pairs=1", "latency_p50"),
            b.Median("HostVsBridge.Tcp_latency_350_bytes", "driver=Bridge/pairs=1", "latency_p50"),
            "Host p50", "Bridge p50", "us", higherIsBetter: false));

        // Boeira et al.
        var drivers = new[] { "Host", "Bridge", "Macvlan", "Ovs" };
        var single = drivers.Select(d => (d, v: b.Median("LargeScale.Aggregate_throughput", $"driver={d}/pairs=1", "aggregate_throughput"))).Where(x => x.v is not null).ToList();
        rows.Add(single.Count < 2
            ? Missing(boeira, "Throughput depends on the driver, with host networking as the reference.")
            : new Row(boeira, "Throughput depends on the driver, with host networking as the reference.",
                "1 pair: " + string.Join(" > ", single.OrderByDescending(x => x.v).Select(x => $"{x.d} {F(x.v)} Gbit/s"))
                + (b.Fact("LargeScale.Aggregate_throughput", "driver=Ovs/pairs=1") is { } dp ? $" (OVS datapath here: {dp})" : ""),
                Agree(single.All(x => x.d == "Host" || x.v <= single.First(h => h.d == "Host").v * 1.05),
                    "agrees: no driver beats host by more than 5%",
                    "differs: a driver beats host here") + OvsNote(b)));
        var sat = drivers.Select(d => (d,
                one: b.Median("LargeScale.Aggregate_throughput", $"driver={d}/pairs=1", "aggregate_throughput"),
                two: b.Median("LargeScale.Aggregate_throughput", $"driver={d}/pairs=2", "aggregate_throughput")))
            .Where(x => x.one is not null && x.two is not null).ToList();
        rows.Add(sat.Count == 0
            ? Missing(boeira, "Aggregate throughput saturates as pairs are added: the CPU, not the network, is the bottleneck.")
            : new Row(boeira, "Aggregate throughput saturates as pairs are added: the CPU, not the network, is the bottleneck.",
                string.Join("; ", sat.Select(x => $"{x.d}: 2 pairs give {F(x.two!.Value / x.one!.Value)}x the aggregate of 1 pair")) + $" on {b.Cores ?? "?"} cores",
                Agree(sat.All(x => x.two < 1.5 * x.one), "agrees: doubling the pairs adds less than half again (CPU-bound)", "partly differs: some driver still scales with pairs at this size")));
        var jain = b.Median("LargeScale.Fairness_at_largest_pair_count", null, "jain_fairness");
        var maxMin = b.Median("LargeScale.Fairness_at_largest_pair_count", null, "max_min_ratio");
        rows.Add(maxMin is null
            ? Missing(boeira, "Per-client throughput is unfair: up to 3x between clients at the largest pair count.")
            : new Row(boeira, "Per-client throughput is unfair: up to 3x between clients at the largest pair count.",
                $"Bridge, {b.PairsOf("LargeScale.Fairness_at_largest_pair_count")} pairs: max/min {F(maxMin)}x, Jain's index {F(jain)}",
                Agree(maxMin > 1.2,
                    $"agrees in direction: clients differ by {F(maxMin)}x, far from the study's 3x, which it saw at 50 pairs (the [FullScale] form)",
                    "differs: clients are close to fair at this (CI) pair count; the study's 3x was at 50 pairs (the [FullScale] form)")));
        var fct1 = b.Median("LargeScale.Flow_completion_time_5MB", "driver=Bridge/pairs=1", "fct_median");
        var fct5 = b.Median("LargeScale.Flow_completion_time_5MB", "driver=Bridge/pairs=5", "fct_median");
        rows.Add(Compare(boeira, "Flow completion time of 5 MB flows grows with the number of concurrent pairs.",
            fct5, fct1, "Bridge 5 pairs", "1 pair", "ms", higherIsBetter: true, agreeText: "agrees: FCT grows with pairs", differText: "differs: FCT does not grow"));
        var mice = b.Median("LargeScale.Elephants_and_mice", null, "mice_fct_median");
        var eleph = b.Median("LargeScale.Elephants_and_mice", null, "elephant_fct_median");
        rows.Add(mice is null || eleph is null
            ? Missing(boeira, "With 20% of pairs sending 50 MB elephants, the 5 MB mice finish long before the elephants, yet slower than alone.")
            : new Row(boeira, "With 20% of pairs sending 50 MB elephants, the 5 MB mice finish long before the elephants, yet slower than alone.",
                $"Bridge: mice median {F(mice)} ms, elephants median {F(eleph)} ms" + (fct1 is not null ? $", a lone 5 MB flow {F(fct1)} ms" : ""),
                Agree(mice < eleph && (fct1 is null || mice > fct1), "agrees", "differs")));
        var pin = new[] { "None", "SameCore", "DifferentCores" }.Select(p => (p, v: b.Median("LargeScale.Cpu_pinning", $"driver=Bridge/pairs=1/pinning={p}", "aggregate_throughput"))).Where(x => x.v is not null).ToList();
        rows.Add(pin.Count < 3
            ? Missing(boeira, "CPU pinning of the communicating containers changes throughput.")
            : new Row(boeira, "CPU pinning of the communicating containers changes throughput.",
                string.Join(", ", pin.Select(x => $"{x.p} {F(x.v)} Gbit/s")),
                Agree(Math.Abs(pin[1].v!.Value - pin[2].v!.Value) / pin[0].v!.Value > 0.05, "agrees: same core and different cores differ by more than 5%", "differs: pinning makes little difference here")));
        var cores = new[] { 1, 2 }.Select(c => (c, v: b.Median("LargeScale.Container_to_core_ratio", $"driver=Bridge/pairs=2/cores={c}", "aggregate_throughput"))).Where(x => x.v is not null).ToList();
        rows.Add(cores.Count < 2
            ? Missing(boeira, "Confining the containers to fewer cores (a higher container-to-core ratio) lowers throughput.")
            : new Row(boeira, "Confining the containers to fewer cores (a higher container-to-core ratio) lowers throughput.",
                string.Join(", ", cores.Select(x => $"{x.c} core(s): {F(x.v)} Gbit/s")),
                Agree(cores[0].v < cores[1].v, "agrees", "differs")));
        var sizes = b.CellsOf("LargeScale.Message_sizes").Select(c => (size: int.Parse(c.Split("msg=")[1].Split('/')[0], CultureInfo.InvariantCulture), c))
            .OrderBy(x => x.size)
            .Select(x => (x.size, rate: b.Median("LargeScale.Message_sizes", x.c, "aggregate_throughput"), msgs: b.Median("LargeScale.Message_sizes", x.c, "messages_per_second")))
            .ToList();
        rows.Add(sizes.Count < 2
            ? Missing(boeira, "Larger messages give a higher bit rate and fewer messages per second.")
            : new Row(boeira, "Larger messages give a higher bit rate and fewer messages per second.",
                string.Join("; ", sizes.Select(x => $"{x.size} B: {F(x.rate)} Gbit/s, {F(x.msgs)} msg/s")),
                Agree(sizes.Zip(sizes.Skip(1)).All(p => p.Second.rate >= p.First.rate && p.Second.msgs <= p.First.msgs), "agrees: monotonic in both", "partly differs: not monotonic here")));

        // Survey.
        rows.Add(Compare(survey, "TCP and UDP differ; UDP at a fixed offered rate is bounded by per-packet cost.",
            b.Median("SurveyFactors.Tcp_vs_udp", "driver=Bridge/pairs=1/protocol=Udp", "aggregate_throughput"),
            b.Median("SurveyFactors.Tcp_vs_udp", "driver=Bridge/pairs=1/protocol=Tcp", "aggregate_throughput"),
            "UDP (2 Gbit/s offered)", "TCP", "Gbit/s", higherIsBetter: false, agreeText: "agrees: TCP moves more here", differText: "differs: UDP moves more"));
        var pps = b.CellsOf("SurveyFactors.Udp_packet_size").Select(c => (size: int.Parse(c.Split("msg=")[1].Split('/')[0], CultureInfo.InvariantCulture), c))
            .OrderBy(x => x.size).Select(x => (x.size, pps: b.Median("SurveyFactors.Udp_packet_size", x.c, "packets_per_second"), rate: b.Median("SurveyFactors.Udp_packet_size", x.c, "aggregate_throughput"))).ToList();
        rows.Add(pps.Count < 2
            ? Missing(survey, "Small packets cap the bit rate: the packet rate, not the byte rate, is the limit.")
            : new Row(survey, "Small packets cap the bit rate: the packet rate, not the byte rate, is the limit.",
                string.Join("; ", pps.Select(x => $"{x.size} B: {F(x.pps)} packets/s, {F(x.rate)} Gbit/s")),
                Agree(pps[0].rate < pps[^1].rate, "agrees", "differs")));
        rows.Add(Compare(survey, "NAT (a published port) costs throughput against direct container addressing.",
            b.Median("SurveyFactors.Nat_vs_direct", "driver=BridgeNat/pairs=1", "aggregate_throughput"),
            b.Median("SurveyFactors.Nat_vs_direct", "driver=Bridge/pairs=1", "aggregate_throughput"),
            "NAT", "direct", "Gbit/s", higherIsBetter: false, agreeText: "agrees: NAT is slower", differText: "differs: NAT is not slower here"));
        rows.Add(Compare(survey, "NAT adds latency against direct container addressing.",
            b.Median("SurveyFactors.Nat_vs_direct_latency", "driver=BridgeNat/pairs=1", "latency_p50"),
            b.Median("SurveyFactors.Nat_vs_direct_latency", "driver=Bridge/pairs=1", "latency_p50"),
            "NAT p50", "direct p50", "us", higherIsBetter: true, agreeText: "agrees: NAT adds latency", differText: "differs: NAT adds no latency here"));
        rows.Add(Compare(survey, "An overlay network costs throughput against a local bridge.",
            b.Median("SurveyFactors.Reference_and_overlay_drivers", "driver=Overlay/pairs=1", "aggregate_throughput"),
            b.Median("SurveyFactors.Nat_vs_direct", "driver=Bridge/pairs=1", "aggregate_throughput"),
            "Overlay", "Bridge", "Gbit/s", higherIsBetter: false, agreeText: "agrees: overlay is slower",
            differText: "differs: on one engine both containers sit on the overlay's own bridge and nothing is VXLAN-encapsulated; the next row places the pair across two engines"));
        var across = b.Median("SurveyFactors.Overlay_across_nodes", "driver=Overlay/pairs=1/placement=AcrossNodes", "aggregate_throughput");
        var sameNode = b.Median("SurveyFactors.Overlay_across_nodes", "driver=Overlay/pairs=1/placement=SameNode", "aggregate_throughput");
        var bridge = b.Median("SurveyFactors.Nat_vs_direct", "driver=Bridge/pairs=1", "aggregate_throughput");
        rows.Add(across is null || sameNode is null || bridge is null
            ? Missing(survey, "Across hosts, an overlay's encapsulation (VXLAN) costs throughput against the same pair on one host and against a bridge.")
            : new Row(survey, "Across hosts, an overlay's encapsulation (VXLAN) costs throughput against the same pair on one host and against a bridge.",
                $"Overlay across two engines {F(across)} Gbit/s, on one engine {F(sameNode)} Gbit/s ({F(across / sameNode)}x), Bridge {F(bridge)} Gbit/s ({F(across / bridge)}x); "
                + "the second engine runs in its own network namespace on this machine, so the cost is VXLAN and the extra namespace hop, not a physical link",
                Agree(across < sameNode && across < bridge, "agrees: encapsulation costs throughput", "differs: the two-engine overlay is not slower here")));
        var macvlanAcross = b.Median("SurveyFactors.Macvlan_across_nodes", "driver=Macvlan/pairs=1/placement=AcrossNodes", "aggregate_throughput");
        var macvlanSame = b.Median("SurveyFactors.Macvlan_across_nodes", "driver=Macvlan/pairs=1/placement=SameNode", "aggregate_throughput");
        const string unencapsulated = "Across hosts, the cost is the overlay's encapsulation: without it (macvlan on a shared L2 segment) a pair runs about as fast as on one host.";
        rows.Add(macvlanAcross is null || macvlanSame is null || across is null
            ? Missing(survey, unencapsulated)
            : new Row(survey, unencapsulated,
                $"Macvlan across two engines {F(macvlanAcross)} Gbit/s, on one engine {F(macvlanSame)} Gbit/s ({F(macvlanAcross / macvlanSame)}x), Overlay across two engines {F(across)} Gbit/s ({F(across / macvlanAcross)}x of macvlan); "
                + "the two engines share a veth segment on this machine",
                Agree(macvlanAcross >= 0.9 * macvlanSame && across < macvlanAcross, "agrees: the loss across hosts is the encapsulation's",
                    "differs: macvlan across hosts is not close to one host, or not faster than the overlay, here")));
        rows.Add(Compare(survey, "Sharing a network namespace (pod, 'container' mode) avoids the virtual network and is fastest.",
            b.Median("SurveyFactors.Reference_and_overlay_drivers", "driver=Container/pairs=1", "aggregate_throughput"),
            b.Median("SurveyFactors.Nat_vs_direct", "driver=Bridge/pairs=1", "aggregate_throughput"),
            "Container (shared ns)", "Bridge", "Gbit/s", higherIsBetter: true, agreeText: "agrees", differText: "differs"));

        // Anjos & Morais.
        var mesh = b.ScenariosStartingWith("MeshEmulation.").SelectMany(s => b.CellsOf(s).Select(c => (s, c, dev: b.Median(s, c, "mesh_deviation")))).Where(x => x.dev is not null).ToList();
        rows.Add(mesh.Count == 0
            ? Missing(anjos, "The deviation of execution time from the expected time grows with N^2 x D.")
            : new Row(anjos, "The deviation of execution time from the expected time grows with N^2 x D.",
                string.Join("; ", mesh.Select(x => $"{x.s.Split('.')[1]} {x.c}: {F(x.dev)}%")),
                MeshAgreement(b)));

        var md = new StringBuilder();
        md.AppendLine("# Findings: the seed studies next to this machine");
        md.AppendLine();
        md.AppendLine($"Generated by `dotnet run --project src/NetPerf.Cli -- findings` from the committed baselines in `{baselinesPath}/{testbed}/`");
        md.AppendLine($"({files.Count} cells; the runs of the machine of the newest run, up to {b.Runs} per cell: CPU {b.Cpu ?? "?"}, {b.Cores ?? "?"} cores, kernel {b.Kernel ?? "?"}, engine {b.Engine ?? "?"}). Do not edit by hand; rerun the command after");
        md.AppendLine("recording or accepting baselines. The CI-scale cells are small (1 to 5 pairs, 1-second runs); the papers' scale is in the");
        md.AppendLine("`[FullScale]` forms (`scripts/scenarios.sh --explicit only --filter-trait scale=full`).");
        md.AppendLine();
        md.AppendLine("Values are medians (Harrell-Davis) of that machine's recorded trials; other machines' runs in the same files are left out.");
        md.AppendLine();
        md.AppendLine("| Study | Finding | This machine | Agreement |");
        md.AppendLine("|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine($"| {Esc(r.Study)} | {Esc(r.Finding)} | {Esc(r.Here)} | {Esc(r.Verdict)} |");
        return md.ToString();
    }

    private static string MeshAgreement(Lookup b)
    {
        var n2 = b.Median("MeshEmulation.Deviation_at_6000_records_per_minute", "driver=Bridge/pairs=2", "mesh_deviation");
        var n4 = b.Median("MeshEmulation.Deviation_at_6000_records_per_minute", "driver=Bridge/pairs=4", "mesh_deviation");
        var low = b.Median("MeshEmulation.Deviation_at_600_records_per_minute", "driver=Bridge/pairs=4", "mesh_deviation");
        var none = b.Median("MeshEmulation.Deviation_without_communication", "driver=Bridge/pairs=4", "mesh_deviation");
        if (n2 is null || n4 is null || low is null || none is null) return "not all mesh cells have baselines";
        var withN = n4 > n2;
        var withD = n4 > low;
        var aboveBaseline = none < Math.Min(low.Value, n2.Value);
        return (withN, withD, aboveBaseline) switch
        {
            (true, true, true) => "agrees: the deviation grows with N (2 to 4 nodes) and with D (600 to 6000 records/min), and stays near zero without communication",
            (true, false, true) => "partly agrees: the deviation grows with N and stays near zero without communication, but not with D at this short (2 s) CI scale",
            _ => $"differs: grows with N {(withN ? "yes" : "no")}, with D {(withD ? "yes" : "no")}, above the no-communication baseline {(aboveBaseline ? "yes" : "no")}",
        };
    }

    private static Row Compare(string study, string finding, double? a, double? b, string aName, string bName, string unit, bool higherIsBetter,
        string agreeText = "agrees", string differText = "differs")
    {
        if (a is null || b is null) return Missing(study, finding);
        var ratio = a.Value / b.Value;
        var agrees = higherIsBetter ? a > b : a < b;
        return new Row(study, finding, $"{aName} {F(a)} {unit}, {bName} {F(b)} {unit} ({F(ratio)}x)", Agree(agrees, agreeText, differText));
    }

    private static Row Missing(string study, string finding) => new(study, finding, "no committed baseline for these cells", "not measured");

    private static string Agree(bool? agrees, string yes, string no) => agrees == true ? yes : no;

    private static string OvsNote(Lookup b) =>
        b.Fact("LargeScale.Aggregate_throughput", "driver=Ovs/pairs=1") == "netdev"
            ? "; OVS runs on the userspace (netdev) datapath here (this kernel has no OVS module), which is not comparable with the kernel datapath of the study"
            : "";

    private static string F(double? v) => v is null ? "?" : v.Value.ToString(Math.Abs(v.Value) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private sealed class Lookup(IReadOnlyList<BaselineFile> files)
    {
        private readonly Dictionary<(string, string), BaselineFile> _byCell = files.ToDictionary(f => (f.Scenario, f.Cell));

        // The machine of the newest run: the baselines hold runs of several machines, and a finding compares cells of one.
        private readonly BaselineRun? _newest = files.SelectMany(f => f.Runs).MaxBy(r => r.RecordedAt);

        public string? Cpu => _newest is null ? null : _newest.Fingerprint.CpuModel + (_newest.Fingerprint.CpuSignature is { } sig ? $" ({sig})" : "");
        public string? Cores => _newest?.Fingerprint.Cores.ToString(CultureInfo.InvariantCulture);
        public string? Kernel => _newest?.Fingerprint.Kernel;
        public string? Engine => _newest?.Fingerprint.EngineVersion;

        /// <summary>How many runs of the newest run's machine a cell holds, at most.</summary>
        public int Runs => _newest is null ? 0 : files.Max(f => f.Runs.Count(r => r.Fingerprint.Machine == _newest.Fingerprint.Machine));

        /// <summary>The median of the metric over the trials of the newest run's machine, or null when that machine has none.</summary>
        public double? Median(string scenario, string? cell, string metric)
        {
            var file = cell is null ? files.FirstOrDefault(f => f.Scenario == scenario) : _byCell.GetValueOrDefault((scenario, cell));
            if (file is null || _newest is null || !file.Metrics.TryGetValue(metric, out var pooled))
                return null;
            var values = file.Runs.Where(r => r.Fingerprint.Machine == _newest.Fingerprint.Machine && r.Metrics.ContainsKey(metric))
                .SelectMany(r => r.Metrics[metric].Values).ToList();
            return values.Count == 0 ? null : BaselineMetric.Create(new Metric(metric, pooled.Unit, pooled.Direction), values, tolerance: null).Summary.Median;
        }

        public string? Fact(string scenario, string cell) => _byCell.GetValueOrDefault((scenario, cell))?.Fingerprint.OvsDatapath;

        public IEnumerable<string> CellsOf(string scenario) => files.Where(f => f.Scenario == scenario).Select(f => f.Cell);

        public IEnumerable<string> ScenariosStartingWith(string prefix) => files.Select(f => f.Scenario).Where(s => s.StartsWith(prefix, StringComparison.Ordinal)).Distinct();

        public string PairsOf(string scenario) => files.FirstOrDefault(f => f.Scenario == scenario)?.Cell.Split('/').FirstOrDefault(p => p.StartsWith("pairs=", StringComparison.Ordinal))?[6..] ?? "?";
    }
}
