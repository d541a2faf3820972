using System.CommandLine;
using NetPerf.Experiments;
using NetPerf.Reports;

namespace NetPerf.Cli;

/// <summary><c>netperf baseline-diff</c>: a markdown table of what changed under baselines/ between two git revisions.</summary>
internal static class BaselineDiffCommand
{
    public static Command Create()
    {
        var command = new Command("baseline-diff",
            "Prints a markdown table of the baselines added, removed or moved (medians and change in %) between two git revisions, for a pull-request review.");
        var from = new Option<string>("--from") { Description = "The older revision (default HEAD~1)." };
        var to = new Option<string>("--to") { Description = "The newer revision (default: the working tree, i.e. HEAD plus uncommitted changes)." };
        var baselines = new Option<DirectoryInfo>("--baselines")
        {
            Description = "The baselines folder (default $NETPERF_BASELINES, else the nearest baselines/ above the working directory).",
        };
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(baselines);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var folder = parse.GetValue(baselines)?.FullName ?? ExperimentSettings.FromEnvironment().BaselinesDirectory;
                var diff = await GitBaselines.DiffAsync(folder, parse.GetValue(from), parse.GetValue(to), ct);
                Console.Write(BaselineDiffMarkdown.Render(diff));
                return 0;
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"netperf baseline-diff: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
