using System.Globalization;
using NetPerf.Workloads.Orchestration;

namespace NetPerf.Workloads.Mesh;

/// <summary>Parses what a <see cref="MeshWorkload"/> node prints on stdout.</summary>
/// <remarks>
/// One fact per line, words of the form <c>key=value</c>; times are bash's <c>$EPOCHREALTIME</c>:
/// <code>
/// mesh-node=0 nodes=3 records=30 rate=600 batch=10 size=256 communicate=1
/// mesh-bash=5.2.15(1)-release
/// mesh-start=1795382782.575781
/// mesh-listener=2 status=124          (only for a link that failed; 124 = timed out)
/// mesh-sender=1 status=1              (only for a link that failed)
/// mesh-local-done=1795382784.576558
/// mesh-all-received=1795382784.607680 (absent when a link failed)
/// mesh-batches=3 failures=0
/// mesh-store records=90 bytes=23040 duplicates=0
/// mesh-origin=0 records=30            (one line per origin found in the store)
/// </code>
/// Lines that do not start with <c>mesh-</c> are ignored; a <c>mesh-</c> line that does not parse fails the run.
/// </remarks>
internal static class MeshNodeParser
{
    private const string Prefix = "mesh-";

    /// <summary>Parses one node's stdout.</summary>
    /// <param name="stdout">The node's standard output.</param>
    /// <param name="nodeName">The container, for messages.</param>
    /// <exception cref="WorkloadException">A line is garbled or a required line is missing.</exception>
    public static MeshNodeReport Parse(string stdout, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        MeshNodeReport? header = null;
        string bash = "";
        long? start = null, localDone = null, allReceived = null, batches = null, failures = null, records = null, bytes = null, duplicates = null;
        var origins = new Dictionary<string, long>();
        var failed = new List<string>();

        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w.Split('=', 2))
                .ToList();
            if (words[0].Length == 1)
                words[0] = [words[0][0], ""];
            if (words.Any(w => w.Length != 2 || (w[1].Length == 0 && w != words[0])))
                throw Garbled(nodeName, line, "every word after the first must be key=value");
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var w in words)
                if (!fields.TryAdd(w[0], w[1]))
                    throw Garbled(nodeName, line, $"'{w[0]}' appears twice");
            var key = words[0][0];
            var value = words[0][1];
            switch (key)
            {
                case "mesh-node":
                    header = new MeshNodeReport(
                        Int32(nodeName, line, Number(nodeName, line, value), "the node index"),
                        Int32(nodeName, line, Field(nodeName, line, fields, "nodes"), "'nodes'"),
                        Field(nodeName, line, fields, "records"),
                        Field(nodeName, line, fields, "rate"),
                        Field(nodeName, line, fields, "batch"),
                        Field(nodeName, line, fields, "size"),
                        Field(nodeName, line, fields, "communicate") switch
                        {
                            0 => false,
                            1 => true,
                            _ => throw Garbled(nodeName, line, "'communicate' must be 0 or 1"),
                        });
                    if (header.Index >= header.Nodes)
                        throw Garbled(nodeName, line, $"node {header.Index} cannot be one of {header.Nodes} nodes (0 to {header.Nodes - 1})");
                    break;
                case "mesh-bash":
                    bash = value;
                    break;
                case "mesh-start":
                    start = Epoch(nodeName, line, value);
                    break;
                case "mesh-local-done":
                    localDone = Epoch(nodeName, line, value);
                    break;
                case "mesh-all-received":
                    allReceived = Epoch(nodeName, line, value);
                    break;
                case "mesh-listener":
                case "mesh-sender":
                    failed.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{key[Prefix.Length..]} for node {Number(nodeName, line, value)} exited with status {Field(nodeName, line, fields, "status")}"));
                    break;
                case "mesh-batches":
                    batches = Number(nodeName, line, value);
                    failures = Field(nodeName, line, fields, "failures");
                    break;
                case "mesh-store":
                    records = Field(nodeName, line, fields, "records");
                    bytes = Field(nodeName, line, fields, "bytes");
                    duplicates = Field(nodeName, line, fields, "duplicates");
                    break;
                case "mesh-origin":
                    if (!origins.TryAdd(value, Field(nodeName, line, fields, "records")))
                        throw Garbled(nodeName, line, $"origin '{value}' is counted twice");
                    break;
                default:
                    throw Garbled(nodeName, line, $"'{key}' is not a line a mesh node prints");
            }
        }

        if (header is null)
            throw Missing(nodeName, "mesh-node=", stdout);
        return header with
        {
            BashVersion = bash,
            StartMicroseconds = start ?? throw Missing(nodeName, "mesh-start=", stdout),
            LocalDoneMicroseconds = localDone ?? throw Missing(nodeName, "mesh-local-done=", stdout),
            AllReceivedMicroseconds = allReceived,
            Batches = batches ?? throw Missing(nodeName, "mesh-batches=", stdout),
            Failures = failures!.Value,
            StoreRecords = records ?? throw Missing(nodeName, "mesh-store records=", stdout),
            StoreBytes = bytes!.Value,
            Duplicates = duplicates!.Value,
            RecordsByOrigin = origins,
            FailedLinks = failed,
        };
    }

    private static long Field(string node, string line, Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var text) ? Number(node, line, text, name) : throw Garbled(node, line, $"'{name}=' is missing");

    private static long Number(string node, string line, string text, string? name = null) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Garbled(node, line, $"'{text}'{(name is null ? "" : $" ({name})")} is not a whole number");

    private static int Int32(string node, string line, long value, string what) =>
        value <= int.MaxValue ? (int)value : throw Garbled(node, line, $"{what} {value} is out of range");

    private static long Epoch(string node, string line, string text) =>
        StartBarrier.TryParseEpoch(text, out var micros) ? micros : throw Garbled(node, line, $"'{text}' is not a time of the form SECONDS.MICROSECONDS");

    private static WorkloadException Garbled(string node, string line, string why) =>
        new($"Mesh node '{node}' printed a garbled line '{line}': {why}.", node);

    private static WorkloadException Missing(string node, string what, string stdout)
    {
        var said = stdout.Trim();
        said = said.Length <= 600 ? said : "..." + said[^600..];
        return new WorkloadException($"Mesh node '{node}' did not report '{what}'; it printed: '{said}'.", node);
    }
}
