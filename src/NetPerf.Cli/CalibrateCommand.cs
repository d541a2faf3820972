using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NetPerf.Testbeds;
using NetPerf.Verdicts;

namespace NetPerf.Cli;

/// <summary>
/// <c>netperf calibrate</c>: the calibration study behind the verdict defaults. Collects real trial values on this
/// machine, then measures how often the comparison calls noise a regression (A/A) and how often it catches a real,
/// injected regression, for several trial counts and tolerances.
/// </summary>
/// <remarks>
/// <para>
/// Collection: each cell runs in several sessions (a fresh testbed each time, so between-testbed variance is in the
/// data, as it is between a baseline recorded last week and today's run), each session a number of trials. For the
/// throughput cells, regressions of 5%, 10% and 20% are injected for real with iperf3's bit-rate cap, set to
/// (1 - x) times the median of the uncapped trials.
/// </para>
/// <para>
/// Analysis: baseline and current samples of n trials are drawn (without replacement) from two different sessions;
/// A/A draws both from uncapped sessions, detection draws the current sample from an injected session. Every draw
/// goes through the same <see cref="Comparer"/> the tests use. Sequential sampling is not simulated: the rates are
/// for a fixed n.
/// </para>
/// </remarks>
internal static class CalibrateCommand
{
    private static readonly double[] Injections = [0.05, 0.10, 0.20];
    /// <summary>(baseline trials, current trials): baselines are recorded with more trials than a run makes.</summary>
    private static readonly (int Baseline, int Current)[] TrialCounts = [(5, 5), (10, 3), (10, 5), (10, 10)];
    private static readonly double[] Tolerances = [0.05, 0.10, 0.15];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record CellSpec(string Name, Driver Driver, int Pairs, Metric Metric, bool Injectable, Func<long?, IWorkload> Workload);

    /// <summary>The data of a calibration run, kept so the analysis can be rerun without the machine.</summary>
    internal sealed record CalibrationData(string Machine, DateTimeOffset Date, int TrialsPerSession, List<CellData> Cells);

    /// <summary>One cell's trial values per session, uncapped and per injected regression.</summary>
    internal sealed record CellData(string Name, string Metric, string Unit, string Direction, List<List<double>> Sessions, Dictionary<string, List<List<double>>> Injected);

