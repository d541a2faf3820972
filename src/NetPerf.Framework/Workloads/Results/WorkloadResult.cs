using System.Globalization;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Results (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Everything one trial of a workload measured.</summary>
/// <param name="Workload">The workload's <see cref="IWorkload.Name"/>.</param>
public sealed record WorkloadResult(string Workload)
{
    /// <summary>All measurements: aggregates (<see cref="Measurement.Flow"/> null) and per-flow values.</summary>
    public IReadOnlyList<Measurement> Measurements { get; init; } = [];

    /// <summary>Per-flow details: series, totals and the flow's own measurements.</summary>
    public IReadOnlyList<FlowResult> Flows { get; init; } = [];

    /// <summary>Measured time between the first and the last client leaving the start barrier, in milliseconds.</summary>
    public double StartSkewMilliseconds { get; init; }

    /// <summary>The window all flows overlapped in (after warm-up), on the run timeline; <see langword="null"/> for workloads without interval series.</summary>
    public MeasurementWindow? Window { get; init; }

    /// <summary>CPU used while the clients ran.</summary>
    public CpuUsage? Cpu { get; init; }

    /// <summary>Bytes moved while the CPU snapshots were apart (warm-up included), or <see langword="null"/> when not meaningful.</summary>
    public long? BytesMoved { get; init; }

    /// <summary>Version strings of the tools that ran, keyed by tool name (e.g. <c>iperf3</c> = <c>iperf 3.12</c>).</summary>
    public IReadOnlyDictionary<string, string> ToolVersions { get; init; } = new Dictionary<string, string>();

    /// <summary>The tools' raw outputs, for attachments.</summary>
    public IReadOnlyList<RawOutput> RawOutputs { get; init; } = [];

    /// <summary>The aggregate value of <paramref name="metric"/>, or the value for <paramref name="flow"/>.</summary>
    /// <exception cref="KeyNotFoundException">This result has no such measurement.</exception>
    public double Value(Metric metric, string? flow = null) =>
        Find(metric, flow)?.Value ?? throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture,
            $"Workload '{Workload}' measured no '{metric.Name}'{(flow is null ? " aggregate" : $" for flow '{flow}'")}; it measured: {string.Join(", ", Measurements.Select(m => m.Flow is null ? m.Metric.Name : $"{m.Metric.Name}[{m.Flow}]").Distinct())}."));

    /// <summary>The aggregate measurement of <paramref name="metric"/> (or the one for <paramref name="flow"/>), or <see langword="null"/>.</summary>
    public Measurement? Find(Metric metric, string? flow = null) =>
        Measurements.FirstOrDefault(m => m.Metric.Name == metric.Name && m.Flow == flow);
}
