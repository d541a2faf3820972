using System.Globalization;
using System.Text;
using NetPerf.Baselines;

namespace NetPerf.Cli;

/// <summary>
/// How much of the spread between runs is common to every cell of a run (the machine faster or slower as a whole) and
/// how much belongs to each cell: would dividing each run by its job's drift narrow the gates?
/// </summary>
/// <remarks>
/// <para>
/// For every gated metric with at least 4 runs of one machine, a run's "goodness" is the log of its run median against
/// the median of the other runs' medians (negated for lower-is-better metrics, so a positive value is always better).
/// A job's drift for a cell is the median goodness of the <em>other</em> cells of the same job run: over all of them, and
/// over only the cells recorded before it (all a verdict could know while the job runs). Subtracting the drift removes
/// what the cells share; what is left is the cell's own between-run spread.
/// </para>
/// <para>
/// The figures are standard deviations of log run medians (about the coefficient of variation of the run medians for
/// spreads of this size). The analysis reads the baselines only; it changes no verdict.
/// </para>
/// </remarks>
internal static class CommonModeAnalysis
{
    /// <summary>Fewest earlier cells of a job from which a running drift is taken (fewer: no correction).</summary>
    internal const int MinimumEarlierCells = 6;

    /// <summary>One gated metric of one cell on one machine.</summary>
    /// <param name="Key">Scenario, cell and metric.</param>
    /// <param name="Machine">The machine its runs came from.</param>
    /// <param name="Runs">Runs of that machine.</param>
    /// <param name="Raw">Standard deviation of the log run medians.</param>
    /// <param name="WithoutJobDrift">The same after subtracting each job's drift over all its other cells.</param>
    /// <param name="WithoutEarlierDrift">The same after subtracting each job's drift over the cells recorded before it (none when fewer than <see cref="MinimumEarlierCells"/>).</param>
    internal sealed record Row(string Key, string Machine, int Runs, double Raw, double WithoutJobDrift, double WithoutEarlierDrift);

    /// <summary>One job run's drift over all its gated cells.</summary>
    /// <param name="RunId">The job run.</param>
    /// <param name="Machine">Its machine.</param>
    /// <param name="Start">Its first cell's time.</param>
    /// <param name="Cells">Gated metrics it measured.</param>
    /// <param name="Drift">Median goodness as a fraction (e.g. -0.08: the job ran 8% worse than usual).</param>
    /// <param name="Lower">Lower quartile of the cells' goodness, as a fraction.</param>
    /// <param name="Upper">Upper quartile, as a fraction.</param>
    internal sealed record JobDrift(string RunId, string Machine, DateTimeOffset Start, int Cells, double Drift, double Lower, double Upper);

    private sealed record Point(string Key, string RunId, string Machine, DateTimeOffset At, double Goodness);

