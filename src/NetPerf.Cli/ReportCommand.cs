using System.CommandLine;
using NetPerf.Reports;

namespace NetPerf.Cli;

/// <summary><c>netperf report</c>: writes the markdown summary, the HTML report and the raw data of a run's results folder.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report",
            "Reads {results}/cells/*.json and writes summary.md, report.html, data.json and data.csv next to them; appends the summary to $GITHUB_STEP_SUMMARY when it is set. Prints the paths and a one-line summary.");
        var results = new Option<DirectoryInfo>("--results")
        {
            Description = "The run's results folder (the one with cells/); default $NETPERF_RESULTS.",
        };
        command.Options.Add(results);
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(results)?.FullName ?? Environment.GetEnvironmentVariable("NETPERF_RESULTS");
            if (string.IsNullOrWhiteSpace(folder))
            {
                Console.Error.WriteLine("netperf report: pass --results <dir> (the folder given to --results-directory) or set NETPERF_RESULTS.");
                return 2;
            }
            try
            {
                var files = ReportWriter.Write(folder);
                foreach (var path in files.All)
                    Console.WriteLine($"report: {path}");
                foreach (var problem in files.Problems)
                    Console.WriteLine($"report: {problem}");
                Console.WriteLine($"report: {files.Totals}");
                return 0;
            }
            catch (DirectoryNotFoundException e)
            {
                Console.Error.WriteLine($"netperf report: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
