using System.Globalization;

namespace NetPerf.Testbeds;

/// <summary>
/// The first N pairs of a testbed, as a workload sees them: a cell with fewer pairs than a reused testbed runs on
/// these, and the other containers stay idle.
/// </summary>
/// <remarks>
/// Commands run in the testbed's own containers; CPU is measured over the view's containers only. The view owns
/// nothing: the testbed it comes from is disposed by whoever owns it.
/// </remarks>
internal sealed class TestbedView : IWorkloadHost
{
    internal TestbedView(Testbed testbed, int pairs)
    {
        ArgumentNullException.ThrowIfNull(testbed);
        if (pairs < 1 || pairs > testbed.Pairs.Count)
            throw new ArgumentOutOfRangeException(nameof(pairs), pairs, $"Testbed '{testbed.Name}' has {testbed.Pairs.Count.ToString(CultureInfo.InvariantCulture)} pairs; a view takes 1 to that many.");
        Testbed = testbed;
        Pairs = [.. testbed.Pairs.Take(pairs)];
        var facts = new SortedDictionary<string, string>(testbed.Facts.ToDictionary(), StringComparer.Ordinal)
        {
            ["pairs"] = pairs.ToString(CultureInfo.InvariantCulture),
            ["testbed.pairs_provisioned"] = testbed.Pairs.Count.ToString(CultureInfo.InvariantCulture),
        };
        Facts = facts;
    }

    /// <summary>The whole testbed the view is part of.</summary>
    public Testbed Testbed { get; }

    /// <inheritdoc />
    public IReadOnlyList<Pair> Pairs { get; }

    /// <summary>Every distinct container of the view's pairs.</summary>
    public IReadOnlyList<Node> Nodes => [.. Pairs.SelectMany(p => new[] { p.Server, p.Client }).DistinctBy(n => n.Id)];

    /// <summary>The testbed's facts with <c>pairs</c> = the view's pairs and <c>testbed.pairs_provisioned</c> = the testbed's.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; }

    /// <inheritdoc />
    public string SharedDirectoryOnHost => Testbed.SharedDirectoryOnHost;

    /// <inheritdoc />
    public string SharedDirectoryInContainer => Testbed.SharedDirectoryInContainer;

    /// <inheritdoc />
    public Task<CommandResult> ExecAsync(Node node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        Testbed.ExecAsync(node, command, timeout, cancellationToken);

    /// <inheritdoc />
    public Task StartDetachedAsync(Node node, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        Testbed.StartDetachedAsync(node, command, cancellationToken);

    /// <inheritdoc />
    public Task<CpuSnapshot> SnapshotCpuAsync(CancellationToken cancellationToken) =>
        Task.FromResult(CpuAccounting.Snapshot(Nodes));
}
