using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetPerf.Statistics;

namespace NetPerf.Baselines;

/// <summary>Writes and reads baseline files: deterministic, small JSON meant to be reviewed in a pull-request diff.</summary>
/// <remarks>
/// Keys are snake_case and sorted (ordinal), indentation is 2 spaces, lines end with LF and the file ends with a
/// newline. Numbers are rounded to <see cref="StatisticsDefaults.SignificantDigits"/> significant digits and
/// written in the invariant format; the same <see cref="BaselineFile"/> always gives the same bytes.
/// Reading is strict: a missing, unknown or mistyped property throws <see cref="BaselineFormatException"/>
/// naming the file and the JSON path.
/// <para>
/// Format 2 (written): <c>metrics</c> names each metric's unit, direction and tolerance once; <c>runs</c> lists the runs
/// oldest first, each with <c>recorded_at</c>, <c>commit</c>, <c>run_id</c>, <c>origin</c>, <c>machine</c>, its
/// <c>fingerprint</c> and per metric its trial <c>values</c> (and their median, for readers). Format 1 (read only) is
/// one run with the values and a summary under <c>metrics</c>; it loads as a baseline of one run.
/// </para>
/// </remarks>
internal static class BaselineJson
{
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private const string HigherIsBetter = "higher_is_better";
    private const string LowerIsBetter = "lower_is_better";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        // Baselines are read by people in diffs, never embedded in HTML, so non-ASCII text stays readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The largest baseline file read, in bytes (8 MiB).</summary>
    /// <remarks>
    /// A baseline of 10 runs with a few dozen metrics is tens of kilobytes; a file hundreds of times larger is not one
    /// NetPerf wrote, and is refused before it is parsed rather than read into memory.
    /// </remarks>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Writes <paramref name="file"/> as JSON text ending with a newline (always the current format version).</summary>
    /// <param name="file">The baseline to write.</param>
    public static string Serialize(BaselineFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        // Unit, direction and tolerance once per metric (from the newest run that has it); each run holds only its values.
        var definitions = new JsonObject();
        foreach (var run in file.Runs)
        {
            foreach (var (name, metric) in run.Metrics)
            {
                definitions[name] = new JsonObject
                {
                    ["unit"] = metric.Unit.Symbol,
                    ["direction"] = metric.Direction == Direction.HigherIsBetter ? HigherIsBetter : LowerIsBetter,
                    ["tolerance"] = metric.Tolerance is { } t ? Number(t) : null,
                };
            }
        }
        var root = new JsonObject
        {
            ["format_version"] = BaselineFile.CurrentFormatVersion,
            ["scenario"] = file.Scenario,
            ["cell"] = file.Cell,
            ["testbed"] = file.Testbed,
            ["metrics"] = definitions,
            ["runs"] = new JsonArray(file.Runs.Select(r => (JsonNode?)RunNode(r)).ToArray()),
        };

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            WriteSorted(writer, root);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static JsonObject RunNode(BaselineRun run) => new()
    {
        ["recorded_at"] = run.RecordedAt.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture),
        ["commit"] = run.Commit,
        ["run_id"] = run.RunId,
        ["origin"] = run.Origin,
        ["machine"] = run.Machine,
        ["fingerprint"] = FingerprintNode(run.Fingerprint),
        ["metrics"] = new JsonObject(run.Metrics.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)new JsonObject
        {
            // The median is for people reading a diff; readers recompute it from the values.
            ["median"] = Number(pair.Value.Summary.Median),
            ["values"] = new JsonArray(pair.Value.Values.Select(v => (JsonNode?)Number(v)).ToArray()),
        }))),
    };

    /// <summary>Reads a baseline from JSON text.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="filePath">The file's path, for error messages.</param>
    /// <exception cref="BaselineFormatException">The text is not a valid baseline of this format version.</exception>
    public static BaselineFile Deserialize(string json, string filePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(filePath);
        // UTF-8 needs at least one byte per character, so a text this long is a file above the limit.
        if (json.Length > MaxFileBytes)
            throw TooLarge(filePath, json.Length);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ReaderOptions);
        }
        catch (JsonException e)
        {
            throw new BaselineFormatException(filePath, JsonSyntaxLocator.PathBeforeError(json),
                $"the text is not well-formed JSON at or just after this point (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); the file may be truncated or hold a merge conflict.", e);
        }

        using (document)
        {
            var root = new JsonCursor(document.RootElement, "$", filePath);
            var version = root.Property("format_version");
            return version.Int32() switch
            {
                1 => ReadVersion1(root),
                BaselineFile.CurrentFormatVersion => ReadVersion2(root),
                var other => throw version.Error($"format version {other} is not supported; this NetPerf reads versions 1 and {BaselineFile.CurrentFormatVersion} (re-record the baseline, or update NetPerf if the file is newer)."),
            };
        }
    }

    /// <summary>The error for a file of <paramref name="size"/> bytes (or characters), above <see cref="MaxFileBytes"/>.</summary>
    internal static BaselineFormatException TooLarge(string filePath, long size) =>
        new(filePath, "$", string.Create(CultureInfo.InvariantCulture,
            $"the file is {size / (1024.0 * 1024):F1} MiB, more than the {MaxFileBytes / (1024 * 1024)} MiB a baseline can be (NetPerf writes tens of kilobytes); it is not a baseline, or it was damaged. It was not read."));

    /// <summary>A testbed, scenario or cell name: a non-empty string that can be a file or folder name (see <see cref="BaselineStore"/>).</summary>
    private static string Name(JsonCursor node)
    {
        var name = node.String();
        try
        {
            BaselineStore.SafeSegment(name, node.Path);
        }
        catch (ArgumentException)
        {
            throw node.Error($"'{name}' cannot name a baseline: it gives an empty file or folder name (only dots, as '..' does).");
        }
        return name;
    }

    /// <summary>Format 1: one run, the metrics with their values and summary at the top level.</summary>
    private static BaselineFile ReadVersion1(JsonCursor root)
    {
        root.RejectUnknown("cell", "commit", "fingerprint", "format_version", "metrics", "recorded_at", "scenario", "testbed");
        string testbed = Name(root.Property("testbed"));
        var metrics = new SortedDictionary<string, BaselineMetric>(StringComparer.Ordinal);
        foreach (var (name, value) in root.Property("metrics").Properties())
            metrics[name] = ReadMetric(value);
        var fingerprint = ReadFingerprint(root.Property("fingerprint"), testbed);
        var run = new BaselineRun
        {
            RecordedAt = ReadDate(root.Property("recorded_at")),
            Commit = root.Property("commit").NullableString(),
            Origin = "format 1",
            Machine = DescribeMachine(fingerprint),
            Fingerprint = fingerprint,
            Metrics = metrics,
        };
        return new BaselineFile
        {
            // Kept so callers can tell an old file; Serialize always writes the current version.
            FormatVersion = 1,
            Scenario = Name(root.Property("scenario")),
            Cell = Name(root.Property("cell")),
            Testbed = testbed,
            Runs = [run],
        };
    }

    private static BaselineFile ReadVersion2(JsonCursor root)
    {
        root.RejectUnknown("cell", "format_version", "metrics", "runs", "scenario", "testbed");
        string testbed = Name(root.Property("testbed"));
        var definitions = new Dictionary<string, (Metric Metric, double? Tolerance)>(StringComparer.Ordinal);
        foreach (var (name, node) in root.Property("metrics").Properties())
        {
            node.RejectUnknown("direction", "tolerance", "unit");
            definitions[name] = (new Metric(name, new Unit(node.Property("unit").String()), ReadDirection(node.Property("direction"))), ReadTolerance(node.Property("tolerance")));
        }

        var runs = new List<BaselineRun>();
        var runsNode = root.Property("runs");
        foreach (var runNode in runsNode.Items())
        {
            runNode.RejectUnknown("commit", "fingerprint", "machine", "metrics", "origin", "recorded_at", "run_id");
            var metrics = new SortedDictionary<string, BaselineMetric>(StringComparer.Ordinal);
            foreach (var (name, node) in runNode.Property("metrics").Properties())
            {
                node.RejectUnknown("median", "values");
                if (!definitions.TryGetValue(name, out var definition))
                    throw node.Error($"the run measures '{name}', which the file's top-level 'metrics' does not define (unit, direction, tolerance); add it there.");
                metrics[name] = BaselineMetric.Create(definition.Metric, ReadValues(node.Property("values")), definition.Tolerance);
            }
            runs.Add(new BaselineRun
            {
                RecordedAt = ReadDate(runNode.Property("recorded_at")),
                Commit = runNode.Property("commit").NullableString(),
                RunId = runNode.Property("run_id").NullableString(),
                Origin = runNode.Property("origin").String(),
                Machine = runNode.Property("machine").String(),
                Fingerprint = ReadFingerprint(runNode.Property("fingerprint"), testbed),
                Metrics = metrics,
            });
        }
        if (runs.Count == 0)
            throw runsNode.Error("expected at least one run, found an empty array.");
        return new BaselineFile
        {
            Scenario = Name(root.Property("scenario")),
            Cell = Name(root.Property("cell")),
            Testbed = testbed,
            Runs = runs,
        };
    }

    /// <summary>A readable description of the machine from a fingerprint (what format 1 files knew of it).</summary>
    public static string DescribeMachine(EnvironmentFingerprint fingerprint) =>
        $"{fingerprint.CpuModel}{(fingerprint.CpuSignature is { } sig ? $" ({sig})" : "")}, {fingerprint.Cores.ToString(CultureInfo.InvariantCulture)} cores, kernel {fingerprint.Kernel}, engine {fingerprint.EngineVersion}";

    private static DateTimeOffset ReadDate(JsonCursor node)
    {
        if (!DateTimeOffset.TryParseExact(node.String(), DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
            throw node.Error($"expected a UTC time like '2025-01-31T12:00:00Z', found '{node.String()}'.");
        return when;
    }

    private static Direction ReadDirection(JsonCursor direction) => direction.String() switch
    {
        HigherIsBetter => Direction.HigherIsBetter,
        LowerIsBetter => Direction.LowerIsBetter,
        var other => throw direction.Error($"expected '{HigherIsBetter}' or '{LowerIsBetter}', found '{other}'."),
    };

    private static double? ReadTolerance(JsonCursor toleranceNode)
    {
        double? tolerance = toleranceNode.NullableNumber();
        if (tolerance is < 0 or >= 1)
            throw toleranceNode.Error($"expected a fraction in [0, 1) such as 0.05, or null for a metric that is only reported; found {tolerance.Value.ToString(CultureInfo.InvariantCulture)}.");
        return tolerance;
    }

    private static double[] ReadValues(JsonCursor valuesNode)
    {
        var values = valuesNode.Items().Select(item => item.Number()).ToArray();
        if (values.Length == 0)
            throw valuesNode.Error("expected at least one trial value, found an empty array.");
        return values;
    }

    private static JsonObject FingerprintNode(EnvironmentFingerprint fingerprint)
    {
        var node = new JsonObject
        {
            ["cores"] = fingerprint.Cores,
            ["cpu_model"] = fingerprint.CpuModel,
            ["kernel"] = fingerprint.Kernel,
            ["engine_version"] = fingerprint.EngineVersion,
            ["ovs_version"] = fingerprint.OvsVersion,
            ["ovs_datapath"] = fingerprint.OvsDatapath,
            ["image_id"] = fingerprint.ImageId,
            ["tool_versions"] = StringMap(fingerprint.ToolVersions),
            ["offloads"] = StringMap(fingerprint.Offloads),
        };
        // Optional, so runs recorded before it was kept are written back unchanged.
        if (fingerprint.CpuSignature is { } signature) node["cpu_signature"] = signature;
        return node;
    }

    private static JsonObject StringMap(IReadOnlyDictionary<string, string> map) =>
        new(map.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)JsonValue.Create(pair.Value))));

    private static JsonValue Number(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"The value {value} cannot be written to a baseline: every number must be finite.", nameof(value));
        return JsonValue.Create(NumberFormatting.RoundSignificant(value));
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, child) in obj.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    WriteSorted(writer, child);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                    WriteSorted(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static EnvironmentFingerprint ReadFingerprint(JsonCursor node, string testbed)
    {
        node.RejectUnknown("cores", "cpu_model", "cpu_signature", "engine_version", "image_id", "kernel", "offloads", "ovs_datapath", "ovs_version", "tool_versions");
        var cores = node.Property("cores");
        if (cores.Int32() < 1)
            throw cores.Error($"expected at least 1 core, found {cores.Int32()}.");
        return new EnvironmentFingerprint
        {
            Cores = cores.Int32(),
            CpuModel = node.Property("cpu_model").String(),
            CpuSignature = node.OptionalProperty("cpu_signature")?.NullableString(),
            Kernel = node.Property("kernel").String(),
            EngineVersion = node.Property("engine_version").String(),
            OvsVersion = node.Property("ovs_version").NullableString(),
            OvsDatapath = node.Property("ovs_datapath").NullableString(),
            ImageId = node.Property("image_id").String(),
            ToolVersions = ReadStringMap(node.Property("tool_versions")),
            Offloads = ReadStringMap(node.Property("offloads")),
            // The file's testbed is where it is filed; it may be an override of the default name.
            TestbedName = testbed,
        };
    }

    private static SortedDictionary<string, string> ReadStringMap(JsonCursor node)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in node.Properties())
            map[name] = value.String();
        return map;
    }

    /// <summary>A format-1 metric: unit, direction, tolerance, values and a stored summary (kept as written).</summary>
    private static BaselineMetric ReadMetric(JsonCursor node)
    {
        node.RejectUnknown("direction", "summary", "tolerance", "unit", "values");
        var direction = ReadDirection(node.Property("direction"));
        var tolerance = ReadTolerance(node.Property("tolerance"));
        var values = ReadValues(node.Property("values"));

        var summaryNode = node.Property("summary");
        summaryNode.RejectUnknown("max", "median", "median_ci", "min", "q1", "q3");
        var ciNode = summaryNode.Property("median_ci");
        Interval? interval = null;
        if (!ciNode.IsNull)
        {
            ciNode.RejectUnknown("level", "lower", "upper");
            var level = ciNode.Property("level");
            if (level.Number() is <= 0 or >= 1)
                throw level.Error("expected a confidence level strictly between 0 and 1, such as 0.95.");
            interval = new Interval(ciNode.Property("lower").Number(), ciNode.Property("upper").Number(), level.Number());
        }

        var summary = new BaselineSummary(
            summaryNode.Property("median").Number(),
            interval,
            summaryNode.Property("q1").Number(),
            summaryNode.Property("q3").Number(),
            summaryNode.Property("min").Number(),
            summaryNode.Property("max").Number());
        return new BaselineMetric(new Unit(node.Property("unit").String()), direction, tolerance, values, summary);
    }
}
