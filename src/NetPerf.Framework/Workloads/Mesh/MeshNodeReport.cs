namespace NetPerf.Workloads.Mesh;

/// <summary>What one node of a <see cref="MeshWorkload"/> run reported (see <see cref="MeshNodeParser"/> for the lines).</summary>
/// <param name="Index">The node's 0-based index.</param>
/// <param name="Nodes">How many nodes the node believed were in the mesh.</param>
/// <param name="RecordsPerNode">Records each node generates, as the node was configured.</param>
/// <param name="RecordsPerMinute">The node's generation rate.</param>
/// <param name="BatchSize">Records per batch.</param>
/// <param name="RecordSizeBytes">Bytes per record, newline included.</param>
/// <param name="Communicate">False in the baseline mode (no peers, no links).</param>
internal sealed record MeshNodeReport(int Index, int Nodes, long RecordsPerNode, long RecordsPerMinute, long BatchSize, long RecordSizeBytes, bool Communicate)
{
    /// <summary>The node's <c>$BASH_VERSION</c>.</summary>
    public string BashVersion { get; init; } = "";

    /// <summary>When the node started generating (its schedule's time 0), in microseconds since the Unix epoch.</summary>
    public long StartMicroseconds { get; init; }

    /// <summary>When the node had applied its own last record, in microseconds since the Unix epoch.</summary>
    public long LocalDoneMicroseconds { get; init; }

    /// <summary>When every peer had closed its link to this node, i.e. the store held everything that was sent; <see langword="null"/> when a link failed.</summary>
    public long? AllReceivedMicroseconds { get; init; }

    /// <summary>Batches the node sent to each peer.</summary>
    public long Batches { get; init; }

    /// <summary>Failed writes to links and senders that exited with an error.</summary>
    public long Failures { get; init; }

    /// <summary>Records in the node's store (its own and received ones), counted by lines.</summary>
    public long StoreRecords { get; init; }

    /// <summary>Bytes in the node's store.</summary>
    public long StoreBytes { get; init; }

    /// <summary>Records held more than once (same origin and sequence number).</summary>
    public long Duplicates { get; init; }

    /// <summary>Records in the store per origin field, as the node counted them (origin is normally a node index).</summary>
    public IReadOnlyDictionary<string, long> RecordsByOrigin { get; init; } = new Dictionary<string, long>();

    /// <summary>Links that failed, as the node described them (e.g. <c>listener 2 exited with status 124</c>).</summary>
    public IReadOnlyList<string> FailedLinks { get; init; } = [];
}
