using System.Globalization;
using NetPerf.Experiments;
using NetPerf.Statistics;

namespace NetPerf.Reports;

/// <summary>Turns a run's cells into the charts of the HTML report (see <see cref="ChartSections"/>).</summary>
/// <remarks>
/// Charts are made per scenario, and only where the scenario measured what the chart needs: a scenario without
/// per-flow throughput gets no per-client CDF. Non-finite values are left out of every chart.
/// </remarks>
internal static class ChartBuilder
{
    private static readonly (string Metric, string Label)[] LatencyPercentiles =
    [
        (Metrics.LatencyP50.Name, "p50"), (Metrics.LatencyP90.Name, "p90"), (Metrics.LatencyP99.Name, "p99"),
        (Metrics.LatencyP999.Name, "p99.9"), (Metrics.LatencyMax.Name, "max"),
    ];

    /// <summary>Builds every chart for <paramref name="results"/>, in section order, ids <c>chart-1</c>, <c>chart-2</c>, ...</summary>
    /// <param name="results">The run's cells.</param>
    public static IReadOnlyList<ChartSpec> Build(RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var charts = new List<ChartSpec>();
        var scenarios = results.ByScenario().Select(g => (Name: g.Key, Cells: Ordered(g))).ToList();
        foreach (var (name, cells) in scenarios) charts.AddRange(ThroughputVsPairs(name, cells));
        foreach (var (name, cells) in scenarios) charts.AddRange(Cdf(name, cells, Metrics.FlowThroughput, ChartSections.FlowThroughputCdf, "per-client throughput"));
        foreach (var (name, cells) in scenarios) charts.AddRange(Cdf(name, cells, Metrics.FlowCompletionTime, ChartSections.FctCdf, "flow completion time"));
        foreach (var (name, cells) in scenarios) charts.AddRange(Latency(name, cells));
        foreach (var (name, cells) in scenarios) charts.AddRange(RetransmitsVsThroughput(name, cells));
        foreach (var (name, cells) in scenarios) charts.AddRange(TrialsVsBaseline(name, cells));
        return [.. charts.Select((c, i) => c with { Id = "chart-" + (i + 1).ToString(CultureInfo.InvariantCulture) })];
    }

    /// <summary>The label of a cell in legends: driver, pairs and the other axes, e.g. <c>Bridge, 4 pairs, msg=1024</c>.</summary>
    /// <param name="cell">The cell.</param>
    public static string CellLabel(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var other = new SummaryRow(cell, null).OtherAxes;
        var label = $"{cell.Driver}, {ReportFormat.Integer(cell.Pairs)} pair{(cell.Pairs == 1 ? "" : "s")}";
        return other.Length == 0 ? label : label + ", " + other;
    }

    private static List<CellResult> Ordered(IEnumerable<CellResult> cells) =>
        [.. cells.OrderBy(c => c.Driver, StringComparer.Ordinal).ThenBy(c => c.Pairs).ThenBy(c => c.CellId, StringComparer.Ordinal)];

    private static IEnumerable<double> Aggregates(TrialRecord trial, string metric) =>
        trial.Measurements.Where(m => m.Flow is null && m.Metric == metric && double.IsFinite(m.Value)).Select(m => m.Value);

    private static string? UnitOf(IEnumerable<CellResult> cells, string metric) =>
        cells.SelectMany(c => c.Trials).SelectMany(t => t.Measurements).FirstOrDefault(m => m.Metric == metric)?.Unit
        ?? cells.SelectMany(c => c.Metrics).FirstOrDefault(m => m.Metric == metric)?.Unit;

    private static double? MedianOf(IReadOnlyCollection<double> values) =>
        values.Count == 0 ? null : SampleAnalyzer.Default.Summarize([.. values]).Median;

    private static ChartSpec Chart(string section, string title, string x, string y, string scale, IReadOnlyList<ChartSeries> series, IReadOnlyList<string>? categories = null) =>
        new("", section, title, x, y, scale, categories ?? [], series);

