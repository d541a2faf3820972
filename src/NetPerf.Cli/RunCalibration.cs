using System.Globalization;
using System.Text;
using NetPerf.Baselines;
using NetPerf.Statistics;
using NetPerf.Verdicts;

namespace NetPerf.Cli;

/// <summary>
/// Leave-runs-out calibration over committed multi-run baselines: how often would an unchanged main job be red, and how
/// large a regression does each gated cell catch? Needs no engine: it judges recorded runs against each other.
/// </summary>
/// <remarks>
/// <para>
/// For every baseline with at least 4 runs and every gated metric, each ordered triple of runs (j, c, s) plays a job: run
/// j is the current run (its first <c>currentTrials</c> trials, as the main job runs), run c is the confirmation on a
/// fresh testbed, run s the second confirmation, and the remaining runs are the baseline. A false alarm is a Regressed
/// verdict of run j that the confirmations confirm, through the framework's own <see cref="Comparer"/>. Runs that share a
/// run id (one job run) are matched across cells, so the job-level rate counts a job as red when any of its cells is.
/// The same is counted for pairs (j, c) with the rule of two runs alone, to show what the second confirmation changes.
/// </para>
/// <para>
/// Detection here multiplies the held-out runs' values by (1 - 1.5 x tolerance) for higher-is-better metrics and by
/// (1 + 1.5 x tolerance) otherwise: a scaled regression, not a real one (the real injections are run by
/// <c>calibrate</c>'s collection mode). It says whether the statistics can see such a change given the measured spread.
/// </para>
/// </remarks>
internal static class RunCalibration
{
    /// <summary>The result for one gated metric of one cell.</summary>
    internal sealed record CellRow(
        string Scenario, string Cell, string Metric, double Tolerance, int Runs, double? RunCv, double WithinCv,
        int Jobs, int SingleFalse, int Confirmations, int SecondConfirmations, int ConfirmedFalse, int Detected, int DetectedAtGoal, int DetectionTries, double? Gate,
        double? Detectable, bool ToleranceBelowDetectable, IReadOnlyList<(string Current, string Confirmation, string Second)> FalseJobs,
        int PairJobs, IReadOnlyList<(string Current, string Confirmation)> FalsePairJobs);

    /// <summary>
    /// The main job's decision for one gated metric: the first run, then (if it needs it) the confirmation judged with it,
    /// then (if the two together are worse than a baseline of several runs) the second confirmation judged with both
    /// (the framework's CellDecisions.NeedsSecondConfirmation). Without a <paramref name="second"/> run the two-run
    /// judgement stands.
    /// </summary>
    internal static (bool FirstRegressed, bool Confirmed, bool Regressed, bool SecondRun) Judge(
        Gate gate, IReadOnlyList<IReadOnlyList<double>> baseline, IReadOnlyList<double> current, IReadOnlyList<double> confirmation, IReadOnlyList<double>? second = null)
    {
        var first = Comparer.Compare(gate, baseline, current);
        if (!first.NeedsConfirmation)
            return (false, false, false, false);
        var combined = Comparer.Confirm(gate, baseline, [current, confirmation]);
        if (combined is null)
            return (first.Verdict == Verdict.Regressed, true,
                first.Verdict == Verdict.Regressed && Comparer.Compare(gate, baseline, confirmation).Verdict == Verdict.Regressed, false);
        if (!combined.Worse || second is null)
            return (first.Verdict == Verdict.Regressed, true, combined.Worse, false);
        var three = Comparer.Confirm(gate, baseline, [current, confirmation, second]);
        return (first.Verdict == Verdict.Regressed, true, three?.Worse ?? combined.Worse, true);
    }

