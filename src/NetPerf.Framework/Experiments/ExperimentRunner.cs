using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetPerf.Baselines;
using NetPerf.Statistics;
using NetPerf.Testbeds;
using NetPerf.Verdicts;

namespace NetPerf.Experiments;

/// <summary>
/// Runs one cell: builds its testbed (and its control arm's), runs trials of the workload, compares every gated metric
/// with the committed baseline (adding trials while the answer is inconclusive, up to a bound), confirms a regression on
/// a fresh testbed, and decides.
/// </summary>
/// <remarks>
/// <para>
/// Decision rules: a gated metric that is <see cref="Verdict.Regressed"/> is measured again on a fresh testbed (new
/// containers, new network) with as many trials as the first run and compared with the same baseline. The cell fails,
/// and writes the confirmation's numbers as a received file next to the baseline, only when the confirmation regresses
/// in at least one of the metrics that regressed first; otherwise it is <c>Unconfirmed</c> and passes with a warning
/// that gives both runs' numbers (a regression one fresh testbed does not repeat is a difference between testbeds).
/// <c>NETPERF_CONFIRM=0</c> lets the first run decide. Improved writes a received file and warns. Inconclusive after the
/// trial bound warns (the data cannot tell; NetPerf never claims a regression it cannot show). Accept mode moves
/// received files over baselines without a confirmation; record and accept add the run to the baseline's runs
/// (<c>NETPERF_REPLACE=1</c> starts the baseline over).
/// </para>
/// <para>
/// A missing baseline: record mode records it. On a new testbed (its folder holds no baseline, or only runs this process
/// recorded) the run is recorded as a provisional baseline (origin <c>first run on this testbed</c>) and the cell passes
/// with a warning; it runs the cell's normal trial counts, not <see cref="ExperimentSettings.RecordTrials"/>, so a first
/// job on a new machine stays short. In CI (<c>CI=true</c>) a new testbed fails instead: CI does not record baselines by
/// itself; run once with <c>NETPERF_RECORD=1</c> and commit <c>baselines/{testbed}/</c>, as snapshot tools ask for
/// approved snapshots. When other cells of the testbed have baselines, a missing one fails (a forgotten record).
/// </para>
/// <para>
/// A new machine of a known testbed: while this machine has fewer than 3 runs in a baseline, other machines' runs decide,
/// and a difference from them can be the machine, so no change is claimed (<see cref="CellDecisions.OnOtherMachines"/>);
/// outside CI the run adds itself to the baseline (origin <c>first runs on this machine</c>) until the machine has 3.
/// </para>
/// <para>
/// A control arm (<see cref="ExperimentDefinition.ControlDriver"/>) gets its own testbed, provisioned in parallel with the
/// cell's. In each trial a seeded coin flip decides whether the control arm or the cell runs first; the cell's facts hold
/// the seed (<c>control.order_seed</c>, replayed by <c>NETPERF_SEED</c>) and the order (<c>control.order</c>, one letter per
/// trial: <c>C</c> control first, <c>T</c> cell first). The confirmation uses the next seed (see <see cref="TrialOrder.ConfirmationSeed"/>).
/// </para>
/// </remarks>
internal sealed class ExperimentRunner(ExperimentSettings settings, ICellResultSink? sink = null)
{
    private TestbedPool<Testbed> _pool = TestbedReuse.Shared;

    private const string FirstRunOrigin = "first run on this testbed";

    private const string FirstMachineRunOrigin = "first runs on this machine";

    /// <summary>The run-wide settings.</summary>
    public ExperimentSettings Settings { get; } = settings;

    /// <summary>A runner whose reused testbeds come from <paramref name="pool"/> instead of the process-wide one (tests).</summary>
    internal ExperimentRunner(ExperimentSettings settings, ICellResultSink? sink, TestbedPool<Testbed> pool)
        : this(settings, sink) => _pool = pool;

