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
/// For every baseline with at least 3 runs and every gated metric, each ordered pair of runs (j, c) plays a job: run j
/// is the current run (its first <c>currentTrials</c> trials, as the main job runs), run c is the confirmation on a
/// fresh testbed, and the remaining runs are the baseline. A false alarm is a Regressed verdict of run j that run c
/// confirms, through the framework's own <see cref="Comparer"/>. Runs that share a run id (one job run) are matched
/// across cells, so the job-level rate counts a job as red when any of its cells is.
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
        int Jobs, int SingleFalse, int Confirmations, int ConfirmedFalse, int Detected, int DetectedAtGoal, int DetectionTries, double? Gate,
        double? Detectable, bool ToleranceBelowDetectable, IReadOnlyList<(string Current, string Confirmation)> FalseJobs);

    /// <summary>The main job's decision for one gated metric: the first run, then (if it needs it) the confirmation judged with it.</summary>
    internal static (bool FirstRegressed, bool Confirmed, bool Regressed) Judge(Gate gate, IReadOnlyList<IReadOnlyList<double>> baseline, IReadOnlyList<double> current, IReadOnlyList<double> confirmation)
    {
        var first = Comparer.Compare(gate, baseline, current);
        if (!first.NeedsConfirmation)
            return (false, false, false);
        var combined = Comparer.Confirm(gate, baseline, [current, confirmation]);
        bool regressed = combined is not null
            ? combined.Worse
            : first.Verdict == Verdict.Regressed && Comparer.Compare(gate, baseline, confirmation).Verdict == Verdict.Regressed;
        return (first.Verdict == Verdict.Regressed, true, regressed);
    }

    internal static IReadOnlyList<CellRow> Evaluate(IReadOnlyList<BaselineFile> files, int currentTrials, double injectionFactor = 1.5)
    {
        var rows = new List<CellRow>();
        foreach (var file in files.Where(f => f.Runs.Count >= 3).OrderBy(f => f.Scenario, StringComparer.Ordinal).ThenBy(f => f.Cell, StringComparer.Ordinal))
        {
            foreach (var (name, metric) in file.Metrics.Where(m => m.Value.Tolerance is not null))
            {
                var runs = file.Runs.Where(r => r.Metrics.ContainsKey(name)).ToList();
                if (runs.Count < 3) continue;
                var gate = new Gate(metric.ToMetric(name), metric.Tolerance!.Value);
                bool higher = metric.Direction == Direction.HigherIsBetter;
                int jobs = 0, single = 0, confirmations = 0, confirmed = 0, detected = 0, detectedAtGoal = 0, detectionTries = 0;
                var falseJobs = new List<(string, string)>();
                for (int j = 0; j < runs.Count; j++)
                {
                    for (int c = 0; c < runs.Count; c++)
                    {
                        // The confirmation runs on a fresh testbed of the same machine, and the baseline is what the main
                        // job on that machine would use (its own runs when the rest holds 3 or more of them).
                        if (c == j || runs[c].Fingerprint.Machine != runs[j].Fingerprint.Machine) continue;
                        var rest = file with { Runs = [.. runs.Where((_, i) => i != j && i != c)] };
                        var baseline = rest.RunsFor(name, runs[j].Fingerprint.Machine).Values;
                        if (baseline.Count == 0) continue;
                        var current = First(runs[j].Metrics[name].Values, currentTrials);
                        var confirmation = First(runs[c].Metrics[name].Values, currentTrials);
                        jobs++;
                        var (firstRegressed, confirmedRun, regressed) = Judge(gate, baseline, current, confirmation);
                        if (firstRegressed) single++;
                        if (confirmedRun) confirmations++;
                        if (regressed)
                        {
                            confirmed++;
                            falseJobs.Add((runs[j].RunId ?? runs[j].Label, runs[c].RunId ?? runs[c].Label));
                        }
                        // A regression of 1.5x the gate this baseline sets, and of 1.5x the tolerance the scenario asks for.
                        var heldOut = RunSpread.Estimate(baseline);
                        double gateNow = heldOut is null ? gate.Tolerance : RunLevelCheck.GateTolerance(gate, heldOut, current.Count);
                        if (Factor(gateNow) is { } f)
                        {
                            detectionTries++;
                            if (Judge(gate, baseline, Scale(current, f), Scale(confirmation, f)).Regressed) detected++;
                        }
                        if (Factor(gate.Tolerance) is { } g && Judge(gate, baseline, Scale(current, g), Scale(confirmation, g)).Regressed) detectedAtGoal++;
                    }
                }
                // What the cell can see in the main job: all its runs as the baseline, a new run of currentTrials trials.
                var spread = RunSpread.Estimate(file.RunsFor(name, file.Newest.Fingerprint.Machine).Values);
                double? detectable = spread is null ? null : RunLevelCheck.DetectableChange(gate, spread, currentTrials);
                if (detectable is { } dc && !double.IsFinite(dc)) detectable = null;
                double? gateAll = spread is null ? null : RunLevelCheck.GateTolerance(gate, spread, currentTrials);
                bool below = spread is not null && RunLevelCheck.Check(gate, spread, First(runs[^1].Metrics[name].Values, currentTrials)).ToleranceBelowDetectable;
                rows.Add(new CellRow(file.Scenario, file.Cell, name, gate.Tolerance, runs.Count, spread?.RunMedianCv, spread?.WithinRunCv ?? double.NaN,
                    jobs, single, confirmations, confirmed, detected, detectedAtGoal, detectionTries, gateAll, detectable, below, falseJobs));

                double? Factor(double tolerance) =>
                    higher ? (injectionFactor * tolerance < 1 ? 1 - injectionFactor * tolerance : null) : 1 + injectionFactor * tolerance;
            }
        }
        return rows;
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
        md.AppendLine($"Testbeds: {string.Join(", ", testbeds)}. Cells with at least 3 runs: {rows.Select(r => (r.Scenario, r.Cell)).Distinct().Count()} " +
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
        md.AppendLine("Method: for every ordered pair of runs (j, c) of a cell recorded on the same machine, run j is judged as the current");
        md.AppendLine("run against the other runs except c (the machine's own runs when 3 or more remain, else all: `BaselineFile.RunsFor`),");
        md.AppendLine("exactly as the main job judges it (framework `Comparer` and `CellDecisions`): the gate is the scenario's");
        md.AppendLine("tolerance or, where the held-out baseline's runs differ too much for it, the gate the data sets");
        md.AppendLine($"(`RunLevelCheck.GateTolerance`, {P(VerdictDefaults.FalseAlarmPerGate)} false alarms per gate); a first run worse than half the gate");
        md.AppendLine("is confirmed with run c as the run on a fresh testbed, and the two are judged together (`RunLevelCheck.Combine`).");
        md.AppendLine("A false alarm is a confirmed Regressed verdict. Detection scales both held-out runs by 1 - 1.5 x the gate (1 + 1.5 x for");
        md.AppendLine("lower-is-better metrics): a scaled, not a real, regression; the real ones are in docs/calibration-injected.md.");
        md.AppendLine("'Gate' and 'Detects' are what the cell sets and sees in the main job on the machine of its newest run (90% power).");
        md.AppendLine();

        // Job-level: a job = (current run id, confirmation run id); red when any cell's pair is a confirmed false alarm.
        var jobKeys = rows.SelectMany(r => r.FalseJobs).Distinct().ToList();
        int totalJobs = rows.Count == 0 ? 0 : rows.Max(r => r.Jobs);
        double independent = 1 - rows.Aggregate(1.0, (acc, r) => acc * (1 - (r.Jobs == 0 ? 0 : (double)r.ConfirmedFalse / r.Jobs)));
        md.AppendLine("## The whole main job");
        md.AppendLine();
        md.AppendLine($"- Confirmed false regressions: {rows.Sum(r => r.ConfirmedFalse)} in {rows.Sum(r => r.Jobs)} cell-judgements; first run alone Regressed: {rows.Sum(r => r.SingleFalse)}; confirmations run: {rows.Sum(r => r.Confirmations)}.");
        md.AppendLine($"- Jobs (pairs of job runs) with at least one confirmed false regression: {jobKeys.Count} of {totalJobs} ({(totalJobs == 0 ? "-" : P((double)jobKeys.Count / totalJobs))}).");
        md.AppendLine($"- Red-run probability if cells were independent: {P(independent)}.");
        md.AppendLine($"- Scaled regressions at 1.5x the gate caught: {R(rows.Sum(r => r.Detected), rows.Sum(r => r.DetectionTries))}; at 1.5x the tolerance the scenario asks for: {R(rows.Sum(r => r.DetectedAtGoal), rows.Sum(r => r.Jobs))}. A gate of 67% or more of a higher-is-better metric has no 1.5x regression to try.");
        md.AppendLine($"- Gated metrics whose asked tolerance is below what the data supports (gate set by the data): {rows.Count(r => r.ToleranceBelowDetectable)} of {rows.Count}.");
        md.AppendLine();
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