    internal static IReadOnlyList<CellRow> Evaluate(IReadOnlyList<BaselineFile> files, int currentTrials, double injectionFactor = 1.5)
    {
        var rows = new List<CellRow>();
        foreach (var file in files.Where(f => f.Runs.Count >= 4).OrderBy(f => f.Scenario, StringComparer.Ordinal).ThenBy(f => f.Cell, StringComparer.Ordinal))
        {
            foreach (var (name, metric) in file.Metrics.Where(m => m.Value.Tolerance is not null))
            {
                var runs = file.Runs.Where(r => r.Metrics.ContainsKey(name)).ToList();
                if (runs.Count < 4) continue;
                var gate = new Gate(metric.ToMetric(name), metric.Tolerance!.Value);
                bool higher = metric.Direction == Direction.HigherIsBetter;
                int jobs = 0, single = 0, confirmations = 0, seconds = 0, confirmed = 0, detected = 0, detectedAtGoal = 0, detectionTries = 0;
                var falseJobs = new List<(string, string, string)>();
                foreach (var (j, c, s) in Triples(runs))
                {
                    {
                        // The confirmations run on fresh testbeds of the same machine, and the baseline is what the main
                        // job on that machine would use (its own runs when the rest holds 3 or more of them).
                        var rest = file with { Runs = [.. runs.Where((_, i) => i != j && i != c && i != s)] };
                        var selection = rest.RunsFor(name, runs[j].Fingerprint.Machine);
                        // Fewer than 3 runs of this machine left: the main job claims no change then (CellDecisions.OnOtherMachines).
                        if (selection.OtherMachinesDecide) continue;
                        var baseline = selection.Values;
                        if (baseline.Count == 0) continue;
                        var current = First(runs[j].Metrics[name].Values, currentTrials);
                        var confirmation = First(runs[c].Metrics[name].Values, currentTrials);
                        var second = First(runs[s].Metrics[name].Values, currentTrials);
                        jobs++;
                        var (firstRegressed, confirmedRun, regressed, secondRun) = Judge(gate, baseline, current, confirmation, second);
                        if (firstRegressed) single++;
                        if (confirmedRun) confirmations++;
                        if (secondRun) seconds++;
                        if (regressed)
                        {
                            confirmed++;
                            falseJobs.Add((Id(runs[j]), Id(runs[c]), Id(runs[s])));
                        }
                        // A regression of 1.5x the gate this baseline sets, and of 1.5x the tolerance the scenario asks for.
                        var heldOut = RunSpread.Estimate(baseline);
                        double gateNow = heldOut is null ? gate.Tolerance : RunLevelCheck.GateTolerance(gate, heldOut, current.Count);
                        if (Factor(gateNow) is { } f)
                        {
                            detectionTries++;
                            if (Judge(gate, baseline, Scale(current, f), Scale(confirmation, f), Scale(second, f)).Regressed) detected++;
                        }
                        if (Factor(gate.Tolerance) is { } g && Judge(gate, baseline, Scale(current, g), Scale(confirmation, g), Scale(second, g)).Regressed) detectedAtGoal++;
                    }
                }
                // The rule of two runs alone (no second confirmation), for comparison.
                int pairJobs = 0;
                var falsePairs = new List<(string, string)>();
                foreach (var (j, c, _) in Triples(runs).DistinctBy(t => (t.Current, t.Confirmation)))
                {
                    var rest = file with { Runs = [.. runs.Where((_, i) => i != j && i != c)] };
                    var selection = rest.RunsFor(name, runs[j].Fingerprint.Machine);
                    if (selection.OtherMachinesDecide) continue;
                    var baseline = selection.Values;
                    if (baseline.Count == 0) continue;
                    pairJobs++;
                    if (Judge(gate, baseline, First(runs[j].Metrics[name].Values, currentTrials), First(runs[c].Metrics[name].Values, currentTrials)).Regressed)
                        falsePairs.Add((Id(runs[j]), Id(runs[c])));
                }
                // What the cell can see in the main job: all its runs as the baseline, a new run of currentTrials trials.
                var spread = RunSpread.Estimate(file.RunsFor(name, file.Newest.Fingerprint.Machine).Values);
                double? detectable = spread is null ? null : RunLevelCheck.DetectableChange(gate, spread, currentTrials);
                if (detectable is { } dc && !double.IsFinite(dc)) detectable = null;
                double? gateAll = spread is null ? null : RunLevelCheck.GateTolerance(gate, spread, currentTrials);
                bool below = spread is not null && RunLevelCheck.Check(gate, spread, First(runs[^1].Metrics[name].Values, currentTrials)).ToleranceBelowDetectable;
                rows.Add(new CellRow(file.Scenario, file.Cell, name, gate.Tolerance, runs.Count, spread?.RunMedianCv, spread?.WithinRunCv ?? double.NaN,
                    jobs, single, confirmations, seconds, confirmed, detected, detectedAtGoal, detectionTries, gateAll, detectable, below, falseJobs, pairJobs, falsePairs));

                double? Factor(double tolerance) =>
                    higher ? (injectionFactor * tolerance < 1 ? 1 - injectionFactor * tolerance : null) : 1 + injectionFactor * tolerance;
            }
        }
        return rows;
    }

    private static string Id(BaselineRun run) => run.RunId ?? run.Label;

    /// <summary>Every ordered triple of distinct runs of one machine: the current run, its confirmation and the second confirmation.</summary>
    private static IEnumerable<(int Current, int Confirmation, int Second)> Triples(IReadOnlyList<BaselineRun> runs)
    {
        for (int j = 0; j < runs.Count; j++)
            for (int c = 0; c < runs.Count; c++)
                for (int s = 0; s < runs.Count; s++)
                {
                    if (c == j || s == j || s == c) continue;
                    var machine = runs[j].Fingerprint.Machine;
                    if (runs[c].Fingerprint.Machine != machine || runs[s].Fingerprint.Machine != machine) continue;
                    yield return (j, c, s);
                }
    }

