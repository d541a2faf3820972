using NetPerf.Plan;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Drivers;
using NetPerf.Verdicts;

namespace NetPerf.Experiments;

/// <summary>Everything the runner needs to run one cell: where, what traffic, which metrics gate, how many trials.</summary>
/// <param name="Cell">The cell (scenario, driver, pairs, further axes).</param>
/// <param name="Workload">The traffic to run in each trial.</param>
/// <param name="Gates">Metrics whose regression fails the cell, with their tolerances.</param>
/// <param name="Reported">Further metrics kept in baselines and reports but never failing the cell.</param>
/// <param name="Policy">Initial trials and the sequential-sampling bound.</param>
/// <param name="ConfigureTestbed">Extra testbed settings (CPU quota, MTU, ...), applied after the cell's own.</param>
/// <param name="ControlDriver">A control arm: every trial also runs on this driver, and each metric gets a ratio form (<see cref="Metric.RelativeTo"/>).</param>
internal sealed record ExperimentDefinition(
    ExperimentCell Cell,
    IWorkload Workload,
    IReadOnlyList<Gate> Gates,
    IReadOnlyList<Metric> Reported,
    SequentialPolicy Policy,
    Func<TestbedBuilder, TestbedBuilder>? ConfigureTestbed = null,
    Driver? ControlDriver = null)
{
    /// <summary>The drivers the cell's driver name is looked up in: the built-in ones and those the scenario's assembly registers.</summary>
    public DriverRegistry Drivers { get; init; } = DriverRegistry.BuiltIn;

    /// <summary>
    /// The pairs a testbed this cell provisions for reuse gets: the largest pair count of its method's cells with the same
    /// driver, scale, cores and pinning, so they fit on it (see <see cref="TestbedReuse"/>); <see langword="null"/>
    /// for the cell's own pair count.
    /// </summary>
    public int? ReusePairs { get; init; }

    /// <summary>The scenario key used in baselines and results: <c>Class.Method</c> (class name without its namespace).</summary>
    public string ScenarioKey => Cell.ScenarioClass.Length > 0 ? $"{Cell.ScenarioClass[(Cell.ScenarioClass.LastIndexOf('.') + 1)..]}.{Cell.Scenario}" : Cell.Scenario;
}
