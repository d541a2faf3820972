namespace NetPerf.Scenarios;

/// <summary>
/// Anjos and Morais: a mesh of N nodes, each generating D records per minute, applying them to its own store and
/// sending them in batches of AG records to every other node until every node holds every record; the metric is
/// the deviation of the execution time from the expected time (records per node / D), swept over D and N (the
/// load grows as N^2 x D), next to a baseline mode without communication.
/// </summary>
/// <remarks>
/// <para>
/// The nodes are the server containers of the cell's pairs (N = pairs), each with a file-backed append-only store;
/// see <see cref="MeshWorkload"/>. The CI-scale cells run 2 s of emulated time on 2 and 4 nodes at two
/// rates, plus the baseline; the [FullScale] cells sweep 2 to 12 nodes at three rates for 30 s each.
/// </para>
/// <para>
/// The gate is on <see cref="Metrics.MeshExecutionTime"/>, not on <see cref="Metrics.MeshDeviation"/>: the deviation
/// is a few percent here (well under 1% without communication), and a relative tolerance on a value that close to zero
/// would flag noise of a few milliseconds as a regression. Execution time = expected x (1 + deviation / 100), so a
/// tolerance of 5% on it is a tolerance of 5 percentage points on the deviation, which is reported next to it.
/// </para>
/// </remarks>
public sealed class MeshEmulation
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [DriverTheory(Driver.Bridge)]
    [Pairs(4)]
    public Task Deviation_at_600_records_per_minute(Driver driver, int pairs) => Mesh(Workload.Mesh(600, Short), ci: true);

    [DriverTheory(Driver.Bridge)]
    [Pairs(2, 4)]
    public Task Deviation_at_6000_records_per_minute(Driver driver, int pairs) => Mesh(Workload.Mesh(6000, Short), ci: true);

    [DriverTheory(Driver.Bridge)]
    [Pairs(4)]
    public Task Deviation_without_communication(Driver driver, int pairs) => Mesh(Workload.Mesh(6000, Short, communicate: false), ci: true);

    [DriverTheory(Driver.Bridge)]
    [Pairs(2, 4, 6, 8, 10, 12)]
    [Trials(10)]
    [FullScale]
    public Task Deviation_at_600_records_per_minute_full(Driver driver, int pairs) => Mesh(Workload.Mesh(600, Long), ci: false);

    [DriverTheory(Driver.Bridge)]
    [Pairs(2, 4, 6, 8, 10, 12)]
    [Trials(10)]
    [FullScale]
    public Task Deviation_at_6000_records_per_minute_full(Driver driver, int pairs) => Mesh(Workload.Mesh(6000, Long), ci: false);

    [DriverTheory(Driver.Bridge)]
    [Pairs(2, 4, 6, 8, 10, 12)]
    [Trials(10)]
    [FullScale]
    public Task Deviation_at_60000_records_per_minute_full(Driver driver, int pairs) => Mesh(Workload.Mesh(60000, Long), ci: false);

    [DriverTheory(Driver.Bridge)]
    [Pairs(2, 12)]
    [Trials(10)]
    [FullScale]
    public Task Deviation_without_communication_full(Driver driver, int pairs) => Mesh(Workload.Mesh(60000, Long, communicate: false), ci: false);

    // CI cells take the default trials (3 against a 10-trial baseline); full-scale cells take the method's [Trials].
    private static Task<CellRun> Mesh(MeshWorkload workload, bool ci)
    {
        var experiment = Experiment.ForCurrentCell()
            .Run(workload)
            .Gate(Metrics.MeshExecutionTime, tolerance: ci ? 0.10 : 0.02)
            .Report(Metrics.MeshDeviation, Metrics.MeshDeviationMedian, Metrics.HostCpuPercent, Metrics.StartSkew);
        return experiment.RunAsync();
    }
}
