using NetPerf.Baselines;
using NetPerf.Reports;
using NetPerf.Tests.Baselines;

namespace NetPerf.Tests.Reports;

public class BaselineDiffTests
{
    internal static BaselineFile Cell(string cell, double throughputScale = 1, string kernel = "6.1.0-18-amd64", bool withLatency = true)
    {
        var file = SampleBaselines.File(cell, throughputScale);
        var run = file.Newest with { Fingerprint = file.Fingerprint with { Kernel = kernel, TestbedName = "tb" } };
        if (!withLatency)
            run = run with { Metrics = run.Metrics.Where(m => m.Key != SampleBaselines.Latency.Name).ToDictionary() };
        return file with { Runs = [run], Testbed = "tb" };
    }

    internal static string PathOf(BaselineFile f) => $"{f.Testbed}/{f.Scenario}/{f.Cell.Replace("/", "__", StringComparison.Ordinal)}.json";

    internal static BaselineSnapshot Snapshot(string label, params BaselineFile[] files) =>
        BaselineSnapshot.FromTexts(label, files.Select(f => KeyValuePair.Create(PathOf(f), BaselineJson.Serialize(f))));

    [Fact]
    public void Added_removed_and_moved_cells_are_found_by_key()
    {
        var before = Snapshot("HEAD~1", Cell("a/driver=Bridge"), Cell("b/driver=Host"), Cell("c/driver=Macvlan"));
        var after = Snapshot("HEAD", Cell("a/driver=Bridge", throughputScale: 0.8), Cell("c/driver=Macvlan"), Cell("d/driver=Ovs"));

        var diff = BaselineDiff.Compare(before, after);

        Assert.Equal((1, 1, 1, 1), (diff.Added, diff.Removed, diff.Changed, diff.UnchangedCells));
        Assert.Equal([CellChangeKind.Removed, CellChangeKind.Changed, CellChangeKind.Added], diff.Cells.Select(c => c.Kind));
        var moved = Assert.Single(diff.Cells[1].Metrics);
        Assert.Equal(MetricChangeKind.Moved, moved.Kind);
        Assert.Equal(SampleBaselines.Throughput.Name, moved.Metric);
        Assert.Equal(-20, moved.ChangePercent!.Value, 0.5);
        Assert.True(moved.IsWorse);
        Assert.Equal(2, diff.Cells[0].Metrics.Count);
        Assert.All(diff.Cells[2].Metrics, m => Assert.Equal(MetricChangeKind.Added, m.Kind));
    }

    [Fact]
    public void Markdown_table_shows_medians_change_and_direction()
    {
        var before = Snapshot("HEAD~1", Cell("a/driver=Bridge"), Cell("b/driver=Host"));
        var after = Snapshot("HEAD", Cell("a/driver=Bridge", throughputScale: 1.1), Cell("d/driver=Ovs", withLatency: false));

        var md = BaselineDiffMarkdown.Render(BaselineDiff.Compare(before, after));

        var lines = md.Split('\n');
        Assert.Equal("## Baseline changes: HEAD~1 → HEAD", lines[0]);
        Assert.Equal("1 cell(s) added, 1 removed, 1 changed, 0 unchanged.", lines[2]);
        Assert.Equal("| Cell change | Testbed | Scenario | Cell | Metric | Before median | After median | Change | Trials |", lines[4]);
        Assert.Equal("| removed | tb | ThroughputScenarios | b/driver=Host | aggregate_throughput | 17.1 Gbit/s | - | - | 5 |", lines[6]);
        Assert.Equal("| removed | tb | ThroughputScenarios | b/driver=Host | rtt_p50 | 35.37 us | - | - | 4 |", lines[7]);
        Assert.Matches(@"^\| changed \| tb \| ThroughputScenarios \| a/driver=Bridge \| aggregate_throughput \| 17\.1 Gbit/s \| 18\.8\d? Gbit/s \| \+10\.0% \(better\) \| 5 \|$", lines[8]);
        Assert.Equal("| added | tb | ThroughputScenarios | d/driver=Ovs | aggregate_throughput | - | 17.1 Gbit/s | - | 5 |", lines[9]);
        Assert.Equal(6, lines.Count(l => l.StartsWith('|')));
    }

    [Fact]
    public void Environment_only_changes_and_unreadable_files_are_listed()
    {
        var before = Snapshot("main", Cell("a/driver=Bridge"));
        var after = BaselineSnapshot.FromTexts("HEAD",
        [
            KeyValuePair.Create(PathOf(Cell("a")), BaselineJson.Serialize(Cell("a/driver=Bridge", kernel: "6.18.0"))),
            KeyValuePair.Create("tb/x/conflict.json", "<<<<<<< HEAD\n{}\n"),
            KeyValuePair.Create("tb/x/new.received.json", "not a baseline, ignored"),
        ]);

        var diff = BaselineDiff.Compare(before, after);
        var md = BaselineDiffMarkdown.Render(diff);

        var change = Assert.Single(diff.Cells);
        Assert.Empty(change.Metrics);
        Assert.Contains("| changed | tb | ThroughputScenarios | a/driver=Bridge | (environment only) | - | - | - | - |", md, StringComparison.Ordinal);
        Assert.Contains("- Environment of tb/ThroughputScenarios/a/driver=Bridge changed: kernel: '6.1.0-18-amd64' -&gt; '6.18.0'", md, StringComparison.Ordinal);
        Assert.Contains("- Unreadable, left out: HEAD: tb/x/conflict.json: Baseline file 'tb/x/conflict.json' is not valid", md, StringComparison.Ordinal);
        Assert.DoesNotContain("received", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_snapshots_have_no_rows()
    {
        var diff = BaselineDiff.Compare(Snapshot("a", Cell("x")), Snapshot("b", Cell("x")));

        Assert.Empty(diff.Cells);
        Assert.Equal(1, diff.UnchangedCells);
        Assert.DoesNotContain("| Cell change |", BaselineDiffMarkdown.Render(diff), StringComparison.Ordinal);
    }
}
