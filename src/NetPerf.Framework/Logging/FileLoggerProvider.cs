using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NetPerf.Logging;

/// <summary>
/// Appends one line per log entry to a file: UTC time with milliseconds, level, category, message (and the exception).
/// Hand-written because Microsoft.Extensions.Logging ships no file sink; a line that cannot be written is dropped.
/// </summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly Lock _gate = new();

    /// <summary>The file the lines go to.</summary>
    public string Path { get; } = path;

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
    }

    internal static string Format(DateTimeOffset utc, LogLevel level, string category, string message, Exception? exception) =>
        string.Create(CultureInfo.InvariantCulture, $"{utc.UtcDateTime:HH:mm:ss.fff} {Short(level)} {category}: {message.ReplaceLineEndings(" ")}")
        + (exception is null ? "" : " | " + exception.ToString().ReplaceLineEndings(" "));

    private static string Short(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private void Append(string line)
    {
        try
        {
            lock (_gate)
            {
                var folder = System.IO.Path.GetDirectoryName(Path);
                if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
                using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The log is a diagnostic aid; the run does not depend on it.
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Append(Format(DateTimeOffset.UtcNow, logLevel, category, formatter(state, exception), exception));
        }
    }
}
