using NetPerf.Cli;

namespace NetPerf.Tests.Cli;

/// <summary>The fidelity benchmark's verdict per cell: shown within 3%, shown outside, or the trials cannot tell.</summary>
public sealed class FidelityReportTests
{
    private static FidelityCommand.Row Row(double[] netPerf, double[] byHand) =>
        new("sockperf", Metrics.LatencyP50, 10, netPerf, byHand, [5, 5, 5, 5, 5, 5, 5], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);

    [Fact]
    public void Trials_that_agree_closely_are_shown_within_3_percent()
    {
        var row = Row([100, 101, 99, 100.5, 100, 99.5, 100.2], [100, 100, 100, 100, 100, 100, 100]);

        Assert.Equal("yes", row.WithinTolerance);
    }

    [Fact]
    public void A_steady_10_percent_difference_is_shown_outside_3_percent()
    {
        var row = Row([110, 111, 109, 110.5, 110, 109.5, 110.2], [100, 100, 100, 100, 100, 100, 100]);

        Assert.Equal("no", row.WithinTolerance);
        Assert.Equal(0.10, row.Difference, 0.01);
    }

    [Fact]
    public void A_median_difference_of_10_percent_from_trials_that_spread_widely_cannot_tell()
    {
        // The per-trial ratios run from 0.85 to 1.35: the median is +10%, but its interval spans the 3% band.
        var row = Row([85, 135, 100, 120, 95, 110, 125], [100, 100, 100, 100, 100, 100, 100]);

        Assert.Equal("cannot tell", row.WithinTolerance);
    }

    [Fact]
    public void Too_few_trials_for_an_interval_cannot_tell_and_the_page_says_so()
    {
        var row = new FidelityCommand.Row("iperf3", Metrics.AggregateThroughput, 1, [10, 10.1], [10, 10], [5, 5], [0.5, 0.5]);

        Assert.Equal("cannot tell", row.WithinTolerance);
        var page = FidelityCommand.Report([row], 2, TimeSpan.FromSeconds(3), "netperf fidelity --trials 2");
        Assert.Contains("too few trials for an interval", page, StringComparison.Ordinal);
        Assert.Contains("| cannot tell |", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rerun_line_repeats_the_options_of_the_run()
    {
        var row = new FidelityCommand.Row("sockperf", Metrics.LatencyP50, 10, [70, 71], [70, 70], [5, 5], [0.5, 0.5]);

        var page = FidelityCommand.Report([row], 2, TimeSpan.FromSeconds(3), "dotnet run --project src/NetPerf.Cli -- fidelity --trials 2 --seconds 3 --pairs 10 --tools sockperf");

        Assert.Contains("Rerun: `bash scripts/fidelity.sh --trials 2 --seconds 3 --pairs 10 --tools sockperf`", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_says_when_the_containers_were_pinned_and_lists_the_jit_time_of_each_trial()
    {
        var row = new FidelityCommand.Row("iperf3", Metrics.AggregateThroughput, 1, [10, 10.1], [10, 10], [5, 5], [0.5, 0.5])
        {
            ProcessCpuPercentWhileEveryToolRan = [0.1, 0.2],
            JitMillisecondsWhileEveryToolRan = [238, 0],
        };

        var pinned = FidelityCommand.Report([row], 2, TimeSpan.FromSeconds(3), "netperf fidelity --pin", FidelityCommand.Pinning.ServersAndClientsApart);
        var pairsPinned = FidelityCommand.Report([row], 2, TimeSpan.FromSeconds(3), "netperf fidelity --pin-pairs", FidelityCommand.Pinning.EachPairOnOneCore);
        var unpinned = FidelityCommand.Report([row], 2, TimeSpan.FromSeconds(3), "netperf fidelity");

        Assert.Contains("every server container on CPU 0, every client container on CPU 1", pinned, StringComparison.Ordinal);
        Assert.Contains("Pinned (`--pin-pairs`): pair i's server and client containers both on CPU i mod 2", pairsPinned, StringComparison.Ordinal);
        Assert.DoesNotContain("CPU 0", unpinned, StringComparison.Ordinal);
        Assert.DoesNotContain("Pinned", unpinned, StringComparison.Ordinal);
        Assert.Contains("(of which JIT 238, 0 ms)", unpinned, StringComparison.Ordinal);
    }
}
