using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public class MarkdownSummaryTests
{
    [Fact]
    public void Each_scenario_gets_a_table_with_the_regressed_cell_first()
    {
        var md = MarkdownSummary.Render(SampleCells.Run());

        var lines = md.Split('\n');
        int heading = Array.IndexOf(lines, "### " + SampleCells.Throughput);
        Assert.True(heading >= 0, md);
        Assert.StartsWith("| Driver | Pairs | Other axes | Metric | Baseline median | Current median | Change | Current median CI | Verdict |", lines[heading + 2]);
        Assert.Equal("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | --- |", lines[heading + 3]);
        Assert.Matches(@"\| \d+(\.\d+)? to \d+(\.\d+)? Gbit/s \|", lines[heading + 4]);
        // The first data row is the regressed cell (Bridge, 2 pairs), gated metric, marked in bold.
        var first = lines[heading + 4];
        Assert.StartsWith("| Bridge | 2 |  | aggregate_throughput | ", first);
        Assert.EndsWith("| **Regressed** |", first);
        Assert.Matches(@"\| -3\d\.\d% \|", first);
        Assert.Contains(" Gbit/s", first, StringComparison.Ordinal);
        Assert.Contains("### " + SampleCells.Latency, md, StringComparison.Ordinal);
        Assert.Contains("### " + SampleCells.Fct, md, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_gated_metrics_get_rows_unless_a_cell_has_none()
    {
        var onlyReported = SampleCells.ThroughputCell("Ovs", 1, 1, 1, scenario: "Other.Scenario");
        onlyReported = onlyReported with { Metrics = [.. onlyReported.Metrics.Where(m => !m.Gated)] };
        var md = MarkdownSummary.Render(new RunResults([.. SampleCells.Run().Cells, onlyReported], []));

        Assert.DoesNotContain("| Host | 1 |  | retransmits", md, StringComparison.Ordinal);
        var row = md.Split('\n').Single(l => l.StartsWith("| Ovs | 1 |  | retransmits", StringComparison.Ordinal));
        Assert.Contains("| - |", row, StringComparison.Ordinal);
        Assert.EndsWith("| NoBaseline (reported) |", row);
        Assert.Contains("Gated metrics only; every metric is in report.html", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_rows_can_include_reported_metrics()
    {
        var rows = SummaryRow.For(SampleCells.Run().Cells.Where(c => c.Scenario == SampleCells.Throughput), includeReported: true);

        Assert.Equal(8, rows.Count);
        Assert.Equal("Regressed", rows[0].Verdict);
        Assert.Equal("NoBaseline (reported)", rows[1].Verdict);
    }

    [Fact]
    public void Totals_line_counts_outcomes_and_ends_the_summary()
    {
        var md = MarkdownSummary.Render(SampleCells.Run());

        var expected = "8 cells: 1 regressed, 1 failed, 0 improved, 1 inconclusive, 5 passed, 0 other (recorded, accepted)";
        Assert.Equal(expected, md.TrimEnd('\n').Split('\n')[^1]);
        Assert.Contains("**" + expected + "**", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_cells_are_listed_with_the_first_line_of_their_message()
    {
        var md = MarkdownSummary.Render(SampleCells.Run());

        Assert.Contains("- **Regressed** Tcp_throughput(driver: Bridge, pairs: 2): aggregate_throughput regressed: median 11 Gbit/s against 16 Gbit/s (-31%).\n", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Second line", md, StringComparison.Ordinal);
        Assert.Contains("- **NewBaseline** Elephants_and_mice(driver: Bridge, pairs: 1): No baseline", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipes_and_html_in_names_are_escaped_so_the_table_keeps_its_columns()
    {
        var cell = SampleCells.ThroughputCell("Br|dge<b>", 1, 10, 10, scenario: "Odd|Scenario.<script>x</script>");
        var md = MarkdownSummary.Render(new RunResults([cell], []));

        Assert.Contains("### Odd\\|Scenario.&lt;script&gt;x&lt;/script&gt;", md, StringComparison.Ordinal);
        var row = md.Split('\n').First(l => l.StartsWith("| Br", StringComparison.Ordinal));
        Assert.StartsWith("| Br\\|dge&lt;b&gt; | 1 |", row);
        // Unescaped pipes delimit exactly the 9 columns.
        int delimiters = row.Where((c, i) => c == '|' && (i == 0 || row[i - 1] != '\\')).Count();
        Assert.Equal(MarkdownSummary.Columns.Count + 1, delimiters);
        Assert.DoesNotContain("<b>", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a|b", "a\\|b")]
    [InlineData("x\ny\r\nz", "x y z")]
    [InlineData("[link](http://x)", "\\[link\\](http://x)")]
    [InlineData("a & <b>", "a &amp; &lt;b&gt;")]
    [InlineData("back\\slash `code` *em*", "back\\\\slash \\`code\\` \\*em\\*")]
    public void Markdown_escaping(string text, string expected) => Assert.Equal(expected, MarkdownText.Escape(text));

    [Fact]
    public void An_empty_run_says_so()
    {
        var md = MarkdownSummary.Render(new RunResults([], ["'/r/cells/x.json' was left out: bad"]));

        Assert.Contains("No cell results were found", md, StringComparison.Ordinal);
        Assert.Contains("- Left out: '/r/cells/x.json' was left out: bad", md, StringComparison.Ordinal);
        Assert.EndsWith("0 cells: 0 regressed, 0 failed, 0 improved, 0 inconclusive, 0 passed, 0 other (recorded, accepted)\n", md);
    }
}
