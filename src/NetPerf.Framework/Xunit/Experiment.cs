using System.Globalization;
using System.Reflection;
using NetPerf.Experiments;
using NetPerf.Plan;
using NetPerf.Statistics;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Drivers;
using NetPerf.Verdicts;
using Xunit;
using Xunit.v3;

// Author-facing, so in namespace NetPerf rather than NetPerf.Xunit (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// What a scenario author writes inside a <see cref="DriverTheoryAttribute"/> test: the workload, the gates,
/// the trials. <see cref="RunAsync"/> provisions the cell's testbed, runs the trials, compares with the
/// committed baseline and fails the test on a regression.
/// </summary>
/// <example><code>
/// [DriverTheory(Driver.Host, Driver.Bridge)]
/// [Pairs(1, 4)]
/// public Task Tcp_throughput(Driver driver, int pairs) =>
///     Experiment.ForCurrentCell()
///         .Run(Workload.Iperf3Tcp(TimeSpan.FromSeconds(3)))
///         .Gate(Metrics.AggregateThroughput, tolerance: 0.10)
///         .Report(Metrics.JainFairness, Metrics.Retransmits)
///         .RunAsync();
/// </code></example>
/// <remarks>Immutable: every method returns a new experiment.</remarks>
public sealed record Experiment
{
    private IWorkload? _workload;
    private IReadOnlyList<Gate> _gates = [];
    private IReadOnlyList<Metric> _reported = [];
    private Func<TestbedBuilder, TestbedBuilder>? _configure;
    private OwnContainer? _servers;
    private OwnContainer? _clients;
    private Func<NodeSlot, string?>? _pin;
    private Driver? _control;
    private DriverRegistry _drivers = DriverRegistry.BuiltIn;
    private int? _reusePairs;

    private Experiment(ExperimentCell cell) => Cell = cell;

    /// <summary>The cell this experiment runs.</summary>
    public ExperimentCell Cell { get; }

    /// <summary>The experiment of the running <see cref="DriverTheoryAttribute"/> test's cell (its driver, pairs and other axes).</summary>
    /// <exception cref="InvalidOperationException">Not called from a test with <see cref="DriverTheoryAttribute"/>.</exception>
    public static Experiment ForCurrentCell()
    {
        var test = TestContext.Current.Test as IXunitTest
            ?? throw new InvalidOperationException("Experiment.ForCurrentCell() must be called from inside a running xUnit v3 test.");
        var method = test.TestMethod.Method;
        var attribute = method.GetCustomAttribute<DriverTheoryAttribute>()
            ?? throw new InvalidOperationException($"'{method.DeclaringType?.Name}.{method.Name}' has no [DriverTheory]; Experiment.ForCurrentCell() needs it to know the cell. Use Experiment.For(cell) otherwise.");
        var plan = attribute.PlanFor(method);
        var cell = plan.FindCell(test.TestMethodArguments)
            ?? throw new InvalidOperationException($"No cell of '{method.Name}' matches the arguments ({string.Join(", ", test.TestMethodArguments)}).");
        return new Experiment(cell) { _drivers = plan.Drivers, _reusePairs = LargestPairs(ClassCells(method.DeclaringType), cell) };
    }

    /// <summary>
    /// The largest pair count of the cells of <paramref name="classCells"/> (the cells of a class's
    /// <see cref="DriverTheoryAttribute"/> methods) that can share the cell's testbed: same method, driver, scale, cores
    /// and pinning; at least the cell's own. A testbed provisioned for reuse gets that many pairs, so those cells fit on
    /// it; cells of other methods reuse it when it is large enough.
    /// </summary>
    /// <remarks>
    /// The class's largest count on the driver was used before: with 50-pair methods in a class, a 1-pair method's
    /// testbed (pinned, so never shared with them) got 50 pairs, a minute of provisioning here for nothing.
    /// </remarks>
    internal static int LargestPairs(IEnumerable<ExperimentCell> classCells, ExperimentCell cell)
    {
        ArgumentNullException.ThrowIfNull(classCells);
        ArgumentNullException.ThrowIfNull(cell);
        return classCells
            .Where(c => c.Scenario == cell.Scenario && c.Driver == cell.Driver && c.Scale == cell.Scale && c.Cores == cell.Cores
                && (c.Pinning ?? CpuPinning.None) == (cell.Pinning ?? CpuPinning.None))
            .Select(c => c.Pairs).Append(cell.Pairs).Max();
    }