    /// <summary>Per-cell spreads and per-job drifts of every machine with at least 4 runs of a cell.</summary>
    /// <param name="files">The baselines.</param>
    internal static (IReadOnlyList<Row> Rows, IReadOnlyList<JobDrift> Jobs) Evaluate(IReadOnlyList<BaselineFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var points = new List<Point>();
        foreach (var file in files)
        {
            foreach (var (name, metric) in file.Metrics.Where(m => m.Value.Tolerance is not null))
            {
                bool higher = metric.Direction == Direction.HigherIsBetter;
                foreach (var machine in file.Runs.Where(r => r.Metrics.ContainsKey(name)).GroupBy(r => r.Fingerprint.Machine))
                {
                    var runs = machine.Where(r => r.Metrics[name].Summary.Median > 0).ToList();
                    if (runs.Count < 4) continue;
                    var logs = runs.Select(r => Math.Log(r.Metrics[name].Summary.Median)).ToList();
                    for (int i = 0; i < runs.Count; i++)
                    {
                        double centre = Median(logs.Where((_, k) => k != i));
                        double goodness = (logs[i] - centre) * (higher ? 1 : -1);
                        points.Add(new Point($"{file.Scenario} {file.Cell} {name}", runs[i].RunId ?? runs[i].Label, machine.Key, runs[i].RecordedAt, goodness));
                    }
                }
            }
        }

        var byJob = points.GroupBy(p => (p.RunId, p.Machine)).ToDictionary(g => g.Key, g => g.ToList());
        var rows = new List<Row>();
        foreach (var cell in points.GroupBy(p => (p.Key, p.Machine)))
        {
            var raw = new List<double>();
            var all = new List<double>();
            var earlier = new List<double>();
            foreach (var p in cell)
            {
                var others = byJob[(p.RunId, p.Machine)].Where(o => o.Key != p.Key).ToList();
                raw.Add(p.Goodness);
                all.Add(p.Goodness - (others.Count > 0 ? Median(others.Select(o => o.Goodness)) : 0));
                var before = others.Where(o => o.At < p.At).ToList();
                earlier.Add(p.Goodness - (before.Count >= MinimumEarlierCells ? Median(before.Select(o => o.Goodness)) : 0));
            }
            rows.Add(new Row(cell.Key.Key, cell.Key.Machine, raw.Count, StandardDeviation(raw), StandardDeviation(all), StandardDeviation(earlier)));
        }

        var jobs = byJob
            .Select(kv =>
            {
                var g = kv.Value.Select(p => p.Goodness).Order().ToList();
                return new JobDrift(kv.Key.RunId, kv.Key.Machine, kv.Value.Min(p => p.At), g.Count,
                    Math.Exp(Median(g)) - 1, Math.Exp(g[g.Count / 4]) - 1, Math.Exp(g[3 * g.Count / 4]) - 1);
            })
            .OrderBy(j => j.Start)
            .ToList();
        return (rows.OrderBy(r => r.Machine, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal).ToList(), jobs);
    }

    /// <summary>The markdown section for docs/calibration-runs.md.</summary>
    /// <param name="files">The baselines.</param>
    internal static string Report(IReadOnlyList<BaselineFile> files)
    {
        var (rows, jobs) = Evaluate(files);
        var md = new StringBuilder();
        string P(double v) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
        string S(double v) => (v >= 0 ? "+" : "") + P(v);
        md.AppendLine("## Common to the whole run, or the cell's own?");
        md.AppendLine();
        md.AppendLine("If runs differed mostly because the machine was faster or slower as a whole, dividing each run by its job's drift");
        md.AppendLine("(the median change of its other cells) would narrow every gate. Spread here is the standard deviation of the log run");
        md.AppendLine("medians of one machine's runs; 'without job drift' subtracts the median of the job's other cells, 'without earlier drift'");
        md.AppendLine($"only the cells recorded before it (what a verdict knows while the job runs; none when fewer than {MinimumEarlierCells}).");
        md.AppendLine();
        if (rows.Count == 0)
        {
            md.AppendLine("No gated metric has 4 runs of one machine yet.");
            return md.ToString();
        }
        foreach (var machine in rows.GroupBy(r => r.Machine))
        {
            md.AppendLine($"Machine {machine.Key}: median spread over {machine.Count()} gated metrics {P(Median(machine.Select(r => r.Raw)))} raw, " +
                $"{P(Median(machine.Select(r => r.WithoutJobDrift)))} without job drift, {P(Median(machine.Select(r => r.WithoutEarlierDrift)))} without earlier drift; " +
                $"narrower without job drift for {machine.Count(r => r.WithoutJobDrift < r.Raw)} of {machine.Count()}.");
            md.AppendLine();
        }
        md.AppendLine("| Job run | Machine | Started (UTC) | Gated metrics | Job drift (median) | Quartiles of its cells |");
        md.AppendLine("|---|---|---|---:|---:|---|");
        foreach (var j in jobs)
            md.AppendLine($"| {j.RunId} | {j.Machine} | {j.Start.UtcDateTime:yyyy-MM-dd HH:mm} | {j.Cells} | {S(j.Drift)} | {S(j.Lower)} to {S(j.Upper)} |");
        md.AppendLine();
        md.AppendLine("| Machine | Scenario, cell, metric | Runs | Spread | Without job drift | Without earlier drift |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in rows)
            md.AppendLine($"| {r.Machine} | {r.Key} | {r.Runs} | {P(r.Raw)} | {P(r.WithoutJobDrift)} | {P(r.WithoutEarlierDrift)} |");
        md.AppendLine();
        return md.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return 0;
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return double.NaN;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
