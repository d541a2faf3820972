using System.Globalization;
using NetPerf.Baselines;

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
/// baseline is measured once and compared with many runs, so it gets more trials than a run (see docs/calibration-aa.md).
/// </param>
/// <param name="Confirm">
/// Confirmation on a fresh testbed (<c>NETPERF_CONFIRM</c>, on unless set to <c>0</c> or <c>false</c>): a gated regression is measured again on
/// new containers and a new network and fails the cell only when that run regresses too. Off, one run decides.
/// </param>
/// <param name="Replace">
/// With record or accept, start the baseline over with this run instead of adding it to the runs kept
/// (<c>NETPERF_REPLACE=1</c>); for a real, reviewed change of the numbers.
/// </param>
/// <param name="KeepRuns">How many runs a baseline keeps when a run is added (<c>NETPERF_KEEP_RUNS</c>, default <see cref="BaselineStore.DefaultKeepRuns"/>).</param>
/// <param name="Seed">
/// The seed of the coin flips that order a cell and its control arm in each trial (<c>NETPERF_SEED</c>, a whole number
/// 0 or more); <see langword="null"/> draws one per cell. Each cell logs the seed it used in its facts (<c>control.order_seed</c>).
/// </param>
/// <param name="Ci">
/// The run is a CI job (<c>CI=true</c> or <c>CI=1</c>, as CI services set it): a cell without a baseline on a new testbed
/// then fails instead of recording a provisional baseline, because CI does not record baselines by itself.
/// </param>
/// <param name="ReuseTestbeds">
/// Whether a cell's first run may run on the testbed an earlier cell of its class left (<c>NETPERF_REUSE_TESTBEDS</c>):
/// <see langword="null"/> (unset) for full-scale cells only, <see langword="false"/> (<c>0</c>) never, <see langword="true"/>
/// (<c>1</c>) for CI-scale cells too. Confirmations always run on a fresh testbed.
/// </param>
internal sealed record ExperimentSettings(
    string BaselinesDirectory,
    string ResultsDirectory,
    string? TestbedName = null,
    bool Record = false,
    bool Accept = false,
    int? Trials = null,
    int? MaxTrials = null,
    int RecordTrials = ExperimentSettings.DefaultRecordTrials,
    bool Confirm = true,
    bool Replace = false,
    int KeepRuns = BaselineStore.DefaultKeepRuns,
    int? Seed = null,
    bool Ci = false,
    bool? ReuseTestbeds = null)
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
            PositiveInt("NETPERF_RECORD_TRIALS") ?? DefaultRecordTrials,
            Confirm: Environment.GetEnvironmentVariable("NETPERF_CONFIRM") is not { } confirm || !IsOff(confirm),
            Replace: IsOn("NETPERF_REPLACE"),
            KeepRuns: PositiveInt("NETPERF_KEEP_RUNS") ?? BaselineStore.DefaultKeepRuns,
            Seed: NonNegativeInt("NETPERF_SEED"),
            Ci: IsOn("CI"),
            ReuseTestbeds: Switch("NETPERF_REUSE_TESTBEDS"));
    }

    /// <summary>Whether an environment variable's value switches something on: <c>1</c> or <c>true</c> (any case).</summary>
    internal static bool IsOnValue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a value switches something off: <c>0</c> or <c>false</c> (any case).</summary>
    internal static bool IsOff(string value) =>
        value == "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool IsOn(string name) => IsOnValue(Environment.GetEnvironmentVariable(name));

    /// <summary>An on/off variable that may be unset: <see langword="null"/> when unset or empty.</summary>
    private static bool? Switch(string name)
    {
        var v = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(v)) return null;
        if (IsOnValue(v)) return true;
        return IsOff(v) ? false : throw new InvalidOperationException($"Environment variable '{name}' must be 1 or true (on), 0 or false (off), or unset for the default (got '{v}').");
    }

    private static int? NonNegativeInt(string name)
    {
        var v = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(v)) return null;
        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new InvalidOperationException($"Environment variable '{name}' must be a whole number from 0 to {int.MaxValue.ToString(CultureInfo.InvariantCulture)} (got '{v}').");
    }

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