    /// <summary>Runs the cell and returns what happened; only infrastructure and tool failures throw.</summary>
    public async Task<CellRun> RunAsync(ExperimentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var watch = Stopwatch.StartNew();
        var cell = definition.Cell;
        var store = new BaselineStore(Settings.BaselinesDirectory, Settings.KeepRuns);
        // With confirmation, a regression must show twice before it fails a build; the detectable change accounts for that.
        var confirmationRuns = Settings.Confirm ? 2 : 1;
        var minTrials = Settings.Trials ?? cell.Trials ?? definition.Policy.MinTrials;
        if (Settings.Record || Settings.Accept)
            minTrials = Math.Max(minTrials, Settings.RecordTrials);
        var policy = new SequentialPolicy(minTrials, Math.Max(Settings.MaxTrials ?? definition.Policy.MaxTrials, minTrials), definition.Policy.Step);

        var builder = new TestbedBuilder().WithDriver(definition.Drivers.Get(cell.Driver)).WithPairs(cell.Pairs);
        if (CpuPlacement.For(cell.Cores, cell.Pinning, Environment.ProcessorCount) is { } cpuset) builder = builder.WithCpuset(cpuset);
        if (PlacementsAttribute.Of(cell) is var placement && placement != Placement.SameNode) builder = builder.WithPlacement(placement);
        if (definition.ConfigureTestbed is { } configure) builder = configure(builder);
        var controlBuilder = definition.ControlDriver is { } controlDriver ? builder.WithDriver(controlDriver) : null;
        var seed = Settings.Seed ?? TrialOrder.NewSeed();

        BaselineFile? baseline = null;
        var baselineRead = false;
        var comparisons = new List<Comparison>();
        int MoreTrials(IReadOnlyList<WorkloadResult> trials, EnvironmentFingerprint fingerprint)
        {
            if (!baselineRead)
            {
                baseline = store.Read(KeyOf(definition, fingerprint));
                baseline?.EnsureComparableWith(AllMetrics(definition).Select(m => m.Metric), store.BaselinePath(KeyOf(definition, fingerprint)));
                baselineRead = true;
            }
            comparisons = Compare(definition, baseline, trials, confirmationRuns, fingerprint.Machine);
            if (trials.Count >= policy.MaxTrials) return 0;
            var more = comparisons.Where(c => IsGated(definition, c.Metric)).Select(policy.TrialsToAdd).DefaultIfEmpty(0).Max();
            return Math.Clamp(more, 0, policy.MaxTrials - trials.Count);
        }

        var progress = new ProgressLog(Settings.ResultsDirectory, cell.DisplayName);
        var reuse = ReuseOf(definition, builder);
        var first = await MeasureAsync(definition, builder, controlBuilder, seed, policy.MinTrials, MoreTrials, progress, "run", cancellationToken, reuse).ConfigureAwait(false);
        var key = KeyOf(definition, first.Fingerprint);
        var gated = Gated(definition, comparisons);

        var warnings = new List<string>(first.TeardownWarnings);
        if (first.PoolProblem is { } poolProblem) warnings.Add(poolProblem);
        var files = new List<string>();
        string? failure = null;
        string outcome;
        var baselinePath = store.BaselinePath(key);
        var testbedFolder = Path.GetDirectoryName(Path.GetDirectoryName(baselinePath))!;
        string? receivedPath = null;
        Attempt? confirmation = null;
        List<Comparison>? confirmationComparisons = null;
        string? confirmationOutcome = null;
        Attempt? second = null;
        List<Comparison>? secondComparisons = null;
        string? secondOutcome = null;
        var acceptHint = $"To accept this run as the new baseline: rerun with NETPERF_ACCEPT=1 (e.g. NETPERF_ACCEPT=1 scripts/scenarios.sh --filter-method '*{cell.Scenario}*'), or run 'netperf accept --baselines {Settings.BaselinesDirectory}' to move every received file over its baseline.";

        if (baseline is not null && baseline.Fingerprint.DifferencesFrom(first.Fingerprint) is { Count: > 0 } drift)
            warnings.Add($"The environment differs from the baseline's: {string.Join("; ", drift)}.");
        foreach (var c in comparisons.Where(c => c.Current.IsMultimodal))
            warnings.Add($"'{c.Metric.Name}' looks multimodal in this run (mValue {c.Current.MValue.ToString("0.##", CultureInfo.InvariantCulture)}); its median may hide two behaviours.");

        // The suite's own previous cell keeps the 1-minute average near the core count; twice that means other work.
        if (first.LoadAtStart is { } load && load > 2 * Environment.ProcessorCount)
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The machine was busy when this cell started (load average {load:0.##} on {Environment.ProcessorCount} cores): other work is noise in every number, and on this kind of machine it moved throughput by up to 2x between runs (docs/calibration-under-load.md)."));
        foreach (var c in gated.Where(c => c.RunLevel is { ToleranceBelowDetectable: true }))
            warnings.Add($"'{c.Metric.Name}' {c.PowerNote}.");

        if (Settings.Record)
        {
            store.Record(FileOf(key, definition, first, "record"), force: false, replace: Settings.Replace);
            outcome = "Recorded";
            warnings.Add(Settings.Replace
                ? $"Record mode: the baseline at {baselinePath} was started over with this run."
                : $"Record mode: this run was added to the baseline at {baselinePath} (it keeps the newest {Settings.KeepRuns.ToString(CultureInfo.InvariantCulture)} runs of each machine).");
        }
        else if (baseline is null)
        {
            switch (CellDecisions.ForMissingBaseline(Settings.Accept, Settings.Ci, () => store.IsNewTestbed(key.Testbed, Reaper.SessionId)))
            {
                case MissingBaselineAction.Accept:
                    store.WriteReceived(FileOf(key, definition, first, "accept"));
                    store.Accept(key, force: false, replace: Settings.Replace);
                    outcome = "Recorded";
                    warnings.Add($"Accept mode: new baseline written to {baselinePath}.");
                    break;
                case MissingBaselineAction.Provisional:
                    store.Record(FileOf(key, definition, first, FirstRunOrigin), force: false, replace: Settings.Replace);
                    outcome = "Provisional";
                    warnings.Add($"First run on testbed '{key.Testbed}': {cell.DisplayName} had no baseline, so this run ({first.Trials.Count.ToString(CultureInfo.InvariantCulture)} trials: {Describe(definition, first.Trials)}) "
                        + $"was recorded as a provisional baseline at {baselinePath}. Review it and commit {testbedFolder}/; later runs compare with it, "
                        + "and runs recorded on fresh testbeds (NETPERF_RECORD=1) tell how much runs differ.");
                    break;
                case MissingBaselineAction.FailNewTestbedInCi:
                    receivedPath = store.WriteReceived(FileOf(key, definition, first, "accept"));
                    outcome = "NewBaseline";
                    failure = $"No baseline for {cell.DisplayName} on testbed '{key.Testbed}', and no cell of this testbed has one: it is a new testbed (a new kind of machine or environment).\n"
                        + "  CI does not record baselines by itself: numbers recorded by the run they gate would let any change pass.\n"
                        + $"  Fix: run the scenarios once with NETPERF_RECORD=1 on this kind of machine (e.g. NETPERF_RECORD=1 scripts/scenarios.sh) and commit {testbedFolder}/, the way snapshot tools want approved snapshots committed.\n"
                        + $"  Expected: {baselinePath}\n  Received: {receivedPath}\n"
                        + $"  Measured {first.Trials.Count.ToString(CultureInfo.InvariantCulture)} trials: {Describe(definition, first.Trials)}";
                    break;
                default:
                    receivedPath = store.WriteReceived(FileOf(key, definition, first, "accept"));
                    outcome = "NewBaseline";
                    failure = $"No baseline for {cell.DisplayName} on testbed '{key.Testbed}' (a forgotten record?).\n"
                        + $"  Other cells of testbed '{key.Testbed}' have baselines in {testbedFolder}, so this is not a first run on a new testbed.\n"
                        + $"  Expected: {baselinePath}\n  Received: {receivedPath}\n"
                        + $"  Measured {first.Trials.Count.ToString(CultureInfo.InvariantCulture)} trials: {Describe(definition, first.Trials)}\n"
                        + "  " + acceptHint.Replace("To accept this run as the new baseline", "To record it", StringComparison.Ordinal)
                        + " (or NETPERF_RECORD=1 to record without failing).";
                    break;
            }
        }
        else if (CellDecisions.GatesMissingFrom(definition.Gates, baseline) is { Count: > 0 } missing)
        {
            // A gate added after the baseline was recorded checks nothing until the baseline has its numbers: fail, not pass.
            receivedPath = store.WriteReceived(FileOf(key, definition, first, "accept"));
            var message = MissingGatesFailure(cell.DisplayName, missing, gated, first.Trials.Count, Describe(definition, first.Trials), baselinePath, receivedPath, acceptHint);
            if (Settings.Accept)
            {
                store.Accept(key, force: false, replace: Settings.Replace);
                outcome = "Accepted";
                warnings.Add($"Accept mode: this run was added to the baseline at {baselinePath}, which had no numbers for {Quoted(missing)}:\n{message}");
            }
            else
            {
                outcome = "NewBaseline";
                failure = message;
            }
        }
        else if (CellDecisions.ShouldConfirm(Settings, gated))
        {
            progress.Write("worse than half the gate on the first run: confirming on a fresh testbed");
            confirmation = await MeasureAsync(definition, builder, controlBuilder, TrialOrder.ConfirmationSeed(seed), first.Trials.Count, (_, _) => 0, progress, "confirmation", cancellationToken).ConfigureAwait(false);
            warnings.AddRange(confirmation.TeardownWarnings);
            confirmationComparisons = Compare(definition, baseline, confirmation.Trials, confirmationRuns, confirmation.Fingerprint.Machine);
            var confirmationGated = Gated(definition, confirmationComparisons);
            var baselineRuns = baseline!;
            Dictionary<string, RunLevelResult?> Together(IEnumerable<string> names, params Attempt[] attempts) => names.ToDictionary(
                name => name,
                name => Comparer.Confirm(
                    definition.Gates.First(g => g.Metric.Name == name),
                    baselineRuns.RunsFor(name, first.Fingerprint.Machine).Values,
                    [.. attempts.Select(a => ValuesOf(a.Trials, definition.Gates.First(g => g.Metric.Name == name).Metric))]),
                StringComparer.Ordinal);
            // Against several baseline runs the first run and its confirmation are judged together (RunLevelCheck.Combine).
            var combined = Together(gated.Where(c => c.NeedsConfirmation).Select(c => c.Metric.Name), first, confirmation);
            var confirmed = CellDecisions.ConfirmedRegressions(gated, confirmationGated, combined);
            if (CellDecisions.NeedsSecondConfirmation(confirmed, combined))
            {
                // Two runs together are worse: a third run on another fresh testbed decides (CellDecisions.NeedsSecondConfirmation).
                progress.Write("the run and its confirmation together are worse: a second confirmation on another fresh testbed decides");
                second = await MeasureAsync(definition, builder, controlBuilder, TrialOrder.ConfirmationSeed(TrialOrder.ConfirmationSeed(seed)), first.Trials.Count, (_, _) => 0, progress, "second confirmation", cancellationToken).ConfigureAwait(false);
                warnings.AddRange(second.TeardownWarnings);
                secondComparisons = Compare(definition, baseline, second.Trials, confirmationRuns, second.Fingerprint.Machine);
                foreach (var (name, three) in Together(confirmed.Where(n => combined[n] is not null), first, confirmation, second))
                    combined[name] = three;
                confirmed = CellDecisions.ConfirmedRegressions(gated, confirmationGated, combined);
                secondOutcome = confirmed.Count > 0 ? "Regressed" : "Cleared";
            }
            if (confirmed.Count > 0)
            {
                var last = second ?? confirmation;
                receivedPath = store.WriteReceived(FileOf(key, definition, last, "accept"));
                outcome = confirmationOutcome = "Regressed";
                failure = ConfirmedFailure(cell.DisplayName, confirmed, first, gated, confirmation, confirmationGated, second, secondComparisons is null ? null : Gated(definition, secondComparisons), combined, baselinePath, receivedPath, acceptHint);
            }
            else if (gated.Any(c => c.Verdict == Verdict.Regressed))
            {
                store.DeleteReceived(key);
                outcome = confirmationOutcome = "Unconfirmed";
                warnings.Add(UnconfirmedWarning(cell.DisplayName, first, gated, confirmation, confirmationGated, second, combined));
            }
            else
            {
                // Only screened (worse than half the gate, not Regressed): the runs together are within the gate.
                store.DeleteReceived(key);
                confirmationOutcome = "Cleared";
                outcome = gated.Any(c => c.Verdict == Verdict.Inconclusive) ? "Inconclusive" : "Passed";
                foreach (var (name, both) in combined.Where(kv => kv.Value is not null))
                    warnings.Add($"'{name}' was worse than half its gate on the first run, so it ran again on {(second is null ? "a fresh testbed" : "two fresh testbeds")}; together the runs are within the gate: {DescribeCombined(both!)}.");
                foreach (var c in gated.Where(c => c.Verdict == Verdict.Inconclusive))
                    warnings.Add($"Inconclusive after {first.Trials.Count.ToString(CultureInfo.InvariantCulture)} trials: {c.Reason}");
            }
        }
        else if (gated.Any(c => c.Verdict == Verdict.Regressed))
        {
            receivedPath = store.WriteReceived(FileOf(key, definition, first, "accept"));
            outcome = "Regressed";
            failure = string.Join("\n", gated.Where(c => c.Verdict == Verdict.Regressed)
                .Select(c => FailureMessage.Format(cell.DisplayName, c, baselinePath, receivedPath, acceptHint)));
            if (Settings.Accept)
            {
                store.Accept(key, force: false, replace: Settings.Replace);
                outcome = "Accepted";
                warnings.Add($"Accept mode: the regressed run {(Settings.Replace ? "replaced" : "was added to")} the baseline at {baselinePath}:\n{failure}");
                failure = null;
            }
        }
        else if (gated.Any(c => c.Verdict == Verdict.Improved))
        {
            receivedPath = store.WriteReceived(FileOf(key, definition, first, "accept"));
            outcome = "Improved";
            foreach (var c in gated.Where(c => c.Verdict == Verdict.Improved))
                warnings.Add($"Improved: {c.Reason} {acceptHint}");
            if (Settings.Accept)
            {
                store.Accept(key, force: false, replace: Settings.Replace);
                outcome = "Accepted";
            }
        }
        else if (gated.Any(c => c.Verdict == Verdict.Inconclusive))
        {
            store.DeleteReceived(key);
            outcome = "Inconclusive";
            foreach (var c in gated.Where(c => c.Verdict == Verdict.Inconclusive))
                warnings.Add($"Inconclusive after {first.Trials.Count.ToString(CultureInfo.InvariantCulture)} trials: {c.Reason}");
        }
        else
        {
            store.DeleteReceived(key);
            outcome = "Passed";
        }
        if (CellDecisions.ShouldRecordForThisMachine(Settings, gated) && outcome is "Passed" or "Inconclusive")
        {
            // This machine has too few runs of its own to judge anything: outside CI each run adds itself until it has 3.
            store.Record(FileOf(key, definition, first, FirstMachineRunOrigin), force: false, replace: false);
            files.Add(baselinePath);
            warnings.Add($"First runs on this machine ({first.Fingerprint.Machine}): this run was added to the baseline at {baselinePath} "
                + $"(origin '{FirstMachineRunOrigin}'). Review and commit {testbedFolder}/; from 3 runs of this machine its verdicts use its own runs.");
        }
        if (receivedPath is not null && !File.Exists(receivedPath)) receivedPath = null;
        if (receivedPath is not null) files.Add(receivedPath);

        var result = new CellResult(
            definition.ScenarioKey,
            cell.CellId,
            cell.DisplayName,
            cell.Driver,
            cell.Pairs,
            cell.Traits.Where(kv => kv.Key != "scale").GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value),
            first.Facts,
            TrialRecords(first.Trials),
            [.. AllMetrics(definition).Select(m => ToMetricResult(m.Metric, m.Tolerance, baseline, first.Trials, comparisons))],
            outcome,
            failure ?? string.Join("\n", warnings),
            baselinePath,
            receivedPath,
            first.StartedUtc,
            watch.Elapsed.TotalSeconds,
            confirmation is null
                ? null
                : new CellConfirmation(
                    TrialRecords(confirmation.Trials),
                    [.. AllMetrics(definition).Select(m => ToMetricResult(m.Metric, m.Tolerance, baseline, confirmation.Trials, confirmationComparisons!))],
                    confirmationOutcome!,
                    confirmation.DurationSeconds,
                    confirmation.Facts),
            second is null
                ? null
                : new CellConfirmation(
                    TrialRecords(second.Trials),
                    [.. AllMetrics(definition).Select(m => ToMetricResult(m.Metric, m.Tolerance, baseline, second.Trials, secondComparisons!))],
                    secondOutcome!,
                    second.DurationSeconds,
                    second.Facts));
        if (sink?.Write(result) is { } written) files.Add(written);
        if (sink is not null && IntervalTable.HasIntervals(first.Trials))
        {
            if (sink.WriteCompanion(result, "intervals.csv", IntervalTable.ToCsv(first.Trials)) is { } csv) files.Add(csv);
            if (sink.WriteCompanion(result, "intervals.md", IntervalTable.Summary(cell.DisplayName, first.Trials)) is { } md) files.Add(md);
        }
        progress.Write(string.Create(CultureInfo.InvariantCulture, $"{outcome} in {watch.Elapsed.TotalSeconds:0} s{Verdicts(gated)}"));
        return new CellRun(result, comparisons, failure, warnings, files, [.. first.Trials.SelectMany(r => r.RawOutputs)], confirmationComparisons);
    }

    /// <summary>One measurement of the cell on its own testbed(s): provision, run trials, remove.</summary>
    /// <param name="Trials">Every trial, in order (with the control arm's ratios when there is one).</param>
    /// <param name="Fingerprint">The environment the trials ran in.</param>
    /// <param name="Facts">The cell testbed's facts, the load at the start and the control arm's order.</param>
    /// <param name="StartedUtc">When the measurement started.</param>
    /// <param name="LoadAtStart">The 1-minute load average at the start, where known.</param>
    /// <param name="DurationSeconds">Wall time including provisioning and teardown.</param>
    /// <param name="PoolProblem">What went wrong removing an idle testbed of earlier cells, or <see langword="null"/>.</param>
    private sealed record Attempt(
        IReadOnlyList<WorkloadResult> Trials,
        EnvironmentFingerprint Fingerprint,
        IReadOnlyDictionary<string, string> Facts,
        DateTimeOffset StartedUtc,
        double? LoadAtStart,
        double DurationSeconds,
        string? PoolProblem = null)
    {
        /// <summary>What teardown left because of a known engine fault, with what to do.</summary>
        public IReadOnlyList<string> TeardownWarnings { get; init; } = [];
    }

    /// <summary>Where a run may take its testbed from: the pool, the key its testbed must have, and the pairs a new one gets.</summary>
    private sealed record Reuse(TestbedPool<Testbed> Pool, string Key, int ProvisionPairs);

    /// <summary>How the cell's first run may reuse a testbed, or <see langword="null"/> for a fresh one (see <see cref="TestbedReuse"/>).</summary>
    private Reuse? ReuseOf(ExperimentDefinition definition, TestbedBuilder builder)
    {
        if (!TestbedReuse.Applies(Settings, definition)) return null;
        var provision = Math.Max(definition.Cell.Pairs, definition.ReusePairs ?? definition.Cell.Pairs);
        return TestbedReuse.KeyOf(builder, definition.Cell.ScenarioClass, provision) is { } key ? new Reuse(_pool, key, provision) : null;
    }

    /// <summary>
    /// Builds fresh testbeds, runs <paramref name="initialTrials"/> trials, then as many more as <paramref name="moreTrials"/>
    /// asks for (0 stops), and removes the testbeds on every path.
    /// </summary>
    private static async Task<Attempt> MeasureAsync(
        ExperimentDefinition definition,
        TestbedBuilder builder,
        TestbedBuilder? controlBuilder,
        int seed,
        int initialTrials,
        Func<IReadOnlyList<WorkloadResult>, EnvironmentFingerprint, int> moreTrials,
        ProgressLog progress,
        string attempt,
        CancellationToken cancellationToken,
        Reuse? reuse = null)
    {
        try
        {
            return await MeasureCoreAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            progress.Write($"{attempt}: cancelled");
            throw;
        }
        catch (Exception e)
        {
            progress.Write($"{attempt}: failed: {e.GetType().Name}: {e.Message}");
            throw;
        }

        async Task<Attempt> MeasureCoreAsync()
        {
            var started = DateTimeOffset.UtcNow;
            var load = LoadAverage();
            var watch = Stopwatch.StartNew();
            var order = new TrialOrder(seed);
            var trials = new List<WorkloadResult>();
            EnvironmentFingerprint fingerprint;
            IReadOnlyDictionary<string, string> facts;
            var cell = definition.Cell;
            string? poolProblem;
            if (reuse is null)
            {
                progress.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{attempt}: provisioning {cell.Pairs} pair{(cell.Pairs == 1 ? "" : "s")} on {cell.Driver}{(definition.ControlDriver is { } control ? $" and the control arm on {control}" : "")}"));
            }
            else
            {
                progress.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{attempt}: {cell.Pairs} pair{(cell.Pairs == 1 ? "" : "s")} on {cell.Driver} from a reusable testbed (a new one gets {reuse.ProvisionPairs} pairs, the most any cell of this method needs with these container settings)"));
            }
            CellTestbeds? built = null;
            await using (var beds = reuse is null
                ? await CellTestbeds.BuildAsync(builder, controlBuilder, cancellationToken).ConfigureAwait(false)
                : await CellTestbeds.AcquireAsync(reuse.Pool, reuse.Key, builder, cell.Pairs, reuse.ProvisionPairs, cancellationToken).ConfigureAwait(false))
            {
                progress.Write(beds.Reused
                    ? string.Create(CultureInfo.InvariantCulture, $"{attempt}: reusing the idle testbed of {beds.Cell.Testbed.Pairs.Count} pairs (the first {cell.Pairs} run, the rest stay idle), ready after {watch.Elapsed.TotalSeconds:0.0} s")
                    : string.Create(CultureInfo.InvariantCulture, $"{attempt}: testbed ready after {watch.Elapsed.TotalSeconds:0.0} s"));
                poolProblem = beds.PoolProblem;
                built = beds;
                async Task RunTrials(int count)
                {
                    int planned = trials.Count + count;
                    for (var i = 0; i < count; i++)
                    {
                        trials.Add(await RunTrialAsync(definition.Workload, beds, order, cancellationToken).ConfigureAwait(false));
                        progress.Write(string.Create(CultureInfo.InvariantCulture, $"{attempt}: trial {trials.Count} of {planned}{TrialValue(definition, trials[^1])}"));
                    }
                }

                await RunTrials(initialTrials).ConfigureAwait(false);
                fingerprint = FingerprintReader.Read(beds.Cell.Testbed, trials[0]);
                for (var more = moreTrials(trials, fingerprint); more > 0; more = moreTrials(trials, fingerprint))
                {
                    progress.Write(string.Create(CultureInfo.InvariantCulture, $"{attempt}: not conclusive yet, {more} more trial{(more == 1 ? "" : "s")}"));
                    await RunTrials(more).ConfigureAwait(false);
                }
                facts = FactsOf(beds, order, load);
                beds.MarkHealthy();
            }
            foreach (var w in built.TeardownWarnings) progress.Write($"{attempt}: {w}");
            return new Attempt(trials, fingerprint, facts, started, load, watch.Elapsed.TotalSeconds, poolProblem) { TeardownWarnings = built.TeardownWarnings };
        }
    }

    /// <summary>The first gated metric's value in a trial, for the progress line, e.g. <c>: aggregate_throughput 13.2 Gbit/s</c>.</summary>
    private static string TrialValue(ExperimentDefinition definition, WorkloadResult trial)
    {
        foreach (var gate in definition.Gates)
        {
            if (trial.Measurements.FirstOrDefault(m => m.Flow is null && m.Metric.Name == gate.Metric.Name) is { } m)
                return $": {m.Metric.Name} {NumberFormatting.Format(m.Value)} {m.Metric.Unit.Symbol}";
        }
        return "";
    }

    /// <summary>The gated verdicts for the progress line, e.g. <c> (aggregate_throughput Unchanged)</c>.</summary>
    private static string Verdicts(IEnumerable<Comparison> gated)
    {
        var parts = gated.Select(c => $"{c.Metric.Name} {c.Verdict}").ToList();
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    /// <summary>One trial; with a control arm, both arms in the order the coin flip gives, and the ratios to the control.</summary>
    private static async Task<WorkloadResult> RunTrialAsync(IWorkload workload, CellTestbeds beds, TrialOrder order, CancellationToken cancellationToken)
    {
        if (beds.Control is not { } control)
            return await workload.RunAsync(beds.Cell, cancellationToken).ConfigureAwait(false);
        WorkloadResult trial, reference;
        if (order.NextControlFirst())
        {
            reference = await workload.RunAsync(control, cancellationToken).ConfigureAwait(false);
            trial = await workload.RunAsync(beds.Cell, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            trial = await workload.RunAsync(beds.Cell, cancellationToken).ConfigureAwait(false);
            reference = await workload.RunAsync(control, cancellationToken).ConfigureAwait(false);
        }
        return WithControl(trial, reference, control.Options.Driver.Name);
    }

    private static SortedDictionary<string, string> FactsOf(CellTestbeds beds, TrialOrder order, double? load)
    {
        var facts = new SortedDictionary<string, string>(beds.Cell.Facts.ToDictionary(), StringComparer.Ordinal);
        if (load is { } l) facts["host.loadavg"] = l.ToString("0.##", CultureInfo.InvariantCulture);
        facts["testbed.reused"] = beds.Reused ? "true" : "false";
        if (beds.Control is { } control)
        {
            facts["control.driver"] = control.Options.Driver.Name;
            facts["control.order_seed"] = order.Seed.ToString(CultureInfo.InvariantCulture);
            facts["control.order"] = order.Letters;
        }
        return facts;
    }

    private BaselineKey KeyOf(ExperimentDefinition definition, EnvironmentFingerprint fingerprint) =>
        new(Settings.TestbedName ?? fingerprint.TestbedName, definition.ScenarioKey, definition.Cell.CellId);

    /// <summary>The run as a baseline file of one run, with where it came from.</summary>
    private BaselineFile FileOf(BaselineKey key, ExperimentDefinition definition, Attempt attempt, string origin) =>
        BaselineFile.ForRun(key.Scenario, key.Cell, key.Testbed, new BaselineRun
        {
            Fingerprint = attempt.Fingerprint,
            RecordedAt = attempt.StartedUtc,
            Commit = CommitId(Settings.BaselinesDirectory),
            RunId = Reaper.SessionId,
            Origin = origin,
            Machine = MachineDescription(attempt.Fingerprint, attempt.LoadAtStart),
            Metrics = AllMetrics(definition).ToDictionary(
                m => m.Metric.Name,
                m => BaselineMetric.Create(m.Metric, ValuesOf(attempt.Trials, m.Metric), m.Tolerance)),
        });

    private static List<TrialRecord> TrialRecords(IReadOnlyList<WorkloadResult> trials) =>
        [.. trials.Select((r, i) => new TrialRecord(i + 1,
            [.. r.Measurements.Select(m => new MeasurementRecord(m.Metric.Name, m.Metric.Unit.Symbol, m.Value, m.Flow))], r.StartSkewMilliseconds))];

    private static string ConfirmedFailure(
        string cellName,
        IReadOnlyList<string> confirmed,
        Attempt first,
        IReadOnlyList<Comparison> firstGated,
        Attempt confirmation,
        IReadOnlyList<Comparison> confirmationGated,
        Attempt? second,
        IReadOnlyList<Comparison>? secondGated,
        IReadOnlyDictionary<string, RunLevelResult?> combined,
        string baselinePath,
        string receivedPath,
        string acceptHint)
    {
        var text = new StringBuilder();
        text.Append(cellName)
            .Append(second is null
                ? " regressed: the first run and a second run on a fresh testbed (new containers and network) are worse than the baseline beyond the gate, so it is not a difference between testbeds: "
                : " regressed: the first run and two more runs, each on a fresh testbed (new containers and network), are worse than the baseline beyond the gate, so it is not a difference between testbeds: ")
            .Append(string.Join(", ", confirmed.Select(n => $"'{n}'")))
            .Append(". The received file holds the last run.\n");
        foreach (var name in confirmed)
        {
            if (combined.TryGetValue(name, out var both) && both is not null)
                text.Append(CultureInfo.InvariantCulture, $"The runs together, '{name}': {DescribeCombined(both)}.\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"--- first run ({first.Trials.Count} trials, {first.DurationSeconds:0.0} s) ---\n");
        foreach (var c in firstGated.Where(c => confirmed.Contains(c.Metric.Name)))
            text.Append(FailureMessage.Format(cellName, c, baselinePath, receivedPath, acceptHint)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"--- confirmation on a fresh testbed ({confirmation.Trials.Count} trials, {confirmation.DurationSeconds:0.0} s) ---\n");
        foreach (var c in confirmationGated.Where(c => confirmed.Contains(c.Metric.Name)))
            text.Append(FailureMessage.Format(cellName, c, baselinePath, receivedPath, acceptHint)).Append('\n');
        if (second is not null && secondGated is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"--- second confirmation on another fresh testbed ({second.Trials.Count} trials, {second.DurationSeconds:0.0} s) ---\n");
            foreach (var c in secondGated.Where(c => confirmed.Contains(c.Metric.Name)))
                text.Append(FailureMessage.Format(cellName, c, baselinePath, receivedPath, acceptHint)).Append('\n');
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>E.g. <c>mean of 2 run medians 8.1 Gbit/s is -27% against the centre of 5 baseline runs; gate 18% (asked 10%); p = 0.001</c>.</summary>
    private static string DescribeCombined(RunLevelResult r) =>
        $"the geometric mean of {r.CurrentRuns.ToString(CultureInfo.InvariantCulture)} run medians, {NumberFormatting.Format(r.CurrentMedian)}, is {NumberFormatting.FormatChange(r.Ratio)} against the centre of "
        + $"{r.Spread.Runs.ToString(CultureInfo.InvariantCulture)} baseline runs ({NumberFormatting.Format(r.Spread.Center)}); gate {NumberFormatting.FormatPercent(r.GateTolerance)}, "
        + $"unchanged runs land beyond {NumberFormatting.FormatChange(r.PredictionBound)} with probability alpha ({NumberFormatting.FormatPValue(r.WorsePValue)}); verdict {(r.Worse ? "Regressed" : "within the gate")}";

    private static string UnconfirmedWarning(string cellName, Attempt first, IReadOnlyList<Comparison> firstGated, Attempt confirmation, IReadOnlyList<Comparison> confirmationGated, Attempt? second, IReadOnlyDictionary<string, RunLevelResult?> combined)
    {
        var lines = new List<string>
        {
            (second is null
                ? $"Unconfirmed regression of {cellName}: the first run regressed, but the confirmation on a fresh testbed (new containers and network) did not, so the cell passes. "
                : $"Unconfirmed regression of {cellName}: the first run and its confirmation regressed together, but with a third run on another fresh testbed the runs are within the gate, so the cell passes. ")
                + "A regression that a fresh testbed does not repeat is most likely a difference between testbeds; if it keeps coming back, record more baseline runs (NETPERF_RECORD=1) or look at the code.",
        };
        foreach (var c in firstGated.Where(c => c.Verdict == Verdict.Regressed))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  first run ({first.Trials.Count} trials): {DescribeComparison(c)}"));
            if (confirmationGated.FirstOrDefault(x => x.Metric.Name == c.Metric.Name) is { } again)
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"  confirmation on a fresh testbed ({confirmation.Trials.Count} trials): {DescribeComparison(again)}"));
            if (combined.TryGetValue(c.Metric.Name, out var both) && both is not null)
                lines.Add($"  {(second is null ? "both runs" : "the three runs")} together: {DescribeCombined(both)}");
        }
        return string.Join("\n", lines);
    }

    /// <summary>E.g. <c>'aggregate_throughput' Regressed: median 12 Gbit/s against the baseline's 17 Gbit/s (-29.4%, p = 0.004)</c>.</summary>
    private static string DescribeComparison(Comparison c)
    {
        var change = c.ChangeRatio is { } r ? NumberFormatting.FormatChange(r) : "change undefined";
        return $"'{c.Metric.Name}' {c.Verdict}: median {NumberFormatting.Format(c.Current.Median)} {c.Metric.Unit} against the baseline's "
            + $"{NumberFormatting.Format(c.Baseline.Median)} {c.Metric.Unit} ({change}, regression {NumberFormatting.FormatPValue(c.RegressionPValue)})";
    }

    /// <summary>Adds, for every aggregate the trial measured, its ratio to the control arm's value (<see cref="Metric.RelativeTo"/>).</summary>
    internal static WorkloadResult WithControl(WorkloadResult trial, WorkloadResult control, string controlDriver)
    {
        var ratios = trial.Measurements
            .Where(m => m.Flow is null && control.Find(m.Metric) is { Value: > 0 })
            .Select(m => new Measurement(m.Metric.RelativeTo(controlDriver), m.Value / control.Find(m.Metric)!.Value))
            .ToList();
        return trial with { Measurements = [.. trial.Measurements, .. ratios] };
    }

    /// <summary>Where a run came from, for the baseline: CPU, cores, memory, kernel, engine and the load when the cell started.</summary>
    internal static string MachineDescription(EnvironmentFingerprint fingerprint, double? load)
    {
        var text = BaselineJson.DescribeMachine(fingerprint);
        if (MemoryGiB() is { } memory) text += string.Create(CultureInfo.InvariantCulture, $", {memory:0} GiB");
        if (load is { } l) text += string.Create(CultureInfo.InvariantCulture, $", load {l:0.##} at start");
        return text;
    }

    private static double? MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: >= 2 } && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var kib) ? kib / (1024 * 1024) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The 1-minute load average, or <see langword="null"/> where /proc/loadavg does not exist.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>The failure of a cell whose baseline lacks some of its gated metrics; the gates it has are still reported.</summary>
    private static string MissingGatesFailure(string cell, IReadOnlyList<string> missing, IReadOnlyList<Comparison> gated, int trials, string measured, string baselinePath, string receivedPath, string acceptHint)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The baseline of {cell} has no numbers for the gated metric(s) {Quoted(missing)}, so this run could not check them (a gate added after the baseline was recorded?).\n");
        if (gated.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"  Gates the baseline has: {string.Join("; ", gated.Select(c => $"'{c.Metric.Name}' {c.Verdict}"))}.\n");
        foreach (var c in gated.Where(c => c.Verdict == Verdict.Regressed))
            text.Append(FailureMessage.Format(cell, c, baselinePath, receivedPath, acceptHint)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"  Baseline: {baselinePath}\n  Received: {receivedPath}\n  Measured {trials} trials: {measured}\n");
        text.Append("  Fix: re-record the cell so its baseline holds every gated metric. ")
            .Append(acceptHint.Replace("To accept this run as the new baseline", "To add this run to it", StringComparison.Ordinal))
            .Append(" (or NETPERF_RECORD=1 to record fresh runs; NETPERF_REPLACE=1 starts the baseline over).");
        return text.ToString();
    }

    private static bool IsGated(ExperimentDefinition d, Metric metric) => d.Gates.Any(g => g.Metric.Name == metric.Name);

    private static IEnumerable<(Metric Metric, double? Tolerance)> AllMetrics(ExperimentDefinition d) =>
        d.Gates.Select(g => (g.Metric, (double?)g.Tolerance))
            .Concat(d.Reported.Where(m => !IsGated(d, m)).Select(m => (m, (double?)null)));

    private static List<Comparison> Gated(ExperimentDefinition d, IEnumerable<Comparison> comparisons) =>
        [.. comparisons.Where(c => IsGated(d, c.Metric))];

    private static List<Comparison> Compare(ExperimentDefinition d, BaselineFile? baseline, IReadOnlyList<WorkloadResult> trials, int confirmationRuns, string machine)
    {
        var list = new List<Comparison>();
        if (baseline is null) return list;
        foreach (var (metric, tolerance) in AllMetrics(d))
        {
            if (!baseline.Metrics.ContainsKey(metric.Name)) continue;
            var gate = d.Gates.FirstOrDefault(g => g.Metric.Name == metric.Name) ?? new Gate(metric);
            // Machines of one testbed can differ far more than runs on one machine: prefer this machine's own runs.
            var runs = baseline.RunsFor(metric.Name, machine);
            var comparison = Comparer.Compare(gate, runs.Values, ValuesOf(trials, metric), confirmationRuns);
            if (runs.OtherMachinesDecide) comparison = CellDecisions.OnOtherMachines(comparison, runs);
            list.Add(runs.Note is { } note ? comparison with { Reason = $"{note} {comparison.Reason}" } : comparison);
        }
        return list;
    }

    /// <summary>The aggregate value of a metric in every trial; a trial without it is a workload bug and fails loudly.</summary>
    internal static IReadOnlyList<double> ValuesOf(IReadOnlyList<WorkloadResult> trials, Metric metric) =>
        [.. trials.Select((t, i) => t.Find(metric) is { } m
            ? m.Value
            : throw new InvalidOperationException($"Trial {(i + 1).ToString(CultureInfo.InvariantCulture)} of workload '{t.Workload}' has no aggregate value of '{metric.Name}'; the scenario gates or reports a metric this workload does not measure. Measured: {string.Join(", ", t.Measurements.Where(x => x.Flow is null).Select(x => x.Metric.Name).Distinct())}."))];

    private static string Describe(ExperimentDefinition d, IReadOnlyList<WorkloadResult> trials) =>
        string.Join("; ", AllMetrics(d).Select(m =>
        {
            var s = SampleAnalyzer.Default.Summarize(ValuesOf(trials, m.Metric));
            return string.Create(CultureInfo.InvariantCulture, $"{m.Metric.Name} median {s.Median:G4} {m.Metric.Unit}");
        }));

    private static MetricResult ToMetricResult(Metric metric, double? tolerance, BaselineFile? baseline, IReadOnlyList<WorkloadResult> trials, IReadOnlyList<Comparison> comparisons)
    {
        var current = SampleAnalyzer.Default.Summarize(ValuesOf(trials, metric));
        var c = comparisons.FirstOrDefault(x => x.Metric.Name == metric.Name);
        var stored = baseline is not null && baseline.Metrics.TryGetValue(metric.Name, out var m) ? m : null;
        var baseSummary = c?.Baseline;
        return new MetricResult(
            metric.Name,
            metric.Unit.Symbol,
            metric.Direction.ToString(),
            tolerance is not null,
            tolerance,
            stored?.Values ?? [],
            current.Values,
            baseSummary?.Median,
            baseSummary?.MedianInterval?.Lower,
            baseSummary?.MedianInterval?.Upper,
            current.Median,
            current.MedianInterval?.Lower,
            current.MedianInterval?.Upper,
            c?.ChangeRatio is { } r ? (r - 1) * 100 : null,
            c?.DecisivePValue,
            c?.Verdict.ToString() ?? "NoBaseline",
            c?.Reason ?? (baseline is null ? "no baseline to compare with" : "the baseline has no numbers for this metric (recorded before it was measured); re-record the cell to compare it"),
            c?.BaselineRuns ?? 0,
            c?.DetectableChange * 100,
            c?.RunLevel?.Spread.RunMedianCv * 100,
            c?.PowerNote,
            c?.RunLevel?.ToleranceBelowDetectable ?? false,
            tolerance is not null ? c?.RunLevel?.GateTolerance * 100 : null);
    }

    private static string? CommitId(string directory)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_SHA") is { Length: > 0 } sha) return sha;
        try
        {
            var r = Testbeds.Host.HostCommand.RunAsync("git", ["-C", directory, "rev-parse", "--short", "HEAD"], TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            return r.Succeeded ? r.Stdout.Trim() : null;
        }
        catch (TimeoutException) { return null; }
    }
}
