using NetPerf.Experiments;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Experiments;

public sealed class CellDecisionsTests
{
    private static readonly Func<bool> NotAsked = () => throw new InvalidOperationException("the testbed's baselines must not be read here");

    private static Comparison Of(Metric metric, Verdict verdict)
    {
        var comparison = Comparer.Compare(new Gate(metric, 0.10), [10.0, 10.1, 9.9, 10.0, 10.2], [10.0, 10.1, 9.9, 10.0, 10.1]);
        return comparison with { Verdict = verdict };
    }

    private static readonly Metric A = Metrics.AggregateThroughput;
    private static readonly Metric B = Metrics.Rtt;

    [Fact]
    public void Accept_mode_takes_the_run_as_the_baseline_without_reading_the_testbed()
    {
        Assert.Equal(MissingBaselineAction.Accept, CellDecisions.ForMissingBaseline(accept: true, ci: true, NotAsked));
    }

    [Fact]
    public void A_first_run_on_a_new_testbed_is_provisional_outside_ci()
    {
        Assert.Equal(MissingBaselineAction.Provisional, CellDecisions.ForMissingBaseline(accept: false, ci: false, () => true));
    }

    [Fact]
    public void A_first_run_on_a_new_testbed_fails_in_ci_because_ci_does_not_record_by_itself()
    {
        Assert.Equal(MissingBaselineAction.FailNewTestbedInCi, CellDecisions.ForMissingBaseline(accept: false, ci: true, () => true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_missing_baseline_on_a_testbed_with_other_baselines_fails(bool ci)
    {
        Assert.Equal(MissingBaselineAction.FailMissing, CellDecisions.ForMissingBaseline(accept: false, ci, () => false));
    }

    [Fact]
    public void Only_a_gated_regression_in_a_normal_run_is_confirmed()
    {
        var settings = new ExperimentSettings("baselines", "results");
        Comparison[] regressed = [Of(A, Verdict.Unchanged), Of(B, Verdict.Regressed)];

        Assert.True(CellDecisions.ShouldConfirm(settings, regressed));
        Assert.False(CellDecisions.ShouldConfirm(settings, [Of(A, Verdict.Inconclusive), Of(B, Verdict.Improved)]));
        Assert.False(CellDecisions.ShouldConfirm(settings with { Confirm = false }, regressed));
        Assert.False(CellDecisions.ShouldConfirm(settings with { Record = true }, regressed));
        Assert.False(CellDecisions.ShouldConfirm(settings with { Accept = true }, regressed));
    }

    [Fact]
    public void A_regression_is_confirmed_by_any_metric_that_regressed_both_times()
    {
        var confirmed = CellDecisions.ConfirmedRegressions(
            [Of(A, Verdict.Regressed), Of(B, Verdict.Regressed)],
            [Of(A, Verdict.Unchanged), Of(B, Verdict.Regressed)]);

        Assert.Equal([B.Name], confirmed);
    }

    [Fact]
    public void A_confirmation_that_does_not_regress_leaves_the_regression_unconfirmed()
    {
        Assert.Empty(CellDecisions.ConfirmedRegressions([Of(A, Verdict.Regressed)], [Of(A, Verdict.Inconclusive)]));
        Assert.Empty(CellDecisions.ConfirmedRegressions([Of(A, Verdict.Regressed)], [Of(A, Verdict.Unchanged)]));
        Assert.Empty(CellDecisions.ConfirmedRegressions([Of(A, Verdict.Regressed)], []));
    }

    [Fact]
    public void A_metric_that_regresses_only_in_the_confirmation_does_not_confirm_another()
    {
        Assert.Empty(CellDecisions.ConfirmedRegressions(
            [Of(A, Verdict.Regressed), Of(B, Verdict.Unchanged)],
            [Of(A, Verdict.Unchanged), Of(B, Verdict.Regressed)]));
    }

    [Fact]
    public void A_regression_against_other_machines_runs_is_inconclusive_unconfirmed_and_adds_no_trials()
    {
        // The baseline's runs all come from another machine (this one has none): a real -45% on this machine, as a slower CPU gives.
        var other = new NetPerf.Baselines.BaselineRunSelection([[10.0, 10.1, 9.9], [10.2, 10.0, 10.1], [9.8, 10.0, 9.9]], SameMachineRuns: 0, OtherMachineRuns: 3, OwnMachineOnly: false);
        var regressed = Comparer.Compare(new Gate(A, 0.10), other.Values, [5.5, 5.4, 5.6]);
        Assert.Equal(Verdict.Regressed, regressed.Verdict);

        var judged = CellDecisions.OnOtherMachines(regressed, other);

        Assert.Equal(Verdict.Inconclusive, judged.Verdict);
        Assert.True(judged.OtherMachinesOnly);
        Assert.False(judged.NeedsConfirmation);
        Assert.False(CellDecisions.ShouldConfirm(new ExperimentSettings("baselines", "results"), [judged]));
        Assert.Equal(0, new SequentialPolicy(3, 10, 2).TrialsToAdd(judged));
        Assert.StartsWith("No baseline run was recorded on this machine: -45", judged.Reason, StringComparison.Ordinal);
        Assert.Contains("can be the machine as well as the code", judged.Reason, StringComparison.Ordinal);
        // An unchanged metric stays unchanged.
        Assert.Equal(Verdict.Unchanged, CellDecisions.OnOtherMachines(Of(A, Verdict.Unchanged), other).Verdict);
    }

    [Fact]
    public void A_run_judged_on_other_machines_runs_adds_itself_to_the_baseline_outside_ci_only()
    {
        var other = new NetPerf.Baselines.BaselineRunSelection([[10.0], [10.1], [9.9]], SameMachineRuns: 1, OtherMachineRuns: 3, OwnMachineOnly: false);
        Comparison[] gated = [CellDecisions.OnOtherMachines(Of(A, Verdict.Regressed), other), Of(B, Verdict.Unchanged)];
        var settings = new ExperimentSettings("baselines", "results");

        Assert.True(CellDecisions.ShouldRecordForThisMachine(settings, gated));
        Assert.False(CellDecisions.ShouldRecordForThisMachine(settings with { Ci = true }, gated));
        Assert.False(CellDecisions.ShouldRecordForThisMachine(settings with { Record = true }, gated));
        Assert.False(CellDecisions.ShouldRecordForThisMachine(settings, [Of(A, Verdict.Regressed)]));
    }
}
