using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace NetPerf.Cli;

/// <summary>
/// <c>netperf watch</c>: follows a run's progress.log. On a terminal (and without <c>CI</c>) it draws a live view with
/// Spectre.Console (<see cref="ProgressView"/>); otherwise, or with <c>--plain</c>, it prints the lines as they come,
/// fit for CI logs. <c>scripts/scenarios.sh</c> starts it beside the tests.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var file = new Option<FileInfo>("--file") { Description = "The progress.log to follow (it may not exist yet).", Required = true };
        var untilPid = new Option<int?>("--until-pid") { Description = "Stop once the process with this id has ended (e.g. the script running the tests)." };
        var plain = new Option<bool>("--plain") { Description = "Plain lines, not the live view (the default when the output is not a terminal or CI is set)." };
        var command = new Command("watch", "Follows a run's progress.log: a live view of the cells on a terminal, plain lines otherwise.") { file, untilPid, plain };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.FullName;
            var pid = parse.GetValue(untilPid);
            var live = !parse.GetValue(plain) && UseLiveView(Environment.GetEnvironmentVariable("CI"), Console.IsOutputRedirected, AnsiConsole.Profile.Capabilities.Interactive);
            var follower = new FileFollower(path);
            if (!live)
            {
                await FollowAsync(follower, pid, lines => { foreach (var l in lines) Console.WriteLine(l); }, ct);
                return 0;
            }
            var view = new ProgressView();
            // A cell name can take two lines; keep the table within the terminal's height.
            var rows = Math.Clamp((AnsiConsole.Profile.Height - 6) / 2, 3, 12);
            await AnsiConsole.Live(view.Render(rows)).AutoClear(false)
                .Overflow(VerticalOverflow.Crop).Cropping(VerticalOverflowCropping.Bottom)
                .StartAsync(async ctx =>
                await FollowAsync(follower, pid, lines =>
                {
                    foreach (var l in lines) view.Add(l);
                    ctx.UpdateTarget(view.Render(rows));
                    ctx.Refresh();
                }, ct));
            return 0;
        });
        return command;
    }

    /// <summary>The live view only on an interactive terminal and outside CI.</summary>
    internal static bool UseLiveView(string? ci, bool outputRedirected, bool interactive) =>
        string.IsNullOrEmpty(ci) && !outputRedirected && interactive;

    private static async Task FollowAsync(FileFollower follower, int? pid, Action<IReadOnlyList<string>> onLines, CancellationToken ct)
    {
        while (true)
        {
            // Read after checking: the lines written just before the process ended are still shown.
            var ended = ct.IsCancellationRequested || (pid is { } id && !IsRunning(id));
            onLines(follower.ReadNewLines());
            if (ended)
                return;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM (the script stopping the watcher): one last read, then stop.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Reads the lines appended to a file since the last read; a line is returned once it is complete.</summary>
    internal sealed class FileFollower(string path)
    {
        private long _position;
        private string _partial = "";

        /// <summary>The complete lines added since the last call; none when the file does not exist yet.</summary>
        public IReadOnlyList<string> ReadNewLines()
        {
            if (!File.Exists(path))
                return [];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _position)
            {
                // Truncated (a new run): start again.
                _position = 0;
                _partial = "";
            }
            stream.Position = _position;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = _partial + reader.ReadToEnd();
            _position = stream.Position;
            var parts = text.Split('\n');
            _partial = parts[^1];
            return [.. parts[..^1].Select(p => p.TrimEnd('\r'))];
        }
    }
}
