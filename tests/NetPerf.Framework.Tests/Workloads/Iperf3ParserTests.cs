using NetPerf.Workloads.Iperf3;

namespace NetPerf.Tests.Workloads;

public class Iperf3ParserTests
{
    [Fact]
    public void Tcp_with_warm_up_keeps_omitted_interval_flagged_and_moves_the_rest_after_it()
    {
        var report = Iperf3Parser.Parse(Canned.Read("iperf3/tcp-1stream-omit1.json"), "client-0");

        Assert.Equal("iperf 3.12", report.Version);
        Assert.Equal("TCP", report.Protocol);
        Assert.Equal(1, report.Streams);
        Assert.Equal(4, report.SenderIntervals.Count);
        Assert.True(report.SenderIntervals[0].Omitted);
        Assert.All(report.SenderIntervals.Skip(1), i => Assert.False(i.Omitted));
        Assert.Equal(1.000322 + 4.8e-05, report.SenderIntervals[1].Start, 9);
        Assert.Equal(3652976640, report.SenderIntervals[1].Bytes);
        Assert.Equal(4191682560, report.SenderIntervals[3].Bytes);
        Assert.Equal(4, report.ReceiverIntervals.Count);
        Assert.Equal(3646947328, report.ReceiverIntervals[1].Bytes);
        Assert.Equal(11850219520, report.Totals.SentBytes);
        Assert.Equal(11846156288, report.Totals.ReceivedBytes);
        Assert.Equal(1, report.Totals.Retransmits);
        Assert.Equal(34, report.Totals.MeanRttMicroseconds);
        Assert.Equal(46.55774962425595, report.Totals.SenderCpuPercent!.Value, 9);
        Assert.Equal(71.90834836002973, report.Totals.ReceiverCpuPercent!.Value, 9);
        Assert.NotNull(report.SenderIntervals[1].SndCwndBytes);
        Assert.NotNull(report.SenderIntervals[1].RttMicroseconds);
    }

    [Fact]
    public void Parallel_streams_are_summed_per_interval_and_rtt_averaged()
    {
        var report = Iperf3Parser.Parse(Canned.Read("iperf3/tcp-3streams.json"), "client-0");

        Assert.Equal(3, report.Streams);
        Assert.Equal([1116733440L, 1157365760L, 1524367360L, 2264924160L], report.SenderIntervals.Select(i => i.Bytes));
        Assert.Equal(6063390720, report.Totals.SentBytes);
        Assert.Equal(3, report.Totals.Retransmits);
        Assert.Equal((144 + 131 + 175) / 3.0, report.Totals.MeanRttMicroseconds!.Value, 9);
    }

    [Fact]
    public void Udp_loss_and_jitter_come_from_the_servers_own_summary()
    {
        var report = Iperf3Parser.Parse(Canned.Read("iperf3/udp-20G-lossy.json"), "client-0");

        Assert.Equal("UDP", report.Protocol);
        Assert.Equal(344052, report.Totals.UdpPackets);
        Assert.Equal(179710, report.Totals.UdpLostPackets);
        Assert.Equal(52.23338332577634, report.Totals.UdpLostPercent!.Value, 9);
        Assert.Equal(0.07823581285077195, report.Totals.UdpJitterMilliseconds!.Value, 12);
        Assert.Equal(230078800, report.Totals.ReceivedBytes);
        Assert.Equal(156362, report.ReceiverIntervals[1].Packets);
        Assert.Equal(80004, report.ReceiverIntervals[1].LostPackets);
    }

    [Fact]
    public void Report_without_server_output_has_no_receiver_intervals()
    {
        var report = Iperf3Parser.Parse(Canned.Read("iperf3/tcp-1stream-no-server-output.json"), "client-0");

        Assert.Empty(report.ReceiverIntervals);
        Assert.Equal(12482117632, report.Totals.ReceivedBytes);
    }

    [Theory]
    [InlineData("iperf3/error-connection-refused.json", "failed: 'unable to connect to server: Connection refused'")]
    [InlineData("iperf3/error-server-busy.json", "failed: 'the server is busy running a test. try again later'")]
    [InlineData("iperf3/garbled-truncated.json", "not complete JSON (truncated or garbled)")]
    [InlineData("iperf3/missing-intervals.json", "reported no intervals after warm-up")]
    public void Failures_name_the_container_and_quote_the_tool(string file, string expected)
    {
        var e = Assert.Throws<WorkloadException>(() => Iperf3Parser.Parse(Canned.Read(file), "client-7"));

        Assert.Contains("iperf3 on 'client-7'", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal("client-7", e.NodeName);
    }

    [Fact]
    public void Empty_output_is_an_error()
    {
        var e = Assert.Throws<WorkloadException>(() => Iperf3Parser.Parse("  \n", "client-0"));
        Assert.Contains("'client-0' printed nothing", e.Message);
    }
}
