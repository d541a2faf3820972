using NetPerf.Baselines;

namespace NetPerf.Reports;

/// <summary>What changed between two snapshots of <c>baselines/</c>, cell by cell and metric by metric.</summary>
/// <remarks>
/// Cells are matched by their key (testbed, scenario, cell) read from the files, not by file name. A metric counts as
/// moved when its trial values differ; its change is the change of the stored median in percent. Use
/// <see cref="BaselineDiffMarkdown"/> to show the result to a reviewer.
/// </remarks>
/// <param name="Before">The older snapshot.</param>
/// <param name="After">The newer snapshot.</param>
/// <param name="Cells">Every cell that was added, removed or changed; removed first, then changed, then added.</param>
/// <param name="UnchangedCells">Cells present in both with identical numbers and environment.</param>
internal sealed record BaselineDiff(BaselineSnapshot Before, BaselineSnapshot After, IReadOnlyList<CellChange> Cells, int UnchangedCells)
{
    /// <summary>Compares two snapshots.</summary>
    /// <param name="before">The older snapshot.</param>
    /// <param name="after">The newer snapshot.</param>
    public static BaselineDiff Compare(BaselineSnapshot before, BaselineSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = ByKey(before);
        var now = ByKey(after);
        var changes = new List<CellChange>();
        int unchanged = 0;
        foreach (var key in old.Keys.Union(now.Keys).OrderBy(k => k.ToString(), StringComparer.Ordinal))
        {
            old.TryGetValue(key, out var b);
            now.TryGetValue(key, out var a);
            var change = CompareCell(key, b, a);
            if (change is null)
                unchanged++;
            else
                changes.Add(change);
        }
        var ordered = changes.OrderBy(c => c.Kind switch { CellChangeKind.Removed => 0, CellChangeKind.Changed => 1, _ => 2 })
            .ThenBy(c => c.Key.ToString(), StringComparer.Ordinal).ToList();
        return new BaselineDiff(before, after, ordered, unchanged);
    }

    /// <summary>Cells added in <see cref="After"/>.</summary>
    public int Added => Cells.Count(c => c.Kind == CellChangeKind.Added);

    /// <summary>Cells removed from <see cref="Before"/>.</summary>
    public int Removed => Cells.Count(c => c.Kind == CellChangeKind.Removed);

    /// <summary>Cells present in both whose numbers or environment changed.</summary>
    public int Changed => Cells.Count(c => c.Kind == CellChangeKind.Changed);

    private static Dictionary<BaselineKey, BaselineFile> ByKey(BaselineSnapshot snapshot)
    {
        var map = new Dictionary<BaselineKey, BaselineFile>();
        foreach (var file in snapshot.Files.Values)
            map[file.Key] = file;
        return map;
    }

    private static CellChange? CompareCell(BaselineKey key, BaselineFile? before, BaselineFile? after)
    {
        if (before is null && after is not null)
            return new CellChange(key, CellChangeKind.Added, [.. after.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => MetricChange.Of(m.Key, null, m.Value))], []);
        if (after is null && before is not null)
            return new CellChange(key, CellChangeKind.Removed, [.. before.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => MetricChange.Of(m.Key, m.Value, null))], []);
        if (before is null || after is null)
            return null;

        var metrics = before.Metrics.Keys.Union(after.Metrics.Keys).Order(StringComparer.Ordinal)
            .Select(name => MetricChange.Of(name, before.Metrics.GetValueOrDefault(name), after.Metrics.GetValueOrDefault(name)))
            .Where(m => m.Kind != MetricChangeKind.Unchanged)
            .ToList();
        var environment = after.Fingerprint.DifferencesFrom(before.Fingerprint);
        return metrics.Count == 0 && environment.Count == 0 ? null : new CellChange(key, CellChangeKind.Changed, metrics, environment);
    }
}

/// <summary>How a cell changed between two snapshots.</summary>
internal enum CellChangeKind
{
    /// <summary>The cell has a baseline only in the newer snapshot.</summary>
    Added,

    /// <summary>The cell has a baseline only in the older snapshot.</summary>
    Removed,

    /// <summary>The cell is in both, with different numbers or environment.</summary>
    Changed,
}

/// <summary>One cell of a <see cref="BaselineDiff"/>.</summary>
/// <param name="Key">The cell's key.</param>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Metrics">The metrics that were added, removed or moved (all of them for an added or removed cell).</param>
/// <param name="Environment">Differences of the environment fingerprint, as <c>name: 'old' -&gt; 'new'</c>.</param>
internal sealed record CellChange(BaselineKey Key, CellChangeKind Kind, IReadOnlyList<MetricChange> Metrics, IReadOnlyList<string> Environment);

/// <summary>How a metric changed between two snapshots.</summary>
internal enum MetricChangeKind
{
    /// <summary>Same trial values in both.</summary>
    Unchanged,

    /// <summary>Only in the newer snapshot.</summary>
    Added,

    /// <summary>Only in the older snapshot.</summary>
    Removed,

    /// <summary>In both, with different trial values.</summary>
    Moved,
}

/// <summary>One metric of a <see cref="CellChange"/>.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Kind">How it changed.</param>
/// <param name="Unit">The unit symbol (of the newer entry when both exist).</param>
/// <param name="Direction">Which way is better.</param>
/// <param name="BeforeMedian">The older stored median, if any.</param>
/// <param name="AfterMedian">The newer stored median, if any.</param>
/// <param name="BeforeTrials">Trials in the older entry (0 when absent).</param>
/// <param name="AfterTrials">Trials in the newer entry (0 when absent).</param>
internal sealed record MetricChange(string Metric, MetricChangeKind Kind, string Unit, Direction Direction,
    double? BeforeMedian, double? AfterMedian, int BeforeTrials, int AfterTrials)
{
    /// <summary>The change of the median in percent (positive = larger), or <see langword="null"/> when a side is missing or the old median is 0.</summary>
    public double? ChangePercent => BeforeMedian is { } b && AfterMedian is { } a && b != 0 ? (a / b - 1) * 100 : null;

    /// <summary>Whether the median moved the bad way for this metric (lower throughput, higher latency).</summary>
    public bool IsWorse => ChangePercent is { } p && (Direction == Direction.HigherIsBetter ? p < 0 : p > 0);

    /// <summary>Compares the entries of one metric.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="before">The older entry, if any.</param>
    /// <param name="after">The newer entry, if any.</param>
    public static MetricChange Of(string name, BaselineMetric? before, BaselineMetric? after)
    {
        var reference = after ?? before ?? throw new ArgumentException($"Metric '{name}' is in neither snapshot.", nameof(after));
        var kind = before is null ? MetricChangeKind.Added
            : after is null ? MetricChangeKind.Removed
            : before.Values.SequenceEqual(after.Values) && before.Unit == after.Unit && before.Direction == after.Direction && before.Tolerance == after.Tolerance
                ? MetricChangeKind.Unchanged
                : MetricChangeKind.Moved;
        return new MetricChange(name, kind, reference.Unit.Symbol, reference.Direction,
            before?.Summary.Median, after?.Summary.Median, before?.Values.Count ?? 0, after?.Values.Count ?? 0);
    }
}
