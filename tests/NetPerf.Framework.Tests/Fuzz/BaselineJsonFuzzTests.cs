using NetPerf.Baselines;
using NetPerf.Tests.Baselines;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of the baseline reader, starting from committed baselines (format 2) and a format-1 file: a
/// mutant either reads into a baseline whose numbers are all finite and that writes back and reads again unchanged,
/// or is rejected with a <see cref="BaselineFormatException"/> that names the file.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class BaselineJsonFuzzTests
{
    private const string FilePath = "/baselines/fuzz/Scenario.Method/driver=Bridge__pairs=1.json";

    private static readonly string[] Committed =
    [
        "baselines/2c-amd-epyc-6.18/AppProtocols.Http_requests/driver=Overlay__pairs=1.json",
        "baselines/2c-amd-epyc-6.18/HostVsBridge.Tcp_bitrate/driver=Bridge__pairs=1.json",
        "baselines/2c-amd-epyc-6.18/MeshEmulation.Deviation_at_600_records_per_minute/driver=Bridge__pairs=4.json",
    ];

    [Fact]
    public void Baseline_json()
    {
        var root = TestbedUnitTests.RepositoryRoot();
        string[] originals = [.. Committed.Select(p => File.ReadAllText(Path.Combine(root, p))), BaselineJsonTests.FormatOneFile];

        var (parsed, rejected) = Fuzzer.Run(originals, json => BaselineJson.Deserialize(json, FilePath), file =>
        {
            foreach (var run in file.Runs)
            {
                Fuzzer.That(run.Fingerprint.Cores >= 1, $"cores is {run.Fingerprint.Cores}");
                foreach (var (name, metric) in run.Metrics)
                {
                    Fuzzer.That(metric.Values.Count > 0, $"'{name}' has no values");
                    Fuzzer.That(metric.Values.All(double.IsFinite), $"'{name}' has a value that is not finite");
                    Fuzzer.That(metric.Tolerance is null or (>= 0 and < 1), $"'{name}' has tolerance {metric.Tolerance}");
                    var s = metric.Summary;
                    Fuzzer.That(new[] { s.Median, s.Q1, s.Q3, s.Min, s.Max }.All(double.IsFinite), $"'{name}' has a summary that is not finite");
                }
            }
            // What was read must write back (the writer refuses non-finite numbers) and read again; after that first
            // rewrite (which rounds numbers and turns format 1 into 2) writing is stable.
            var rewritten = BaselineJson.Serialize(BaselineJson.Deserialize(BaselineJson.Serialize(file), FilePath));
            Fuzzer.That(BaselineJson.Serialize(BaselineJson.Deserialize(rewritten, FilePath)) == rewritten, "the file does not round-trip");
            Fuzzer.That(BaselineJson.Deserialize(rewritten, FilePath).Runs.Count == file.Runs.Count, "a rewrite lost runs");
        }, (BaselineFormatException e) => e.FilePath == FilePath && e.Message.Contains($"'{FilePath}'", StringComparison.Ordinal));

        Assert.True(parsed > 0, "no mutant was read; the fuzzing never reached the success path");
        Assert.True(rejected > 0, "no mutant was rejected");
    }
}
