using System.Text;
using NetPerf.Baselines;

namespace NetPerf.Tests.Baselines;

public class BaselineJsonTests
{
    private const string Path = "/repo/baselines/tb/S/cell.json";

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var original = SampleBaselines.File();

        var read = BaselineJson.Deserialize(BaselineJson.Serialize(original), Path);

        Assert.Equal(BaselineFile.CurrentFormatVersion, read.FormatVersion);
        Assert.Equal(original.Key, read.Key);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 12, 0, 5, TimeSpan.Zero), read.RecordedAt);
        Assert.Equal(original.Commit, read.Commit);
        Assert.Equal(original.Fingerprint, read.Fingerprint);
        Assert.Equal("2c-intel-xeon-platinum-8370c-6.1", read.Testbed);
        var throughput = read.Metrics["aggregate_throughput"];
        Assert.Equal(Unit.GbitPerSecond, throughput.Unit);
        Assert.Equal(Direction.HigherIsBetter, throughput.Direction);
        Assert.Equal(0.05, throughput.Tolerance);
        Assert.Equal([17.23, 16.9, 17.4, 17.1, 16.95], throughput.Values);
        Assert.Equal(Math.Round(original.Metrics["aggregate_throughput"].Summary.Median, 2), throughput.Summary.Median, 2);
        Assert.NotNull(throughput.Summary.MedianInterval);
        var latency = read.Metrics["rtt_p50"];
        Assert.Null(latency.Tolerance);
        Assert.Equal(Direction.LowerIsBetter, latency.Direction);
        Assert.Equal(35.12, latency.Values[0]);
        Assert.Equal(SampleBaselines.Latency, latency.ToMetric("rtt_p50"));
    }

    [Fact]
    public void Same_input_gives_byte_identical_text_and_rewriting_a_read_file_changes_nothing()
    {
        var first = BaselineJson.Serialize(SampleBaselines.File());
        var second = BaselineJson.Serialize(SampleBaselines.File());
        var rewritten = BaselineJson.Serialize(BaselineJson.Deserialize(first, Path));

        Assert.Equal(first, second);
        Assert.Equal(first, rewritten);
    }

    [Fact]
    public void Text_is_sorted_two_space_indented_lf_terminated_and_rounded()
    {
        var text = BaselineJson.Serialize(SampleBaselines.File());

        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.StartsWith("{\n  \"cell\": \"Tcp_throughput/driver=Bridge/pairs=10\",\n  \"commit\": \"0123456789abcdef\",\n  \"fingerprint\": {\n    \"cores\": 2,", text, StringComparison.Ordinal);
        Assert.Contains("\"recorded_at\": \"2025-01-31T12:00:05Z\"", text, StringComparison.Ordinal);
        Assert.Contains("\"direction\": \"higher_is_better\"", text, StringComparison.Ordinal);
        Assert.Contains("      \"values\": [\n        17.23,\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("17.2345", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("\"aggregate_throughput\"", StringComparison.Ordinal) < text.IndexOf("\"rtt_p50\"", StringComparison.Ordinal));
        Assert.True(text.IndexOf("\"gso\"", StringComparison.Ordinal) < text.IndexOf("\"tso\"", StringComparison.Ordinal));
        Assert.True(text.IndexOf("\"iperf3\"", StringComparison.Ordinal) < text.IndexOf("\"sockperf\"", StringComparison.Ordinal));
        Assert.False(Encoding.UTF8.GetBytes(text).AsSpan().StartsWith(Encoding.UTF8.Preamble));
    }

    [Theory]
    [InlineData("\"values\": [\n        17.23,\n        16.9,\n        17.4,", "\"values\": [\n        17.23,\n        16.9,\n        \"17.4\",", "$.metrics.aggregate_throughput.values[2]", "expected a number, found the string \"17.4\"")]
    [InlineData("\"direction\": \"higher_is_better\"", "\"direction\": \"up\"", "$.metrics.aggregate_throughput.direction", "'higher_is_better' or 'lower_is_better'")]
    [InlineData("\"tolerance\": 0.05", "\"tolerance\": 5", "$.metrics.aggregate_throughput.tolerance", "fraction in [0, 1)")]
    [InlineData("\"cores\": 2", "\"cores\": 2.5", "$.fingerprint.cores", "expected an integer")]
    [InlineData("\"format_version\": 1", "\"format_version\": 2", "$.format_version", "version 2 is not supported")]
    [InlineData("\"recorded_at\": \"2025-01-31T12:00:05Z\"", "\"recorded_at\": \"yesterday\"", "$.recorded_at", "UTC time")]
    [InlineData("\"unit\": \"Gbit/s\"", "\"unit\": \"Gbit/s\", \"units\": \"x\"", "$.metrics.aggregate_throughput.units", "unknown property")]
    [InlineData("\"scenario\": \"ThroughputScenarios\",", "", "$.scenario", "required property is missing")]
    [InlineData("\"unit\": \"Gbit/s\"", "\"unit\": \"\"", "$.metrics.aggregate_throughput.unit", "non-empty string")]
    public void Mistyped_files_name_the_file_and_json_path(string find, string replace, string jsonPath, string problem)
    {
        var text = BaselineJson.Serialize(SampleBaselines.File());
        Assert.Contains(find, text, StringComparison.Ordinal);
        var broken = text.Replace(find, replace, StringComparison.Ordinal);

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(broken, Path));

        Assert.Equal(Path, error.FilePath);
        Assert.Equal(jsonPath, error.JsonPath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.Contains($"'{Path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{jsonPath}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_values_are_rejected()
    {
        var text = BaselineJson.Serialize(SampleBaselines.File());
        var start = text.IndexOf("\"values\": [", StringComparison.Ordinal);
        var end = text.IndexOf(']', start);
        var broken = text[..start] + "\"values\": [" + text[end..];

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(broken, Path));

        Assert.Equal("$.metrics.aggregate_throughput.values", error.JsonPath);
    }

    [Fact]
    public void Truncated_file_is_reported_with_line_and_position()
    {
        var text = BaselineJson.Serialize(SampleBaselines.File());
        var cut = text.IndexOf("16.9,", text.IndexOf("\"values\"", StringComparison.Ordinal), StringComparison.Ordinal) + "16.9,".Length;

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(text[..cut], Path));

        Assert.Equal("$.metrics.aggregate_throughput.values[1]", error.JsonPath);
        Assert.Contains("not well-formed JSON at or just after this point (line", error.Problem, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_conflict_markers_are_reported()
    {
        var text = BaselineJson.Serialize(SampleBaselines.File()).Replace("  \"testbed\"", "<<<<<<< HEAD\n  \"testbed\"", StringComparison.Ordinal);

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(text, Path));

        Assert.Equal("$.scenario", error.JsonPath);
    }

    [Fact]
    public void Metric_names_that_are_not_identifiers_use_bracket_paths()
    {
        var sample = SampleBaselines.File();
        var file = sample with
        {
            Runs = [sample.Newest with { Metrics = new Dictionary<string, BaselineMetric> { ["p99/flow-1"] = BaselineMetric.Create(SampleBaselines.Latency, [1, 2], tolerance: null) } }],
        };
        var broken = BaselineJson.Serialize(file).Replace("\"unit\": \"us\"", "\"unit\": 3", StringComparison.Ordinal);

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(broken, Path));

        Assert.Equal("$.metrics['p99/flow-1'].unit", error.JsonPath);
    }
}
