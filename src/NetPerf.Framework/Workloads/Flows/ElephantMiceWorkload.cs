using NetPerf.Workloads.Flows;
using NetPerf.Workloads.Orchestration;

using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Flows (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A mix of large flows (elephants) and small flows (mice), one per pair, all started together; reports FCT per class.</summary>
/// <remarks>
/// Which pairs send elephants is drawn with a seeded <see cref="Random"/>, so it is the same in
/// every trial and on every machine. The number of elephants is the fraction of pairs rounded, at
/// least one when the fraction is above 0. See <see cref="FlowCompletion"/> for the commands.
/// </remarks>
public sealed record ElephantMiceWorkload : IWorkload
{
    /// <summary>Fraction of pairs that send an elephant, in [0, 1].</summary>
    public double ElephantFraction { get; init; } = 0.2;

    /// <summary>Bytes of an elephant flow.</summary>
    public long ElephantBytes { get; init; } = 50_000_000;

    /// <summary>Bytes of a mouse flow.</summary>
    public long MouseBytes { get; init; } = 5_000_000;

    /// <summary>Seed of the draw that picks the elephants.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>How long a flow may take before the run fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <inheritdoc />
    public string Name => "elephant-mice";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics =>
        [Catalog.FctMedian, Catalog.FctP99, Catalog.ElephantFctMedian, Catalog.ElephantFctP99, Catalog.MiceFctMedian, Catalog.MiceFctP99, Catalog.FlowCompletionTime, Catalog.CpuSecondsPerGb, Catalog.HostCpuPercent, Catalog.StartSkew];

    /// <summary>Which pairs (by index) send an elephant: round(fraction * pairs) of them (at least one when fraction &gt; 0), picked by a seeded shuffle.</summary>
    /// <param name="pairs">Number of pairs.</param>
    /// <param name="fraction">Fraction of elephants, in [0, 1].</param>
    /// <param name="seed">Seed of the draw.</param>
    public static IReadOnlyList<bool> DrawElephants(int pairs, double fraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pairs);
        if (fraction is < 0 or > 1 || double.IsNaN(fraction))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The elephant fraction must be in [0, 1].");
        var count = fraction == 0 ? 0 : Math.Clamp((int)Math.Round(fraction * pairs, MidpointRounding.AwayFromZero), 1, pairs);
        var order = Enumerable.Range(0, pairs).ToArray();
        new Random(seed).Shuffle(order);
        var elephants = new bool[pairs];
        foreach (var index in order.Take(count))
            elephants[index] = true;
        return elephants;
    }

    /// <inheritdoc />
    public async Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        if (ElephantBytes <= 0 || MouseBytes <= 0)
            throw new ArgumentException($"Workload '{Name}' is misconfigured: ElephantBytes ({ElephantBytes}) and MouseBytes ({MouseBytes}) must be positive.");
        var elephants = DrawElephants(host.Pairs.Count, ElephantFraction, Seed);
        var (run, version) = await FlowCompletion.RunAsync(host, Name, p => BytesOf(elephants, p), Timeout, cancellationToken).ConfigureAwait(false);
        return Summarise(run, version);
    }

    /// <summary>Builds the result from a finished run's outputs (public so it can be tested on canned output).</summary>
    /// <exception cref="WorkloadException">A sender failed, or a receiver got a different number of bytes.</exception>
    internal WorkloadResult Summarise(SynchronizedRunResult run, string version)
    {
        var elephants = DrawElephants(run.Pairs.Count, ElephantFraction, Seed);
        var flows = FlowCompletion.Flows(run, p => BytesOf(elephants, p));
        var big = flows.Where(f => elephants[PairIndex(run, f.Flow)]).Select(f => f.FctMilliseconds).ToList();
        var small = flows.Where(f => !elephants[PairIndex(run, f.Flow)]).Select(f => f.FctMilliseconds).ToList();
        var aggregates = FlowCompletion.Percentiles(flows.Select(f => f.FctMilliseconds).ToList(), Catalog.FctMedian, Catalog.FctP99)
            .Concat(FlowCompletion.Percentiles(big, Catalog.ElephantFctMedian, Catalog.ElephantFctP99))
            .Concat(FlowCompletion.Percentiles(small, Catalog.MiceFctMedian, Catalog.MiceFctP99));
        return FlowCompletion.Result(Name, run, version, flows.Select(f => f.Flow).ToList(), aggregates);
    }

    private long BytesOf(IReadOnlyList<bool> elephants, Pair pair) => elephants[pair.Index] ? ElephantBytes : MouseBytes;

    private static int PairIndex(SynchronizedRunResult run, FlowResult flow) => run.Pairs.First(p => p.Pair.FlowName == flow.Name).Pair.Index;
}