    private static List<double> Scale(IReadOnlyList<double> values, double factor) => [.. values.Select(v => v * factor)];

    internal static string Report(IReadOnlyList<BaselineFile> files, int currentTrials, string command)
    {
        var rows = Evaluate(files, currentTrials);
        var md = new StringBuilder();
        string P(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
        string R(int hits, int total) => total == 0 ? "-" : $"{P((double)hits / total)} ({hits}/{total})";
        md.AppendLine("# Calibration over the committed runs (leave runs out)");
        md.AppendLine();
        md.AppendLine($"Rerun: `{command}` (no engine needed; it reads `baselines/`).");
        md.AppendLine();
        var testbeds = files.Select(f => f.Testbed).Distinct().Order(StringComparer.Ordinal).ToList();
        md.AppendLine($"Testbeds: {string.Join(", ", testbeds)}. Cells with at least 4 runs: {rows.Select(r => (r.Scenario, r.Cell)).Distinct().Count()} " +
            $"(gated metrics: {rows.Count}). Each current and confirmation run uses its first {currentTrials} trials, as the main job does.");
        md.AppendLine();
        md.AppendLine("Where the runs came from:");
        md.AppendLine();
        foreach (var job in files.SelectMany(f => f.Runs).GroupBy(r => r.RunId ?? r.Label).OrderBy(g => g.Min(r => r.RecordedAt)))
        {
            var first = job.OrderBy(r => r.RecordedAt).First();
            md.AppendLine($"- run {job.Key} ({job.Count()} cells, from {first.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, commit {first.Commit ?? "unknown"}): {first.Origin}; {first.Machine}");
        }
        md.AppendLine();
        md.AppendLine("Method: for every ordered triple of runs (j, c, s) of a cell recorded on the same machine, run j is judged as the current");
        md.AppendLine("run against the other runs except c and s (the machine's own runs when 3 or more remain; with fewer the main job claims no change,");
        md.AppendLine("so such triples are left out: a machine needs 6 runs of a cell to be calibrated here),");
        md.AppendLine("exactly as the main job judges it (framework `Comparer` and `CellDecisions`): the gate is the scenario's");
        md.AppendLine("tolerance or, where the held-out baseline's runs differ too much for it, the gate the data sets");
        md.AppendLine($"(`RunLevelCheck.GateTolerance`, {P(VerdictDefaults.FalseAlarmPerGate)} false alarms per gate); a first run worse than half the gate");
        md.AppendLine("is confirmed with run c as the run on a fresh testbed, and the two are judged together (`RunLevelCheck.Combine`); when");
        md.AppendLine("the two together are worse, run s is the second confirmation and the three together decide (`CellDecisions.NeedsSecondConfirmation`).");
        md.AppendLine("A false alarm is a confirmed Regressed verdict. Detection scales both held-out runs by 1 - 1.5 x the gate (1 + 1.5 x for");
        md.AppendLine("lower-is-better metrics): a scaled, not a real, regression; the real ones are in docs/calibration-injected.md.");
        md.AppendLine("'Gate' and 'Detects' are what the cell sets and sees in the main job on the machine of its newest run (90% power).");
        md.AppendLine();

        // Job-level: a job = (current, confirmation, second confirmation run ids); red when any cell's triple is a confirmed false alarm.
        var jobKeys = rows.SelectMany(r => r.FalseJobs).Distinct().ToList();
        int totalJobs = rows.Count == 0 ? 0 : rows.Max(r => r.Jobs);
        var pairKeys = rows.SelectMany(r => r.FalsePairJobs).Distinct().ToList();
        int totalPairs = rows.Count == 0 ? 0 : rows.Max(r => r.PairJobs);
        double independent = 1 - rows.Aggregate(1.0, (acc, r) => acc * (1 - (r.Jobs == 0 ? 0 : (double)r.ConfirmedFalse / r.Jobs)));
        md.AppendLine("## The whole main job");
        md.AppendLine();
        md.AppendLine($"- Confirmed false regressions: {rows.Sum(r => r.ConfirmedFalse)} in {rows.Sum(r => r.Jobs)} cell-judgements; first run alone Regressed: {rows.Sum(r => r.SingleFalse)}; confirmations run: {rows.Sum(r => r.Confirmations)}; second confirmations run: {rows.Sum(r => r.SecondConfirmations)}.");
        md.AppendLine($"- Jobs (ordered triples of job runs: current, confirmation, second confirmation) with at least one confirmed false regression: {jobKeys.Count} of {totalJobs} ({(totalJobs == 0 ? "-" : P((double)jobKeys.Count / totalJobs))}).");
        md.AppendLine($"- The same with two runs deciding (no second confirmation; ordered pairs of job runs): {pairKeys.Count} of {totalPairs} ({(totalPairs == 0 ? "-" : P((double)pairKeys.Count / totalPairs))}) red, {rows.Sum(r => r.FalsePairJobs.Count)} false regressions in {rows.Sum(r => r.PairJobs)} cell-judgements.");
        md.AppendLine($"- Red-run probability if cells were independent: {P(independent)}.");
        md.AppendLine($"- Scaled regressions at 1.5x the gate caught: {R(rows.Sum(r => r.Detected), rows.Sum(r => r.DetectionTries))}; at 1.5x the tolerance the scenario asks for: {R(rows.Sum(r => r.DetectedAtGoal), rows.Sum(r => r.Jobs))}. A gate of 67% or more of a higher-is-better metric has no 1.5x regression to try.");
        md.AppendLine($"- Gated metrics whose asked tolerance is below what the data supports (gate set by the data): {rows.Count(r => r.ToleranceBelowDetectable)} of {rows.Count}.");
        md.AppendLine();
        if (jobKeys.Count > 0)
        {
            md.AppendLine("Red jobs, by the three job runs they used in any order (how many of their orders were red): the cells that made them red.");
            md.AppendLine();
            foreach (var set in jobKeys.GroupBy(k => string.Join(", ", new[] { k.Current, k.Confirmation, k.Second }.Order(StringComparer.Ordinal))).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var cells = rows.Where(r => r.FalseJobs.Any(set.Contains)).Select(r => $"{r.Scenario} {r.Cell} {r.Metric}");
                md.AppendLine($"- {set.Key} ({set.Count()} of 6 orders): {string.Join("; ", cells)}");
            }
            md.AppendLine();
        }
        md.AppendLine("## Per cell");
        md.AppendLine();
        md.AppendLine("| Scenario | Cell | Metric | Asked | Gate | Runs | Run medians moved (CV) | Trials within a run (CV) | First run Regressed | Confirmed false alarm | Caught at 1.5x gate | Caught at 1.5x asked | Detects |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            string detects = r.Detectable is { } d ? P(d) : "unknown";
            string gateText = r.Gate is { } g ? P(g) + (r.ToleranceBelowDetectable ? " (data)" : "") : "-";
            md.AppendLine($"| {r.Scenario} | {r.Cell} | {r.Metric} | {P(r.Tolerance)} | {gateText} | {r.Runs} | {(r.RunCv is { } cv ? P(cv) : "-")} | {P(r.WithinCv)} | " +
                $"{R(r.SingleFalse, r.Jobs)} | {R(r.ConfirmedFalse, r.Jobs)} | {R(r.Detected, r.DetectionTries)} | {R(r.DetectedAtGoal, r.Jobs)} | {detects} |");
        }
        md.AppendLine();
        md.AppendLine("## Absolute or ratio to the control arm");
        md.AppendLine();
        md.AppendLine("Cells that measure a metric both as an absolute value and as a ratio to host networking in the same trials:");
        md.AppendLine();
        md.AppendLine("| Scenario | Cell | Metric | Runs | Absolute: run medians moved (CV) | Ratio: run medians moved (CV) | Smaller spread |");
        md.AppendLine("|---|---|---|---:|---:|---:|---|");
        foreach (var file in files.Where(f => f.Runs.Count >= 2))
        {
            foreach (var name in file.Metrics.Keys.Where(k => k.Contains("_vs_", StringComparison.Ordinal)))
            {
                string absolute = name[..name.IndexOf("_vs_", StringComparison.Ordinal)];
                if (!file.Metrics.ContainsKey(absolute)) continue;
                var a = RunSpread.Estimate(file.RunValues(absolute));
                var b = RunSpread.Estimate(file.RunValues(name));
                if (a?.RunMedianCv is not { } ca || b?.RunMedianCv is not { } cb) continue;
                md.AppendLine($"| {file.Scenario} | {file.Cell} | {absolute} | {file.Runs.Count} | {P(ca)} | {P(cb)} | {(cb < ca ? "ratio" : "absolute")} |");
            }
        }
        md.Append(CommonModeAnalysis.Report(files));
        return md.ToString();
    }

    internal static List<BaselineFile> Load(string root, string? testbed)
    {
        var files = new List<BaselineFile>();
        foreach (var path in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Where(p => !p.EndsWith(".received.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = BaselineJson.Deserialize(File.ReadAllText(path), path);
            if (testbed is null || file.Testbed == testbed) files.Add(file);
        }
        return files;
    }

    private static List<double> First(IReadOnlyList<double> values, int n) => [.. values.Take(Math.Min(n, values.Count))];
}
