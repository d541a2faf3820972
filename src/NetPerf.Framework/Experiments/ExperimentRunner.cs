using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetPerf.Baselines;
using NetPerf.Statistics;
using NetPerf.Testbeds;
using NetPerf.Verdicts;
using NetPerf.Workloads;

namespace NetPerf.Experiments;

/// <summary>
/// Runs one cell: builds its testbed, runs trials of the workload, compares every gated metric with the
/// committed baseline (adding trials while the answer is inconclusive, up to a bound), and decides.
/// </summary>
/// <remarks>
/// Decision rules: a gated metric that is <see cref="Verdict.Regressed"/> fails the cell and writes a
/// received file next to the baseline. Improved writes a received file and warns. Inconclusive after the
/// trial bound warns (the data cannot tell; NetPerf never claims a regression it cannot show). A missing
/// baseline fails unless the run records. Accept mode moves received files over baselines.
/// </remarks>
public sealed class ExperimentRunner(ExperimentSettings settings, ICellResultSink? sink = null)
{
    /// <summary>The run-wide settings.</summary>
    public ExperimentSettings Settings { get; } = settings;

    /// <summary>Runs the cell and returns what happened; only infrastructure and tool failures throw.</summary>
    public async Task<CellRun> RunAsync(ExperimentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var started = DateTimeOffset.UtcNow;
        var loadAtStart = LoadAverage();
        var watch = Stopwatch.StartNew();
        var cell = definition.Cell;
        var store = new BaselineStore(Settings.BaselinesDirectory);
        var minTrials = Settings.Trials ?? cell.Trials ?? definition.Policy.MinTrials;
        if (Settings.Record || Settings.Accept)
            minTrials = Math.Max(minTrials, Settings.RecordTrials);
        var policy = new SequentialPolicy(minTrials, Math.Max(Settings.MaxTrials ?? definition.Policy.MaxTrials, minTrials), definition.Policy.Step);

        var builder = new TestbedBuilder().WithDriver(cell.Driver).WithPairs(cell.Pairs);
        if (CpuPlacement.For(cell.Cores, cell.Pinning, Environment.ProcessorCount) is { } cpuset) builder = builder.WithCpuset(cpuset);
        if (definition.ConfigureTestbed is { } configure) builder = configure(builder);

        var trials = new List<WorkloadResult>();
        await using var bed = await builder.BuildAsync(cancellationToken).ConfigureAwait(false);
        // The control arm runs right after each trial on its own testbed, so both see the same machine state.
        await using var control = definition.ControlDriver is { } controlDriver
            ? await builder.WithDriver(controlDriver).BuildAsync(cancellationToken).ConfigureAwait(false)
            : null;
        async Task RunTrials(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var trial = await definition.Workload.RunAsync(bed, cancellationToken).ConfigureAwait(false);
                if (control is not null)
                    trial = WithControl(trial, await definition.Workload.RunAsync(control, cancellationToken).ConfigureAwait(false), definition.ControlDriver!.Value);
                trials.Add(trial);
            }
        }

        await RunTrials(policy.MinTrials).ConfigureAwait(false);
        var fingerprint = FingerprintReader.Read(bed, trials[0]);
        var key = new BaselineKey(Settings.TestbedName ?? fingerprint.TestbedName, definition.ScenarioKey, cell.CellId);
        var baseline = store.Read(key);

        var comparisons = Compare(definition, baseline, trials);
        while (comparisons.Count > 0 && trials.Count < policy.MaxTrials)
        {
            var more = comparisons.Where(c => IsGated(definition, c.Metric)).Select(policy.TrialsToAdd).DefaultIfEmpty(0).Max();
            if (more <= 0) break;
            await RunTrials(Math.Min(more, policy.MaxTrials - trials.Count)).ConfigureAwait(false);
            comparisons = Compare(definition, baseline, trials);
        }

        var file = BaselineFile.ForRun(key.Scenario, key.Cell, key.Testbed, new BaselineRun
        {
            Fingerprint = fingerprint,
            RecordedAt = started,
            Commit = CommitId(Settings.BaselinesDirectory),
            RunId = Reaper.SessionId,
            Origin = Settings.Record ? "record" : "accept",
            Machine = MachineDescription(fingerprint, loadAtStart),
            Metrics = AllMetrics(definition).ToDictionary(
                m => m.Metric.Name,
                m => BaselineMetric.Create(m.Metric, ValuesOf(trials, m.Metric), m.Tolerance)),
        });

        var warnings = new List<string>();
        var files = new List<string>();
        string? failure = null;
        string outcome;
        var baselinePath = store.BaselinePath(key);
        string? receivedPath = null;
        var acceptHint = $"To accept this run as the new baseline: rerun with NETPERF_ACCEPT=1 (e.g. NETPERF_ACCEPT=1 scripts/scenarios.sh --filter-method '*{cell.Scenario}*'), or run 'netperf accept --baselines {Settings.BaselinesDirectory}' to move every received file over its baseline.";

