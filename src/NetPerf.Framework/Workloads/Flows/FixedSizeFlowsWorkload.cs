using NetPerf.Workloads.Flows;
using NetPerf.Workloads.Orchestration;

using Catalog = NetPerf.Metrics;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Flows (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>One flow of a fixed size per pair, all started together; reports flow completion times.</summary>
/// <remarks>See <see cref="FlowCompletion"/> for the commands and how FCT is measured.</remarks>
public sealed record FixedSizeFlowsWorkload : IWorkload
{
    /// <summary>Bytes each flow sends.</summary>
    public long FlowSizeBytes { get; init; } = 5_000_000;

    /// <summary>How long a flow may take before the run fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <inheritdoc />
    public string Name => "fixed-size-flows";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics => [Catalog.FctMedian, Catalog.FctP99, Catalog.FlowCompletionTime, Catalog.CpuSecondsPerGb, Catalog.HostCpuPercent, Catalog.StartSkew];

    /// <inheritdoc />
    public async Task<WorkloadResult> RunAsync(IWorkloadHost host, CancellationToken cancellationToken)
    {
        if (FlowSizeBytes <= 0)
            throw new ArgumentException($"Workload '{Name}' is misconfigured: FlowSizeBytes must be positive (is {FlowSizeBytes}).");
        var (run, version) = await FlowCompletion.RunAsync(host, Name, _ => FlowSizeBytes, Timeout, cancellationToken).ConfigureAwait(false);
        return Summarise(run, version);
    }

    /// <summary>Builds the result from a finished run's outputs (public so it can be tested on canned output).</summary>
    /// <exception cref="WorkloadException">A sender failed, or a receiver got a different number of bytes.</exception>
    internal WorkloadResult Summarise(SynchronizedRunResult run, string version)
    {
        var flows = FlowCompletion.Flows(run, _ => FlowSizeBytes);
        var fcts = flows.Select(f => f.FctMilliseconds).ToList();
        return FlowCompletion.Result(Name, run, version, flows.Select(f => f.Flow).ToList(), FlowCompletion.Percentiles(fcts, Catalog.FctMedian, Catalog.FctP99));
    }
}
