using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Logging;

/// <summary>
/// NetPerf's debug log: engine calls, host commands and tool runs with their timings, switched on with one variable
/// (<c>NETPERF_LOG=debug</c>) and written to a file, since the test platform shows no output while a test runs.
/// </summary>
/// <remarks>
/// The file is <c>NETPERF_LOG_FILE</c>, or <c>netperf-debug.log</c> in the results folder (<c>NETPERF_RESULTS</c>; the
/// temporary folder when that is unset). Levels: <c>trace</c>, <c>debug</c>, <c>information</c>, <c>warning</c>; unset
/// or <c>off</c> logs nothing and costs nothing. Microsoft.Extensions.Logging does the filtering; only the file sink is
/// NetPerf's own (<see cref="FileLoggerProvider"/>), as the library ships none.
/// </remarks>
internal static class NetPerfLog
{
    /// <summary>The variable that switches the log on, e.g. <c>NETPERF_LOG=debug</c>.</summary>
    public const string Variable = "NETPERF_LOG";

    /// <summary>The variable that names the log file.</summary>
    public const string FileVariable = "NETPERF_LOG_FILE";

    /// <summary>The file name in the results folder when <see cref="FileVariable"/> is unset.</summary>
    public const string DefaultFileName = "netperf-debug.log";

    private static readonly Lazy<ILoggerFactory> s_factory = new(() => Create(
        Environment.GetEnvironmentVariable(Variable),
        Environment.GetEnvironmentVariable(FileVariable),
        Environment.GetEnvironmentVariable("NETPERF_RESULTS")));

    /// <summary>The process's logger factory (from the environment, read once).</summary>
    internal static ILoggerFactory Factory => s_factory.Value;

    /// <summary>A logger of this process's factory.</summary>
    internal static ILogger For(string category) => Factory.CreateLogger(category);

    /// <summary><paramref name="engine"/> with its calls logged when the log is on; the engine itself when it is off.</summary>
    internal static IContainerEngine Wrap(IContainerEngine engine) =>
        Factory is NullLoggerFactory ? engine : new LoggingContainerEngine(engine, For("NetPerf.Engine"));

    /// <summary>A factory for a setting of <see cref="Variable"/>, logging to <paramref name="file"/> or the default file.</summary>
    /// <exception cref="ArgumentException">The level is not one of the names above.</exception>
    internal static ILoggerFactory Create(string? level, string? file, string? resultsDirectory)
    {
        if (string.IsNullOrWhiteSpace(level) || level.Trim().Equals("off", StringComparison.OrdinalIgnoreCase) || level.Trim() == "0")
            return NullLoggerFactory.Instance;
        var minimum = level.Trim().ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" or "1" or "true" => LogLevel.Debug,
            "information" or "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            _ => throw new ArgumentException($"{Variable}='{level}' is not a log level; use {Variable}=debug (or trace, information, warning, off)."),
        };
        var path = !string.IsNullOrWhiteSpace(file)
            ? file
            : Path.Combine(string.IsNullOrWhiteSpace(resultsDirectory) ? Path.GetTempPath() : resultsDirectory, DefaultFileName);
        return LoggerFactory.Create(builder => builder.SetMinimumLevel(minimum).AddProvider(new FileLoggerProvider(path)));
    }
}
