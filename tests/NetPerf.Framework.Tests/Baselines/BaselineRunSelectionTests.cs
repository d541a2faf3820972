using NetPerf.Baselines;
using NetPerf.Cli;

namespace NetPerf.Tests.Baselines;

/// <summary>Which baseline runs a verdict rests on when the baseline holds runs from several machines.</summary>
public class BaselineRunSelectionTests
{
    private static BaselineRun Run(string kernel, int hour, params double[] values) => new()
    {
        Fingerprint = SampleBaselines.Fingerprint() with { Kernel = kernel },
        RecordedAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero).AddHours(hour),
        RunId = $"{kernel}-{hour}",
        Origin = "record",
        Machine = kernel,
        Metrics = new Dictionary<string, BaselineMetric>
        {
            [SampleBaselines.Throughput.Name] = BaselineMetric.Create(SampleBaselines.Throughput, values, 0.10),
        },
    };

    private static BaselineFile File(params BaselineRun[] runs) =>
        new() { Scenario = "S", Cell = "c", Testbed = "t", Runs = runs };

    private static string MachineOf(string kernel) => (SampleBaselines.Fingerprint() with { Kernel = kernel }).Machine;

    [Fact]
    public void Three_runs_of_this_machine_are_used_on_their_own_and_the_reason_says_what_was_left_out()
    {
        var file = File(Run("a", 0, 14, 14, 14), Run("b", 1, 35, 36, 34), Run("b", 2, 37, 36, 38), Run("b", 3, 35, 35, 36));

        var selection = file.RunsFor(SampleBaselines.Throughput.Name, MachineOf("b"));

        Assert.True(selection.OwnMachineOnly);
        Assert.Equal(3, selection.Values.Count);
        Assert.DoesNotContain(selection.Values, v => v[0] == 14);
        Assert.Equal("Judged against the 3 baseline runs recorded on this machine; 1 run(s) from other machines of this testbed left out.", selection.Note);
    }

    [Fact]
    public void Fewer_than_three_runs_of_this_machine_or_none_use_every_run_and_say_other_machines_decide()
    {
        var file = File(Run("a", 0, 14, 14, 14), Run("b", 1, 35, 36, 34), Run("b", 2, 37, 36, 38));

        var two = file.RunsFor(SampleBaselines.Throughput.Name, MachineOf("b"));
        var none = file.RunsFor(SampleBaselines.Throughput.Name, MachineOf("c"));

        Assert.False(two.OwnMachineOnly);
        Assert.True(two.OtherMachinesDecide);
        Assert.Equal(3, two.Values.Count);
        Assert.StartsWith("Only 2 baseline run(s) come from this machine", two.OtherMachinesReason("-10%"), StringComparison.Ordinal);
        Assert.False(none.OwnMachineOnly);
        Assert.True(none.OtherMachinesDecide);
        Assert.Equal(3, none.Values.Count);
        Assert.StartsWith("No baseline run was recorded on this machine: -45% against 3 run(s), 3 of them from other machines", none.OtherMachinesReason("-45%"), StringComparison.Ordinal);
        Assert.Contains("NETPERF_RECORD=1", none.OtherMachinesReason("-45%"), StringComparison.Ordinal);
        Assert.Null(none.Note);
        // Three runs of this machine decide on their own.
        Assert.False(File(Run("a", 0, 14), Run("b", 1, 35), Run("b", 2, 37), Run("b", 3, 36)).RunsFor(SampleBaselines.Throughput.Name, MachineOf("b")).OtherMachinesDecide);
    }

    [Fact]
    public void A_baseline_of_one_machine_has_no_note()
    {
        var file = File(Run("b", 1, 35, 36, 34), Run("b", 2, 37, 36, 38));

        var selection = file.RunsFor(SampleBaselines.Throughput.Name, MachineOf("b"));

        Assert.Null(selection.Note);
        Assert.Equal(2, selection.Values.Count);
    }

    [Fact]
    public void The_calibration_pairs_a_run_only_with_a_confirmation_from_its_own_machine()
    {
        // One run of machine a (2.5x lower), six of machine b: a has no partners, b's runs make the jobs with each other
        // (6 x 5 x 4 ordered triples; 6 x 5 ordered pairs for the two-run rule), each leaving 3 or more runs of b as the baseline.
        var file = File(Run("a", 0, 14, 14.2, 13.9), Run("b", 1, 35, 36, 34), Run("b", 2, 37, 36, 38), Run("b", 3, 35, 35, 36), Run("b", 4, 36, 37, 35),
            Run("b", 5, 36, 35, 36), Run("b", 6, 37, 36, 36));

        var row = Assert.Single(RunCalibration.Evaluate([file], currentTrials: 3));

        Assert.Equal(120, row.Jobs);
        Assert.Equal(30, row.PairJobs);
        Assert.Equal(0, row.ConfirmedFalse);
    }

    [Fact]
    public void The_calibration_leaves_out_jobs_where_other_machines_would_decide()
    {
        // Four runs of b: leaving three out for a job leaves one run of b, so the main job would claim no change.
        var file = File(Run("a", 0, 14, 14.2, 13.9), Run("b", 1, 35, 36, 34), Run("b", 2, 37, 36, 38), Run("b", 3, 35, 35, 36), Run("b", 4, 36, 37, 35));

        var row = Assert.Single(RunCalibration.Evaluate([file], currentTrials: 3));

        Assert.Equal(0, row.Jobs);
        Assert.Equal(0, row.PairJobs);
    }
}
