using NetPerf.Experiments;

namespace NetPerf.Tests.Experiments;

public sealed class IntervalTableTests
{
    private static readonly Node Client = new("client-0", "c0", "10.0.0.3");
    private static readonly Node Server = new("server-0", "s0", "10.0.0.2");

    private static WorkloadResult Trial(params FlowInterval[] intervals) => new("iperf3-tcp")
    {
        Flows = [new FlowResult("pair-0", Client, Server) { Intervals = intervals }],
    };

    [Fact]
    public void Csv_has_one_row_per_interval_and_leaves_out_the_warm_up()
    {
        var trials = new[]
        {
            Trial(new FlowInterval(0, 1, 100, 800) { Omitted = true }, new FlowInterval(1, 2, 2_000_000_000, 16e9) { RttMicroseconds = 55.5, Retransmits = 3 }),
            Trial(new FlowInterval(1, 2, 1_500_000_000, 12e9)),
        };

        var lines = IntervalTable.ToCsv(trials).TrimEnd('\n').Split('\n');

        Assert.Equal("trial,flow,start_s,end_s,seconds,bytes,bits_per_second,rtt_us,retransmits", lines[0]);
        Assert.Equal(["1,pair-0,1,2,1,2000000000,16000000000,55.5,3", "2,pair-0,1,2,1,1500000000,12000000000,,"], lines[1..]);
    }

    [Fact]
    public void Summary_gives_median_quartiles_extremes_and_outliers_per_variable()
    {
        var rates = new[] { 10e9, 10.5e9, 11e9, 10.2e9, 10.8e9, 1e9 };
        var trials = rates.Select((r, i) => Trial(new FlowInterval(i, i + 1, (long)(r / 8), r) { RttMicroseconds = 50 + i })).ToArray();

        var md = IntervalTable.Summary("Tcp_bitrate(driver: Bridge, pairs: 1)", trials);

        Assert.Contains("## Per-interval variables: Tcp_bitrate(driver: Bridge, pairs: 1)", md);
        Assert.Contains("6 intervals from 6 trials", md);
        var row = Assert.Single(md.Split('\n'), l => l.StartsWith("| bits_per_second |", StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal("6", cells[3]);
        Assert.Equal("1000000000", cells[7]);
        Assert.Equal("11000000000", cells[8]);
        Assert.Equal("1", cells[9]);
        Assert.Contains(md.Split('\n'), l => l.StartsWith("| rtt | us | 6 |", StringComparison.Ordinal));
        Assert.DoesNotContain(md.Split('\n'), l => l.StartsWith("| retransmits", StringComparison.Ordinal));
    }
}
