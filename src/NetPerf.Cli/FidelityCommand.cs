using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetPerf.Statistics;

namespace NetPerf.Cli;

/// <summary>
/// <c>netperf fidelity</c>: are NetPerf's numbers the tools' own? On one Bridge testbed per pair count, trials of a NetPerf
/// workload alternate (in random order) with the same iperf3 / sockperf commands run by hand through the docker CLI in the
/// same containers, and the medians are compared. The test process's own CPU (the OS's accounting of this process) is read
/// around every NetPerf workload run.
/// </summary>
/// <remarks>
/// "By hand" is what an engineer would type: <c>docker exec -d SERVER iperf3 -s -1 -p PORT</c>, then one
/// <c>docker exec CLIENT iperf3 -c ADDRESS -p PORT -t ... -O ... -J</c> per pair, all released together by a bash loop
/// waiting for a file (<see cref="ClientsTogetherAsync"/>), and the sum of each
/// client's own receiver rate (iperf3's <c>end.sum_received</c>); for sockperf, <c>sockperf sr --tcp</c> and
/// <c>sockperf pp --tcp -m 350</c>, and each client's own <c>percentile 50.000</c> line, weighted by its observations
/// as NetPerf weights pairs. Parsed here with a few lines of its own, not with NetPerf's parsers, so a parser fault shows.
/// </remarks>
internal static partial class FidelityCommand
{
    public static Command Create()
    {
        var command = new Command("fidelity", "Compares NetPerf's aggregate throughput and p50 latency with iperf3/sockperf run by hand in the same containers (Bridge, 1 and 10 pairs), and reads the test process's own CPU during workloads; writes --out.");
        var trials = new Option<int>("--trials") { Description = "Trials of each side per cell.", DefaultValueFactory = _ => 7 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per trial (iperf3 adds 1 s of warm-up).", DefaultValueFactory = _ => 3 };
        var pairs = new Option<int[]>("--pairs") { Description = "Pair counts.", DefaultValueFactory = _ => [1, 10], AllowMultipleArgumentsPerToken = true };
        var pin = new Option<bool>("--pin") { Description = "Pins every server container to CPU 0 and every client container to CPU 1 (both sides run in the same containers): the scheduler then cannot put a pair's client and server on one core in some trials and on two in others." };
        var pinPairs = new Option<bool>("--pin-pairs") { Description = "Pins pair i's server and client containers both to CPU i mod 2 (both sides run in the same containers): every ping-pong stays on one core, half the pairs on each." };
        var tools = new Option<string[]>("--tools") { Description = "Tools to compare: iperf3, sockperf or both.", DefaultValueFactory = _ => ["iperf3", "sockperf"], AllowMultipleArgumentsPerToken = true };
        tools.AcceptOnlyFromAmong("iperf3", "sockperf");
        var output = new Option<string>("--out") { Description = "Markdown page to write.", DefaultValueFactory = _ => "docs/fidelity.md" };
        command.Options.Add(trials);
        command.Options.Add(seconds);
        command.Options.Add(pairs);
        command.Options.Add(pin);
        command.Options.Add(pinPairs);
        command.Options.Add(tools);
        command.Options.Add(output);
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(trials);
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var pinned = parse.GetValue(pin);
            var pairsPinned = parse.GetValue(pinPairs);
            if (pinned && pairsPinned)
            {
                Console.Error.WriteLine("--pin and --pin-pairs are two layouts; give one of them.");
                return 2;
            }
            var chosen = parse.GetValue(tools)!;
            var pinning = pinned ? Pinning.ServersAndClientsApart : pairsPinned ? Pinning.EachPairOnOneCore : (Pinning?)null;
            TestbedBuilder Bed(int p) => pinning switch
            {
                Pinning.ServersAndClientsApart => new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(p).WithCpuset(slot => slot.Role == NodeRole.Server ? "0" : "1"),
                Pinning.EachPairOnOneCore => new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(p).WithCpuset(slot => (slot.PairIndex % 2).ToString(CultureInfo.InvariantCulture)),
                _ => new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(p),
            };
            async Task<Row> OnOwnTestbedAsync(int p, Func<Testbed, Task<Row>> compare)
            {
                await using var bed = await Bed(p).BuildAsync(ct);
                Console.Error.WriteLine($"testbed {bed.Name}: Bridge, {p} pairs{(pinning is { } layout ? ", " + Describe(layout) : "")}");
                return await compare(bed);
            }
            var rows = new List<Row>();
            foreach (var p in parse.GetValue(pairs)!)
            {
                // A testbed per tool: sockperf's server cannot bind a port that iperf3's connections left in TIME_WAIT
                // (iperf3 sets SO_REUSEADDR, sockperf does not), whoever runs it.
                if (chosen.Contains("iperf3"))
                    rows.Add(await OnOwnTestbedAsync(p, bed => CompareAsync(bed, "iperf3 TCP", Metrics.AggregateThroughput, Workload.Iperf3Tcp(duration), (b, c) => Iperf3ByHandAsync(b, duration, c), n, duration - SteadyMargin, ct)));
                if (chosen.Contains("sockperf"))
                    rows.Add(await OnOwnTestbedAsync(p, bed => CompareAsync(bed, "sockperf ping-pong 350 B", Metrics.LatencyP50, Workload.SockperfPingPong(350, duration), (b, c) => SockperfByHandAsync(b, duration, c), n, duration - SteadyMargin, ct)));
            }
            var page = Report(rows, n, duration, $"{RunPrefix} --trials {n} --seconds {duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} --pairs {string.Join(' ', parse.GetValue(pairs)!)}{(chosen.Contains("iperf3") && chosen.Contains("sockperf") ? "" : $" --tools {string.Join(' ', chosen)}")}{(pinned ? " --pin" : "")}{(pairsPinned ? " --pin-pairs" : "")}", pinning);
            var path = parse.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, page, ct);
            Console.WriteLine(page);
            Console.Error.WriteLine($"wrote {path}");
            return rows.All(r => r.WithinTolerance == "yes") ? 0 : 1;
        });
        return command;
    }

    /// <summary>One cell: NetPerf's values, the hand-run values, and the test process's CPU (% of one core) per NetPerf run, whole and while the tools ran.</summary>
    internal sealed record Row(string Tool, Metric Metric, int Pairs, IReadOnlyList<double> NetPerf, IReadOnlyList<double> ByHand, IReadOnlyList<double> ProcessCpuPercent, IReadOnlyList<double> ProcessCpuPercentWhileToolsRan)
    {
        /// <summary>sockperf: the mean of each client's own p50 line, weighted by its messages (another statistic than the pooled p50, shown for comparison); empty otherwise.</summary>
        public IReadOnlyList<double> ByHandClientP50s { get; init; } = [];

        /// <summary>The runtime's JIT time (all threads, ms) in the same window as <see cref="ProcessCpuPercentWhileEveryToolRan"/>.</summary>
        public IReadOnlyList<double> JitMillisecondsWhileEveryToolRan { get; init; } = [];

        /// <summary>The warm-up trial's numbers, not counted (null when there was none).</summary>
        public string? WarmUp { get; init; }

        /// <summary>The test process's CPU (% of one core) from the release until shortly before the tools' end, while every tool ran.</summary>
        public IReadOnlyList<double> ProcessCpuPercentWhileEveryToolRan { get; init; } = [];

        public double NetPerfMedian => SampleAnalyzer.Default.Summarize(NetPerf).Median;

        public double ByHandMedian => SampleAnalyzer.Default.Summarize(ByHand).Median;

        /// <summary>NetPerf's median relative to the hand-run median.</summary>
        public double Difference => NetPerfMedian / ByHandMedian - 1;

        /// <summary>
        /// NetPerf's value over the hand-run value of the same trial (the two ran back to back), summarised with the
        /// median's confidence interval (Harrell-Davis, as every NetPerf cell): the trials' own spread says how close
        /// the two sides can be shown to be.
        /// </summary>
        public SampleSummary Ratios => SampleAnalyzer.Default.Summarize([.. NetPerf.Zip(ByHand, (a, b) => a / b)]);

        /// <summary>"yes" when the ratio's interval lies within 1 +- 3%; "no" when it lies outside that band entirely; else "cannot tell".</summary>
        public string WithinTolerance => Ratios.MedianInterval switch
        {
            { } i when i.Lower >= 1 - Tolerance && i.Upper <= 1 + Tolerance => "yes",
            { } i when i.Lower > 1 + Tolerance || i.Upper < 1 - Tolerance => "no",
            _ => "cannot tell",
        };
    }

    /// <summary>How long before the tools' end the "while every tool ran" CPU window closes (before any client exits).</summary>
    private static readonly TimeSpan SteadyMargin = TimeSpan.FromSeconds(0.25);

    /// <summary>The promise of issue 13: within 3%.</summary>
    internal const double Tolerance = 0.03;

    private static async Task<Row> CompareAsync(Testbed bed, string tool, Metric metric, IWorkload workload, Func<Testbed, CancellationToken, Task<(double Value, double? ClientP50s)>> byHand, int trials, TimeSpan steady, CancellationToken ct)
    {
        var rng = new Random(20261203 + bed.Pairs.Count);
        var ours = new List<double>();
        var theirs = new List<double>();
        var clientP50s = new List<double>();
        var cpu = new List<double>();
        var cpuDuringTools = new List<double>();
        var cpuSteady = new List<double>();
        var jit = new List<double>();
        // Trial 0 is a warm-up, not counted: in a fresh process the runtime still compiles NetPerf's code while the first
        // workload runs (seen: 52% of a core while every tool ran, and that trial's 10-pair iperf3 read 19% low).
        string? warmUp = null;
        long lastJitMethods = 0;
        for (int t = 0; t <= trials; t++)
        {
            // Randomised order within each trial, so a drift of the machine does not favour one side.
            var netPerfFirst = rng.Next(2) == 0;
            for (int side = 0; side < 2; side++)
            {
                if ((side == 0) == netPerfFirst)
                {
                    var host = new WindowedHost(bed, steady);
                    var cpuBefore = ProcessCpu();
                    var wall = Stopwatch.StartNew();
                    var result = await workload.RunAsync(host, ct);
                    wall.Stop();
                    cpu.Add(100 * (ProcessCpu() - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds);
                    cpuDuringTools.Add(host.CpuPercentBetweenSnapshots());
                    cpuSteady.Add(await host.CpuPercentWhileEveryToolRanAsync());
                    var (jitTime, jitMethods) = await host.JitWhileEveryToolRanAsync();
                    jit.Add(jitTime.TotalMilliseconds);
                    lastJitMethods = jitMethods;
                    ours.Add(result.Value(metric));
                }
                else
                {
                    var (value, other) = await byHand(bed, ct);
                    theirs.Add(value);
                    if (other is { } o) clientP50s.Add(o);
                }
            }
            var line = string.Create(CultureInfo.InvariantCulture,
                $"NetPerf {ours[^1]:0.###}, by hand {theirs[^1]:0.###} {metric.Unit.Symbol}; test process {cpu[^1]:0.0}% of a core over the whole run, {cpuDuringTools[^1]:0.00}% from the release to the last exit, {cpuSteady[^1]:0.00}% while every tool ran (of which JIT {jit[^1]:0} ms, {lastJitMethods} methods)");
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tool}, {bed.Pairs.Count} pairs, {(t == 0 ? "warm-up trial (not counted)" : $"trial {t}/{trials}")}: {line}"));
            if (t == 0)
            {
                warmUp = line;
                foreach (var list in new[] { ours, theirs, clientP50s, cpu, cpuDuringTools, cpuSteady, jit }) list.Clear();
            }
        }
        return new Row(tool, metric, bed.Pairs.Count, ours, theirs, cpu, cpuDuringTools) { ByHandClientP50s = clientP50s, ProcessCpuPercentWhileEveryToolRan = cpuSteady, JitMillisecondsWhileEveryToolRan = jit, WarmUp = warmUp };
    }

    /// <summary>
    /// Whether this process recompiles hot code in the background (tiered compilation): the environment variable when set,
    /// else the runtimeconfig.json property (false here, from NetPerf.Cli.csproj), else the runtime's default (on).
    /// </summary>
    internal static bool TieredCompilation() =>
        (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? Environment.GetEnvironmentVariable("COMPlus_TieredCompilation")) is { } variable
            ? variable.Trim() != "0"
            : !AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var on) || on;

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// The testbed as the workload sees it, noting this process's CPU time whenever the workload takes a CPU snapshot:
    /// the synchronised runs take one right after the start barrier releases the clients and one once every client has
    /// exited, so the span between them is the time the tools ran.
    /// </summary>
    private sealed class WindowedHost(Testbed bed, TimeSpan steady) : IWorkloadHost
    {
        private readonly List<(TimeSpan Wall, TimeSpan Cpu, TimeSpan Jit, long Methods)> _marks = [];
        private Task<(TimeSpan Wall, TimeSpan Cpu, TimeSpan Jit, long Methods)>? _steadyEnd;

        public IReadOnlyList<Pair> Pairs => bed.Pairs;

        public string SharedDirectoryOnHost => bed.SharedDirectoryOnHost;

        public string SharedDirectoryInContainer => bed.SharedDirectoryInContainer;

        public Task<CommandResult> ExecAsync(Node node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
            bed.ExecAsync(node, command, timeout, cancellationToken);

        public Task StartDetachedAsync(Node node, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
            bed.StartDetachedAsync(node, command, cancellationToken);

        public async Task<CpuSnapshot> SnapshotCpuAsync(CancellationToken cancellationToken)
        {
            var snapshot = await ((IWorkloadHost)bed).SnapshotCpuAsync(cancellationToken);
            _marks.Add(Mark());
            // The first snapshot follows the release: mark again while every tool still runs, before any client exits.
            _steadyEnd ??= Task.Delay(steady, cancellationToken).ContinueWith(_ => Mark(), TaskScheduler.Default);
            return snapshot;
        }

        /// <summary>
        /// This process's CPU from the release until <c>steady</c> later, while every tool still ran, in percent of one core
        /// (NaN when that mark came after the last snapshot, i.e. the tools had ended).
        /// </summary>
        public async Task<double> CpuPercentWhileEveryToolRanAsync()
        {
            if (_marks.Count < 2 || _steadyEnd is null) return double.NaN;
            var end = await _steadyEnd;
            return end.Wall > _marks[^1].Wall ? double.NaN : 100 * (end.Cpu - _marks[0].Cpu).TotalSeconds / (end.Wall - _marks[0].Wall).TotalSeconds;
        }

        /// <summary>The runtime's JIT time (all threads) and methods compiled while every tool ran (the same window).</summary>
        public async Task<(TimeSpan Jit, long Methods)> JitWhileEveryToolRanAsync()
        {
            if (_marks.Count < 2 || _steadyEnd is null) return (TimeSpan.Zero, 0);
            var end = await _steadyEnd;
            return (end.Jit - _marks[0].Jit, end.Methods - _marks[0].Methods);
        }

        private static (TimeSpan Wall, TimeSpan Cpu, TimeSpan Jit, long Methods) Mark() =>
            (Stopwatch.GetElapsedTime(0), ProcessCpu(), System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());

        /// <summary>This process's CPU between the first and the last snapshot, in percent of one core (NaN without two).</summary>
        public double CpuPercentBetweenSnapshots() =>
            _marks.Count < 2 ? double.NaN : 100 * (_marks[^1].Cpu - _marks[0].Cpu).TotalSeconds / (_marks[^1].Wall - _marks[0].Wall).TotalSeconds;
    }

    private static async Task<(double, double?)> Iperf3ByHandAsync(Testbed bed, TimeSpan duration, CancellationToken ct)
    {
        foreach (var pair in bed.Pairs)
            await DockerAsync(ct, "exec", "-d", pair.Server.Name, "iperf3", "-s", "-1", "-p", Port(pair));
        await WaitForListenersAsync(bed, ct);
        double sum = 0;
        foreach (var output in (await ClientsTogetherAsync(bed, (pair, _, _) => $"iperf3 -c {pair.Server.Address} -p {Port(pair)} -t {Seconds(duration)} -O 1 -i 1 -P 1 -J", ct)).Outputs)
        {
            using var json = JsonDocument.Parse(output);
            sum += json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
        }
        return (sum / 1e9, null);
    }

    private static async Task<(double, double?)> SockperfByHandAsync(Testbed bed, TimeSpan duration, CancellationToken ct)
    {
        foreach (var pair in bed.Pairs)
            await DockerAsync(ct, "exec", "-d", pair.Server.Name, "sockperf", "sr", "--tcp", "-p", Port(pair));
        await WaitForListenersAsync(bed, ct);
        try
        {
            var (outputs, folder) = await ClientsTogetherAsync(bed, (pair, i, dir) =>
                $"sockperf pp --tcp -i {pair.Server.Address} -p {Port(pair)} -m 350 -t {Seconds(duration)} --full-log {dir}/client{i}.csv", ct);
            double weighted = 0, observations = 0;
            foreach (var output in outputs)
            {
                var p50 = double.Parse(P50().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no 'percentile 50.000' line in sockperf's output:\n{output}"), CultureInfo.InvariantCulture);
                var count = double.Parse(Observations().Match(output) is { Success: true } o ? o.Groups[1].Value : throw new InvalidOperationException($"no observation count in sockperf's output:\n{output}"), CultureInfo.InvariantCulture);
                weighted += p50 * count;
                observations += count;
            }
            // The median of every message of every client, from sockperf's own per-message logs (the last column of the
            // rows after the 'packet, txTime' header): the statistic NetPerf reports for several pairs.
            var all = new List<double>();
            foreach (var file in Directory.GetFiles(folder, "client*.csv"))
                all.AddRange(File.ReadLines(file).SkipWhile(l => !l.StartsWith("packet,", StringComparison.Ordinal)).Skip(1)
                    .TakeWhile(l => l.Contains(',', StringComparison.Ordinal))
                    .Select(l => double.Parse(l[(l.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture)));
            all.Sort();
            return (all[(int)Math.Ceiling(all.Count * 0.5) - 1], weighted / observations);
        }
        finally
        {
            // sockperf's server does not exit on its own. docker exec -d gives no pid, so the ones this trial started are
            // ended by name, inside the testbed's own server containers only.
            foreach (var pair in bed.Pairs)
                await DockerAsync(ct, "exec", pair.Server.Name, "sh", "-c", "kill $(pidof sockperf) 2>/dev/null; true");
        }
    }

    /// <summary>
    /// Runs every pair's client command through its own <c>docker exec</c>, all released together: each waits in bash for
    /// a <c>go</c> file in the testbed's shared folder, created once every client wrote its <c>ready</c> file, as a person
    /// would script it. Without it the 10 docker CLIs start one after another on 2 cores and the clients overlap less
    /// than NetPerf's, which a concurrent-pairs number must not (sockperf p50 with 10 pairs read 11% lower by hand then).
    /// </summary>
    /// <param name="bed">The testbed.</param>
    /// <param name="command">A pair's client command, given the pair, its index and the trial's folder as seen in the container.</param>
    /// <param name="ct">Cancels the trial.</param>
    /// <returns>Each client's stdout, and the trial's folder on the host (for files the clients wrote there).</returns>
    private static async Task<(string[] Outputs, string Folder)> ClientsTogetherAsync(Testbed bed, Func<Pair, int, string, string> command, CancellationToken ct)
    {
        var name = $"by-hand-{Guid.NewGuid():N}";
        var onHost = Path.Combine(bed.SharedDirectoryOnHost, name);
        var inContainer = bed.SharedDirectoryInContainer.TrimEnd('/') + "/" + name;
        Directory.CreateDirectory(onHost);
        try
        {
            var clients = bed.Pairs.Select((pair, i) => DockerAsync(ct, "exec", pair.Client.Name, "bash", "-c",
                $"touch {inContainer}/ready.{i}; until [[ -e {inContainer}/go ]]; do :; done; exec {command(pair, i, inContainer)}")).ToList();
            var deadline = Stopwatch.StartNew();
            while (Directory.GetFiles(onHost, "ready.*").Length < clients.Count)
            {
                if (clients.FirstOrDefault(c => c.IsCompleted) is { } early) await early; // a client that failed says why
                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                    throw new TimeoutException($"only {Directory.GetFiles(onHost, "ready.*").Length} of {clients.Count} clients reached the start line within 60 s");
                await Task.Delay(5, ct);
            }
            await File.WriteAllTextAsync(Path.Combine(onHost, "go"), "", ct);
            return (await Task.WhenAll(clients), onHost);
        }
        finally
        {
            // Clients still spinning (an error above) are released, so no bash loop is left in a container.
            File.WriteAllText(Path.Combine(onHost, "go"), "");
        }
    }

    private static async Task WaitForListenersAsync(Testbed bed, CancellationToken ct)
    {
        foreach (var pair in bed.Pairs)
        {
            var script = $"for i in $(seq 1 200); do ss -Hltn \"sport = :{Port(pair)}\" | grep -q . && exit 0; sleep 0.05; done; ss -Hltnp; ps -ef; exit 1";
            await DockerAsync(ct, "exec", pair.Server.Name, "sh", "-c", script);
        }
    }

    private static string Port(Pair pair) => pair.Port.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs the docker CLI as a person would (DOCKER_HOST and DOCKER_API_VERSION as NetPerf negotiated them are inherited).</summary>
    private static async Task<string> DockerAsync(CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'docker'");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'docker {string.Join(' ', args)}' did not finish within 120 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'docker {string.Join(' ', args)}' exited {process.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }

    [GeneratedRegex(@"percentile 50\.000 =\s+([0-9.]+)")]
    private static partial Regex P50();

    [GeneratedRegex(@"ReceivedMessages=([0-9]+)")]
    private static partial Regex Observations();

    private const string RunPrefix = "dotnet run --project src/NetPerf.Cli -- fidelity";

    /// <summary>How the containers of a fidelity testbed are pinned to the machine's first two CPUs.</summary>
    internal enum Pinning
    {
        /// <summary>Every server on CPU 0, every client on CPU 1 (<c>--pin</c>).</summary>
        ServersAndClientsApart,

        /// <summary>Pair i's server and client both on CPU i mod 2 (<c>--pin-pairs</c>).</summary>
        EachPairOnOneCore,
    }

    private static string Describe(Pinning pinning) => pinning == Pinning.ServersAndClientsApart
        ? "every server container on CPU 0, every client container on CPU 1"
        : "pair i's server and client containers both on CPU i mod 2";

    internal static string Report(IReadOnlyList<Row> rows, int trials, TimeSpan duration, string command, Pinning? pinning = null)
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        string P(double v) => (v * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
        string Ratio(SampleSummary s) => s.MedianInterval is { } i ? $"{P(s.Median - 1)} [{P(i.Lower - 1)}, {P(i.Upper - 1)}]" : $"{P(s.Median - 1)} (too few trials for an interval)";
        var md = new StringBuilder();
        md.AppendLine("# Fidelity: NetPerf's numbers next to the tools run by hand");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Measured on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Experiments.FingerprintReader.Machine()} with `{command}` ({trials} trials of {duration.TotalSeconds:0.#} s per side and cell)."));
        md.AppendLine($"Rerun: `{(command.StartsWith(RunPrefix, StringComparison.Ordinal) ? "bash scripts/fidelity.sh" + command[RunPrefix.Length..] : command)}` (exits 1 unless every cell is shown within 3%).");
        md.AppendLine();
        if (pinning is { } layout)
            md.AppendLine($"Pinned (`{(layout == Pinning.ServersAndClientsApart ? "--pin" : "--pin-pairs")}`): {Describe(layout)}, for both sides alike.");
        md.AppendLine("One Bridge testbed per pair count and tool. In each trial NetPerf's workload and the same commands run by hand through the docker");
        md.AppendLine("CLI in the same containers take turns, in random order. By hand, every client's `docker exec` runs a bash loop that waits");
        md.AppendLine("for a file, created once all clients are waiting, so the clients start together as NetPerf's do (without it the docker");
        md.AppendLine("CLIs start one after another and overlap less). Read by hand: iperf3's own `end.sum_received` rate of every client,");
        md.AppendLine("summed; for sockperf, the same command as NetPerf's with `--full-log`, and the median of every message of every client");
        md.AppendLine("read from those logs (the pooled p50 NetPerf reports). Each client's own `percentile 50.000` line, averaged with its");
        md.AppendLine("received messages as weights, is another statistic (a mean of medians) and is listed under the trials for comparison.");
        md.AppendLine("Each cell starts with a warm-up trial of both sides that is not counted (listed under the trials).");
        md.AppendLine(TieredCompilation()
            ? "This process ran with tiered compilation ON (DOTNET_TieredCompilation): the runtime recompiles hot code in the background during its first minute or so, beside the tools."
            : "This process ran with tiered compilation off, as NetPerf's package sets for users' test projects (NetPerf.props) and NetPerf.Cli.csproj sets for the CLI: every method is compiled once, at its first call, and nothing is recompiled in the background while the tools run.");
        md.AppendLine("Within 3%: NetPerf's value over the hand-run value of the same trial (the two ran back to back), and the 95% interval of");
        md.AppendLine("that ratio's median (Harrell-Davis, as in every NetPerf cell): yes when the interval lies within +-3%, no when it lies");
        md.AppendLine("wholly outside, cannot tell when the trials spread too much to say (more or longer trials narrow it).");
        md.AppendLine("Test process CPU: this process's user + system time (the OS's accounting, `/proc/self/stat`) in percent of");
        md.AppendLine("one core, (a) while every tool ran: from the workload's first CPU snapshot, taken right after the start barrier");
        md.AppendLine("released the clients, until 0.25 s before the tools' set duration ends (no client has exited yet); (b) from that");
        md.AppendLine("snapshot to the second, taken once every client had exited, which adds collecting the clients' output and exit");
        md.AppendLine("codes from the engine and the snapshot itself; (c) over the whole workload run, which adds starting the");
        md.AppendLine("servers, waiting for them to listen, the barrier, stopping the servers and parsing (for sockperf, its full per-message");
        md.AppendLine("log, which NetPerf reads to compute exact percentiles over all pairs). Listed under the trials: the runtime's own JIT time");
        md.AppendLine("(`System.Runtime.JitInfo`, all threads) within window (a).");
        md.AppendLine();
        md.AppendLine("| Tool | Metric | Pairs | NetPerf median | By hand median | Difference | NetPerf / by hand per trial: median [95% interval] | Within 3% | Test process CPU (a) while every tool ran (median, max) | (b) release to last exit (median, max) | (c) whole workload run (median, max) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var cpu = SampleAnalyzer.Default.Summarize(r.ProcessCpuPercent).Median;
            var during = SampleAnalyzer.Default.Summarize(r.ProcessCpuPercentWhileToolsRan).Median;
            var steady = r.ProcessCpuPercentWhileEveryToolRan.Where(double.IsFinite).ToList();
            var steadyCell = steady.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{SampleAnalyzer.Default.Summarize(steady).Median:0.00}%, {steady.Max():0.00}%");
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Tool} | {r.Metric.Name} ({r.Metric.Unit.Symbol}) | {r.Pairs} | {F(r.NetPerfMedian)} | {F(r.ByHandMedian)} | {P(r.Difference)} | {Ratio(r.Ratios)} | {r.WithinTolerance} | {steadyCell} | {during:0.00}%, {r.ProcessCpuPercentWhileToolsRan.Max():0.00}% | {cpu:0.0}%, {r.ProcessCpuPercent.Max():0.0}% |"));
        }
        md.AppendLine();
        md.AppendLine("Every trial:");
        md.AppendLine();
        foreach (var r in rows)
        {
            var clientP50s = r.ByHandClientP50s.Count == 0 ? "" :
                $"; by hand, mean of the clients' own p50 lines {string.Join(", ", r.ByHandClientP50s.Select(F))} (median {F(SampleAnalyzer.Default.Summarize(r.ByHandClientP50s).Median)})";
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {r.Tool}, {r.Pairs} pairs, {r.Metric.Name}: NetPerf {string.Join(", ", r.NetPerf.Select(F))}; by hand {string.Join(", ", r.ByHand.Select(F))}; test process CPU while every tool ran {string.Join(", ", r.ProcessCpuPercentWhileEveryToolRan.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}%{(r.JitMillisecondsWhileEveryToolRan.Count == 0 ? "" : $" (of which JIT {string.Join(", ", r.JitMillisecondsWhileEveryToolRan.Select(j => j.ToString("0", CultureInfo.InvariantCulture)))} ms)")}, from the release to the last exit {string.Join(", ", r.ProcessCpuPercentWhileToolsRan.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}%, over the whole run {string.Join(", ", r.ProcessCpuPercent.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))}%{clientP50s}{(r.WarmUp is null ? "" : $"; warm-up trial, not counted: {r.WarmUp}")}"));
        }
        return md.ToString();
    }
}
