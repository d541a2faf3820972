using System.Text.Json;
using System.Text.RegularExpressions;
using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public partial class HtmlReportTests
{
    public const string HostileName = "</script><img src=x onerror=alert(1)><!--\u2028\u2029'\"&";

    /// <summary>A run whose scenario, driver, axis and message all carry markup meant to break out of the page.</summary>
    public static RunResults HostileRun()
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

    [GeneratedRegex("<script type=\"application/json\" id=\"netperf-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataBlob();

    [GeneratedRegex("\\s(src|href)\\s*=\\s*[\"']?(https?:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex SourceAttribute();
}