    private static IEnumerable<ChartSpec> ThroughputVsPairs(string scenario, List<CellResult> cells)
    {
        var name = Metrics.AggregateThroughput.Name;
        var axis = ScalingAxis(cells);
        var series = new List<ChartSeries>();
        foreach (var family in cells.GroupBy(c => FamilyLabel(c, axis), StringComparer.Ordinal))
        {
            var points = family
                .Select(c => (X: AxisValue(c, axis), Median: MedianOf([.. c.Trials.SelectMany(t => Aggregates(t, name))])))
                .Where(p => p.X is not null && p.Median is not null)
                .OrderBy(p => p.X)
                .Select(p => new[] { p.X!.Value, p.Median!.Value })
                .ToList();
            if (points.Count > 0)
                series.Add(new ChartSeries(family.Key, "line", points));
        }
        if (series.Count > 0)
            yield return Chart(ChartSections.ThroughputVsPairs, $"{scenario}: median aggregate throughput against {axis}", axis,
                $"aggregate throughput ({UnitOf(cells, name)})", "linear", series);
    }

    /// <summary>
    /// The x axis of the scaling chart: <c>pairs</c> when the scenario varies it; otherwise the first numeric axis the
    /// scenario varies (e.g. <c>cores</c> in a container-to-core study); <c>pairs</c> when nothing varies.
    /// </summary>
    private static string ScalingAxis(List<CellResult> cells)
    {
        if (cells.Select(c => c.Pairs).Distinct().Count() > 1)
            return "pairs";
        var varied = cells.SelectMany(c => c.Axes.Keys).Where(k => k is not ("driver" or "pairs")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .FirstOrDefault(k => cells.All(c => AxisValue(c, k) is not null) && cells.Select(c => AxisValue(c, k)).Distinct().Count() > 1);
        return varied ?? "pairs";
    }

    private static double? AxisValue(CellResult cell, string axis) =>
        axis == "pairs" ? cell.Pairs
        : cell.Axes.TryGetValue(axis, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : null;

    private static string FamilyLabel(CellResult cell, string axis)
    {
        var other = string.Join(", ", cell.Axes
            .Where(a => a.Key is not ("driver" or "pairs") && a.Key != axis)
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => $"{a.Key}={a.Value}"));
        if (axis != "pairs")
            other = other.Length == 0 ? $"{ReportFormat.Integer(cell.Pairs)} pairs" : $"{ReportFormat.Integer(cell.Pairs)} pairs, {other}";
        return other.Length == 0 ? cell.Driver : cell.Driver + ", " + other;
    }

    private static IEnumerable<ChartSpec> Cdf(string scenario, List<CellResult> cells, Metric metric, string section, string what)
    {
        var series = new List<ChartSeries>();
        foreach (var cell in cells)
        {
            var values = cell.Trials.SelectMany(t => t.Measurements)
                .Where(m => m.Flow is not null && m.Metric == metric.Name && double.IsFinite(m.Value))
                .Select(m => m.Value).Order().ToArray();
            if (values.Length > 0)
                series.Add(new ChartSeries(CellLabel(cell), "step", CdfPoints(values)));
        }
        if (series.Count == 0)
            yield break;
        var all = series.SelectMany(s => s.Points).Select(p => p[0]).ToList();
        // Completion times of mice and elephants differ by orders of magnitude; a log axis shows both.
        var scale = all.Min() > 0 && all.Max() / all.Min() >= 100 ? "logarithmic" : "linear";
        yield return Chart(section, $"{scenario}: {what}, all flows of all trials", $"{what} ({UnitOf(cells, metric.Name) ?? metric.Unit.Symbol})",
            "fraction of flows", scale, series);
    }

    /// <summary>The empirical CDF of sorted values as step points: starts at (min, 0) and rises by 1/n at each value.</summary>
    /// <param name="sorted">The values in ascending order (at least one).</param>
    public static IReadOnlyList<double[]> CdfPoints(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
            return [];
        var points = new List<double[]>(sorted.Count + 1) { new[] { sorted[0], 0.0 } };
        for (int i = 0; i < sorted.Count; i++)
        {
            double y = (i + 1) / (double)sorted.Count;
            // Equal values make one step, not a staircase of zero-width steps.
            if (i + 1 < sorted.Count && sorted[i + 1] == sorted[i])
                continue;
            points.Add([sorted[i], y]);
        }
        return points;
    }

    private static IEnumerable<ChartSpec> Latency(string scenario, List<CellResult> cells)
    {
        var present = LatencyPercentiles
            .Where(p => cells.Any(c => c.Trials.Any(t => Aggregates(t, p.Metric).Any())))
            .ToList();
        if (present.Count == 0)
            yield break;
        var series = new List<ChartSeries>();
        foreach (var cell in cells)
        {
            var points = present
                .Select((p, index) => (index, Median: MedianOf([.. cell.Trials.SelectMany(t => Aggregates(t, p.Metric))])))
                .Where(p => p.Median is not null)
                .Select(p => new[] { p.index, p.Median!.Value })
                .ToList();
            if (points.Count > 0)
                series.Add(new ChartSeries(CellLabel(cell), "line", points));
        }
        if (series.Count > 0)
            yield return Chart(ChartSections.LatencyPercentiles, $"{scenario}: one-way latency percentiles (median over trials)", "percentile",
                $"latency ({UnitOf(cells, present[0].Metric)})", "category", series, [.. present.Select(p => p.Label)]);
    }

    private static IEnumerable<ChartSpec> RetransmitsVsThroughput(string scenario, List<CellResult> cells)
    {
        string throughput = Metrics.AggregateThroughput.Name, retransmits = Metrics.Retransmits.Name;
        var series = new List<ChartSeries>();
        foreach (var family in cells.GroupBy(c => FamilyLabel(c, "pairs"), StringComparer.Ordinal))
        {
            var points = family.SelectMany(c => c.Trials)
                .Select(t => (X: Aggregates(t, throughput).Cast<double?>().FirstOrDefault(), Y: Aggregates(t, retransmits).Cast<double?>().FirstOrDefault()))
                .Where(p => p.X is not null && p.Y is not null)
                .Select(p => new[] { p.X!.Value, p.Y!.Value })
                .ToList();
            if (points.Count > 0)
                series.Add(new ChartSeries(family.Key, "points", points));
        }
        if (series.Count > 0)
            yield return Chart(ChartSections.RetransmitsVsThroughput, $"{scenario}: retransmissions against aggregate throughput, one dot per trial",
                $"aggregate throughput ({UnitOf(cells, throughput)})", $"retransmissions ({UnitOf(cells, retransmits)})", "linear", series);
    }

    // A list, not an iterator: under the code-coverage instrumentation (Microsoft.Testing.Extensions.CodeCoverage 18.1.0)
    // this method as an iterator with two nested loops failed in CI with InvalidProgramException in its generated finally.
    private static List<ChartSpec> TrialsVsBaseline(string scenario, List<CellResult> cells)
    {
        var charts = new List<ChartSpec>();
        foreach (var cell in cells)
        {
            var metrics = cell.Metrics.Where(m => m.Gated).ToList();
            if (metrics.Count == 0)
                metrics = [.. cell.Metrics.Take(1)];
            foreach (var m in metrics)
            {
                var confirmation = cell.Confirmation?.Metrics.FirstOrDefault(c => c.Metric == m.Metric);
                var series = TrialSeries(m, confirmation);
                var verdict = confirmation is null ? m.Verdict : $"{m.Verdict}, confirmation {confirmation.Verdict}: {cell.Outcome}";
                if (series.Count > 0)
                    charts.Add(Chart(ChartSections.TrialsVsBaseline, $"{scenario} {CellLabel(cell)}: {m.Metric} ({verdict})", "trial",
                        $"{m.Metric} ({m.Unit})", "linear", series) with { YFromZero = false, Note = m.Gated ? GateNote(m) : null });
            }
        }
        return charts;
    }

    /// <summary>
    /// What a gate can see, in one line: tolerance, detectable regression, baseline runs and between-run spread, and a
    /// warning when the tolerance is below the detectable regression, e.g.
    /// <c>tolerance 5%, detects >= 12%, 1 baseline run, between-run spread unknown (1 run); the tolerance is below what the gate can detect</c>.
    /// </summary>
    /// <param name="metric">A gated metric.</param>
    public static string GateNote(MetricResult metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.BaselineRuns == 0 && metric.BaselineMedian is null)
            return $"tolerance {ReportFormat.Tolerance(metric.Tolerance)}, no baseline to compare with yet";
        var runs = metric.BaselineRuns > 0 ? $"{ReportFormat.Integer(metric.BaselineRuns)} baseline run{(metric.BaselineRuns == 1 ? "" : "s")}" : "no baseline runs";
        var note = $"tolerance {ReportFormat.Tolerance(metric.Tolerance)}, {ReportFormat.Detectable(metric)}, {runs}, between-run spread {ReportFormat.BetweenRunSpread(metric)}";
        return metric.ToleranceBelowDetectable ? note + "; the tolerance is below what the gate can detect" : note;
    }

