using System.CommandLine;
using NetPerf.Baselines;

namespace NetPerf.Cli;

/// <summary>
/// <c>netperf merge-runs</c>: adds the runs of baselines recorded elsewhere (another job, another fresh testbed, another
/// machine's CI artefact) to the baselines of this repository, so that each baseline holds several runs.
/// </summary>
/// <remarks>
/// Every <c>*.json</c> baseline under <c>--from</c> (format 1 or 2; received files too with <c>--received</c>) is read and its
/// runs appended to the baseline of the same testbed, scenario and cell under <c>--into</c>, keeping the newest
/// <c>--keep</c> runs of each machine. A run that is already there is not added twice. Without any source, <c>--upgrade</c> rewrites the
/// baselines under <c>--into</c> in the current format.
/// </remarks>
internal static class MergeRunsCommand
{
    public static Command Create()
    {
        var from = new Option<DirectoryInfo?>("--from") { Description = "A baselines folder (one subfolder per testbed) whose runs to add." };
        var into = new Option<DirectoryInfo>("--into") { Description = "The baselines folder to add them to (default: ./baselines).", DefaultValueFactory = _ => new DirectoryInfo("baselines") };
        var keep = new Option<int>("--keep") { Description = "Runs of each machine a baseline keeps (that machine's oldest go first).", DefaultValueFactory = _ => BaselineStore.DefaultKeepRuns };
        var origin = new Option<string?>("--origin") { Description = "Sets the origin of every added run, e.g. 'main job, fresh testbed, builds at nice 19 beside it'." };
        var commit = new Option<string?>("--commit") { Description = "Sets the commit of added runs that have none." };
        var runId = new Option<string?>("--run-id") { Description = "Sets the run id of added runs that have none (one id per job run, so runs of one job are matched across cells)." };
        var received = new Option<bool>("--received") { Description = "Also take *.received.json files under --from." };
        var upgrade = new Option<bool>("--upgrade") { Description = "Rewrite every baseline under --into in the current format (format 1 files become format 2 with one run)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would change without writing." };
        var command = new Command("merge-runs", "Adds the runs of baselines recorded elsewhere to this repository's baselines (multi-run baselines).")
        {
            from, into, keep, origin, commit, runId, received, upgrade, dryRun,
        };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(into)!;
            var source = parse.GetValue(from);
            if (source is null && !parse.GetValue(upgrade))
            {
                Console.Error.WriteLine("Nothing to do: pass --from DIR (runs to add) and/or --upgrade (rewrite in the current format).");
                return 2;
            }
            if (source is { Exists: false })
            {
                Console.Error.WriteLine($"No folder '{source.FullName}' to take runs from.");
                return 2;
            }
            if (parse.GetValue(keep) < 1)
            {
                Console.Error.WriteLine("--keep must be at least 1.");
                return 2;
            }
            var store = new BaselineStore(target.FullName, parse.GetValue(keep));
            bool dry = parse.GetValue(dryRun);
            int added = 0, upgraded = 0, failed = 0;

            if (source is not null)
            {
                foreach (var path in Files(source.FullName, parse.GetValue(received)))
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
                    var label = parse.GetValue(origin);
                    var sha = parse.GetValue(commit);
                    var id = parse.GetValue(runId);
                    file = file with
                    {
                        Runs = [.. file.Runs.Select(r => r with { Origin = label ?? r.Origin, Commit = r.Commit ?? sha, RunId = r.RunId ?? id })],
                    };
                    try
                    {
                        // An unreadable baseline in the target is reported and left as it is; the other files still merge.
                        var old = store.Read(file.Key)?.Runs ?? [];
                        int before = old.Count;
                        if (dry)
                        {
                            Console.WriteLine($"would add {file.Runs.Count} run(s) to {file.Key} (has {before})");
                            added += file.Runs.Count;
                            continue;
                        }
                        store.Record(file);
                        var now = store.Read(file.Key)!.Runs;
                        Console.WriteLine($"{file.Key}: {before} -> {now.Count} runs");
                        // Runs kept now that were not there before: at the keep limit a new run replaces the oldest.
                        added += now.Count(r => !old.Any(o => o.RecordedAt == r.RecordedAt && o.RunId == r.RunId));
                    }
                    catch (Exception e) when (e is BaselineFormatException or ArgumentException or IOException)
                    {
                        Console.Error.WriteLine($"not merged {file.Key}: {e.Message}");
                        failed++;
                    }
                }
            }

            if (parse.GetValue(upgrade) && target.Exists)
            {
                foreach (var path in Files(target.FullName, includeReceived: false))
                {
                    try
                    {
                        var text = File.ReadAllText(path);
                        var file = BaselineJson.Deserialize(text, path);
                        var rewritten = BaselineJson.Serialize(file);
                        if (rewritten == text) continue;
                        if (!dry) BaselineStore.WriteAtomically(path, rewritten);
                        Console.WriteLine($"{(dry ? "would upgrade" : "upgraded")} {file.Key} (format {file.FormatVersion} -> {BaselineFile.CurrentFormatVersion})");
                        upgraded++;
                    }
                    catch (BaselineFormatException e)
                    {
                        Console.Error.WriteLine($"not upgraded {path}: {e.Message}");
                        failed++;
                    }
                }
            }

            Console.WriteLine($"{added} run(s) added, {upgraded} file(s) upgraded, {failed} problem(s). Review with: git diff -- {Path.GetRelativePath(Directory.GetCurrentDirectory(), target.FullName)}");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static IEnumerable<string> Files(string root, bool includeReceived) =>
        Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".tmp", StringComparison.Ordinal))
            .Where(p => includeReceived || !p.EndsWith(".received.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
