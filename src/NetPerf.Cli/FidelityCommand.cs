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
/// <c>docker exec CLIENT iperf3 -c ADDRESS -p PORT -t ... -O ... -J</c> per pair, all started together, and the sum of each
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
        var output = new Option<string>("--out") { Description = "Markdown page to write.", DefaultValueFactory = _ => "docs/fidelity.md" };
        command.Options.Add(trials);
        command.Options.Add(seconds);
        command.Options.Add(pairs);
        command.Options.Add(output);
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(trials);
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var rows = new List<Row>();
            foreach (var p in parse.GetValue(pairs)!)
            {
                // A testbed per tool: sockperf's server cannot bind a port that iperf3's connections left in TIME_WAIT
                // (iperf3 sets SO_REUSEADDR, sockperf does not), whoever runs it.
                await using (var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(p).BuildAsync(ct))
                {
                    Console.Error.WriteLine($"testbed {bed.Name}: Bridge, {p} pairs");
                    rows.Add(await CompareAsync(bed, "iperf3 TCP", Metrics.AggregateThroughput, Workload.Iperf3Tcp(duration), (b, c) => Iperf3ByHandAsync(b, duration, c), n, ct));
                }
                await using (var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(p).BuildAsync(ct))
                {
                    Console.Error.WriteLine($"testbed {bed.Name}: Bridge, {p} pairs");
                    rows.Add(await CompareAsync(bed, "sockperf ping-pong 350 B", Metrics.LatencyP50, Workload.SockperfPingPong(350, duration), (b, c) => SockperfByHandAsync(b, duration, c), n, ct));
                }
            }
            var page = Report(rows, n, duration, $"dotnet run --project src/NetPerf.Cli -- fidelity --trials {n} --seconds {duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
            var path = parse.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, page, ct);
            Console.WriteLine(page);
            Console.Error.WriteLine($"wrote {path}");
            return rows.All(r => Math.Abs(r.Difference) <= 0.03) ? 0 : 1;
        });
        return command;
    }

    /// <summary>One cell: NetPerf's values, the hand-run values, and the test process's CPU (% of one core) per NetPerf run, whole and while the tools ran.</summary>
    internal sealed record Row(string Tool, Metric Metric, int Pairs, IReadOnlyList<double> NetPerf, IReadOnlyList<double> ByHand, IReadOnlyList<double> ProcessCpuPercent, IReadOnlyList<double> ProcessCpuPercentWhileToolsRan)
    {
        public double NetPerfMedian => SampleAnalyzer.Default.Summarize(NetPerf).Median;

        public double ByHandMedian => SampleAnalyzer.Default.Summarize(ByHand).Median;

        /// <summary>NetPerf's median relative to the hand-run median.</summary>
        public double Difference => NetPerfMedian / ByHandMedian - 1;
    }

    private static async Task<Row> CompareAsync(Testbed bed, string tool, Metric metric, IWorkload workload, Func<Testbed, CancellationToken, Task<double>> byHand, int trials, CancellationToken ct)
    {
        var rng = new Random(20261203 + bed.Pairs.Count);
        var ours = new List<double>();
        var theirs = new List<double>();
        var cpu = new List<double>();
        var cpuDuringTools = new List<double>();
        for (int t = 0; t < trials; t++)
        {
            // Randomised order within each trial, so a drift of the machine does not favour one side.
            var netPerfFirst = rng.Next(2) == 0;
            for (int side = 0; side < 2; side++)
            {
                if ((side == 0) == netPerfFirst)
                {
                    var host = new WindowedHost(bed);
                    var cpuBefore = ProcessCpu();
                    var wall = Stopwatch.StartNew();
                    var result = await workload.RunAsync(host, ct);
                    wall.Stop();
                    cpu.Add(100 * (ProcessCpu() - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds);
                    cpuDuringTools.Add(host.CpuPercentBetweenSnapshots());
                    ours.Add(result.Value(metric));
                }
                else
                {
                    theirs.Add(await byHand(bed, ct));
                }
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{tool}, {bed.Pairs.Count} pairs, trial {t + 1}/{trials}: NetPerf {ours[^1]:0.###}, by hand {theirs[^1]:0.###} {metric.Unit.Symbol}; test process {cpu[^1]:0.0}% of a core over the whole run, {cpuDuringTools[^1]:0.0}% while the tools ran"));
        }
        return new Row(tool, metric, bed.Pairs.Count, ours, theirs, cpu, cpuDuringTools);
    }

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
    private sealed class WindowedHost(Testbed bed) : IWorkloadHost
    {
        private readonly List<(TimeSpan Wall, TimeSpan Cpu)> _marks = [];

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
            _marks.Add((Stopwatch.GetElapsedTime(0), ProcessCpu()));
            return snapshot;
        }

        /// <summary>This process's CPU between the first and the last snapshot, in percent of one core (NaN without two).</summary>
        public double CpuPercentBetweenSnapshots() =>
            _marks.Count < 2 ? double.NaN : 100 * (_marks[^1].Cpu - _marks[0].Cpu).TotalSeconds / (_marks[^1].Wall - _marks[0].Wall).TotalSeconds;
    }

    private static async Task<double> Iperf3ByHandAsync(Testbed bed, TimeSpan duration, CancellationToken ct)
    {
        foreach (var pair in bed.Pairs)
            await DockerAsync(ct, "exec", "-d", pair.Server.Name, "iperf3", "-s", "-1", "-p", Port(pair));
        await WaitForListenersAsync(bed, ct);
        var clients = bed.Pairs.Select(pair => DockerAsync(ct, "exec", pair.Client.Name, "iperf3", "-c", pair.Server.Address, "-p", Port(pair),
            "-t", Seconds(duration), "-O", "1", "-i", "1", "-P", "1", "-J")).ToList();
        double sum = 0;
        foreach (var output in await Task.WhenAll(clients))
        {
            using var json = JsonDocument.Parse(output);
            sum += json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
        }
        return sum / 1e9;
    }

    private static async Task<double> SockperfByHandAsync(Testbed bed, TimeSpan duration, CancellationToken ct)
    {
        foreach (var pair in bed.Pairs)
            await DockerAsync(ct, "exec", "-d", pair.Server.Name, "sockperf", "sr", "--tcp", "-p", Port(pair));
        await WaitForListenersAsync(bed, ct);
        try
        {
            var clients = bed.Pairs.Select(pair => DockerAsync(ct, "exec", pair.Client.Name, "sockperf", "pp", "--tcp", "-i", pair.Server.Address, "-p", Port(pair),
                "-m", "350", "-t", Seconds(duration))).ToList();
            double weighted = 0, observations = 0;
            foreach (var output in await Task.WhenAll(clients))
            {
                var p50 = double.Parse(P50().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no 'percentile 50.000' line in sockperf's output:\n{output}"), CultureInfo.InvariantCulture);
                var count = double.Parse(Observations().Match(output) is { Success: true } o ? o.Groups[1].Value : throw new InvalidOperationException($"no observation count in sockperf's output:\n{output}"), CultureInfo.InvariantCulture);
                weighted += p50 * count;
                observations += count;
            }
            return weighted / observations;
        }
        finally
        {
            // sockperf's server does not exit on its own. docker exec -d gives no pid, so the ones this trial started are
            // ended by name, inside the testbed's own server containers only.
            foreach (var pair in bed.Pairs)
                await DockerAsync(ct, "exec", pair.Server.Name, "sh", "-c", "kill $(pidof sockperf) 2>/dev/null; true");
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

    internal static string Report(IReadOnlyList<Row> rows, int trials, TimeSpan duration, string command)
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        string P(double v) => (v * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
        var md = new StringBuilder();
        md.AppendLine("# Fidelity: NetPerf's numbers next to the tools run by hand");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Measured on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Experiments.FingerprintReader.Machine()} with `{command}` ({trials} trials of {duration.TotalSeconds:0.#} s per side and cell)."));
        md.AppendLine("Rerun: `bash scripts/fidelity.sh` (the same command; exits 1 when a cell differs by more than 3%).");
        md.AppendLine();
        md.AppendLine("One Bridge testbed per pair count and tool. In each trial NetPerf's workload and the same commands run by hand through the docker");
        md.AppendLine("CLI in the same containers take turns, in random order. By hand: iperf3's own `end.sum_received` rate of every client,");
        md.AppendLine("summed; sockperf's own `percentile 50.000` of every client, weighted by its received messages (as NetPerf weights");
        md.AppendLine("pairs). Test process CPU: this process's user + system time (the OS's accounting, `/proc/self/stat`) in percent of");
        md.AppendLine("one core, (a) while the tools ran: between the workload's two CPU snapshots, taken right after the start barrier");
        md.AppendLine("released the clients and once every client had exited; (b) over the whole workload run, which adds starting the");
        md.AppendLine("servers, waiting for them to listen, the barrier, stopping the servers and parsing (for sockperf, its full per-message");
        md.AppendLine("log, which NetPerf reads to compute exact percentiles over all pairs).");
        md.AppendLine();
        md.AppendLine("| Tool | Metric | Pairs | NetPerf median | By hand median | Difference | Within 3% | Test process CPU while the tools ran (median, max) | Test process CPU over the whole workload run (median, max) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---|---|---|");
        foreach (var r in rows)
        {
            var cpu = SampleAnalyzer.Default.Summarize(r.ProcessCpuPercent).Median;
            var during = SampleAnalyzer.Default.Summarize(r.ProcessCpuPercentWhileToolsRan).Median;
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Tool} | {r.Metric.Name} ({r.Metric.Unit.Symbol}) | {r.Pairs} | {F(r.NetPerfMedian)} | {F(r.ByHandMedian)} | {P(r.Difference)} | {(Math.Abs(r.Difference) <= 0.03 ? "yes" : "no")} | {during:0.00}%, {r.ProcessCpuPercentWhileToolsRan.Max():0.00}% | {cpu:0.0}%, {r.ProcessCpuPercent.Max():0.0}% |"));
        }
        md.AppendLine();
        md.AppendLine("Every trial:");
        md.AppendLine();
        foreach (var r in rows)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {r.Tool}, {r.Pairs} pairs, {r.Metric.Name}: NetPerf {string.Join(", ", r.NetPerf.Select(F))}; by hand {string.Join(", ", r.ByHand.Select(F))}; test process CPU while the tools ran {string.Join(", ", r.ProcessCpuPercentWhileToolsRan.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}%, over the whole run {string.Join(", ", r.ProcessCpuPercent.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))}%"));
        }
        return md.ToString();
    }
}
