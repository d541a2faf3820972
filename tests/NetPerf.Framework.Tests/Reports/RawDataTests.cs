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
        Assert.Equal("scenario,cell,driver,pairs,msg,attempt,trial,flow,metric,unit,value", records[0]);
        int expectedRows = run.Cells.Sum(c => c.Trials.Sum(t => t.Measurements.Count));
        Assert.Equal(expectedRows, records.Length - 2);
        // Host, 2 pairs, trial 1: two flow rows, then the aggregates with an empty flow.
        Assert.Contains(records, r => r.StartsWith("HostVsBridge.Tcp_throughput,driver=Host/pairs=2,Host,2,,first,1,pair-2,flow_throughput,Gbit/s,", StringComparison.Ordinal));
        Assert.Contains(records, r => r.StartsWith("HostVsBridge.Tcp_throughput,driver=Host/pairs=2,Host,2,,first,1,,aggregate_throughput,Gbit/s,", StringComparison.Ordinal));
        Assert.Contains("Latency.Ping_pong,driver=Host/pairs=1/msg=350,Host,1,350,first,1,,latency_p50,us,30.1\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_quotes_fields_as_rfc_4180_and_writes_invariant_round_trip_numbers()
    {
        var trial = new TrialRecord(1, [new MeasurementRecord("my,metric", "\"unit\"", 1234567.125, "pair 1\nx")], 0);
        var cell = SampleCells.Cell("S,1", "Bridge", 1, new Dictionary<string, string> { ["value"] = "a\"b" }, [trial], [], "Passed", "", cellId: "c");

        var csv = RawData.ToCsv(new RunResults([cell], []));

        Assert.Equal(
            "scenario,cell,driver,pairs,axis_value,attempt,trial,flow,metric,unit,value\r\n" +
            "\"S,1\",c,Bridge,1,\"a\"\"b\",first,1,\"pair 1\nx\",\"my,metric\",\"\"\"unit\"\"\",1234567.125\r\n", csv);
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

    [Fact]
    public void Csv_tags_the_confirmation_trials_after_the_first_run()
    {
        var cell = SampleCells.Confirmed("Bridge", 4, 16, 11, 15.9, "Unconfirmed");

        var records = RawData.ToCsv(new RunResults([cell], [])).Split("\r\n")[1..^1];

        int first = cell.Trials.Sum(t => t.Measurements.Count), confirmation = cell.Confirmation!.Trials.Sum(t => t.Measurements.Count);
        Assert.Equal(first + confirmation, records.Length);
        Assert.All(records[..first], r => Assert.StartsWith("HostVsBridge.Tcp_throughput,driver=Bridge/pairs=4,Bridge,4,first,", r));
        Assert.All(records[first..], r => Assert.StartsWith("HostVsBridge.Tcp_throughput,driver=Bridge/pairs=4,Bridge,4,confirmation,", r));
        var value = cell.Confirmation.Trials[0].Measurements.Single(m => m.Metric == "aggregate_throughput").Value;
        Assert.Contains($"HostVsBridge.Tcp_throughput,driver=Bridge/pairs=4,Bridge,4,confirmation,1,,aggregate_throughput,Gbit/s,{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", records);
    }

    [Fact]
    public void An_axis_named_attempt_does_not_clash_with_the_attempt_column()
    {
        var cell = SampleCells.Cell("S", "Bridge", 1, new Dictionary<string, string> { ["attempt"] = "x" }, [], [], "Passed", "", cellId: "c");

        Assert.Equal(["scenario", "cell", "driver", "pairs", "axis_attempt", "attempt", "trial", "flow", "metric", "unit", "value"], RawData.CsvColumns([cell]));
    }

    [Fact]
    public void Json_holds_the_power_facts_and_the_confirmation_and_reads_them_back()
    {
        var run = SampleCells.PowerRun();

        var json = RawData.ToJson(run);

        using var doc = JsonDocument.Parse(json);
        var cells = doc.RootElement.GetProperty("cells").EnumerateArray().ToList();
        var unconfirmed = cells.Single(c => c.GetProperty("outcome").GetString() == "Unconfirmed");
        var metric = unconfirmed.GetProperty("metrics")[0];
        Assert.Equal(3, metric.GetProperty("baselineRuns").GetInt32());
        Assert.Equal(6.5, metric.GetProperty("detectableChangePercent").GetDouble());
        Assert.Equal(2.0, metric.GetProperty("betweenRunCvPercent").GetDouble());
        Assert.False(metric.GetProperty("toleranceBelowDetectable").GetBoolean());
        var confirmation = unconfirmed.GetProperty("confirmation");
        Assert.Equal("Unconfirmed", confirmation.GetProperty("outcome").GetString());
        Assert.Equal(5, confirmation.GetProperty("trials").GetArrayLength());
        Assert.Equal(41.5, confirmation.GetProperty("durationSeconds").GetDouble());
        var latency = cells.Single(c => c.GetProperty("cellId").GetString() == "driver=Host/pairs=1/msg=350");
        Assert.Equal(JsonValueKind.Null, latency.GetProperty("confirmation").ValueKind);
        Assert.Equal(SampleCells.UnderpoweredNote, latency.GetProperty("metrics")[0].GetProperty("powerNote").GetString());

        var read = CellResultReader.Parse(unconfirmed.GetRawText(), "data.json");
        Assert.Equal(run.Cells[1].Confirmation!.Metrics[0].CurrentValues, read.Confirmation!.Metrics[0].CurrentValues);
        Assert.Equal("fresh", read.Confirmation.Facts["testbed.id"]);
    }
}
