namespace NetPerf.Workloads.Orchestration;

/// <summary>The outcome of a <see cref="SynchronizedRun"/>: every pair's output, the start skew and the CPU used.</summary>
/// <param name="Pairs">Per pair, in pair order.</param>
/// <param name="Cpu">CPU used from just before the release to the last client's exit.</param>
/// <param name="FirstReleaseMicroseconds">The earliest release time (time 0 of the run timeline), in microseconds since the Unix epoch.</param>
internal sealed record SynchronizedRunResult(IReadOnlyList<PairRun> Pairs, CpuUsage Cpu, long FirstReleaseMicroseconds)
{
    /// <summary>Time between the first and the last client leaving the barrier, in milliseconds.</summary>
    public double StartSkewMilliseconds => (Pairs.Max(p => p.ReleasedAtMicroseconds) - FirstReleaseMicroseconds) / 1000.0;

    /// <summary>A pair's release time on the run timeline, in seconds.</summary>
    public double ReleasedAt(PairRun pair) => (pair.ReleasedAtMicroseconds - FirstReleaseMicroseconds) / 1e6;
}
