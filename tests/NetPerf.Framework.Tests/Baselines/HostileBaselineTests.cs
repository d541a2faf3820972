using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NetPerf.Baselines;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Baselines;

/// <summary>
/// A corpus of malformed, truncated, oversized and hostile baseline files, each read through <see cref="BaselineStore"/>:
/// every one is a <see cref="BaselineFormatException"/> that names the file (and where in it), and none is overwritten,
/// deleted or joined by files outside the baselines folder, whether the run reads, records, replaces or accepts into it.
/// </summary>
public sealed class HostileBaselineTests : IDisposable
{
    private readonly string sandbox = Path.Combine(Path.GetTempPath(), "netperf-hostile-" + Guid.NewGuid().ToString("N"));
    private readonly string root;
    private readonly BaselineStore store;
    private readonly BaselineFile sample = SampleBaselines.File();

    public HostileBaselineTests()
    {
        root = Path.Combine(sandbox, "baselines");
        store = new BaselineStore(root);
    }

    public void Dispose()
    {
        if (Directory.Exists(sandbox))
            Directory.Delete(sandbox, recursive: true);
    }

    /// <summary>Each case: how to damage the sample baseline's text, and what the error must say.</summary>
    private static readonly Dictionary<string, (Func<string, string> Damage, string Expected)> Corpus = new()
    {
        ["NaN value"] = (t => FirstValue(t, "NaN"), "not well-formed JSON"),
        ["Infinity value"] = (t => FirstValue(t, "Infinity"), "not well-formed JSON"),
        ["-Infinity value"] = (t => FirstValue(t, "-Infinity"), "not well-formed JSON"),
        ["number beyond double"] = (t => FirstValue(t, "1e400"), "the number '1e400' is out of range"),
        ["negative number beyond double"] = (t => FirstValue(t, "-1e400"), "the number '-1e400' is out of range"),
        ["value as a string"] = (t => FirstValue(t, "\"17.2\""), "expected a number, found the string \"17.2\""),
        ["value as an object"] = (t => FirstValue(t, "{}"), "expected a number, found an object"),
        ["values as an object"] = (t => Sub(t, "\"values\": \\[[^\\]]*\\]", "\"values\": {\"a\": 1}"), "expected an array, found an object"),
        ["cell as a number"] = (t => Sub(t, "\"cell\": \"[^\"]*\"", "\"cell\": 12"), "expected a string, found the number 12"),
        ["testbed null"] = (t => Sub(t, "\"testbed\": \"[^\"]*\"", "\"testbed\": null"), "expected a string, found null"),
        ["metrics as an array"] = (t => Sub(t, "\"metrics\": \\{", "\"metrics\": [1], \"z\": {"), "unknown property"),
        ["format version as a string"] = (t => Sub(t, "\"format_version\": 2", "\"format_version\": \"2\""), "expected an integer, found the string \"2\""),
        ["format version from the future"] = (t => Sub(t, "\"format_version\": 2", "\"format_version\": 99"), "format version 99 is not supported"),
        ["format version 2^31"] = (t => Sub(t, "\"format_version\": 2", "\"format_version\": 2147483648"), "expected an integer, found '2147483648'"),
        ["duplicate top-level key"] = (t => Sub(t, "\"format_version\": 2,", "\"format_version\": 2,\n  \"format_version\": 1,"), "the property appears twice"),
        ["duplicate metric"] = (t => Sub(t, "\"rtt_p50\": \\{", "\"rtt_p50\": {\"direction\": \"lower_is_better\", \"tolerance\": null, \"unit\": \"us\"},\n    \"rtt_p50\": {"), "the property appears twice"),
        ["missing testbed"] = (t => Sub(t, ",\n  \"testbed\": \"[^\"]*\"", ""), "$.testbed' : the required property is missing".Replace("' :", "':")),
        ["missing values"] = (t => Sub(t, "\"values\": \\[[^\\]]*\\]", "\"valuez\": []"), "unknown property"),
        ["empty values"] = (t => Sub(t, "\"values\": \\[[^\\]]*\\]", "\"values\": []"), "expected at least one trial value"),
        ["empty runs"] = (t => Sub(t, "\"runs\": \\[[\\s\\S]*\\n  \\]", "\"runs\": []"), "expected at least one run"),
        ["unknown metric in a run"] = (t => Sub(t, "\"median\"", "\"median\": 1, \"values\": [1]}, \"no_such_metric\": {\"median\""), "which the file's top-level 'metrics' does not define"),
        ["unknown property"] = (t => Sub(t, "\"tolerance\": 0.05", "\"toleranse\": 0.05"), "unknown property"),
        ["tolerance above 1"] = (t => Sub(t, "\"tolerance\": 0.05", "\"tolerance\": 1.5"), "expected a fraction in [0, 1)"),
        ["negative tolerance"] = (t => Sub(t, "\"tolerance\": 0.05", "\"tolerance\": -0.1"), "expected a fraction in [0, 1)"),
        ["zero cores"] = (t => Sub(t, "\"cores\": 2", "\"cores\": 0"), "expected at least 1 core"),
        ["unknown direction"] = (t => Sub(t, "\"higher_is_better\"", "\"up\""), "expected 'higher_is_better' or 'lower_is_better', found 'up'"),
        ["date that is not a date"] = (t => Sub(t, "\"recorded_at\": \"[^\"]*\"", "\"recorded_at\": \"yesterday\""), "expected a UTC time"),
        ["empty unit"] = (t => Sub(t, "\"unit\": \"Gbit/s\"", "\"unit\": \" \""), "expected a non-empty string"),
        ["truncated in half"] = (t => t[..(t.Length / 2)], "not well-formed JSON"),
        ["truncated to one byte"] = (t => t[..1], "not well-formed JSON"),
        ["empty file"] = (_ => "", "not well-formed JSON"),
        ["merge conflict"] = (t => Sub(t, "\"commit\"", "<<<<<<< HEAD\n\"commit\""), "may be truncated or hold a merge conflict"),
        ["trailing comma"] = (t => Sub(t, "\"format_version\": 2,", "\"format_version\": 2,,"), "not well-formed JSON"),
        ["comment"] = (t => Sub(t, "\"format_version\": 2,", "// edited\n\"format_version\": 2,"), "not well-formed JSON"),
        ["binary garbage"] = (_ => "\u0000\u0001\u00ff\ufffd\u0007PK\u0003\u0004", "not well-formed JSON"),
        ["two documents"] = (t => t + t, "not well-formed JSON"),
        ["a JSON array"] = (_ => "[]", "expected an object, found an array"),
        ["a JSON string"] = (_ => "\"baseline\"", "expected an object, found the string"),
        ["testbed '..'"] = (t => Sub(t, "\"testbed\": \"[^\"]*\"", "\"testbed\": \"..\""), "'..' cannot name a baseline"),
        ["scenario '....'"] = (t => Sub(t, "\"scenario\": \"[^\"]*\"", "\"scenario\": \"....\""), "'....' cannot name a baseline"),
        ["cell climbing out with '../'"] = (t => Sub(t, "\"cell\": \"[^\"]*\"", "\"cell\": \"../../../../etc/passwd\""), "the file belongs to"),
        ["cell with backslashes"] = (t => Sub(t, "\"cell\": \"[^\"]*\"", "\"cell\": \"..\\\\\\\\..\\\\\\\\x\""), "the file belongs to"),
        ["metric named with a path"] = (t => Sub(t, "\"rtt_p50\"", "\"../../rtt_p50\""), "does not define"),
    };

