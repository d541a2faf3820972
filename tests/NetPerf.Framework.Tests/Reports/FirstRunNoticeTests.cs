using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public class FirstRunNoticeTests
{
    [Fact]
    public void A_first_run_gets_one_block_with_the_folder_the_commit_command_and_what_comes_next()
    {
        var cells = SampleCells.Provisional(43, baselines: "/repo/baselines");

        var notice = FirstRunNotice.Format([.. cells, .. SampleCells.Run().Cells], workingDirectory: "/repo");

        Assert.Equal(
            "== First run on testbed '2c-amd-epyc-6.18': 43 cells recorded as provisional baselines ==\n" +
            "Written to:   baselines/2c-amd-epyc-6.18/\n" +
            "Commit them:  git add baselines/2c-amd-epyc-6.18 && git commit -m 'Baselines for 2c-amd-epyc-6.18'\n" +
            "From the next run on, every cell compares against them; each further run on a fresh testbed can be added with NETPERF_RECORD=1 (a baseline keeps up to 10 runs) so verdicts learn how much runs differ.\n",
            notice);
    }

    [Fact]
    public void A_run_without_provisional_cells_gives_no_notice() =>
        Assert.Equal("", FirstRunNotice.Format(SampleCells.PowerRun().Cells, "/repo"));

    [Fact]
    public void Paths_outside_the_working_directory_stay_absolute()
    {
        var cells = SampleCells.Provisional(1, baselines: "/data/baselines");

        var notice = FirstRunNotice.Format(cells, workingDirectory: "/repo");
        var absolute = FirstRunNotice.Format(cells);

        Assert.StartsWith("== First run on testbed '2c-amd-epyc-6.18': 1 cell recorded as a provisional baseline ==\n", notice);
        Assert.Contains("Written to:   /data/baselines/2c-amd-epyc-6.18/\n", notice, StringComparison.Ordinal);
        Assert.Contains("git add /data/baselines/2c-amd-epyc-6.18 && ", notice, StringComparison.Ordinal);
        Assert.Equal(notice, absolute);
    }

    [Fact]
    public void A_testbed_name_with_shell_characters_is_quoted_so_the_command_can_be_pasted()
    {
        var cells = SampleCells.Provisional(2, baselines: "/repo/baselines", testbed: "it's $HOME");

        var notice = FirstRunNotice.Format(cells, workingDirectory: "/repo");

        Assert.Contains("Commit them:  git add 'baselines/it'\\''s $HOME' && git commit -m 'Baselines for it'\\''s $HOME'\n", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_testbed_gets_its_heading_and_the_closing_advice_comes_once()
    {
        var cells = SampleCells.Provisional(2, testbed: "b-testbed").Concat(SampleCells.Provisional(3, testbed: "a-testbed")).ToList();

        var lines = FirstRunNotice.Format(cells, "/repo").TrimEnd('\n').Split('\n');

        Assert.Equal(7, lines.Length);
        Assert.Equal("== First run on testbed 'a-testbed': 3 cells recorded as provisional baselines ==", lines[0]);
        Assert.Equal("== First run on testbed 'b-testbed': 2 cells recorded as provisional baselines ==", lines[3]);
        Assert.Single(lines, l => l.StartsWith("From the next run on", StringComparison.Ordinal));
    }

    [Fact]
    public void Cells_that_name_no_baseline_file_still_get_the_notice()
    {
        var cells = SampleCells.Provisional(2).Select(c => c with { BaselinePath = null }).ToList();

        var notice = FirstRunNotice.Format(cells, "/repo");

        Assert.StartsWith("== First run on a new testbed: 2 cells recorded as provisional baselines ==\n", notice);
        Assert.Contains("$NETPERF_BASELINES", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("git add", notice, StringComparison.Ordinal);
    }
}
