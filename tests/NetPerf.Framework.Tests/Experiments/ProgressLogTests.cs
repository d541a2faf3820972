using NetPerf.Experiments;

namespace NetPerf.Tests.Experiments;

public sealed class ProgressLogTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "netperf-progress-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Format_is_utc_time_cell_and_text_on_one_line()
    {
        var at = new DateTimeOffset(2026, 12, 2, 10, 42, 7, TimeSpan.FromHours(1));
        Assert.Equal("09:42:07 Cell(driver: Bridge, pairs: 50): trial 2 of 3: a b", ProgressLog.Format(at, "Cell(driver: Bridge, pairs: 50)", "trial 2 of 3: a\nb"));
    }

    [Fact]
    public void Lines_of_several_cells_are_appended_in_order_to_progress_log_in_the_results_folder()
    {
        var results = Path.Combine(_root, "results");
        var a = new ProgressLog(results, "A(driver: Host, pairs: 1)");
        var b = new ProgressLog(results, "B(driver: Ovs, pairs: 2)");
        a.Write("run: provisioning 1 pair on Host");
        b.Write("run: provisioning 2 pairs on Ovs");
        a.Write("Passed in 3 s");

        var lines = File.ReadAllLines(Path.Combine(results, ProgressLog.FileName));
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("A(driver: Host, pairs: 1): run: provisioning 1 pair on Host", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("B(driver: Ovs, pairs: 2): run: provisioning 2 pairs on Ovs", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("A(driver: Host, pairs: 1): Passed in 3 s", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_results_folder_nothing_is_written_and_nothing_throws()
    {
        var log = new ProgressLog(null, "A");
        log.Write("run: provisioning 1 pair on Host");
        Assert.Null(log.FilePath);
    }

    [Fact]
    public void A_line_that_cannot_be_written_is_dropped_without_failing_the_cell()
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "");
        // The results "folder" is a file: the directory cannot be created.
        new ProgressLog(file, "A").Write("trial 1 of 3");
        Assert.Equal("", File.ReadAllText(file));
    }
}
