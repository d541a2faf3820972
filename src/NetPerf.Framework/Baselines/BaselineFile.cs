namespace NetPerf.Baselines;

/// <summary>The recorded reference numbers of one cell on one testbed, as stored in <c>baselines/</c>.</summary>
/// <remarks>Written and read by <see cref="BaselineJson"/>; filed by <see cref="BaselineStore"/> under <see cref="Key"/>.</remarks>
public sealed record BaselineFile
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    private readonly DateTimeOffset recordedAt;

    /// <summary>The format version of the file.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The scenario, e.g. the test class name.</summary>
    public required string Scenario { get; init; }

    /// <summary>The cell, e.g. <c>Tcp_throughput/driver=Bridge/pairs=10</c>.</summary>
    public required string Cell { get; init; }

    /// <summary>The testbed name the numbers belong to.</summary>
    public required string Testbed { get; init; }

    /// <summary>The full environment the numbers were measured on.</summary>
    public required EnvironmentFingerprint Fingerprint { get; init; }

    /// <summary>When the numbers were measured, in UTC to the second (finer parts are dropped so files round-trip).</summary>
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

    /// <summary>The metrics, keyed by <see cref="Metric.Name"/>.</summary>
    public required IReadOnlyDictionary<string, BaselineMetric> Metrics { get; init; }

    /// <summary>Where the file is filed.</summary>
    public BaselineKey Key => new(Testbed, Scenario, Cell);
}
