using NetPerf.Baselines;
using NetPerf.Reports;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Reports;

/// <summary>Runs git for real on a temporary repository with two commits of baseline files.</summary>
public sealed class GitBaselinesTests : IDisposable
{
    private readonly string repo = Directory.CreateTempSubdirectory("netperf-gitdiff-").FullName;

    public void Dispose() => Directory.Delete(repo, recursive: true);

    private async Task Git(params string[] args) =>
        await HostCommand.RunCheckedAsync("git", ["-C", repo, "-c", "user.name=NetPerf Test", "-c", "user.email=test@netperf.invalid", "-c", "commit.gpgsign=false", .. args],
            TestContext.Current.CancellationToken);

    // Puts exactly this file in place: appending would keep the first commit's run (the same run id and time) and change nothing.
    private void Write(BaselineFile file) => new BaselineStore(Path.Combine(repo, "baselines")).Record(file, force: true, replace: true);

    [Fact]
    public async Task Diff_between_two_commits_and_the_working_tree()
    {
        var ct = TestContext.Current.CancellationToken;
        await Git("init", "--quiet", "--initial-branch=main");
        File.WriteAllText(Path.Combine(repo, "README.md"), "x\n");
        Write(BaselineDiffTests.Cell("a/driver=Bridge"));
        Write(BaselineDiffTests.Cell("b/driver=Host"));
        await Git("add", "-A");
        await Git("commit", "--quiet", "-m", "first baselines");

        Write(BaselineDiffTests.Cell("a/driver=Bridge", throughputScale: 0.5));
        File.Delete(new BaselineStore(Path.Combine(repo, "baselines")).BaselinePath(BaselineDiffTests.Cell("b/driver=Host").Key));
        Write(BaselineDiffTests.Cell("c/driver=Ovs"));
        await Git("add", "-A");
        await Git("commit", "--quiet", "-m", "second baselines");

        var baselines = Path.Combine(repo, "baselines");
        var diff = await GitBaselines.DiffAsync(baselines, "HEAD~1", "HEAD", ct);
        var md = BaselineDiffMarkdown.Render(diff);

        Assert.Equal((1, 1, 1, 0), (diff.Added, diff.Removed, diff.Changed, diff.UnchangedCells));
        Assert.Contains("## Baseline changes: HEAD~1 → HEAD", md, StringComparison.Ordinal);
        Assert.Contains("| removed | tb | ThroughputScenarios | b/driver=Host | aggregate_throughput | 17.1 Gbit/s | - | - | 5 |", md, StringComparison.Ordinal);
        Assert.Matches(@"\| changed \| tb \| ThroughputScenarios \| a/driver=Bridge \| aggregate_throughput \| 17\.1 Gbit/s \| 8\.5\d* Gbit/s \| -50\.0% \(worse\) \| 5 \|\n", md);
        Assert.Contains("| added | tb | ThroughputScenarios | c/driver=Ovs | aggregate_throughput | - | 17.1 Gbit/s | - | 5 |", md, StringComparison.Ordinal);

        // The default pair: HEAD~1 against the working tree, which has one more uncommitted cell.
        Write(BaselineDiffTests.Cell("d/driver=Macvlan"));
        var worktree = await GitBaselines.DiffAsync(baselines, null, null, ct);
        Assert.Equal(GitBaselines.WorkingTreeLabel, worktree.After.Label);
        Assert.Equal(2, worktree.Added);

        // Nothing changed between HEAD and itself.
        Assert.Empty((await GitBaselines.DiffAsync(baselines, "HEAD", "HEAD", ct)).Cells);
    }

    [Fact]
    public async Task The_cli_prints_the_table_for_the_last_commit()
    {
        var ct = TestContext.Current.CancellationToken;
        await Git("init", "--quiet");
        Write(BaselineDiffTests.Cell("a/driver=Bridge"));
        await Git("add", "-A");
        await Git("commit", "--quiet", "-m", "first");
        Write(BaselineDiffTests.Cell("a/driver=Bridge", throughputScale: 1.2));
        await Git("commit", "--quiet", "-am", "second");

        var result = await HostCommand.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "netperf.dll"), "baseline-diff", "--from", "HEAD~1", "--to", "HEAD", "--baselines", Path.Combine(repo, "baselines")],
            TimeSpan.FromSeconds(60), ct);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.StartsWith("## Baseline changes: HEAD~1 → HEAD\n\n0 cell(s) added, 0 removed, 1 changed, 0 unchanged.\n", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\| changed \| tb \| ThroughputScenarios \| a/driver=Bridge \| aggregate_throughput \| 17\.1 Gbit/s \| 20\.5\d* Gbit/s \| \+20\.0% \(better\) \| 5 \|", result.Stdout);
    }

    [Fact]
    public async Task An_unknown_revision_is_named_in_the_error()
    {
        await Git("init", "--quiet");
        Directory.CreateDirectory(Path.Combine(repo, "baselines"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => GitBaselines.DiffAsync(Path.Combine(repo, "baselines"), "no-such-rev", null, TestContext.Current.CancellationToken));
        Assert.Contains("'no-such-rev'", e.Message, StringComparison.Ordinal);
    }
}
