using System.CommandLine;
using NetPerf.Baselines;

namespace NetPerf.Cli;

/// <summary><c>netperf accept</c>: makes the numbers of received files the new baselines.</summary>
/// <remarks>
/// A run writes <c>{cell}.received.json</c> next to a baseline when a cell regressed, improved or had no baseline.
/// Accepting adds each received run to its baseline's runs (a baseline keeps the newest <c>--keep</c> of each machine, default 10) and
/// deletes the received file; <c>--replace</c> starts the baseline over with the received run, after a real, reviewed
/// change. Review the result with <c>git diff baselines/</c>.
/// </remarks>
internal static class AcceptCommand
{
    public static Command Create()
    {
        var baselines = new Option<DirectoryInfo>("--baselines") { Description = "The baselines folder (default: ./baselines).", DefaultValueFactory = _ => new DirectoryInfo("baselines") };
        var filter = new Option<string?>("--filter") { Description = "Accept only received files whose scenario or cell contains this text (e.g. 'LargeScale' or 'driver=Bridge')." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be accepted without changing anything." };
        var force = new Option<bool>("--force") { Description = "Replace a baseline even when it cannot be read (e.g. after resolving a merge conflict by taking the new numbers)." };
        var replace = new Option<bool>("--replace") { Description = "Start each baseline over with the received run instead of adding the run to the runs it keeps (after a real, reviewed change)." };
        var keep = new Option<int>("--keep") { Description = "Runs a baseline keeps (the oldest go first).", DefaultValueFactory = _ => BaselineStore.DefaultKeepRuns };
        var command = new Command("accept", "Adds the runs of received files (new numbers from a run) to their baselines, or replaces them with --replace.") { baselines, filter, dryRun, force, replace, keep };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(baselines)!;
            if (!root.Exists)
            {
                Console.Error.WriteLine($"No baselines folder '{root.FullName}'. Run from the repository root or pass --baselines.");
                return 2;
            }
            if (parse.GetValue(keep) < 1)
            {
                Console.Error.WriteLine("--keep must be at least 1.");
                return 2;
            }
            var store = new BaselineStore(root.FullName, parse.GetValue(keep));
            var text = parse.GetValue(filter);
            var received = Directory.EnumerateFiles(root.FullName, "*.received.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            int accepted = 0, failed = 0;
            foreach (var path in received)
            {
                BaselineFile file;
                try
                {
                    file = BaselineJson.Deserialize(File.ReadAllText(path), path);
                }
                catch (BaselineFormatException e)
                {
                    Console.Error.WriteLine($"skipped {path}: {e.Message}");
                    failed++;
                    continue;
                }
                if (text is not null && !file.Key.Scenario.Contains(text, StringComparison.Ordinal) && !file.Key.Cell.Contains(text, StringComparison.Ordinal))
                    continue;
                if (parse.GetValue(dryRun))
                {
                    Console.WriteLine($"would accept {file.Key}");
                    accepted++;
                    continue;
                }
                try
                {
                    var target = store.Accept(file.Key, parse.GetValue(force), parse.GetValue(replace));
                    int runs = store.Read(file.Key)?.Runs.Count ?? 0;
                    Console.WriteLine($"accepted {file.Key} -> {Path.GetRelativePath(Directory.GetCurrentDirectory(), target)} ({(parse.GetValue(replace) ? "replaced; " : "")}{runs} run{(runs == 1 ? "" : "s")} kept)");
                    accepted++;
                }
                catch (Exception e) when (e is BaselineFormatException or IOException or ArgumentException)
                {
                    Console.Error.WriteLine($"not accepted {file.Key}: {e.Message}");
                    failed++;
                }
            }
            Console.WriteLine(received.Count == 0
                ? $"No received files under '{root.FullName}': nothing to accept."
                : $"{accepted} accepted, {failed} not accepted. Review with: git diff -- {Path.GetRelativePath(Directory.GetCurrentDirectory(), root.FullName)}");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
