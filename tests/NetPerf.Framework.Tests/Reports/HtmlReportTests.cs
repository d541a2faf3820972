using System.Text.Json;
using System.Text.RegularExpressions;
using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public partial class HtmlReportTests
{
    public const string HostileName = "</script><img src=x onerror=alert(1)><!--\u2028\u2029'\"&";

    /// <summary>A run whose scenario, driver, axis and message all carry markup meant to break out of the page.</summary>
    internal static RunResults HostileRun()
    {
        var cell = SampleCells.ThroughputCell(HostileName, 2, 16, 11, scenario: "Scn." + HostileName);
        cell = cell with
        {
            CellId = "driver=" + HostileName,
            DisplayName = "Tcp(" + HostileName + ")",
            Axes = new Dictionary<string, string>(cell.Axes) { ["msg"] = HostileName },
            Message = "failed: " + HostileName,
        };
        return new RunResults([cell, SampleCells.LatencyCell("Bridge", 38)], [HostileName]);
    }

    [Fact]
    public void Markup_in_names_is_escaped_in_html_and_in_the_script_json()
    {
        var html = HtmlReport.Render(HostileRun());

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2028", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2029", html, StringComparison.Ordinal);
        // Exactly the page's own three script elements close.
        Assert.Equal(3, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
        Assert.Equal(3, Regex.Matches(html, "<script", RegexOptions.IgnoreCase).Count);
        Assert.Contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&lt;!--", html, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E\\u003Cimg", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_json_parses_back_to_the_original_text()
    {
        var html = HtmlReport.Render(HostileRun());

        var json = DataBlob().Match(html).Groups[1].Value;
        using var doc = JsonDocument.Parse(json);
        var titles = doc.RootElement.GetProperty("charts").EnumerateArray().Select(c => c.GetProperty("title").GetString()!).ToList();
        Assert.Contains(titles, t => t.Contains(HostileName, StringComparison.Ordinal));
        var names = doc.RootElement.GetProperty("charts").EnumerateArray()
            .SelectMany(c => c.GetProperty("series").EnumerateArray()).Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains($"{HostileName}, msg={HostileName}", names);
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        var html = HtmlReport.Render(SampleCells.Run());

        Assert.DoesNotMatch(SourceAttribute(), html);
        Assert.Contains("Chart.js v4", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("</script>", "\\u003C/script\\u003E")]
    [InlineData("a<!--b", "a\\u003C!--b")]
    [InlineData("x\u2028y\u2029", "x\\u2028y\\u2029")]
    [InlineData("&amp;", "\\u0026amp;")]
    public void Script_json_escaping(string text, string expected) => Assert.Equal(expected, HtmlText.EscapeScriptJson(text));

    [Fact]
    public void Html_encoding() => Assert.Equal("&lt;a href=&quot;x&quot;&gt;&#39;&amp;", HtmlText.Encode("<a href=\"x\">'&"));

    [Fact]
    public void The_table_shows_what_each_gate_detects_and_the_confirmation_beside_the_first_run()
    {
        var html = HtmlReport.Render(SampleCells.PowerRun());

        Assert.Contains("<th>Detectable regression</th><th>Baseline runs</th><th>Between-run spread</th><th>Verdict</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">detects &gt;= 3.1%</td><td class=\"num\">4</td><td class=\"num\">1.85%</td>", html, StringComparison.Ordinal);
        // The gate that cannot see its tolerance is marked, carries its note as a tooltip and is listed below the table.
        Assert.Contains("<td class=\"num underpowered\" title=\"detects regressions of 12% or more", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">1</td><td class=\"num\">unknown (1 run)</td>", html, StringComparison.Ordinal);
        var notes = Regex.Match(html, "<ul class=\"messages power-notes\">\n(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Single(Regex.Matches(notes, "<li>"));
        Assert.Contains("Host, 1 pair, msg=350, latency_p50: tolerance 5%, detects &gt;= 12%: detects regressions", notes, StringComparison.Ordinal);

        var unconfirmed = Regex.Matches(html, "<tr class=\"unconfirmed\">(.*?)</tr>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, unconfirmed.Count);
        Assert.Contains("<td>aggregate_throughput</td>", unconfirmed[0], StringComparison.Ordinal);
        Assert.EndsWith(">Regressed (first run)</td>", unconfirmed[0]);
        Assert.Contains("<td>aggregate_throughput (confirmation)</td>", unconfirmed[1], StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">15.85 Gbit/s</td>", unconfirmed[1], StringComparison.Ordinal);
        Assert.EndsWith(">Unchanged (confirmation) → Unconfirmed</td>", unconfirmed[1]);
        Assert.Contains("<li><strong>Unconfirmed</strong> Tcp_throughput(driver: Bridge, pairs: 4): aggregate_throughput regressed in the first run", html, StringComparison.Ordinal);
        Assert.Contains("(confirmation on a fresh testbed: Unconfirmed, 5 trials, 41.5 s)</li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"first-run\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_run_shows_the_notice_and_marks_provisional_rows()
    {
        var run = new RunResults([.. SampleCells.Provisional(2), SampleCells.LatencyCell("Host", 30)], []);

        var html = HtmlReport.Render(run, workingDirectory: "/repo");

        var notice = Regex.Match(html, "<pre class=\"notice\" id=\"first-run\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(HtmlText.Encode(FirstRunNotice.Format(run.Cells, "/repo")), notice);
        Assert.Contains("git add baselines/2c-amd-epyc-6.18 &amp;&amp; git commit", notice, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Matches(html, "<tr class=\"provisional\">").Count);
        Assert.Contains(">Provisional</td></tr>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trials_chart_of_a_confirmed_cell_draws_the_confirmation_and_notes_what_the_gate_detects()
    {
        var html = HtmlReport.Render(SampleCells.PowerRun());

        using var doc = JsonDocument.Parse(DataBlob().Match(html).Groups[1].Value);
        var charts = doc.RootElement.GetProperty("charts").EnumerateArray().ToList();
        var chart = charts.Single(c => c.GetProperty("title").GetString() == "HostVsBridge.Tcp_throughput Bridge, 4 pairs: aggregate_throughput (Regressed, confirmation Unchanged: Unconfirmed)");
        Assert.Equal("tolerance 5%, detects >= 6.5%, 3 baseline runs, between-run spread 2%", chart.GetProperty("note").GetString());
        var confirmation = chart.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("style").GetString() == "diamonds");
        Assert.Equal("confirmation trials (fresh testbed)", confirmation.GetProperty("name").GetString());
        Assert.Equal(1.25, confirmation.GetProperty("points")[0][0].GetDouble());
        var underpowered = charts.Single(c => c.GetProperty("title").GetString()!.StartsWith("Latency.Ping_pong Host", StringComparison.Ordinal));
        Assert.EndsWith("; the tolerance is below what the gate can detect", underpowered.GetProperty("note").GetString());
        // The script shows the note through textContent.
        Assert.Contains("if (spec.note) figure.appendChild(el(\"p\", \"chart-note\", spec.note));", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"netperf-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataBlob();

    [GeneratedRegex("\\s(src|href)\\s*=\\s*[\"']?(https?:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex SourceAttribute();
}
