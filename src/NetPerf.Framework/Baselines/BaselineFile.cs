namespace NetPerf.Baselines;

/// <summary>The recorded reference numbers of one cell on one testbed, as stored in <c>baselines/</c>: one or more runs.</summary>
/// <remarks>
/// <para>
/// Written and read by <see cref="BaselineJson"/>; filed by <see cref="BaselineStore"/> under <see cref="Key"/>.
/// <see cref="Runs"/> holds the runs oldest first; accepting or recording a run appends it and keeps the newest
/// <see cref="BaselineStore.DefaultKeepRuns"/> of each machine (<see cref="EnvironmentFingerprint.Machine"/>).
/// </para>
/// <para>
/// <see cref="Metrics"/>, <see cref="Fingerprint"/>, <see cref="RecordedAt"/> and <see cref="Commit"/> are views for
/// readers that do not care about runs: the trial values of every run pooled, and the newest run's environment.
/// </para>
/// </remarks>
internal sealed record BaselineFile
{
    /// <summary>The format version this code writes (it also reads version 1, one run per file).</summary>
    public const int CurrentFormatVersion = 2;

    private readonly IReadOnlyList<BaselineRun> runs = null!;
    private IReadOnlyDictionary<string, BaselineMetric>? pooled;

    /// <summary>The format version the file was read from (1 for an old single-run file); writing always uses <see cref="CurrentFormatVersion"/>.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The scenario, e.g. the test class name.</summary>
    public required string Scenario { get; init; }

    /// <summary>The cell, e.g. <c>Tcp_throughput/driver=Bridge/pairs=10</c>.</summary>
    public required string Cell { get; init; }

    /// <summary>The testbed name the numbers belong to.</summary>
    public required string Testbed { get; init; }

