using System.Globalization;

namespace NetPerf.Experiments;

/// <summary>
/// Run-wide settings, from environment variables so the same test command works locally and in CI.
/// </summary>
/// <param name="BaselinesDirectory">Where baselines live (<c>NETPERF_BASELINES</c>; default: the nearest <c>baselines/</c> folder above the working directory).</param>
/// <param name="ResultsDirectory">Where per-cell results, reports and raw outputs go (<c>NETPERF_RESULTS</c>; default <c>results/scenarios</c> next to the baselines).</param>
/// <param name="TestbedName">Overrides the coarse fingerprint that groups baselines per machine (<c>NETPERF_TESTBED</c>).</param>
/// <param name="Record">Record mode (<c>NETPERF_RECORD=1</c>): write baselines directly instead of failing on a missing one.</param>
/// <param name="Accept">Accept mode (<c>NETPERF_ACCEPT=1</c>): move every received file of this run over its baseline.</param>
/// <param name="Trials">Overrides every cell's initial trial count (<c>NETPERF_TRIALS</c>).</param>
/// <param name="MaxTrials">Overrides the sequential-sampling bound (<c>NETPERF_MAX_TRIALS</c>).</param>
/// <param name="RecordTrials">
/// The fewest trials a cell runs when it records or accepts a baseline (<c>NETPERF_RECORD_TRIALS</c>, default 10): a
/// baseline is measured once and compared with many runs, so it gets more trials than a run (see docs/calibration.md).
/// </param>
public sealed record ExperimentSettings(
    string BaselinesDirectory,
    string ResultsDirectory,
    string? TestbedName = null,
    bool Record = false,
    bool Accept = false,
    int? Trials = null,
    int? MaxTrials = null,
    int RecordTrials = ExperimentSettings.DefaultRecordTrials)
{
    /// <summary>The default of <see cref="RecordTrials"/>.</summary>
    public const int DefaultRecordTrials = 10;

    /// <summary>Reads the settings from the environment.</summary>
    public static ExperimentSettings FromEnvironment()
    {
        var baselines = Environment.GetEnvironmentVariable("NETPERF_BASELINES") is { Length: > 0 } b ? Path.GetFullPath(b) : FindBaselines();
        var results = Environment.GetEnvironmentVariable("NETPERF_RESULTS") is { Length: > 0 } r
            ? Path.GetFullPath(r)
            : Path.Combine(Path.GetDirectoryName(baselines) ?? Directory.GetCurrentDirectory(), "results", "scenarios");
        return new ExperimentSettings(
            baselines,
            results,
            Environment.GetEnvironmentVariable("NETPERF_TESTBED") is { Length: > 0 } t ? t : null,
            IsOn("NETPERF_RECORD"),
            IsOn("NETPERF_ACCEPT"),
            PositiveInt("NETPERF_TRIALS"),
            PositiveInt("NETPERF_MAX_TRIALS"),
            PositiveInt("NETPERF_RECORD_TRIALS") ?? DefaultRecordTrials);
    }

    private static bool IsOn(string name) =>
        Environment.GetEnvironmentVariable(name) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static int? PositiveInt(string name)
    {
        var v = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(v)) return null;
        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new InvalidOperationException($"Environment variable '{name}' must be a positive whole number (got '{v}').");
    }

    private static string FindBaselines()
    {
        for (var dir = Directory.GetCurrentDirectory(); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(Path.Combine(dir, "baselines")) && (File.Exists(Path.Combine(dir, "NetPerf.sln")) || Directory.Exists(Path.Combine(dir, ".git"))))
                return Path.Combine(dir, "baselines");
        }
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(Path.Combine(dir, "baselines"))) return Path.Combine(dir, "baselines");
        }
        throw new InvalidOperationException("No 'baselines' folder found above the working directory or the test assembly; set NETPERF_BASELINES to the folder that holds (or will hold) the baselines.");
    }
}
