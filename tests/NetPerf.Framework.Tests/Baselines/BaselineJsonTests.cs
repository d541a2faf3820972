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
        Assert.StartsWith("{\n  \"cell\": \"Tcp_throughput/driver=Bridge/pairs=10\",\n  \"format_version\": 2,\n  \"metrics\": {\n    \"aggregate_throughput\": {\n      \"direction\": \"higher_is_better\",", text, StringComparison.Ordinal);
        Assert.Contains("  \"runs\": [\n    {\n      \"commit\": \"0123456789abcdef\",\n      \"fingerprint\": {\n        \"cores\": 2,", text, StringComparison.Ordinal);
        Assert.Contains("\"recorded_at\": \"2025-01-31T12:00:05Z\"", text, StringComparison.Ordinal);
        Assert.Contains("\"direction\": \"higher_is_better\"", text, StringComparison.Ordinal);
        Assert.Contains("          \"median\": 17.1,\n          \"values\": [\n            17.23,\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("17.2345", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("\"aggregate_throughput\"", StringComparison.Ordinal) < text.IndexOf("\"rtt_p50\"", StringComparison.Ordinal));
        Assert.True(text.IndexOf("\"gso\"", StringComparison.Ordinal) < text.IndexOf("\"tso\"", StringComparison.Ordinal));
        Assert.True(text.IndexOf("\"iperf3\"", StringComparison.Ordinal) < text.IndexOf("\"sockperf\"", StringComparison.Ordinal));
        Assert.False(Encoding.UTF8.GetBytes(text).AsSpan().StartsWith(Encoding.UTF8.Preamble));
    }

    [Theory]
    [InlineData("\"values\": [\n            17.23,\n            16.9,\n            17.4,", "\"values\": [\n            17.23,\n            16.9,\n            \"17.4\",", "$.runs[0].metrics.aggregate_throughput.values[2]", "expected a number, found the string \"17.4\"")]
    [InlineData("\"direction\": \"higher_is_better\"", "\"direction\": \"up\"", "$.metrics.aggregate_throughput.direction", "'higher_is_better' or 'lower_is_better'")]
    [InlineData("\"tolerance\": 0.05", "\"tolerance\": 5", "$.metrics.aggregate_throughput.tolerance", "fraction in [0, 1)")]
    [InlineData("\"cores\": 2", "\"cores\": 2.5", "$.runs[0].fingerprint.cores", "expected an integer")]
    [InlineData("\"format_version\": 2", "\"format_version\": 3", "$.format_version", "version 3 is not supported")]
    [InlineData("\"recorded_at\": \"2025-01-31T12:00:05Z\"", "\"recorded_at\": \"yesterday\"", "$.runs[0].recorded_at", "UTC time")]
    [InlineData("\"origin\": \"record\",", "", "$.runs[0].origin", "required property is missing")]
    [InlineData("\"run_id\": \"r0001\"", "\"run_id\": 7", "$.runs[0].run_id", "expected a string")]
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

        Assert.Equal("$.runs[0].metrics.aggregate_throughput.values", error.JsonPath);
    }

    [Fact]
    public void Truncated_file_is_reported_with_line_and_position()
    {
        var text = BaselineJson.Serialize(SampleBaselines.File());
        var cut = text.IndexOf("16.9,", text.IndexOf("\"values\"", StringComparison.Ordinal), StringComparison.Ordinal) + "16.9,".Length;

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(text[..cut], Path));

        Assert.Equal("$.runs[0].metrics.aggregate_throughput.values[1]", error.JsonPath);
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

    /// <summary>
    /// A trimmed copy of the format-1 file baselines/2c-amd-epyc-6.18/HostVsBridge.Tcp_bitrate/driver=Bridge__pairs=1.json
    /// as committed before format 2 (two of its four metrics).
    /// </summary>
    internal const string FormatOneFile = """
        {
          "cell": "driver=Bridge/pairs=1",
          "commit": "e984abf",
          "fingerprint": {
            "cores": 2,
            "cpu_model": "AMD EPYC",
            "engine_version": "20.10.24+dfsg1",
            "image_id": "sha256:731a1142219543d9c3e33a515228e057a024b23b73ca07e44f72281c1e0033d2",
            "kernel": "6.18.44-fc-v769",
            "offloads": {},
            "ovs_datapath": null,
            "ovs_version": null,
            "tool_versions": {
              "iperf3": "iperf 3.12"
            }
          },
          "format_version": 1,
          "metrics": {
            "aggregate_throughput": {
              "direction": "higher_is_better",
              "summary": {
                "max": 13.29,
                "median": 11.83,
                "median_ci": {
                  "level": 0.95,
                  "lower": 11.34,
                  "upper": 12.69
                },
                "min": 11.34,
                "q1": 11.44,
                "q3": 12.56
              },
              "tolerance": 0.15,
              "unit": "Gbit/s",
              "values": [
                11.43,
                11.45,
                11.34,
                11.94,
                11.38,
                11.55,
                12.33,
                12.33,
                13.01,
                13.29
              ]
            },
            "rtt": {
              "direction": "lower_is_better",
              "summary": {
                "max": 85,
                "median": 63.01,
                "median_ci": {
                  "level": 0.95,
                  "lower": 46.89,
                  "upper": 79.13
                },
                "min": 41,
                "q1": 53.24,
                "q3": 75.07
              },
              "tolerance": null,
              "unit": "us",
              "values": [
                77,
                52,
                70,
                41,
                59,
                55,
                78,
                85,
                54,
                66
              ]
            }
          },
          "recorded_at": "2026-11-22T22:19:01Z",
          "scenario": "HostVsBridge.Tcp_bitrate",
          "testbed": "2c-amd-epyc-6.18"
        }

        """;

    private static BaselineFile ThreeRuns()
    {
        var sample = SampleBaselines.File();
        // Given newest first: the file must keep them oldest first whatever order they come in.
        return sample with
        {
            Runs =
            [
                SampleBaselines.Run(scale: 1.1, hoursLater: 48, runId: "r0003") with
                {
                    Commit = "cccccccccccc", Origin = "accept", Machine = "third machine",
                    Fingerprint = SampleBaselines.Fingerprint() with { CpuSignature = "AuthenticAMD 23/1/2" },
                },
                SampleBaselines.Run(scale: 0.9, hoursLater: 24, runId: null) with { Commit = null, Origin = "first run on this testbed", Machine = "second machine" },
                SampleBaselines.Run(scale: 1.0, hoursLater: 0, runId: "r0001"),
            ],
        };
    }

    [Fact]
    public void Format_two_round_trip_keeps_every_run_oldest_first_and_rewrites_byte_identically()
    {
        var original = ThreeRuns();

        var text = BaselineJson.Serialize(original);
        var read = BaselineJson.Deserialize(text, Path);

        Assert.Equal(3, read.Runs.Count);
        Assert.Equal(["r0001", null, "r0003"], read.Runs.Select(r => r.RunId));
        Assert.True(read.Runs[0].RecordedAt < read.Runs[1].RecordedAt && read.Runs[1].RecordedAt < read.Runs[2].RecordedAt);
        Assert.True(text.IndexOf("2025-01-31T12:00:05Z", StringComparison.Ordinal) < text.IndexOf("2025-02-01T12:00:05Z", StringComparison.Ordinal));
        Assert.True(text.IndexOf("2025-02-01T12:00:05Z", StringComparison.Ordinal) < text.IndexOf("2025-02-02T12:00:05Z", StringComparison.Ordinal));
        for (int i = 0; i < 3; i++)
        {
            BaselineRun expected = original.Runs[i], actual = read.Runs[i];
            Assert.Equal(expected.RecordedAt, actual.RecordedAt);
            Assert.Equal(expected.Commit, actual.Commit);
            Assert.Equal(expected.RunId, actual.RunId);
            Assert.Equal(expected.Origin, actual.Origin);
            Assert.Equal(expected.Machine, actual.Machine);
            Assert.Equal(expected.Fingerprint, actual.Fingerprint);
            Assert.Equal(expected.Metrics.Keys.Order(), actual.Metrics.Keys.Order());
            foreach (var (name, metric) in expected.Metrics)
            {
                Assert.Equal(metric.Unit, actual.Metrics[name].Unit);
                Assert.Equal(metric.Direction, actual.Metrics[name].Direction);
                Assert.Equal(metric.Tolerance, actual.Metrics[name].Tolerance);
                Assert.Equal(metric.Values.Count, actual.Metrics[name].Values.Count);
                Assert.All(metric.Values.Zip(actual.Metrics[name].Values), pair => Assert.Equal(pair.First, pair.Second, 0.006));
            }
        }
        // The CPU signature is written where it is known and left out (not null) for runs recorded before it was kept.
        Assert.Equal("AuthenticAMD 23/1/2", read.Runs[2].Fingerprint.CpuSignature);
        Assert.Null(read.Runs[0].Fingerprint.CpuSignature);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "\"cpu_signature\""));
        Assert.Equal("first run on this testbed", read.Runs[1].Origin);
        Assert.Null(read.Runs[1].Commit);
        Assert.Equal("cccccccccccc", read.Commit);
        Assert.Equal(text, BaselineJson.Serialize(read));
    }

    [Fact]
    public void A_format_one_file_loads_as_one_run_and_is_rewritten_as_format_two()
    {
        const string path = "baselines/2c-amd-epyc-6.18/HostVsBridge.Tcp_bitrate/driver=Bridge__pairs=1.json";

        var read = BaselineJson.Deserialize(FormatOneFile, path);

        Assert.Equal(1, read.FormatVersion);
        Assert.Equal(new BaselineKey("2c-amd-epyc-6.18", "HostVsBridge.Tcp_bitrate", "driver=Bridge/pairs=1"), read.Key);
        var run = Assert.Single(read.Runs);
        Assert.Equal("format 1", run.Origin);
        Assert.Null(run.RunId);
        Assert.Equal("e984abf", run.Commit);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 22, 19, 1, TimeSpan.Zero), run.RecordedAt);
        Assert.Equal("AMD EPYC, 2 cores, kernel 6.18.44-fc-v769, engine 20.10.24+dfsg1", run.Machine);
        Assert.Equal([11.43, 11.45, 11.34, 11.94, 11.38, 11.55, 12.33, 12.33, 13.01, 13.29], read.Metrics["aggregate_throughput"].Values);
        Assert.Equal(0.15, read.Metrics["aggregate_throughput"].Tolerance);
        Assert.Equal(11.83, read.Metrics["aggregate_throughput"].Summary.Median);
        Assert.Equal(Direction.LowerIsBetter, read.Metrics["rtt"].Direction);

        var rewritten = BaselineJson.Serialize(read);
        var again = BaselineJson.Deserialize(rewritten, path);

        Assert.Contains("\"format_version\": 2,", rewritten, StringComparison.Ordinal);
        Assert.Contains("\"origin\": \"format 1\"", rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain("\"summary\"", rewritten, StringComparison.Ordinal);
        Assert.Equal(BaselineFile.CurrentFormatVersion, again.FormatVersion);
        Assert.Equal(read.Metrics["aggregate_throughput"].Values, Assert.Single(again.Runs).Metrics["aggregate_throughput"].Values);
        Assert.Equal(run.Fingerprint, again.Fingerprint);
        Assert.Equal(rewritten, BaselineJson.Serialize(again));
    }

    [Fact]
    public void Every_committed_baseline_loads_and_format_one_files_load_as_one_run()
    {
        var folder = System.IO.Path.Combine(NetPerf.Tests.Testbeds.TestbedUnitTests.RepositoryRoot(), "baselines");
        var files = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Where(f => !f.EndsWith(".received.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var read = BaselineJson.Deserialize(text, file);
            if (text.Contains("\"format_version\": 1,", StringComparison.Ordinal))
                Assert.Equal("format 1", Assert.Single(read.Runs).Origin);
        }
    }

    [Fact]
    public void A_run_metric_missing_from_the_top_level_metrics_is_rejected_with_its_path()
    {
        var text = BaselineJson.Serialize(SampleBaselines.File());
        const string definition = "    \"rtt_p50\": {\n      \"direction\": \"lower_is_better\",\n      \"tolerance\": null,\n      \"unit\": \"us\"\n    }\n";
        Assert.Contains(",\n" + definition, text, StringComparison.Ordinal);
        var broken = text.Replace(",\n" + definition, "\n", StringComparison.Ordinal);

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(broken, Path));

        Assert.Equal("$.runs[0].metrics.rtt_p50", error.JsonPath);
        Assert.Contains("'rtt_p50'", error.Problem, StringComparison.Ordinal);
        Assert.Contains("top-level 'metrics'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_runs_array_is_rejected()
    {
        var text = BaselineJson.Serialize(SampleBaselines.File());
        int start = text.IndexOf("\"runs\": [", StringComparison.Ordinal);
        int end = text.IndexOf("\n  ],\n", start, StringComparison.Ordinal);
        var broken = text[..start] + "\"runs\": [" + text[(end + 3)..];

        var error = Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(broken, Path));

        Assert.Equal("$.runs", error.JsonPath);
        Assert.Contains("at least one run", error.Problem, StringComparison.Ordinal);
    }
}
