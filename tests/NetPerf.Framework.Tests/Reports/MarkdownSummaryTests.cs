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
        Assert.Equal("| Driver | Pairs | Other axes | Metric | Baseline median | Current median | Change | Current median CI | Detectable regression | Baseline runs | Between-run spread | Verdict |", lines[heading + 2]);
        Assert.Equal("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |", lines[heading + 3]);
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

        var expected = "8 cells: 1 regressed, 1 failed, 0 unconfirmed, 0 improved, 1 inconclusive, 5 passed, 0 provisional, 0 other (recorded, accepted)";
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
        // Unescaped pipes delimit exactly the table's columns.
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
        Assert.EndsWith("0 cells: 0 regressed, 0 failed, 0 unconfirmed, 0 improved, 0 inconclusive, 0 passed, 0 provisional, 0 other (recorded, accepted)\n", md);
    }

    private static string[] RowsOf(string md, string scenario)
    {
        var lines = md.Split('\n');
        int heading = Array.IndexOf(lines, "### " + scenario);
        Assert.True(heading >= 0, md);
        return [.. lines.Skip(heading + 4).TakeWhile(l => l.StartsWith('|'))];
    }

    [Fact]
    public void Gated_rows_show_the_detectable_regression_the_baseline_runs_and_the_between_run_spread()
    {
        var md = MarkdownSummary.Render(SampleCells.PowerRun());

        var latency = RowsOf(md, SampleCells.Latency);
        Assert.Contains(latency, r => r.StartsWith("| Bridge | 1 | msg=350 | latency_p50 |", StringComparison.Ordinal) && r.EndsWith("| detects >= 3.1% | 4 | 1.85% | Unchanged |", StringComparison.Ordinal));
        // One baseline run: the spread between runs cannot be known.
        Assert.Contains(latency, r => r.StartsWith("| Host | 1 | msg=350 | latency_p50 |", StringComparison.Ordinal) && r.Contains("| 1 | unknown (1 run) | Unchanged |", StringComparison.Ordinal));
        // A gate whose comparison could not estimate what it detects says so.
        Assert.EndsWith("| unknown | 2 | 4% | Inconclusive |", Assert.Single(RowsOf(md, SampleCells.Fct)));
        Assert.Contains("Detectable regression: the smallest regression the gate detects with 90% power", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gate_whose_tolerance_is_below_what_it_detects_is_marked_and_explained_below_its_table()
    {
        var md = MarkdownSummary.Render(SampleCells.PowerRun());

        var latency = RowsOf(md, SampleCells.Latency);
        Assert.Contains(latency, r => r.StartsWith("| Host |", StringComparison.Ordinal) && r.Contains("| detects >= 12% \\[1\\] |", StringComparison.Ordinal));
        Assert.DoesNotContain(latency, r => r.StartsWith("| Bridge |", StringComparison.Ordinal) && r.Contains("\\[", StringComparison.Ordinal));
        var note = md.Split('\n').Single(l => l.StartsWith("- \\[1\\] ", StringComparison.Ordinal));
        Assert.StartsWith("- \\[1\\] Host, 1 pair, msg=350, latency_p50: the tolerance 5% is below the detectable regression (detects >= 12%): detects regressions of 12% or more", note);
        Assert.EndsWith("it needs 4 baseline runs on fresh testbeds (it has 1; add runs with NETPERF_RECORD=1 or 'netperf merge-runs')", note);
        // The note sits between the latency table and the next scenario's heading.
        Assert.InRange(md.IndexOf(note, StringComparison.Ordinal), md.IndexOf("### " + SampleCells.Latency, StringComparison.Ordinal), md.Length);
        // No other scenario has a marked row, so there is exactly one note.
        Assert.Single(md.Split('\n'), l => l.StartsWith("- \\[", StringComparison.Ordinal));
    }

    [Fact]
    public void A_confirmed_cell_shows_its_first_run_and_its_confirmation_on_consecutive_rows()
    {
        var md = MarkdownSummary.Render(SampleCells.PowerRun());

        var rows = RowsOf(md, SampleCells.Throughput);
        // Regressions first: the confirmed regression, then the unconfirmed cell, then the passed one.
        Assert.StartsWith("| Bridge | 2 |  | aggregate_throughput | 16 Gbit/s | 11.08 Gbit/s | -30.7% |", rows[0]);
        Assert.EndsWith("| detects >= 6.5% | 3 | 2% | **Regressed (first run)** |", rows[0]);
        Assert.StartsWith("| Bridge | 2 |  | aggregate_throughput (confirmation) | 16 Gbit/s | 11.28 Gbit/s | -29.5% |", rows[1]);
        Assert.EndsWith("| **Regressed (confirmation) → Regressed** |", rows[1]);
        // The unconfirmed cell's first run regressed, but it does not fail the run, so it is not bold.
        Assert.StartsWith("| Bridge | 4 |  | aggregate_throughput | 16 Gbit/s | 10.97 Gbit/s |", rows[2]);
        Assert.EndsWith("| Regressed (first run) |", rows[2]);
        Assert.StartsWith("| Bridge | 4 |  | aggregate_throughput (confirmation) | 16 Gbit/s | 15.85 Gbit/s | -0.9% |", rows[3]);
        Assert.EndsWith("| Unchanged (confirmation) → Unconfirmed |", rows[3]);
        Assert.StartsWith("| Host | 1 |", rows[4]);
        Assert.Equal(5, rows.Length);
    }

    [Fact]
    public void Unconfirmed_and_provisional_cells_are_counted_in_the_totals_and_named_below_them()
    {
        var run = new RunResults([.. SampleCells.PowerRun().Cells, .. SampleCells.Provisional(12)], []);

        var md = MarkdownSummary.Render(run);

        var expected = "18 cells: 1 regressed, 0 failed, 1 unconfirmed, 0 improved, 1 inconclusive, 3 passed, 12 provisional, 0 other (recorded, accepted)";
        Assert.Contains("**" + expected + "**\n", md, StringComparison.Ordinal);
        Assert.Equal(expected, md.TrimEnd('\n').Split('\n')[^1]);
        Assert.Contains("\nUnconfirmed (regressed in the first run, not in the confirmation on a fresh testbed; they pass with a warning): HostVsBridge.Tcp_throughput driver=Bridge/pairs=4.\n", md, StringComparison.Ordinal);
        var provisional = md.Split('\n').Single(l => l.StartsWith("Provisional (", StringComparison.Ordinal));
        var names = provisional.Split("): ", 2)[1];
        Assert.EndsWith(" and 2 more.", names);
        Assert.Equal(MarkdownSummary.ProvisionalNamed, names.Split(", ").Length);
        Assert.StartsWith("FirstRun.Scaling driver=Bridge/pairs=1, FirstRun.Scaling driver=Bridge/pairs=11, ", names);
        Assert.Contains("- **Unconfirmed** Tcp_throughput(driver: Bridge, pairs: 4): aggregate_throughput regressed in the first run (-31%) but not in the confirmation", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_run_ends_the_summary_with_the_notice_in_a_code_block_before_the_totals()
    {
        var run = new RunResults([.. SampleCells.Provisional(3), SampleCells.LatencyCell("Host", 30)], []);

        var md = MarkdownSummary.Render(run, workingDirectory: "/repo");

        var notice = FirstRunNotice.Format(run.Cells, "/repo");
        Assert.StartsWith("== First run on testbed '2c-amd-epyc-6.18': 3 cells", notice);
        Assert.Contains("\n```text\n" + notice + "```\n\n4 cells: ", md, StringComparison.Ordinal);
        Assert.Contains("Commit them:  git add baselines/2c-amd-epyc-6.18 && git commit -m 'Baselines for 2c-amd-epyc-6.18'\n", md, StringComparison.Ordinal);
        Assert.EndsWith("4 cells: 0 regressed, 0 failed, 0 unconfirmed, 0 improved, 0 inconclusive, 1 passed, 3 provisional, 0 other (recorded, accepted)\n", md);
        Assert.Contains("| Bridge | 1 |  | aggregate_throughput | - |", md, StringComparison.Ordinal);
        Assert.Contains("| - | - | - | Provisional |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_provisional_cells_has_no_notice()
    {
        var md = MarkdownSummary.Render(SampleCells.PowerRun());

        Assert.DoesNotContain("```", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Provisional (", md, StringComparison.Ordinal);
    }
}
