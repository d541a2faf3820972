using NetPerf.Cli;
using Spectre.Console;

namespace NetPerf.Tests.Cli;

/// <summary>The live view of <c>netperf watch</c> on lines as <c>ProgressLog</c> writes them.</summary>
public sealed class ProgressViewTests
{
    private static readonly string[] Run =
    [
        "17:00:00 Tcp_bitrate(driver: Bridge, pairs: 1): run: provisioning 1 pair on Bridge",
        "17:00:01 Tcp_bitrate(driver: Bridge, pairs: 1): run: testbed ready after 1.0 s",
        "17:00:03 Tcp_bitrate(driver: Bridge, pairs: 1): run: trial 1 of 3: aggregate_throughput 13.74 Gbit/s",
        "17:00:09 Tcp_bitrate(driver: Bridge, pairs: 1): Passed in 9 s: aggregate_throughput passed",
        "17:00:10 Tcp_bitrate(driver: Host, pairs: 1): run: provisioning 1 pair on Host",
        "17:00:20 Tcp_bitrate(driver: Host, pairs: 1): Regressed in 10 s: aggregate_throughput -30% [worse]",
        "17:00:21 Http_requests(driver: Ovs, pairs: 1): run: trial 2 of 5: requests_per_second 18780 req/s",
        "garbage",
    ];

    [Fact]
    public void Counts_verdicts_and_shows_the_running_cells_step()
    {
        var view = new ProgressView();
        foreach (var line in Run) view.Add(line);

        Assert.Equal(3, view.Seen);
        Assert.Equal(1, view.Outcomes["Passed"]);
        Assert.Equal(1, view.Outcomes["Regressed"]);
        var running = Assert.Single(view.Running);
        Assert.Equal("Http_requests(driver: Ovs, pairs: 1)", running.Cell);
        Assert.Equal("trial 2 of 5: requests_per_second 18780 req/s", running.Step);
        Assert.Equal(1, view.Unreadable);
    }

    [Fact]
    public void A_failed_attempt_ends_the_cell_and_a_confirmation_makes_it_run_again()
    {
        var view = new ProgressView();
        view.Add("17:00:00 A(driver: Bridge, pairs: 1): run: failed: WorkloadException: iperf3 exited 1");
        Assert.Equal(1, view.Outcomes["Failed"]);
        Assert.Empty(view.Running);

        view.Add("17:00:05 B(driver: Bridge, pairs: 1): Regressed in 9 s");
        view.Add("17:00:06 B(driver: Bridge, pairs: 1): confirmation: provisioning 1 pair on Bridge");
        Assert.Equal("B(driver: Bridge, pairs: 1)", Assert.Single(view.Running).Cell);
    }

    [Fact]
    public void The_rendered_view_names_the_cells_their_steps_and_the_counts_with_brackets_escaped()
    {
        var view = new ProgressView();
        foreach (var line in Run) view.Add(line);
        var text = Render(view);

        Assert.Contains("NetPerf: 2 cells done", text, StringComparison.Ordinal);
        Assert.Contains("1 passed", text, StringComparison.Ordinal);
        Assert.Contains("1 regressed", text, StringComparison.Ordinal);
        Assert.Contains("1 running", text, StringComparison.Ordinal);
        Assert.Contains("00:00:21 elapsed", text, StringComparison.Ordinal);
        Assert.Contains("Http_requests(driver: Ovs, pairs: 1)", text, StringComparison.Ordinal);
        // "[worse]" would be markup if it were not escaped.
        Assert.Contains("[worse]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_rows_are_shown_when_there_are_more_cells()
    {
        var view = new ProgressView();
        for (var i = 0; i < 30; i++)
            view.Add($"17:00:{i:00} Cell_{i:00}(driver: Bridge, pairs: 1): Passed in 1 s");
        var text = Render(view, rows: 5);
        Assert.Contains("Cell_29", text, StringComparison.Ordinal);
        Assert.Contains("Cell_25", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cell_24", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false, true, true)]
    [InlineData("true", false, true, false)]
    [InlineData(null, true, true, false)]
    [InlineData(null, false, false, false)]
    public void The_live_view_is_for_an_interactive_terminal_outside_CI(string? ci, bool redirected, bool interactive, bool live) =>
        Assert.Equal(live, WatchCommand.UseLiveView(ci, redirected, interactive));

    [Fact]
    public void The_follower_returns_complete_lines_once_and_starts_again_after_truncation()
    {
        var path = Path.Combine(Path.GetTempPath(), $"netperf-progress-{Guid.NewGuid():N}.log");
        try
        {
            var follower = new WatchCommand.FileFollower(path);
            Assert.Empty(follower.ReadNewLines());
            File.WriteAllText(path, "one\ntwo\nthr");
            Assert.Equal(["one", "two"], follower.ReadNewLines());
            File.AppendAllText(path, "ee\n");
            Assert.Equal(["three"], follower.ReadNewLines());
            Assert.Empty(follower.ReadNewLines());
            File.WriteAllText(path, "new\n");
            Assert.Equal(["new"], follower.ReadNewLines());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Render(ProgressView view, int rows = 12)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        console.Write(view.Render(rows));
        return writer.ToString();
    }
}