    public static TheoryData<string> Cases => [.. Corpus.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_hostile_file_is_an_error_naming_it_and_is_never_replaced(string name)
    {
        var (damage, expected) = Corpus[name];
        var path = store.BaselinePath(sample.Key);
        var text = damage(BaselineJson.Serialize(sample));
        WriteBaseline(path, text);
        ReliabilityLedger.Inputs("4. Bad input", "hostile baseline files", 1);
        var bytes = File.ReadAllBytes(path);
        var written = File.GetLastWriteTimeUtc(path);

        var read = Assert.Throws<BaselineFormatException>(() => store.Read(sample.Key));
        Assert.Equal(path, read.FilePath);
        Assert.Contains($"'{path}'", read.Message, StringComparison.Ordinal);
        Assert.Contains(expected, read.Message, StringComparison.Ordinal);

        AssertRefusesToWrite(path);
        Assert.False(store.IsNewTestbed(sample.Testbed, runId: "this-run"), "an unreadable baseline still counts as one");

        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        AssertOnlyTheseFiles(path, store.ReceivedPath(sample.Key));
    }

    [Fact]
    public void The_undamaged_sample_reads_so_every_case_tests_its_damage_only()
    {
        WriteBaseline(store.BaselinePath(sample.Key), BaselineJson.Serialize(sample));

        Assert.Equal(sample.Runs.Count, store.Read(sample.Key)!.Runs.Count);
    }

    [Fact]
    public void A_50_MB_file_is_refused_quickly_without_being_read()
    {
        var path = store.BaselinePath(sample.Key);
        // Valid JSON: the sample with 50 MB of spaces before it, so only its size is wrong.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = File.Create(path))
        {
            var spaces = Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024));
            for (int i = 0; i < 50; i++)
                stream.Write(spaces);
            stream.Write(Encoding.UTF8.GetBytes(BaselineJson.Serialize(sample)));
        }
        var length = new FileInfo(path).Length;
        ReliabilityLedger.Inputs("4. Bad input", "hostile baseline files", 1);

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<BaselineFormatException>(() => store.Read(sample.Key));
        watch.Stop();

        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("the file is 50.0 MiB, more than the 8 MiB a baseline can be", e.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"refusing took {watch.Elapsed}");
        AssertRefusesToWrite(path);
        Assert.Equal(length, new FileInfo(path).Length);
        // The same limit holds for text handed to the reader directly (merge-runs reads files itself).
        Assert.Throws<BaselineFormatException>(() => BaselineJson.Deserialize(new string(' ', (int)BaselineJson.MaxFileBytes + 1), path));
    }

    [Theory]
    [InlineData("[", 200_000)]
    [InlineData("{\"a\":", 200_000)]
    public void Deeply_nested_json_fails_fast_without_blowing_the_stack(string opener, int depth)
    {
        var path = store.BaselinePath(sample.Key);
        WriteBaseline(path, string.Concat(Enumerable.Repeat(opener, depth)));
        ReliabilityLedger.Inputs("4. Bad input", "hostile baseline files", 1);

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<BaselineFormatException>(() => store.Read(sample.Key));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"refusing took {watch.Elapsed}");
        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("maximum configured depth of 64", e.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_with_separators_and_dots_stay_inside_the_baselines_folder()
    {
        string[] hostile = ["../../../../tmp/escape", "..\\..\\..\\escape", "/etc/passwd", "a/../../b", "\\\\server\\share", "C:\\Windows", "~/x"];
        foreach (var name in hostile)
        {
            var file = SampleBaselines.File(cell: name) with { Scenario = name, Testbed = "x" + name };

            var path = store.Record(file);

            Assert.StartsWith(root + Path.DirectorySeparatorChar, Path.GetFullPath(path), StringComparison.Ordinal);
            Assert.Equal(file.Key, store.Read(file.Key)!.Key);
        }
        Assert.Equal(["baselines"], Directory.GetFileSystemEntries(sandbox).Select(Path.GetFileName));
        var dots = Assert.Throws<ArgumentException>(() => store.Record(sample with { Scenario = ".." }));
        Assert.Contains("'..' gives an empty file name", dots.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metric_stored_with_another_unit_or_direction_is_refused_before_it_is_compared()
    {
        var path = store.BaselinePath(sample.Key);
        // A hand edit that keeps the file well-formed: the throughput now claims to be in Mbit/s.
        WriteBaseline(path, BaselineJson.Serialize(sample).Replace("\"unit\": \"Gbit/s\"", "\"unit\": \"Mbit/s\"", StringComparison.Ordinal));
        var read = store.Read(sample.Key)!;
        var flipped = SampleBaselines.Latency with { Direction = Direction.HigherIsBetter };

        var unit = Assert.Throws<BaselineFormatException>(() => read.EnsureComparableWith([SampleBaselines.Throughput, SampleBaselines.Latency], path));
        var direction = Assert.Throws<BaselineFormatException>(() => sample.EnsureComparableWith([flipped], path));

        Assert.Equal($"Baseline file '{path}' is not valid at '$.metrics.aggregate_throughput': the baseline stores 'aggregate_throughput' in Mbit/s (HigherIsBetter), but the scenario measures it in Gbit/s (HigherIsBetter); its numbers cannot be compared. Check which is right, then start the baseline over (NETPERF_REPLACE=1, or netperf accept --replace).", unit.Message);
        Assert.Contains("'rtt_p50' in us (LowerIsBetter), but the scenario measures it in us (HigherIsBetter)", direction.Message, StringComparison.Ordinal);
        // Metrics the baseline does not have, and ones it has that the scenario does not measure, are not errors.
        sample.EnsureComparableWith([new Metric("no_such_metric", Unit.Count, Direction.LowerIsBetter)], path);
        sample.EnsureComparableWith([], path);
    }

    [Fact]
    public void A_hostile_received_file_is_not_accepted_and_neither_it_nor_the_baseline_changes()
    {
        var baseline = store.Record(sample);
        var received = store.ReceivedPath(sample.Key);
        var text = BaselineJson.Serialize(SampleBaselines.File(hoursLater: 5, runId: "r0002"));
        WriteBaseline(received, text.Replace("\"cores\": 2", "\"cores\": -2", StringComparison.Ordinal));
        var before = File.ReadAllBytes(baseline);
        var receivedBefore = File.ReadAllBytes(received);

        var e = Assert.Throws<BaselineFormatException>(() => store.Accept(sample.Key));

        Assert.Equal($"Baseline file '{received}' is not valid at '$.runs[0].fingerprint.cores': expected at least 1 core, found -2.", e.Message);
        Assert.Equal(before, File.ReadAllBytes(baseline));
        Assert.Equal(receivedBefore, File.ReadAllBytes(received));
        AssertOnlyTheseFiles(baseline, received);
    }

    /// <summary>Recording, replacing and accepting into the key must each refuse, naming the file and the way out.</summary>
    private void AssertRefusesToWrite(string path)
    {
        var newRun = SampleBaselines.File(hoursLater: 5, runId: "r0002");
        foreach (var replace in new[] { false, true })
        {
            var record = Assert.Throws<BaselineFormatException>(() => store.Record(newRun, replace: replace));
            Assert.Contains($"'{path}'", record.Message, StringComparison.Ordinal);
            Assert.Contains("does not overwrite a baseline it cannot read", record.Message, StringComparison.Ordinal);
        }
        var received = store.WriteReceived(newRun);
        var accept = Assert.Throws<BaselineFormatException>(() => store.Accept(sample.Key));
        Assert.Contains($"'{path}'", accept.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(received), "a refused accept deleted the received file");
    }

    private void AssertOnlyTheseFiles(params string[] paths) =>
        Assert.Equal(paths.Order(StringComparer.Ordinal), Directory.GetFiles(sandbox, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    private static void WriteBaseline(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>Replaces the first trial value of the file.</summary>
    private static string FirstValue(string text, string replacement) => Sub(text, "(\"values\": \\[\\s*)[^,\\s\\]]+", "${1}" + replacement);

    /// <summary>Replaces the first match of <paramref name="pattern"/>; a pattern that no longer matches fails the case.</summary>
    private static string Sub(string text, string pattern, string replacement)
    {
        var regex = new Regex(pattern);
        Assert.True(regex.IsMatch(text), $"the pattern '{pattern}' does not match the sample baseline; the case damages nothing");
        return regex.Replace(text, replacement, 1);
    }
}