    /// <summary>
    /// The series of one metric's trials-against-baseline chart: baseline band (when the baseline has an interval),
    /// baseline median, baseline trials, this run's trials and, when the cell was re-run to confirm a regression, the
    /// confirmation's trials as diamonds a quarter trial to the right of the first run's.
    /// </summary>
    /// <param name="metric">The metric of a cell.</param>
    /// <param name="confirmation">The same metric in the cell's confirmation run, or <see langword="null"/>.</param>
    public static IReadOnlyList<ChartSeries> TrialSeries(MetricResult metric, MetricResult? confirmation = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        static List<double[]> Dots(IReadOnlyList<double> values, double offset) =>
            [.. values.Select((v, i) => new[] { i + 1.0 + offset, v }).Where(p => double.IsFinite(p[1]))];
        var series = new List<ChartSeries>();
        int n = Math.Max(Math.Max(metric.CurrentValues.Count, metric.BaselineValues.Count), Math.Max(confirmation?.CurrentValues.Count ?? 0, 1));
        // The band and the median line span the whole trial axis, half a trial beyond the first and last.
        double left = 0.5, right = n + 0.5;
        if (metric.BaselineCiLower is { } lo && metric.BaselineCiUpper is { } hi && double.IsFinite(lo) && double.IsFinite(hi))
        {
            series.Add(new ChartSeries("baseline median interval (lower)", "band-lower", [[left, lo], [right, lo]]));
            series.Add(new ChartSeries("baseline median interval", "band-upper", [[left, hi], [right, hi]]));
        }
        if (metric.BaselineMedian is { } median && double.IsFinite(median))
            series.Add(new ChartSeries("baseline median", "dashed", [[left, median], [right, median]]));
        var baseline = Dots(metric.BaselineValues, 0);
        if (baseline.Count > 0)
            series.Add(new ChartSeries("baseline trials", "hollow", baseline));
        var current = Dots(metric.CurrentValues, 0);
        if (current.Count > 0)
            series.Add(new ChartSeries(confirmation is null ? "this run's trials" : "first run's trials", "points", current));
        // Beside, not on top of, the first run's trial of the same number, so both stay visible.
        var confirmed = confirmation is null ? [] : Dots(confirmation.CurrentValues, 0.25);
        if (confirmed.Count > 0)
            series.Add(new ChartSeries("confirmation trials (fresh testbed)", "diamonds", confirmed));
        return series;
    }
}
