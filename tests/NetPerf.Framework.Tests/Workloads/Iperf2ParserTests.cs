using NetPerf.Workloads.Iperf2;

namespace NetPerf.Tests.Workloads;

public class Iperf2ParserTests
{
    [Fact]
    public void Single_stream_csv_gives_intervals_and_the_total_line_separately()
    {
        var report = Iperf2Parser.Parse(Canned.Read("iperf2/tcp-3s.csv"), "", "client-0");

        Assert.Equal(1, report.Streams);
        Assert.Equal([4906942524L, 4671668224L, 4050255872L], report.Intervals.Select(i => i.Bytes));
        Assert.Equal([0.0, 1.0, 2.0], report.Intervals.Select(i => i.Start));
        Assert.Equal(39255540192, report.Intervals[0].BitsPerSecond);
        Assert.Equal(13629128764, report.TotalBytes);
        Assert.Equal(3.0, report.TotalSeconds);
    }

    [Fact]
    public void Parallel_streams_are_summed_per_interval()
    {
        var report = Iperf2Parser.Parse(Canned.Read("iperf2/tcp-2streams.csv"), "", "client-0");

        Assert.Equal(2, report.Streams);
        Assert.Equal([5039718460L + 4839833660L, 4941938688L + 5193465856L], report.Intervals.Select(i => i.Bytes));
        Assert.Equal(9981788220 + 10033430588, report.TotalBytes);
    }

    [Fact]
    public void Connection_refused_prints_no_csv_and_the_message_quotes_stderr()
    {
        var e = Assert.Throws<WorkloadException>(() => Iperf2Parser.Parse(
            Canned.Read("iperf2/error-connection-refused.csv"), Canned.Read("iperf2/error-connection-refused.stderr"), "client-3"));

        Assert.Contains("iperf on 'client-3' reported nothing; it said: 'tcp connect failed: Connection refused'", e.Message);
    }

    [Fact]
    public void Garbled_line_is_quoted()
    {
        var e = Assert.Throws<WorkloadException>(() => Iperf2Parser.Parse("20261121230049,127.0.0.1,58056,127.0", "", "client-0"));
        Assert.Contains("not iperf 2 CSV: '20261121230049,127.0.0.1,58056,127.0'", e.Message);
    }

    [Fact]
    public void Stream_with_only_a_total_line_means_intervals_are_missing()
    {
        var e = Assert.Throws<WorkloadException>(() => Iperf2Parser.Parse(Canned.Read("iperf2/tcp-3s.csv").Split('\n')[3], "", "client-0"));
        Assert.Contains("without intervals", e.Message);
    }

    [Fact]
    public void Version_is_read_from_iperf_v() =>
        Assert.Equal("iperf version 2.1.8 (12 August 2022) pthreads", Iperf2Parser.Version(Canned.Read("iperf2/version.stderr")));
}