    public static Command Create()
    {
        var sessions = new Option<int>("--sessions") { Description = "Testbeds (sessions) per cell for the uncapped trials.", DefaultValueFactory = _ => 4 };
        var trials = new Option<int>("--trials") { Description = "Trials per session.", DefaultValueFactory = _ => 10 };
        var draws = new Option<int>("--draws") { Description = "Random draws per session pair in the analysis.", DefaultValueFactory = _ => 40 };
        var data = new Option<FileInfo>("--data") { Description = "Where the raw values go (and are read from with --analyze-only).", DefaultValueFactory = _ => new FileInfo("docs/calibration-data.json") };
        var output = new Option<FileInfo>("--out") { Description = "The markdown report.", DefaultValueFactory = _ => new FileInfo("docs/calibration-aa.md") };
        var analyzeOnly = new Option<bool>("--analyze-only") { Description = "Do not measure; analyse the values already in --data." };
        var runs = new Option<bool>("--runs") { Description = "Do not measure; judge the committed baselines' runs against each other (leave runs out) and write --out (default docs/calibration-runs.md)." };
        var baselines = new Option<DirectoryInfo>("--baselines") { Description = "With --runs: the baselines folder.", DefaultValueFactory = _ => new DirectoryInfo("baselines") };
        var testbed = new Option<string?>("--testbed") { Description = "With --runs: only this testbed's baselines." };
        var currentTrials = new Option<int>("--current-trials") { Description = "With --runs: trials of a current run (the main job starts with 3).", DefaultValueFactory = _ => VerdictDefaults.MinTrials };
        var inject = new Option<bool>("--inject") { Description = "Run real injected regressions (bit-rate cap, CPU quota, MTU) on fresh testbeds and judge them against the committed baselines; writes --out (default docs/calibration-injected.md). --sessions and --trials apply." };
        var command = new Command("calibrate", "Measures false-alarm and detection rates of the verdict on this machine (A/A runs and real injected regressions); writes docs/calibration-aa.md. With --runs, judges the committed runs against each other instead.")
        {
            sessions, trials, draws, data, output, analyzeOnly, runs, baselines, testbed, currentTrials, inject,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(inject))
            {
                var root = parse.GetValue(baselines)!;
                var tb = parse.GetValue(testbed) ?? (root.Exists ? root.GetDirectories().Select(d => d.Name).SingleOrDefault() : null);
                if (tb is null)
                {
                    Console.Error.WriteLine($"Pass --testbed: '{root.FullName}' does not hold exactly one testbed folder.");
                    return 2;
                }
                var outPath = parse.GetResult(output) is null or { Implicit: true } ? new FileInfo("docs/calibration-injected.md") : parse.GetValue(output)!;
                int s = parse.GetResult(sessions) is null or { Implicit: true } ? 4 : parse.GetValue(sessions), n = parse.GetResult(trials) is null or { Implicit: true } ? VerdictDefaults.MinTrials : parse.GetValue(trials);
                var rows = await InjectionCalibration.RunAsync(root.FullName, tb, s, n, ct);
                var machine = string.Create(CultureInfo.InvariantCulture, $"testbed {tb}, machine {Experiments.FingerprintReader.Machine()} ({Environment.ProcessorCount} cores, load average {LoadAverage()} at the end)");
                var text = InjectionCalibration.Report(rows, machine, $"dotnet run --project src/NetPerf.Cli -- calibrate --inject --sessions {s} --trials {n}");
                Directory.CreateDirectory(outPath.DirectoryName!);
                await File.WriteAllTextAsync(outPath.FullName, text, ct);
                Console.WriteLine(text);
                return 0;
            }
            if (parse.GetValue(runs))
            {
                var root = parse.GetValue(baselines)!;
                if (!root.Exists)
                {
                    Console.Error.WriteLine($"No baselines folder '{root.FullName}'; run from the repository root or pass --baselines.");
                    return 2;
                }
                var outPath = parse.GetResult(output) is null or { Implicit: true } ? new FileInfo("docs/calibration-runs.md") : parse.GetValue(output)!;
                var tb = parse.GetValue(testbed);
                int n = parse.GetValue(currentTrials);
                var command = $"dotnet run --project src/NetPerf.Cli -- calibrate --runs{(tb is null ? "" : " --testbed " + tb)} --current-trials {n.ToString(CultureInfo.InvariantCulture)}";
                var text = RunCalibration.Report(RunCalibration.Load(root.FullName, tb), n, command);
                Directory.CreateDirectory(outPath.DirectoryName!);
                await File.WriteAllTextAsync(outPath.FullName, text, ct);
                Console.WriteLine(text);
                return 0;
            }

            var dataFile = parse.GetValue(data)!;
            CalibrationData collected;
            if (parse.GetValue(analyzeOnly))
            {
                collected = JsonSerializer.Deserialize<CalibrationData>(await File.ReadAllTextAsync(dataFile.FullName, ct), Json)
                    ?? throw new InvalidDataException($"'{dataFile.FullName}' holds no calibration data.");
            }
            else
            {
                collected = await CollectAsync(parse.GetValue(sessions), parse.GetValue(trials), ct);
                Directory.CreateDirectory(dataFile.DirectoryName!);
                await File.WriteAllTextAsync(dataFile.FullName, JsonSerializer.Serialize(collected, Json), ct);
            }
            var report = Analyze(collected, parse.GetValue(draws), dataFile.ToString());
            var outFile = parse.GetValue(output)!;
            Directory.CreateDirectory(outFile.DirectoryName!);
            await File.WriteAllTextAsync(outFile.FullName, report, ct);
            Console.WriteLine(report);
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<CellSpec> Cells() =>
    [
        new("iperf3 TCP, Bridge, 1 pair", Driver.Bridge, 1, Metrics.AggregateThroughput, true, cap => Workload.Iperf3Tcp(TimeSpan.FromSeconds(1), bitRateBitsPerSecond: cap)),
        new("iperf3 TCP, Bridge, 4 pairs", Driver.Bridge, 4, Metrics.AggregateThroughput, true, cap => Workload.Iperf3Tcp(TimeSpan.FromSeconds(1), bitRateBitsPerSecond: cap)),
        new("iperf3 TCP, Host, 1 pair", Driver.Host, 1, Metrics.AggregateThroughput, false, cap => Workload.Iperf3Tcp(TimeSpan.FromSeconds(1), bitRateBitsPerSecond: cap)),
        new("sockperf ping-pong 350 B, Bridge, 1 pair", Driver.Bridge, 1, Metrics.LatencyP50, false, _ => Workload.SockperfPingPong(350, TimeSpan.FromSeconds(1))),
    ];

    private static async Task<CalibrationData> CollectAsync(int sessions, int trials, CancellationToken ct)
    {
        var loadAtStart = LoadAverage();
        var specs = Cells();
        var cells = specs.Select(s => new CellData(s.Name, s.Metric.Name, s.Metric.Unit.Symbol, s.Metric.Direction.ToString(), [], [])).ToList();
        // Sessions are interleaved across cells so slow drift of the machine spreads over all of them.
        for (var session = 0; session < sessions; session++)
        {
            for (var i = 0; i < specs.Count; i++)
                cells[i].Sessions.Add(await TrialsAsync(specs[i], null, trials, $"session {session + 1}/{sessions}", ct));
        }
        var injectedSessions = Math.Max(2, sessions / 2);
        for (var i = 0; i < specs.Count; i++)
        {
            if (!specs[i].Injectable) continue;
            var median = Median(cells[i].Sessions.SelectMany(v => v).ToList());
            foreach (var x in Injections)
            {
                // The cap is per stream; one stream per pair.
                var cap = (long)(median * 1e9 * (1 - x) / specs[i].Pairs);
                var key = Percent(x);
                cells[i].Injected[key] = [];
                for (var session = 0; session < injectedSessions; session++)
                    cells[i].Injected[key].Add(await TrialsAsync(specs[i], cap, trials, $"injected -{key}, session {session + 1}/{injectedSessions}", ct));
            }
        }
        var machine = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, kernel {Environment.OSVersion.Version}, load average {loadAtStart} at the start and {LoadAverage()} at the end");
        return new CalibrationData(machine, DateTimeOffset.UtcNow, trials, cells);
    }

    private static async Task<List<double>> TrialsAsync(CellSpec spec, long? cap, int trials, string label, CancellationToken ct)
    {
        var values = new List<double>();
        await using var bed = await new TestbedBuilder().WithDriver(spec.Driver).WithPairs(spec.Pairs).BuildAsync(ct);
        var workload = spec.Workload(cap);
        for (var t = 0; t < trials; t++)
            values.Add((await workload.RunAsync(bed, ct)).Value(spec.Metric));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Name}, {label}: median {Median(values):0.###} {spec.Metric.Unit.Symbol}{(cap is { } c ? $" (cap {c / 1e9:0.###} Gbit/s per stream)" : "")}"));
        return values;
    }

    internal static string Analyze(CalibrationData data, int draws, string dataPath)
    {
        var random = new Random(20261122);
        var md = new StringBuilder();
        string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        md.AppendLine("# Calibration of the verdict");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Measured on {data.Date:yyyy-MM-dd} on this machine ({data.Machine}) with `dotnet run --project src/NetPerf.Cli -c Release -- calibrate` "
            + $"({data.Cells.FirstOrDefault()?.Sessions.Count ?? 0} sessions x {data.TrialsPerSession} trials per cell, each session a fresh testbed). "
            + $"Raw values: `{dataPath}`; rerun only the analysis with `... calibrate --analyze-only`."));
        md.AppendLine();
        md.AppendLine("Method: a baseline sample and a current sample are drawn from two *different* sessions (so the");
        md.AppendLine("difference between two testbeds, as between a recorded baseline and a later run, is in the data) and compared");
        md.AppendLine("with the framework's own `Comparer` (one-sided Mann-Whitney with the tolerance as threshold, alpha 0.05, and the");
        md.AppendLine("Hodges-Lehmann / median change beyond the tolerance). *False alarm* = verdict Regressed on an A/A pair.");
        md.AppendLine("*Detection* = verdict Regressed when the current sample comes from a session with a real injected regression");
        md.AppendLine("(iperf3 bit-rate cap at 95%, 90%, 80% of the uncapped median; throughput cells only). Sequential sampling is not");
        md.AppendLine("simulated: the rates are for a fixed n.");
        md.AppendLine();
        md.AppendLine("## Noise per cell");
        md.AppendLine();
        md.AppendLine("| Cell | Metric | Median | Within-session CV (median) | Between-session spread of medians |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (var cell in data.Cells)
        {
            var medians = cell.Sessions.Select(Median).ToList();
            var cv = Median(cell.Sessions.Select(Cv).ToList());
            var spread = (medians.Max() - medians.Min()) / Median(medians);
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cell.Name} | {cell.Metric} ({cell.Unit}) | {Median(cell.Sessions.SelectMany(v => v).ToList()):0.###} | {P(cv)} | {P(spread)} |"));
        }
        md.AppendLine();
        md.AppendLine("## False alarms (A/A) and detection of injected regressions");
        md.AppendLine();
        md.AppendLine("| Tolerance | Baseline trials | Current trials | False alarm (A/A, all cells) | Inconclusive (A/A) | Detect -5% | Detect -10% | Detect -20% |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var tol in Tolerances)
        {
            foreach (var (nb, n) in TrialCounts.Where(t => t.Baseline <= data.TrialsPerSession))
            {
                int aa = 0, falseAlarms = 0, inconclusive = 0;
                var detect = Injections.ToDictionary(Percent, _ => (Hits: 0, Total: 0));
                foreach (var cell in data.Cells)
                {
                    var gate = new Gate(cell.Direction == nameof(Direction.HigherIsBetter) ? Metrics.AggregateThroughput : Metrics.LatencyP50, tol);
                    for (var a = 0; a < cell.Sessions.Count; a++)
                    {
                        for (var b = 0; b < cell.Sessions.Count; b++)
                        {
                            if (a == b) continue;
                            for (var d = 0; d < draws; d++)
                            {
                                var v = Comparer.Compare(gate, Draw(cell.Sessions[a], nb, random), Draw(cell.Sessions[b], n, random)).Verdict;
                                aa++;
                                if (v == Verdict.Regressed) falseAlarms++;
                                if (v == Verdict.Inconclusive) inconclusive++;
                            }
                        }
                        foreach (var (key, injectedSessions) in cell.Injected)
                        {
                            foreach (var injected in injectedSessions)
                            {
                                for (var d = 0; d < draws; d++)
                                {
                                    var v = Comparer.Compare(gate, Draw(cell.Sessions[a], nb, random), Draw(injected, n, random)).Verdict;
                                    var (hits, total) = detect[key];
                                    detect[key] = (hits + (v == Verdict.Regressed ? 1 : 0), total + 1);
                                }
                            }
                        }
                    }
                }
                var rates = detect.ToDictionary(kv => kv.Key, kv => kv.Value.Total == 0 ? double.NaN : (double)kv.Value.Hits / kv.Value.Total);
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {P(tol)} | {nb} | {n} | {P((double)falseAlarms / aa)} | {P((double)inconclusive / aa)} | {string.Join(" | ", Injections.Select(x => P(rates[Percent(x)])))} |"));
            }
        }
        md.AppendLine();
        md.AppendLine("Reading the table: a regression is claimed only when it is significant *and* beyond the tolerance, so an injected");
        md.AppendLine("regression equal to the tolerance is caught about half the time at best; pick a tolerance below the smallest");
        md.AppendLine("regression you must catch and above the between-session spread of the cell.");
        return md.ToString();
    }

    /// <summary>The 1-minute load average (other work on the machine is noise in every number measured here).</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static List<double> Draw(List<double> pool, int n, Random random) => [.. pool.OrderBy(_ => random.Next()).Take(n)];

    private static string Percent(double x) => (x * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static double Median(List<double> values)
    {
        var s = values.Order().ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    private static double Cv(List<double> values)
    {
        var mean = values.Average();
        return mean == 0 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1)) / mean;
    }
}
