using System.CommandLine;
using NetPerf.Reports;

namespace NetPerf.Cli;

/// <summary>
/// <c>netperf report</c>: writes the markdown summary, the HTML report and the raw data of a run's results folder, and
/// prints what a CI log should show: the gates whose tolerance is below what they can detect, and the first-run notice
/// when cells were recorded as provisional baselines.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report",
            "Reads {results}/cells/*.json and writes summary.md, report.html, data.json and data.csv next to them; appends the summary to $GITHUB_STEP_SUMMARY when it is set. "
            + "Prints the paths, the gates whose tolerance is below the regression they can detect, the first-run notice when cells were recorded as provisional baselines, and a one-line summary last.");
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
                var run = CellResultReader.ReadDirectory(folder);
                var files = ReportWriter.Write(run, folder, Environment.GetEnvironmentVariable(ReportWriter.StepSummaryVariable), Environment.CurrentDirectory);
                foreach (var path in files.All)
                    Console.WriteLine($"report: {path}");
                foreach (var problem in files.Problems)
                    Console.WriteLine($"report: {problem}");
                var warnings = ToleranceWarnings.Format(run.Cells);
                if (warnings.Count > 0)
                {
                    Console.WriteLine();
                    foreach (var line in warnings)
                        Console.WriteLine(line);
                }
                var notice = FirstRunNotice.Format(run.Cells, Environment.CurrentDirectory);
                if (notice.Length > 0)
                {
                    Console.WriteLine();
                    Console.Write(notice);
                    Console.WriteLine();
                }
                // The totals stay the last line, whatever came before.
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