        if (baseline is not null && baseline.Fingerprint.DifferencesFrom(fingerprint) is { Count: > 0 } drift)
            warnings.Add($"The environment differs from the baseline's: {string.Join("; ", drift)}.");
        foreach (var c in comparisons.Where(c => c.Current.IsMultimodal))
            warnings.Add($"'{c.Metric.Name}' looks multimodal in this run (mValue {c.Current.MValue.ToString("0.##", CultureInfo.InvariantCulture)}); its median may hide two behaviours.");

        // The suite's own previous cell keeps the 1-minute average near the core count; twice that means other work.
        if (loadAtStart is { } load && load > 2 * Environment.ProcessorCount)
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The machine was busy when this cell started (load average {load:0.##} on {Environment.ProcessorCount} cores): other work is noise in every number, and on this kind of machine it moved throughput by up to 2x between runs (docs/calibration-under-load.md)."));
        var gated = comparisons.Where(c => IsGated(definition, c.Metric)).ToList();
        if (Settings.Record)
        {
            store.Record(file, force: false);
            outcome = "Recorded";
            warnings.Add($"Record mode: baseline written to {baselinePath}.");
        }
        else if (baseline is null)
        {
            receivedPath = store.WriteReceived(file);
            outcome = "NewBaseline";
            if (Settings.Accept)
            {
                store.Accept(key);
                outcome = "Recorded";
                warnings.Add($"Accept mode: new baseline written to {baselinePath}.");
            }
            else
            {
                failure = $"No baseline for {cell.DisplayName} on testbed '{key.Testbed}'.\n"
                    + $"  Expected: {baselinePath}\n  Received: {receivedPath}\n"
                    + $"  Measured {trials.Count} trials: {Describe(definition, trials)}\n"
                    + "  " + acceptHint.Replace("To accept this run as the new baseline", "To record it", StringComparison.Ordinal)
                    + " (or NETPERF_RECORD=1 to record without failing).";
            }
        }
        else if (gated.Any(c => c.Verdict == Verdict.Regressed))
        {
            receivedPath = store.WriteReceived(file);
            outcome = "Regressed";
            var sb = new StringBuilder();
            foreach (var c in gated.Where(c => c.Verdict == Verdict.Regressed))
                sb.AppendLine(FailureMessage.Format(cell.DisplayName, c, baselinePath, receivedPath, acceptHint));
            failure = sb.ToString().TrimEnd();
            if (Settings.Accept)
            {
                store.Accept(key);
                outcome = "Accepted";
                warnings.Add($"Accept mode: the regressed run replaced the baseline at {baselinePath}:\n{failure}");
                failure = null;
            }
        }
        else if (gated.Any(c => c.Verdict == Verdict.Improved))
        {
            receivedPath = store.WriteReceived(file);
            outcome = "Improved";
            foreach (var c in gated.Where(c => c.Verdict == Verdict.Improved))
                warnings.Add($"Improved: {c.Reason} {acceptHint}");
            if (Settings.Accept)
            {
                store.Accept(key);
                outcome = "Accepted";
            }
        }
        else if (gated.Any(c => c.Verdict == Verdict.Inconclusive))
        {
            store.DeleteReceived(key);
            outcome = "Inconclusive";
            foreach (var c in gated.Where(c => c.Verdict == Verdict.Inconclusive))
                warnings.Add($"Inconclusive after {trials.Count.ToString(CultureInfo.InvariantCulture)} trials: {c.Reason}");
        }
        else
        {
            store.DeleteReceived(key);
            outcome = "Passed";
        }
        if (receivedPath is not null && File.Exists(receivedPath)) files.Add(receivedPath);

        var result = new CellResult(
            definition.ScenarioKey,
            cell.CellId,
            cell.DisplayName,
            cell.Driver.ToString(),
            cell.Pairs,
            cell.Traits.Where(kv => kv.Key != "scale").GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value),
            loadAtStart is { } l ? new Dictionary<string, string>(bed.Facts) { ["host.loadavg"] = l.ToString("0.##", CultureInfo.InvariantCulture) } : bed.Facts,
            [.. trials.Select((r, i) => new TrialRecord(i + 1,
                [.. r.Measurements.Select(m => new MeasurementRecord(m.Metric.Name, m.Metric.Unit.Symbol, m.Value, m.Flow))], r.StartSkewMilliseconds))],
            [.. AllMetrics(definition).Select(m => ToMetricResult(m.Metric, m.Tolerance, baseline, trials, comparisons))],
            outcome,
            failure ?? string.Join("\n", warnings),
            baselinePath,
            receivedPath,
            started,
            watch.Elapsed.TotalSeconds);
        if (sink?.Write(result) is { } written) files.Add(written);
        if (sink is not null && IntervalTable.HasIntervals(trials))
        {
            if (sink.WriteCompanion(result, "intervals.csv", IntervalTable.ToCsv(trials)) is { } csv) files.Add(csv);
            if (sink.WriteCompanion(result, "intervals.md", IntervalTable.Summary(cell.DisplayName, trials)) is { } md) files.Add(md);
        }
        return new CellRun(result, comparisons, failure, warnings, files, [.. trials.SelectMany(r => r.RawOutputs)]);
    }

    /// <summary>Adds, for every aggregate the trial measured, its ratio to the control arm's value (<see cref="Metric.RelativeTo"/>).</summary>
    internal static WorkloadResult WithControl(WorkloadResult trial, WorkloadResult control, Driver controlDriver)
    {
        var ratios = trial.Measurements
            .Where(m => m.Flow is null && control.Find(m.Metric) is { Value: > 0 })
            .Select(m => new Measurement(m.Metric.RelativeTo(controlDriver.ToString()), m.Value / control.Find(m.Metric)!.Value))
            .ToList();
        return trial with { Measurements = [.. trial.Measurements, .. ratios] };
    }

    /// <summary>Where a run came from, for the baseline: CPU, cores, memory, kernel, engine and the load when the cell started.</summary>
    internal static string MachineDescription(EnvironmentFingerprint fingerprint, double? load)
    {
        var text = BaselineJson.DescribeMachine(fingerprint);
        if (MemoryGiB() is { } memory) text += string.Create(CultureInfo.InvariantCulture, $", {memory:0} GiB");
        if (load is { } l) text += string.Create(CultureInfo.InvariantCulture, $", load {l:0.##} at start");
        return text;
    }

    private static double? MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: >= 2 } && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var kib) ? kib / (1024 * 1024) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The 1-minute load average, or <see langword="null"/> where /proc/loadavg does not exist.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsGated(ExperimentDefinition d, Metric metric) => d.Gates.Any(g => g.Metric.Name == metric.Name);

    private static IEnumerable<(Metric Metric, double? Tolerance)> AllMetrics(ExperimentDefinition d) =>
        d.Gates.Select(g => (g.Metric, (double?)g.Tolerance))
            .Concat(d.Reported.Where(m => !IsGated(d, m)).Select(m => (m, (double?)null)));

    private static List<Comparison> Compare(ExperimentDefinition d, BaselineFile? baseline, IReadOnlyList<WorkloadResult> trials)
    {
        var list = new List<Comparison>();
        if (baseline is null) return list;
        foreach (var (metric, tolerance) in AllMetrics(d))
        {
            if (!baseline.Metrics.TryGetValue(metric.Name, out var stored)) continue;
            var gate = d.Gates.FirstOrDefault(g => g.Metric.Name == metric.Name) ?? new Gate(metric);
            list.Add(Comparer.Compare(gate, baseline.RunValues(metric.Name), ValuesOf(trials, metric)));
        }
        return list;
    }

    /// <summary>The aggregate value of a metric in every trial; a trial without it is a workload bug and fails loudly.</summary>
    internal static IReadOnlyList<double> ValuesOf(IReadOnlyList<WorkloadResult> trials, Metric metric) =>
        [.. trials.Select((t, i) => t.Find(metric) is { } m
            ? m.Value
            : throw new InvalidOperationException($"Trial {(i + 1).ToString(CultureInfo.InvariantCulture)} of workload '{t.Workload}' has no aggregate value of '{metric.Name}'; the scenario gates or reports a metric this workload does not measure. Measured: {string.Join(", ", t.Measurements.Where(x => x.Flow is null).Select(x => x.Metric.Name).Distinct())}."))];

    private static string Describe(ExperimentDefinition d, IReadOnlyList<WorkloadResult> trials) =>
        string.Join("; ", AllMetrics(d).Select(m =>
        {
            var s = SampleAnalyzer.Default.Summarize(ValuesOf(trials, m.Metric));
            return string.Create(CultureInfo.InvariantCulture, $"{m.Metric.Name} median {s.Median:G4} {m.Metric.Unit}");
        }));

    private static MetricResult ToMetricResult(Metric metric, double? tolerance, BaselineFile? baseline, IReadOnlyList<WorkloadResult> trials, IReadOnlyList<Comparison> comparisons)
    {
        var current = SampleAnalyzer.Default.Summarize(ValuesOf(trials, metric));
        var c = comparisons.FirstOrDefault(x => x.Metric.Name == metric.Name);
        var stored = baseline is not null && baseline.Metrics.TryGetValue(metric.Name, out var m) ? m : null;
        var baseSummary = c?.Baseline;
        return new MetricResult(
            metric.Name,
            metric.Unit.Symbol,
            metric.Direction.ToString(),
            tolerance is not null,
            tolerance,
            stored?.Values ?? [],
            current.Values,
            baseSummary?.Median,
            baseSummary?.MedianInterval?.Lower,
            baseSummary?.MedianInterval?.Upper,
            current.Median,
            current.MedianInterval?.Lower,
            current.MedianInterval?.Upper,
            c?.ChangeRatio is { } r ? (r - 1) * 100 : null,
            c?.DecisivePValue,
            c?.Verdict.ToString() ?? "NoBaseline",
            c?.Reason ?? "no baseline to compare with");
    }

    private static string? CommitId(string directory)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_SHA") is { Length: > 0 } sha) return sha;
        try
        {
            var r = Testbeds.Host.HostCommand.RunAsync("git", ["-C", directory, "rev-parse", "--short", "HEAD"], TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            return r.Succeeded ? r.Stdout.Trim() : null;
        }
        catch (TimeoutException) { return null; }
    }
}
