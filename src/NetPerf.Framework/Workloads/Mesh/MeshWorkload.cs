using System.Globalization;
using NetPerf.Workloads;
using NetPerf.Workloads.Measures;
using NetPerf.Workloads.Mesh;
using NetPerf.Workloads.Orchestration;
using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Mesh (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// Mesh emulation (Anjos and Morais): N nodes each generate records at a fixed rate, apply them to their own
/// store and send them in batches to every other node, until every node holds every record. The metric is how
/// much longer than expected (records per node / rate) that took.
/// </summary>
/// <remarks>
/// <para>
/// <b>Nodes.</b> The server container of each pair is a node, so a testbed of N pairs is a mesh of N nodes; the
/// client containers stay idle. This keeps N equal to the cell's pair count in reports and baselines.
/// </para>
/// <para>
/// <b>Store.</b> Each node's store is a set of append-only files in the run directory (a bind mount of the
/// host's shared directory): <c>node.I/own</c> for its own records and <c>node.I/from.J</c> for those received
/// from node J, one fixed-size record per line (<c>origin,sequence,created-at-us,padding</c>). It is a real
/// on-disk table, not SQLite: the tools image has no SQLite and no Python, so the node program is bash.
/// </para>
/// <para>
/// <b>Program.</b> Every node runs <c>mesh-node.sh</c> (see <see cref="MeshNodeParser"/> for what it prints):
/// before the start barrier it starts one <c>nc -d -l</c> listener per peer on port
/// <see cref="BasePort"/> + I x N + J and waits until all listen; once released it opens one persistent TCP
/// link to every peer (<c>nc -N</c> fed through a FIFO), generates record k when it is due (k x 60 / D seconds
/// after its start, paced with fork-free sleeps), appends it to its own store, and after every
/// <see cref="BatchSize"/> records writes the batch to every link. When its own records are done it closes its
/// links and waits until every peer has closed the link to it: the store then holds everything that was sent.
/// Finally it counts its store per origin, checks for duplicates and reports. In the baseline mode
/// (<see cref="Communicate"/> false) there are no listeners and no links.
/// </para>
/// <para>
/// <b>Measurement.</b> Execution time of a node = when its store held every record minus its start; expected time =
/// <see cref="RecordsPerNode"/> / <see cref="RecordsPerMinute"/>; deviation = (execution - expected) / expected in
/// percent. Record k is never written before it is due, so the deviation is never negative. The run fails with
/// <see cref="WorkloadException"/> when a node holds a different number of records than N x records per node
/// (or records per node in the baseline), holds duplicates or torn records, or a link failed.
/// </para>
/// <para>
/// <b>Limits.</b> Every listener dies after <see cref="StartTimeout"/> + expected time + <see cref="Timeout"/> at
/// the latest (GNU <c>timeout</c>), every node stops its listeners and links on exit, and the run stops whatever a
/// failed node left behind. Drivers that publish only one port per pair (<c>BridgeNat</c>) cannot carry the
/// N - 1 links per node; the run then fails with the senders' connection errors.
/// </para>
/// </remarks>
public sealed record MeshWorkload : IWorkload
{
    /// <summary>Records each node generates per minute (the study's D).</summary>
    public int RecordsPerMinute { get; init; } = 600;

    /// <summary>Records each node generates in a run; with <see cref="RecordsPerMinute"/> it sets the emulated duration.</summary>
    public int RecordsPerNode { get; init; } = 100;

    /// <summary>Records per batch sent to every peer (the study's AG); a last, partial batch carries the rest.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Bytes per record, newline included (at least 48: the record's own fields take up to 40).</summary>
    public int RecordSizeBytes { get; init; } = 256;

    /// <summary>False for the baseline mode: each node only generates and applies its own records.</summary>
    public bool Communicate { get; init; } = true;

    /// <summary>How long past the expected time a node may take before its links count as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long every node may take to start its listeners and reach the start barrier.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First listening port: node I hears node J on <c>BasePort + I x N + J</c> (distinct even when all nodes share one network namespace).</summary>
    public int BasePort { get; init; } = 20000;

    /// <summary>The time a node needs without any overhead: <see cref="RecordsPerNode"/> / <see cref="RecordsPerMinute"/>.</summary>
    public TimeSpan ExpectedTime => TimeSpan.FromSeconds(RecordsPerNode * 60.0 / RecordsPerMinute);

    /// <inheritdoc />
    public string Name => Communicate ? "mesh" : "mesh-local";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics =>
        [Catalog.MeshExecutionTime, Catalog.MeshDeviation, Catalog.MeshDeviationMedian, Catalog.HostCpuPercent, Catalog.StartSkew];

    /// <inheritdoc />
    public async Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var nodes = host.Pairs.Select(p => p.Server).ToList();
        if (nodes.Count == 0)
            throw new WorkloadException($"The testbed has no pairs, so '{Name}' has no nodes to run on.");
        Validate(nodes.Count);

        var version = await host.ExecAsync(nodes[0], ["sh", "-c", "nc -h 2>&1 | head -n 1"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        using var barrier = StartBarrier.Create(host, Name);
        var lifetime = (int)Math.Ceiling((StartTimeout + ExpectedTime + Timeout).TotalSeconds);
        var nodeTimeout = TimeSpan.FromSeconds(lifetime + 30);
        var program = MeshNodeProgram.Build(this, nodes, barrier.DirectoryInContainer, lifetime);
        await File.WriteAllTextAsync(barrier.OnHost(MeshNodeProgram.FileName), program, cancellationToken).ConfigureAwait(false);

        var commands = new List<(Node Node, Task<CommandResult> Command)>();
        try
        {
            for (var i = 0; i < nodes.Count; i++)
                commands.Add((nodes[i], host.ExecAsync(nodes[i], Shell.Bash(MeshNodeProgram.NodeScript(barrier, i)), nodeTimeout, cancellationToken)));
            await barrier.ReleaseWhenReadyAsync(commands, StartTimeout, cancellationToken).ConfigureAwait(false);
            var before = await host.SnapshotCpuAsync(cancellationToken).ConfigureAwait(false);
            var results = new CommandResult[nodes.Count];
            for (var i = 0; i < nodes.Count; i++)
                results[i] = await AwaitNodeAsync(commands[i], nodeTimeout).ConfigureAwait(false);
            var after = await host.SnapshotCpuAsync(cancellationToken).ConfigureAwait(false);
            return Summarise(nodes, results, CpuUsage.Between(before, after), version.Stdout.Trim(), program);
        }
        catch
        {
            barrier.Abort();
            throw;
        }
        finally
        {
            await StopNodesAsync(host, barrier, commands).ConfigureAwait(false);
        }
    }

    private WorkloadResult Summarise(IReadOnlyList<Node> nodes, IReadOnlyList<CommandResult> results, CpuUsage cpu, string ncVersion, string program)
    {
        var released = results.Select((r, i) => StartBarrier.ReleasedAtMicroseconds(r, nodes[i], Name)).ToList();
        var reports = results.Select((r, i) => Check(nodes[i], i, nodes.Count, r)).ToList();
        var expected = ExpectedTime.TotalSeconds;
        var first = released.Min();
        var flows = new List<FlowResult>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var report = reports[i];
            var flow = $"node-{i}";
            var seconds = (report.AllReceivedMicroseconds!.Value - report.StartMicroseconds) / 1e6;
            var deviation = 100 * (seconds - expected) / expected;
            var peers = Communicate ? nodes.Count - 1 : 0;
            flows.Add(new FlowResult(flow, nodes[i], nodes[i])
            {
                ReleasedAt = (released[i] - first) / 1e6,
                Totals = new FlowTotals
                {
                    SentBytes = (long)RecordsPerNode * RecordSizeBytes * peers,
                    ReceivedBytes = (report.StoreRecords - RecordsPerNode) * RecordSizeBytes,
                    Seconds = seconds,
                },
                Measurements = [new Measurement(Catalog.MeshExecutionTime, seconds, flow), new Measurement(Catalog.MeshDeviation, deviation, flow)],
            });
        }

        var times = flows.Select(f => f.Totals.Seconds!.Value).ToList();
        var deviations = flows.Select(f => f.Measurements[1].Value).ToList();
        var bytes = flows.Sum(f => f.Totals.ReceivedBytes ?? 0);
        return new WorkloadResult(Name)
        {
            Measurements =
            [
                new Measurement(Catalog.MeshExecutionTime, times.Max()),
                new Measurement(Catalog.MeshDeviation, deviations.Max()),
                new Measurement(Catalog.MeshDeviationMedian, Percentile.Median(deviations)),
                new Measurement(Catalog.HostCpuPercent, cpu.HostCpuPercent),
                new Measurement(Catalog.StartSkew, (released.Max() - first) / 1000.0),
                .. flows.SelectMany(f => f.Measurements),
            ],
            Flows = flows,
            StartSkewMilliseconds = (released.Max() - first) / 1000.0,
            Cpu = cpu,
            BytesMoved = bytes,
            ToolVersions = new Dictionary<string, string> { ["nc"] = ncVersion, ["bash"] = reports[0].BashVersion },
            RawOutputs =
            [
                .. results.Select((r, i) => new RawOutput($"node-{i}.mesh.txt", nodes[i].Name, r.Stdout + r.Stderr)),
                new RawOutput(MeshNodeProgram.FileName, nodes[0].Name, program),
            ],
        };
    }

    /// <summary>Parses a node's report and checks that its store holds exactly the records it should.</summary>
    private MeshNodeReport Check(Node node, int index, int nodeCount, CommandResult result)
    {
        if (!result.Succeeded && !result.Stdout.Contains("mesh-start=", StringComparison.Ordinal))
            throw new WorkloadException($"Mesh node '{node.Name}' exited with code {result.ExitCode} before it started generating: {result}", node.Name);
        var report = MeshNodeParser.Parse(result.Stdout, node.Name);
        if (report.Index != index || report.Nodes != nodeCount || report.RecordsPerNode != RecordsPerNode || report.RecordsPerMinute != RecordsPerMinute
            || report.BatchSize != BatchSize || report.RecordSizeBytes != RecordSizeBytes || report.Communicate != Communicate)
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"Mesh node '{node.Name}' ran as node {report.Index} of {report.Nodes} with {report.RecordsPerNode} records at {report.RecordsPerMinute}/min, batch {report.BatchSize}, {report.RecordSizeBytes} bytes, communicate {report.Communicate}, " +
                $"but the run configured node {index} of {nodeCount} with {RecordsPerNode} records at {RecordsPerMinute}/min, batch {BatchSize}, {RecordSizeBytes} bytes, communicate {Communicate}; the program file '{MeshNodeProgram.FileName}' does not belong to this run."), node.Name);

        var origins = Communicate ? Enumerable.Range(0, nodeCount).ToList() : [index];
        var total = (long)RecordsPerNode * origins.Count;
        var counts = origins.Select(o => (Origin: o.ToString(CultureInfo.InvariantCulture), Count: report.RecordsByOrigin.GetValueOrDefault(o.ToString(CultureInfo.InvariantCulture)))).ToList();
        var strangers = report.RecordsByOrigin.Where(kv => counts.All(c => c.Origin != kv.Key)).ToList();
        var failures = string.Join("; ", report.FailedLinks) + (report.Failures > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {report.Failures} failed writes or senders") : "");
        if (report.StoreRecords != total || report.Duplicates > 0 || strangers.Count > 0 || counts.Any(c => c.Count != RecordsPerNode))
        {
            var detail = string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"origin {c.Origin}: {c.Count}/{RecordsPerNode}"))
                .Concat(strangers.Select(s => string.Create(CultureInfo.InvariantCulture, $"unknown origin '{s.Key}': {s.Value}"))));
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"Mesh node '{node.Name}' holds {report.StoreRecords} of the {total} records it should ({detail}; {report.Duplicates} duplicates). " +
                $"Links: {(failures.Length > 0 ? failures.TrimStart(';', ' ') : "none failed")}. Exit {result.ExitCode}; stderr: '{Tail(result.Stderr)}'."), node.Name);
        }
        if (report.StoreBytes != report.StoreRecords * RecordSizeBytes)
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"Mesh node '{node.Name}' holds {report.StoreBytes} bytes for {report.StoreRecords} records of {RecordSizeBytes} bytes; records were torn or merged in transit."), node.Name);
        if (!result.Succeeded || report.AllReceivedMicroseconds is null || failures.Length > 0)
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"Mesh node '{node.Name}' holds all {total} records but exited with code {result.ExitCode}{(report.AllReceivedMicroseconds is null ? " without 'mesh-all-received='" : "")}: '{failures.TrimStart(';', ' ')}'; stderr: '{Tail(result.Stderr)}'."), node.Name);

        var expected = (long)Math.Ceiling(ExpectedTime.TotalMicroseconds);
        if (report.LocalDoneMicroseconds - report.StartMicroseconds < expected - 1 || report.AllReceivedMicroseconds < report.LocalDoneMicroseconds)
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"Mesh node '{node.Name}' reported impossible times: start {report.StartMicroseconds} us, own records done {report.LocalDoneMicroseconds} us, all received {report.AllReceivedMicroseconds} us, " +
                $"but its {RecordsPerNode} records at {RecordsPerMinute}/min cannot be done before {expected} us after the start."), node.Name);
        return report;
    }

    private static async Task<CommandResult> AwaitNodeAsync((Node Node, Task<CommandResult> Command) node, TimeSpan timeout)
    {
        try
        {
            return await node.Command.ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"Mesh node '{node.Node.Name}' did not finish within {timeout.TotalSeconds:0} s, although its listeners give up earlier; the node or its engine hangs."), node.Node.Name, e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not WorkloadException)
        {
            throw new WorkloadException($"Running the mesh node on '{node.Node.Name}' failed: {e.Message}", node.Node.Name, e);
        }
    }

    /// <summary>Stops what a node that did not end cleanly left running (its shell, listeners and links), then waits for its command.</summary>
    private static async Task StopNodesAsync(IWorkloadHost host, StartBarrier barrier, IReadOnlyList<(Node Node, Task<CommandResult> Command)> commands)
    {
        var stops = commands
            .Select((c, i) => (c.Node, c.Command, Index: i))
            .Where(c => !(c.Command.IsCompletedSuccessfully && c.Command.Result.Succeeded))
            .Select(async c =>
            {
                try
                {
                    await host.ExecAsync(c.Node, Shell.Bash(MeshNodeProgram.StopScript(barrier, c.Index)), TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The listeners die with their 'timeout' anyway; a failed stop must not hide the run's own error.
                }
            });
        await Task.WhenAll(stops).ConfigureAwait(false);
        await Task.WhenAll(commands.Select(c => c.Command.ContinueWith(_ => { }, TaskScheduler.Default)))
            .WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Validate(int nodeCount)
    {
        var errors = new List<string>();
        if (RecordsPerMinute is < 1 or > 6_000_000)
            errors.Add($"RecordsPerMinute must be 1 to 6000000 (is {RecordsPerMinute}).");
        if (RecordsPerNode is < 1 or > 10_000_000)
            errors.Add($"RecordsPerNode must be 1 to 10000000 (is {RecordsPerNode}).");
        if (BatchSize < 1)
            errors.Add($"BatchSize must be at least 1 (is {BatchSize}).");
        if (RecordSizeBytes is < 48 or > 65536)
            errors.Add($"RecordSizeBytes must be 48 to 65536 (is {RecordSizeBytes}).");
        if (Timeout < TimeSpan.FromSeconds(1))
            errors.Add($"Timeout must be at least 1 s (is {Timeout}).");
        if (StartTimeout < TimeSpan.FromSeconds(1))
            errors.Add($"StartTimeout must be at least 1 s (is {StartTimeout}).");
        if (BasePort < 1024 || BasePort + ((long)nodeCount * nodeCount) > 65535)
            errors.Add($"BasePort must be at least 1024 and leave {nodeCount} x {nodeCount} ports below 65536 (is {BasePort}).");
        if (errors.Count > 0)
            throw new ArgumentException($"Workload '{Name}' is misconfigured: {string.Join(" ", errors)}");
    }

    private static string Tail(string s) => s.Length <= 400 ? s.Trim() : "..." + s[^400..].Trim();
}
