namespace NetPerf.Baselines;

/// <summary>One run of a cell kept in a baseline: its trial values per metric and where and when they were measured.</summary>
/// <remarks>
/// A run is one testbed session (one process of the main job, a fresh testbed): the unit that differs between a
/// baseline and today's run. A <see cref="BaselineFile"/> keeps several runs so that verdicts can see how much runs
/// differ from each other, not only how much trials differ within one run.
/// </remarks>
internal sealed record BaselineRun
{
    private readonly DateTimeOffset recordedAt;

    /// <summary>When the run was measured, in UTC to the second (finer parts are dropped so files round-trip).</summary>
    public required DateTimeOffset RecordedAt
    {
        get => recordedAt;
        init
        {
            var utc = value.ToUniversalTime();
            recordedAt = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }
    }

    /// <summary>The commit of the code under test, or <see langword="null"/> when unknown.</summary>
    public string? Commit { get; init; }

    /// <summary>
    /// The id of the job run (test process) that measured it, or <see langword="null"/> when unknown (e.g. migrated
    /// from format 1). Runs with the same id come from the same process and are not independent testbeds.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>How the run got into the baseline, e.g. <c>record</c>, <c>accept</c>, <c>first run on this testbed</c>, <c>format 1</c>.</summary>
    public string Origin { get; init; } = "record";

    /// <summary>A readable description of the machine (CPU, cores, memory, kernel, load), where the run came from.</summary>
    public string Machine { get; init; } = "";

    /// <summary>The full environment the numbers were measured on.</summary>
    public required EnvironmentFingerprint Fingerprint { get; init; }

    /// <summary>The metrics of this run (unit, direction, tolerance, trial values, summary), keyed by <see cref="Metric.Name"/>.</summary>
    public required IReadOnlyDictionary<string, BaselineMetric> Metrics { get; init; }

    /// <summary>A short label for messages, e.g. <c>2026-12-01 22:43 UTC (commit 3e1796d, run ab12c)</c>.</summary>
    public string Label =>
        $"{RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC (commit {Commit ?? "unknown"}{(RunId is null ? "" : ", run " + RunId)})";
}
