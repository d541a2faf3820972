using NetPerf.Workloads.Orchestration;

namespace NetPerf.Workloads.Measures;

/// <summary>Turns flows with interval series into throughput and fairness measurements over their common window.</summary>
internal static class ThroughputSummary
{
    /// <summary>Computes the common window, each flow's rate in it, the aggregate and fairness; returns the flows with their rate added.</summary>
    public static (MeasurementWindow Window, IReadOnlyList<FlowResult> Flows, IReadOnlyList<Measurement> Aggregates) Summarise(IReadOnlyList<FlowResult> flows)
    {
        var window = OverlapWindow.Compute(flows.Select(f => (f.Name, f.ThroughputSeries)).ToList());
        var rates = flows.Select(f => OverlapWindow.GigabitsPerSecond(f.ThroughputSeries, window)).ToList();
        var withRates = flows.Select((f, i) => f with { Measurements = [.. f.Measurements, new Measurement(Metrics.FlowThroughput, rates[i], f.Name)] }).ToList();
        var zero = withRates.Where((_, i) => rates[i] <= 0).Select(f => f.Name).ToList();
        if (zero.Count > 0)
            throw new WorkloadException($"Flows {string.Join(", ", zero.Select(z => $"'{z}'"))} moved no bytes in the common window {window}; the path is broken or the flow stalled.");
        var aggregates = new List<Measurement>
        {
            new(Metrics.AggregateThroughput, rates.Sum()),
            new(Metrics.JainFairness, Fairness.JainIndex(rates)),
            new(Metrics.MaxMinRatio, Fairness.MaxMinRatio(rates)),
            new(Metrics.MeasurementWindow, window.Seconds),
        };
        return (window, withRates, aggregates);
    }

    /// <summary>Start skew, host CPU and CPU per byte, common to every synchronized run.</summary>
    public static IReadOnlyList<Measurement> RunMeasurements(SynchronizedRunResult run, long? bytesMoved)
    {
        var measurements = new List<Measurement>
        {
            new(Metrics.StartSkew, run.StartSkewMilliseconds),
            new(Metrics.HostCpuPercent, run.Cpu.HostCpuPercent),
        };
        if (bytesMoved is { } bytes && run.Cpu.CpuSecondsPerGigabyte(bytes) is { } perGb)
            measurements.Add(new Measurement(Metrics.CpuSecondsPerGb, perGb));
        return measurements;
    }

    /// <summary>The flows' own measurements, flattened.</summary>
    public static IEnumerable<Measurement> PerFlow(IEnumerable<FlowResult> flows) => flows.SelectMany(f => f.Measurements);
}
