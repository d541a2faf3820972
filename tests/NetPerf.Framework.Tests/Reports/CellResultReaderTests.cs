using System.Text.Json.Nodes;
using NetPerf.Experiments;
using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public sealed class CellResultReaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netperf-reader-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Reads_what_the_runner_sink_writes_and_lists_unreadable_files()
    {
        var cell = SampleCells.LatencyCell("Bridge", 38);
        var written = new JsonCellResultSink(directory).Write(cell)!;
        File.WriteAllText(Path.Combine(directory, "cells", "broken.json"), "{ \"scenario\": ");
        File.WriteAllText(Path.Combine(directory, "cells", "partial.json"), "{ \"scenario\": \"S\" }");

        var run = CellResultReader.ReadDirectory(directory);

        var read = Assert.Single(run.Cells);
        Assert.Equal(cell.CellId, read.CellId);
        Assert.Equal(cell.Axes["msg"], read.Axes["msg"]);
        Assert.True(double.IsNaN(read.Trials[0].StartSkewMs));
        Assert.Equal(cell.Metrics[0].CurrentValues, read.Metrics[0].CurrentValues);
        Assert.Equal(2, run.Problems.Count);
        Assert.Contains(run.Problems, p => p.Contains("broken.json", StringComparison.Ordinal));
        Assert.Contains(run.Problems, p => p.Contains("partial.json", StringComparison.Ordinal) && p.Contains("'cellId' is missing", StringComparison.Ordinal));
        Assert.True(File.Exists(written));
    }

    [Fact]
    public void A_results_folder_without_cells_gives_an_empty_run_that_says_why()
    {
        var run = CellResultReader.ReadDirectory(directory);

        Assert.Empty(run.Cells);
        Assert.Contains(Path.Combine(directory, "cells"), Assert.Single(run.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_results_folder_names_the_folder()
    {
        var missing = Path.Combine(directory, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => CellResultReader.ReadDirectory(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_writer_writes_all_files_and_appends_to_the_step_summary()
    {
        var sink = new JsonCellResultSink(directory);
        foreach (var cell in SampleCells.Run().Cells)
            sink.Write(cell);
        var step = Path.Combine(directory, "step-summary.md");
        File.WriteAllText(step, "earlier step\n");

        var files = ReportWriter.Write(directory, step);

        Assert.All(files.All, path => Assert.True(new FileInfo(path).Length > 0, path));
        Assert.Equal(8, files.Totals.Cells);
        Assert.Equal(1, files.Totals.Regressed);
        var summary = File.ReadAllText(files.Summary);
        Assert.Equal("earlier step\n" + summary + "\n", File.ReadAllText(step));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(files.Html), StringComparison.Ordinal);
        Assert.StartsWith("scenario,cell,driver,pairs,msg,", File.ReadAllText(files.Csv), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_file_from_before_the_power_facts_reads_with_their_defaults()
    {
        var json = CellResultReader.Serialize(SampleCells.LatencyCell("Bridge", 38));
        var old = JsonNode.Parse(json)!.AsObject();
        old.Remove("confirmation");
        foreach (var metric in old["metrics"]!.AsArray())
        {
            foreach (var name in new[] { "baselineRuns", "detectableChangePercent", "betweenRunCvPercent", "powerNote", "toleranceBelowDetectable" })
                Assert.True(metric!.AsObject().Remove(name), name);
        }

        var cell = CellResultReader.Parse(old.ToJsonString(), "old.json");

        Assert.Null(cell.Confirmation);
        var m = Assert.Single(cell.Metrics);
        Assert.Equal(0, m.BaselineRuns);
        Assert.Null(m.DetectableChangePercent);
        Assert.Null(m.BetweenRunCvPercent);
        Assert.Null(m.PowerNote);
        Assert.False(m.ToleranceBelowDetectable);
    }

    [Fact]
    public void A_confirmation_without_trials_is_a_problem_that_names_the_property()
    {
        var json = JsonNode.Parse(CellResultReader.Serialize(SampleCells.Confirmed("Bridge", 4, 16, 11, 15.9, "Unconfirmed")))!.AsObject();
        json["confirmation"]!.AsObject().Remove("trials");
        json["confirmation"]!.AsObject().Remove("facts");

        var e = Assert.Throws<InvalidDataException>(() => CellResultReader.Parse(json.ToJsonString(), "c.json"));

        Assert.Contains("'confirmation.trials' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_confirmation_without_facts_reads_with_none()
    {
        var json = JsonNode.Parse(CellResultReader.Serialize(SampleCells.Confirmed("Bridge", 4, 16, 11, 15.9, "Unconfirmed")))!.AsObject();
        json["confirmation"]!.AsObject().Remove("facts");

        var cell = CellResultReader.Parse(json.ToJsonString(), "c.json");

        Assert.Empty(cell.Confirmation!.Facts);
        Assert.Equal(5, cell.Confirmation.Trials.Count);
    }
}
