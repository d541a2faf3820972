using System.Text.Json;
using NetPerf.Experiments;
using NetPerf.Reports;

namespace NetPerf.Tests.Reports;

public class RawDataTests
{
    [Fact]
    public void Csv_has_one_row_per_trial_flow_and_metric_with_the_axes_as_columns()
    {
        var run = SampleCells.Run();
        var csv = RawData.ToCsv(run);

        var records = csv.Split("\r\n");
        Assert.Equal("", records[^1]);
        Assert.Equal("scenario,cell,driver,pairs,msg,trial,flow,metric,unit,value", records[0]);
        int expectedRows = run.Cells.Sum(c => c.Trials.Sum(t => t.Measurements.Count));
        Assert.Equal(expectedRows, records.Length - 2);
        // Host, 2 pairs, trial 1: two flow rows, then the aggregates with an empty flow.
        Assert.Contains(records, r => r.StartsWith("HostVsBridge.Tcp_throughput,driver=Host/pairs=2,Host,2,,1,pair-2,flow_throughput,Gbit/s,", StringComparison.Ordinal));
        Assert.Contains(records, r => r.StartsWith("HostVsBridge.Tcp_throughput,driver=Host/pairs=2,Host,2,,1,,aggregate_throughput,Gbit/s,", StringComparison.Ordinal));
        Assert.Contains("Latency.Ping_pong,driver=Host/pairs=1/msg=350,Host,1,350,1,,latency_p50,us,30.1\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_quotes_fields_as_rfc_4180_and_writes_invariant_round_trip_numbers()
    {
        var trial = new TrialRecord(1, [new MeasurementRecord("my,metric", "\"unit\"", 1234567.125, "pair 1\nx")], 0);
        var cell = SampleCells.Cell("S,1", "Bridge", 1, new Dictionary<string, string> { ["value"] = "a\"b" }, [trial], [], "Passed", "", cellId: "c");

        var csv = RawData.ToCsv(new RunResults([cell], []));

        Assert.Equal(
            "scenario,cell,driver,pairs,axis_value,trial,flow,metric,unit,value\r\n" +
            "\"S,1\",c,Bridge,1,\"a\"\"b\",1,\"pair 1\nx\",\"my,metric\",\"\"\"unit\"\"\",1234567.125\r\n", csv);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line\r\nbreak", "\"line\r\nbreak\"")]
    public void Csv_fields(string field, string expected) => Assert.Equal(expected, CsvText.Field(field));

    [Fact]
    public void Json_holds_every_cell_and_reads_back()
    {
        var run = SampleCells.Run();

        var json = RawData.ToJson(run);

        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions());
        Assert.Equal(RawData.FormatVersion, doc.RootElement.GetProperty("formatVersion").GetInt32());
        var cells = doc.RootElement.GetProperty("cells");
        Assert.Equal(run.Cells.Count, cells.GetArrayLength());
        var first = CellResultReader.Parse(cells[0].GetRawText(), "data.json");
        Assert.Contains(run.Cells, c => c.CellId == first.CellId && c.Scenario == first.Scenario && c.Trials.Count == first.Trials.Count);
        // NaN start skews survive as the named literal.
        Assert.Contains("\"startSkewMs\": \"NaN\"", json, StringComparison.Ordinal);
    }
}