    /// <summary>Every cell of the <see cref="DriverTheoryAttribute"/> methods of <paramref name="type"/>; methods whose plan is invalid fail at discovery and count for nothing.</summary>
    private static IEnumerable<ExperimentCell> ClassCells(Type? type)
    {
        if (type is null) yield break;
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            if (method.GetCustomAttribute<DriverTheoryAttribute>() is not { } theory) continue;
            IReadOnlyList<ExperimentCell> cells;
            try
            {
                cells = theory.PlanFor(method).Cells;
            }
            catch (PlanValidationException)
            {
                continue;
            }
            foreach (var c in cells) yield return c;
        }
    }

    /// <summary>An experiment for an explicit cell (outside a <see cref="DriverTheoryAttribute"/> test).</summary>
    public static Experiment For(ExperimentCell cell) => new(cell ?? throw new ArgumentNullException(nameof(cell)));

    /// <summary>The traffic each trial runs.</summary>
    public Experiment Run(IWorkload workload) => this with { _workload = workload ?? throw new ArgumentNullException(nameof(workload)) };

    /// <summary>Fails the test when this metric regresses beyond <paramref name="tolerance"/> (a fraction: 0.05 = 5%) with statistical confidence.</summary>
    public Experiment Gate(Metric metric, double tolerance = VerdictDefaults.Tolerance, double alpha = VerdictDefaults.Alpha) =>
        this with { _gates = [.. _gates.Where(g => g.Metric.Name != metric.Name), new Gate(metric, tolerance, alpha)] };

    /// <summary>Keeps these metrics in baselines and reports without failing on them.</summary>
    public Experiment Report(params Metric[] metrics) => this with { _reported = [.. _reported, .. metrics.Where(m => _reported.All(r => r.Name != m.Name))] };

    /// <summary>Pins client and server containers by <paramref name="pinning"/> when the cell has no <c>[CpuPinning]</c> axis of its own.</summary>
    /// <remarks>
    /// On a small machine the scheduler puts a pair on the same core in one run and on different cores in the next, and
    /// latency differs by tens of percent between the two; pinning makes a latency cell comparable with its baseline.
    /// </remarks>
    public Experiment Pin(CpuPinning pinning) =>
        Cell.Pinning is not null
            ? this
            : this with { _pin = CpuPlacement.For(Cell.Cores, pinning, Environment.ProcessorCount) };

    /// <summary>
    /// Adds a control arm: every trial also runs on <paramref name="controlDriver"/> (normally <see cref="Driver.Host"/>), and
    /// each metric gets a ratio form, e.g. <c>Metrics.AggregateThroughput.RelativeTo("Host")</c>, which can be gated like any metric.
    /// </summary>
    /// <remarks>
    /// A ratio to the same machine's host networking survives a change of machine better than absolute numbers; it doubles
    /// the trials' time. Both testbeds are provisioned in parallel, and in each trial a seeded coin flip decides which arm
    /// runs first (randomized interleaved trials), so neither arm always gets the warmer machine; the cell's facts
    /// <c>control.order_seed</c> and <c>control.order</c> record it, and <c>NETPERF_SEED</c> replays it.
    /// </remarks>
    /// <exception cref="ArgumentException">The cell already runs on <paramref name="controlDriver"/>.</exception>
    public Experiment RelativeTo(Driver controlDriver) =>
        Cell.Driver == controlDriver.ToString()
            ? throw new ArgumentException($"{Cell.DisplayName} already runs on '{controlDriver}'; a control arm must use another driver. Remove '{controlDriver}' from [DriverTheory] or drop RelativeTo.", nameof(controlDriver))
            : this with { _control = controlDriver };

    /// <summary>Adjusts the testbed (CPU quota, MTU, ...) beyond what the cell's axes set.</summary>
    public Experiment ConfigureTestbed(Func<TestbedBuilder, TestbedBuilder> configure) => this with { _configure = configure };

    /// <summary>
    /// Runs every pair's server in your own container (your image, command, environment, files, wait strategy; see
    /// <see cref="OwnContainer"/>) on the cell's driver, instead of the tools image.
    /// </summary>
    public Experiment WithServers(OwnContainer server) => this with { _servers = server ?? throw new ArgumentNullException(nameof(server)) };

    /// <summary>Runs every pair's client in your own container (see <see cref="OwnContainer"/>); the workload execs into it.</summary>
    public Experiment WithClients(OwnContainer client) => this with { _clients = client ?? throw new ArgumentNullException(nameof(client)) };

    /// <summary>The definition the runner executes.</summary>
    internal ExperimentDefinition ToDefinition() => new(
        Cell,
        _workload ?? throw new InvalidOperationException($"The experiment of {Cell.DisplayName} has no workload; call .Run(Workload.Iperf3Tcp()) or another workload before RunAsync()."),
        _gates,
        _reported,
        SequentialPolicy.Default,
        _pin is null && _servers is null && _clients is null ? _configure : builder =>
        {
            // Applied here, whatever the order of the calls: ConfigureTestbed replaces only its own adjustment.
            if (_pin is not null) builder = builder.WithCpuset(_pin);
            if (_servers is not null) builder = builder.WithServers(_servers);
            if (_clients is not null) builder = builder.WithClients(_clients);
            return (_configure ?? (b => b))(builder);
        },
        _control)
    {
        Drivers = _drivers,
        ReusePairs = _reusePairs,
    };

    /// <summary>Runs the cell, attaches its files to the test result, and fails the test on a regression or a missing baseline.</summary>
    public async Task<CellRun> RunAsync()
    {
        var context = TestContext.Current;
        var settings = ExperimentSettings.FromEnvironment();
        var runner = new ExperimentRunner(settings, new JsonCellResultSink(settings.ResultsDirectory));
        CellRun run;
        try
        {
            run = await runner.RunAsync(ToDefinition(), context.CancellationToken).ConfigureAwait(false);
        }
        catch (DriverUnavailableException e) when (!DriverTheoryAttribute.RequireAllDrivers)
        {
            Assert.Skip(e.Message);
            throw;
        }

        context.TestOutputHelper?.WriteLine(Summary(run));
        foreach (var w in run.Warnings) context.AddWarning(w);
        foreach (var file in run.Files.Where(File.Exists)) context.AddAttachment(Path.GetFileName(file), await File.ReadAllTextAsync(file).ConfigureAwait(false));
        // Raw outputs of the first trial only: enough to see what the tools said without flooding the result.
        foreach (var raw in run.RawOutputs.DistinctBy(r => (r.NodeName, r.FileName)).Take(8)) context.AddAttachment($"raw/{raw.NodeName}/{raw.FileName}", raw.Content);
        if (run.FailureMessage is { } failure) Assert.Fail(failure);
        return run;
    }

    /// <summary>
    /// The console summary of a cell: its outcome, one line per metric, and per gated metric what the cell can detect; the
    /// confirmation's metrics follow when the first run regressed.
    /// </summary>
    internal static string Summary(CellRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = run.Result;
        var lines = new List<string> { $"{r.DisplayName}: {r.Outcome} after {r.Trials.Count} trials ({r.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)" };
        AddMetricLines(lines, r.Metrics, withPower: true);
        if (r.Confirmation is { } c)
        {
            lines.Add($"  confirmation on a fresh testbed: {c.Outcome} after {c.Trials.Count} trials ({c.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
            AddMetricLines(lines, c.Metrics, withPower: false);
        }
        if (r.SecondConfirmation is { } s)
        {
            lines.Add($"  second confirmation on another fresh testbed: {s.Outcome} after {s.Trials.Count} trials ({s.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
            AddMetricLines(lines, s.Metrics, withPower: false);
        }
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>What a gated metric can detect, e.g. <c>can detect &gt;= 12% (3 baseline runs, run medians vary 4.1%)</c>.</summary>
    internal static string Power(MetricResult metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.DetectableChangePercent is not { } detectable)
            return metric.BaselineRuns == 0
                ? "detectable regression unknown (no baseline to compare with)"
                : metric.PowerNote ?? "detectable regression unknown";
        var gate = metric.GatePercent is { } g && metric.Tolerance is { } t && g > t * 100 * (1 + 1e-9)
            ? string.Create(CultureInfo.InvariantCulture, $"gate {NumberFormatting.Format(g, 3)}% set by the data (asked {NumberFormatting.Format(t * 100, 3)}%), ")
            : "";
        var text = gate + string.Create(CultureInfo.InvariantCulture, $"can detect >= {NumberFormatting.Format(detectable, 3)}% ");
        text += metric.BaselineRuns == 1 || metric.BetweenRunCvPercent is null
            ? "(the baseline holds one run: the between-run spread is unknown, so this assumes runs differ no more than trials; record more runs on fresh testbeds with NETPERF_RECORD=1)"
            : string.Create(CultureInfo.InvariantCulture, $"({metric.BaselineRuns} baseline runs, run medians vary {NumberFormatting.Format(metric.BetweenRunCvPercent.Value, 3)}%)");
        return text;
    }

    private static void AddMetricLines(List<string> lines, IReadOnlyList<MetricResult> metrics, bool withPower)
    {
        foreach (var m in metrics)
        {
            var baseline = m.BaselineMedian is { } b ? b.ToString("G4", CultureInfo.InvariantCulture) : "-";
            var change = m.ChangePercent is { } c ? c.ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%" : "";
            lines.Add($"  {m.Metric,-24} baseline {baseline,10} {m.Unit,-8} current {m.CurrentMedian.ToString("G4", CultureInfo.InvariantCulture),10} {change,8}  {m.Verdict}{(m.Gated ? "" : " (reported)")}");
            if (!withPower || !m.Gated) continue;
            lines.Add($"    {Power(m)}");
            if (m.ToleranceBelowDetectable && m.PowerNote is { } note)
                lines.Add($"    the tolerance is below that: {note}");
        }
    }
}