    /// <summary>The runs, oldest first; never empty.</summary>
    public required IReadOnlyList<BaselineRun> Runs
    {
        get => runs;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Runs));
            if (value.Count == 0)
                throw new ArgumentException("A baseline needs at least one run.", nameof(Runs));
            runs = [.. value.OrderBy(r => r.RecordedAt)];
            pooled = null;
        }
    }

    /// <summary>The newest run.</summary>
    public BaselineRun Newest => Runs[^1];

    /// <summary>The environment of the newest run.</summary>
    public EnvironmentFingerprint Fingerprint => Newest.Fingerprint;

    /// <summary>When the newest run was measured.</summary>
    public DateTimeOffset RecordedAt => Newest.RecordedAt;

    /// <summary>The commit of the newest run.</summary>
    public string? Commit => Newest.Commit;

    /// <summary>
    /// Every metric of the newest run with the trial values of all runs that measured it pooled (oldest run first) and
    /// summarised; unit, direction and tolerance come from the newest run.
    /// </summary>
    public IReadOnlyDictionary<string, BaselineMetric> Metrics => pooled ??= Pool();

    /// <summary>Where the file is filed.</summary>
    public BaselineKey Key => new(Testbed, Scenario, Cell);

    /// <summary>The trial values of <paramref name="metric"/> per run (oldest first), leaving out runs that did not measure it.</summary>
    /// <param name="metric">The metric's name.</param>
    public IReadOnlyList<IReadOnlyList<double>> RunValues(string metric) =>
        [.. Runs.Where(r => r.Metrics.ContainsKey(metric)).Select(r => r.Metrics[metric].Values)];

    /// <summary>
    /// The runs a verdict on <paramref name="machine"/> compares with for <paramref name="metric"/>: the runs recorded on
    /// that same machine (<see cref="EnvironmentFingerprint.Machine"/>) when there are at least
    /// <paramref name="minimumSameMachine"/> of them, otherwise every run that has the metric (the spread between
    /// machines then counts as spread between runs, and the gate widens accordingly).
    /// </summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="machine">The machine of the current run.</param>
    /// <param name="minimumSameMachine">The fewest runs of the same machine that are used on their own (3: two runs leave one degree of freedom for their spread).</param>
    public BaselineRunSelection RunsFor(string metric, string machine, int minimumSameMachine = 3)
    {
        var withMetric = Runs.Where(r => r.Metrics.ContainsKey(metric)).ToList();
        var same = withMetric.Where(r => r.Fingerprint.Machine == machine).ToList();
        bool own = same.Count >= minimumSameMachine && same.Count < withMetric.Count;
        var chosen = own || same.Count == withMetric.Count ? same : withMetric;
        return new BaselineRunSelection([.. chosen.Select(r => r.Metrics[metric].Values)], same.Count, withMetric.Count - same.Count, own);
    }

    /// <summary>
    /// Throws when one of <paramref name="metrics"/> (what a scenario measures) is stored here with another unit or
    /// direction: its numbers would be compared as if they were of one kind (a hand edit, or a metric redefined).
    /// </summary>
    /// <param name="metrics">The metrics the scenario measures.</param>
    /// <param name="filePath">The baseline's path, for the message.</param>
    /// <exception cref="BaselineFormatException">A metric's unit or direction differs.</exception>
    public void EnsureComparableWith(IEnumerable<Metric> metrics, string filePath)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var metric in metrics)
        {
            if (Metrics.TryGetValue(metric.Name, out var stored) && (stored.Unit != metric.Unit || stored.Direction != metric.Direction))
                throw new BaselineFormatException(filePath, JsonCursor.Child("$.metrics", metric.Name),
                    $"the baseline stores '{metric.Name}' in {stored.Unit} ({stored.Direction}), but the scenario measures it in {metric.Unit} ({metric.Direction}); " +
                    "its numbers cannot be compared. Check which is right, then start the baseline over (NETPERF_REPLACE=1, or netperf accept --replace).");
        }
    }

    /// <summary>A baseline holding the one run <paramref name="run"/>.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="cell">The cell.</param>
    /// <param name="testbed">The testbed name.</param>
    /// <param name="run">The run.</param>
    public static BaselineFile ForRun(string scenario, string cell, string testbed, BaselineRun run) =>
        new() { Scenario = scenario, Cell = cell, Testbed = testbed, Runs = [run ?? throw new ArgumentNullException(nameof(run))] };

    /// <summary>This baseline with the runs of <paramref name="other"/> added, keeping the newest <paramref name="keep"/> of each machine.</summary>
    /// <param name="other">A baseline of the same key, e.g. a received file.</param>
    /// <param name="keep">How many runs of one machine to keep at most (that machine's oldest go first).</param>
    /// <remarks>
    /// Per machine (<see cref="EnvironmentFingerprint.Machine"/>), so that runs added on a new machine do not push out
    /// the runs another machine's verdicts rest on (<see cref="RunsFor"/> prefers a machine's own runs).
    /// </remarks>
    /// <exception cref="ArgumentException">The key differs, or a metric's unit or direction differs from the same metric in this baseline.</exception>
    public BaselineFile WithRunsOf(BaselineFile other, int keep)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        if (other.Key != Key)
            throw new ArgumentException($"Cannot add the runs of '{other.Key}' to the baseline of '{Key}': they are different cells.", nameof(other));
        foreach (var run in other.Runs)
        {
            foreach (var (name, metric) in run.Metrics)
            {
                // Against the newest run's definition, which the pooled metrics take theirs from; pooling is not needed for this.
                if (Newest.Metrics.TryGetValue(name, out var mine) && (mine.Unit != metric.Unit || mine.Direction != metric.Direction))
                    throw new ArgumentException(
                        $"The metric '{name}' of '{Key}' is {metric.Unit} ({metric.Direction}) in the new run but {mine.Unit} ({mine.Direction}) in the baseline; " +
                        "runs with different units cannot be pooled. Replace the baseline instead of appending (netperf accept --replace, or NETPERF_REPLACE=1).", nameof(other));
            }
        }
        // The same run twice (e.g. a merge repeated) is kept once.
        var all = Runs.Concat(other.Runs)
            .DistinctBy(r => (r.RecordedAt, r.RunId))
            .OrderBy(r => r.RecordedAt)
            .ToList();
        var kept = all.GroupBy(r => r.Fingerprint.Machine, StringComparer.Ordinal)
            .SelectMany(machine => machine.Skip(Math.Max(0, machine.Count() - keep)))
            .ToHashSet();
        return this with { Runs = all.Where(kept.Contains).ToList() };
    }

    private SortedDictionary<string, BaselineMetric> Pool()
    {
        var result = new SortedDictionary<string, BaselineMetric>(StringComparer.Ordinal);
        foreach (var (name, newest) in Newest.Metrics)
        {
            var values = Runs.Where(r => r.Metrics.TryGetValue(name, out var m) && m.Unit == newest.Unit && m.Direction == newest.Direction)
                .SelectMany(r => r.Metrics[name].Values)
                .ToList();
            result[name] = Runs.Count == 1 ? newest : BaselineMetric.Create(newest.ToMetric(name), values, newest.Tolerance);
        }
        return result;
    }
}
